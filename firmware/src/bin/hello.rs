//! The `hello` firmware: a greeting, then a set of self-checking workloads
//! (integer formatting through core::fmt, CRC-32 and SHA-256 against values
//! computed on the host, sorting, 128-bit and signed 64-bit arithmetic, a
//! binary search tree in a static pool). Each prints one line; the exit code
//! is 0 only when every check passes, else the number of failed checks.
#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::hint::black_box;

use cosim_firmware::crc32::crc32;
use cosim_firmware::{println, simctrl};

/// xorshift64 (13, 7, 17); the host-side constants below use the same seed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const BUF_LEN: usize = 4096;
/// zlib.crc32 of the 4096 bytes `next() >> 56` from SEED.
const BUF_CRC32: u32 = 0xd7e3_eaeb;
/// hashlib.sha256 of the same bytes.
const BUF_SHA256: [u8; 32] =
    hex32("b63ccfe49215a387bf52435999cbd2cff120c5397ef135d049c6038d32865078");
/// hashlib.sha256(b"abc").
const ABC_SHA256: [u8; 32] =
    hex32("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// The 512 u32 values `next() >> 32` drawn after the buffer, sorted: [0], [255], [511].
const SORTED_PROBES: [u32; 3] = [0x002f_756d, 0x78bb_6008, 0xfffb_5a66];

const fn hex32(s: &str) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("bad hex digit"),
        }
    }
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

/// A `fmt::Write` into a fixed buffer.
struct BufWriter<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> BufWriter<N> {
    fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }
    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("<invalid utf-8>")
    }
}

impl<const N: usize> Write for BufWriter<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self
            .len
            .checked_add(s.len())
            .filter(|&e| e <= N)
            .ok_or(fmt::Error)?;
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn check_formatting() -> bool {
    let mut w = BufWriter::<128>::new();
    let ok = write!(
        w,
        "{} {} {:x} {:#018x} [{:>6}] [{:<5}] {:b} {:o} {}",
        black_box(-1_234_567_i64),
        black_box(u64::MAX),
        black_box(0xdead_beef_u32),
        black_box(0x1234_u64),
        black_box(42_u8),
        black_box(-7_i16),
        black_box(10_u8),
        black_box(8_u16),
        black_box(i128::MIN),
    )
    .is_ok();
    let expected =
        "-1234567 18446744073709551615 deadbeef 0x0000000000001234 [    42] [-7   ] 1010 10 \
                    -170141183460469231731687303715884105728";
    println!("fmt: {}", w.as_str());
    ok && w.as_str() == expected
}

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    // Blocks of the message, then the padding block(s).
    let mut block = [0u8; 64];
    let full = data.len() / 64;
    let rest = &data[full * 64..];
    let mut compress = |block: &[u8; 64]| {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    };
    for chunk in data[..full * 64].chunks_exact(64) {
        block.copy_from_slice(chunk);
        compress(&block);
    }
    block = [0; 64];
    block[..rest.len()].copy_from_slice(rest);
    block[rest.len()] = 0x80;
    if rest.len() >= 56 {
        compress(&block);
        block = [0; 64];
    }
    block[56..].copy_from_slice(&bit_len.to_be_bytes());
    compress(&block);
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

fn check_hashes(buf: &[u8]) -> bool {
    let check = crc32(b"123456789");
    let crc = crc32(buf);
    println!("crc32: check value {check:#010x}, buffer {crc:#010x}");
    let abc = sha256(b"abc");
    let digest = sha256(buf);
    println!("sha256: {}", Hex(&digest));
    check == 0xcbf4_3926 && crc == BUF_CRC32 && abc == ABC_SHA256 && digest == BUF_SHA256
}

/// A heap sort of our own, checked against core's sort.
fn heap_sort(v: &mut [u32]) {
    fn sift_down(v: &mut [u32], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    for start in (0..v.len() / 2).rev() {
        sift_down(v, start, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

fn check_sort(rng: &mut XorShift) -> bool {
    let mut a = [0u32; 512];
    for x in a.iter_mut() {
        *x = (rng.next() >> 32) as u32;
    }
    let mut b = a;
    let sum_before = a.iter().fold(0u64, |s, &x| s.wrapping_add(u64::from(x)));
    heap_sort(&mut a);
    b.sort_unstable();
    let sorted = a.windows(2).all(|w| w[0] <= w[1]);
    let sum_after = a.iter().fold(0u64, |s, &x| s.wrapping_add(u64::from(x)));
    let probes = [a[0], a[255], a[511]];
    println!(
        "sort: 512 values, min {:#x}, median {:#x}, max {:#x}",
        probes[0], probes[1], probes[2]
    );
    sorted && a == b && sum_before == sum_after && probes == SORTED_PROBES
}

fn check_arithmetic() -> bool {
    let x = black_box(0xfedc_ba98_7654_3210_u64);
    let y = black_box(0x0123_4567_89ab_cdef_u64);
    let p = u128::from(x) * u128::from(y);
    let back = p / u128::from(y);
    let rem = p % u128::from(x + 1);
    let q = black_box(u128::MAX) / black_box(0x1_0000_0001_u128);
    let min = black_box(i64::MIN);
    let m1 = black_box(-1_i64);
    let seven = black_box(7_i64);
    let signed_ok = min.wrapping_div(m1) == i64::MIN
        && min.checked_div(m1).is_none()
        && min.wrapping_rem(m1) == 0
        && black_box(-7_i64) / 2 == -3
        && black_box(-7_i64) % 2 == -1
        && black_box(-7_i64).div_euclid(2) == -4
        && (seven * black_box(-3)) == -21
        && black_box(0x7fff_ffff_i32).wrapping_mul(2) == -2
        && black_box(i64::MAX).checked_mul(2).is_none();
    println!("u128: {x:#x} * {y:#x} = {p:#x}");
    println!("u128: max / (2^32 + 1) = {q:#x}, rem = {rem}");
    back == u128::from(x)
        && p == 0x0121_fa00_ad77_d742_2236_d88f_e561_8cf0
        && q == 0xffff_ffff_0000_0000_ffff_ffff_u128
        && rem == p - (p / u128::from(x + 1)) * u128::from(x + 1)
        && signed_ok
}

/// A binary search tree whose nodes live in a static pool, linked by index.
const POOL: usize = 256;
const NIL: u16 = u16::MAX;

#[derive(Clone, Copy)]
struct Node {
    key: u32,
    left: u16,
    right: u16,
}

static mut NODES: [Node; POOL] = [Node {
    key: 0,
    left: NIL,
    right: NIL,
}; POOL];

fn check_tree(rng: &mut XorShift) -> bool {
    // SAFETY: single-threaded firmware; the pool is only used here.
    let nodes = unsafe { &mut *core::ptr::addr_of_mut!(NODES) };
    let mut used = 0usize;
    let mut root = NIL;
    let mut duplicates = 0;
    for _ in 0..POOL {
        let key = (rng.next() % 1000) as u32;
        let node = Node {
            key,
            left: NIL,
            right: NIL,
        };
        if root == NIL {
            nodes[0] = node;
            root = 0;
            used = 1;
            continue;
        }
        let mut n = root as usize;
        loop {
            if key == nodes[n].key {
                duplicates += 1;
                break;
            }
            let link = if key < nodes[n].key {
                nodes[n].left
            } else {
                nodes[n].right
            };
            if link != NIL {
                n = link as usize;
                continue;
            }
            nodes[used] = node;
            if key < nodes[n].key {
                nodes[n].left = used as u16;
            } else {
                nodes[n].right = used as u16;
            }
            used += 1;
            break;
        }
    }
    // In-order walk with an explicit stack: keys must come out strictly increasing.
    let mut stack = [NIL; POOL];
    let mut depth = 0;
    let mut cur = root;
    let mut count = 0usize;
    let mut prev: Option<u32> = None;
    let mut ordered = true;
    while cur != NIL || depth > 0 {
        while cur != NIL {
            stack[depth] = cur;
            depth += 1;
            cur = nodes[cur as usize].left;
        }
        depth -= 1;
        let n = nodes[stack[depth] as usize];
        ordered &= prev.is_none_or(|p| p < n.key);
        prev = Some(n.key);
        count += 1;
        cur = n.right;
    }
    println!(
        "tree: {count} distinct keys, {duplicates} duplicates, max {}",
        prev.unwrap_or(0)
    );
    ordered && count == used && count + duplicates == POOL
}

#[no_mangle]
extern "C" fn main() -> i32 {
    println!("hello from the cosim firmware");
    let mut rng = XorShift(SEED);
    let mut buf = [0u8; BUF_LEN];
    for b in buf.iter_mut() {
        *b = (rng.next() >> 56) as u8;
    }

    let checks: [(&str, &mut dyn FnMut() -> bool); 5] = [
        ("fmt", &mut check_formatting),
        ("hashes", &mut || check_hashes(&buf)),
        ("sort", &mut || check_sort(&mut rng)),
        ("arith", &mut check_arithmetic),
        ("tree", &mut || check_tree(&mut XorShift(SEED ^ 0x5555))),
    ];
    let total = checks.len();
    let mut failed = 0;
    for (phase, (name, check)) in checks.into_iter().enumerate() {
        simctrl::phase(phase as u64 + 1);
        let ok = check();
        println!("check {name}: {}", if ok { "ok" } else { "FAILED" });
        failed += usize::from(!ok);
    }
    if failed == 0 {
        println!("all {total} checks passed");
    } else {
        println!("{failed} of {total} checks failed");
    }
    failed as i32
}
