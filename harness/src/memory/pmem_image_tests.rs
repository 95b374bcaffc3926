use super::*;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const MIB: u64 = 1 << 20;
const TIB: u64 = 1 << 40;

fn scratch() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pmem.img");
    (dir, path)
}

/// A page's worth of bytes that differ by page and by `seed`; never all zero.
fn pattern(page: u64, seed: u8) -> Vec<u8> {
    (0..PAGE_SIZE)
        .map(|i| ((i as u8).wrapping_mul(31) ^ (page as u8) ^ seed).max(1))
        .collect()
}

fn page_of(mem: &SparseMemory, page: u64) -> Vec<u8> {
    let mut buf = vec![0; PAGE_SIZE];
    mem.read(page * PAGE, &mut buf);
    buf
}

fn same_pages(a: &SparseMemory, b: &SparseMemory, pages: &[u64]) -> bool {
    pages.iter().all(|&p| page_of(a, p) == page_of(b, p))
}

/// Rewrites header bytes `at..` with `bytes`, optionally fixing the checksum after.
fn patch_header(path: &Path, at: u64, bytes: &[u8], fix_checksum: bool) {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    file.write_all_at(bytes, at).unwrap();
    if fix_checksum {
        let mut raw = [0u8; 32];
        file.read_exact_at(&mut raw, 0).unwrap();
        file.write_all_at(&fnv(&raw).to_le_bytes(), 32).unwrap();
    }
}

fn limited(k: usize) -> Steps {
    Steps { left: Some(k) }
}

#[test]
fn new_image_round_trips_through_reopen() {
    let (_dir, path) = scratch();
    let size = 64 * MIB;
    let (mut image, mut mem) = PmemImage::open(&path, size).unwrap();
    assert_eq!((image.generation(), mem.resident_pages()), (0, 0));
    assert_eq!(fs::metadata(&path).unwrap().len(), HEADER_LEN + size);

    mem.write(0, &pattern(0, 1));
    mem.write(5 * PAGE + 100, b"hello pmem"); // a partial page
    mem.write_word(size - 8, 0xdead_beef, !0); // the last page
    let last = size / PAGE - 1;
    image.commit(&mem, [5, 0, last, 5]).unwrap();
    assert_eq!(image.generation(), 1);
    assert!(!journal_path(&path).exists());
    drop(image);

    let (image, back) = PmemImage::open(&path, size).unwrap();
    assert_eq!(image.generation(), 1);
    assert_eq!(back.resident_pages(), 3);
    assert!(same_pages(&mem, &back, &[0, 1, 5, 6, last]));
    assert_eq!(back.read_word(size - 8), 0xdead_beef);
}

#[test]
fn uncommitted_pages_keep_their_image_contents() {
    let (_dir, path) = scratch();
    let (mut image, mut mem) = PmemImage::open(&path, MIB).unwrap();
    mem.write(0, &pattern(0, 1));
    mem.write(PAGE, &pattern(1, 1));
    image.commit(&mem, [0, 1]).unwrap();
    mem.write(0, &pattern(0, 2));
    mem.write(PAGE, &pattern(1, 2));
    image.commit(&mem, [1]).unwrap();
    drop(image);
    let (_, back) = PmemImage::open(&path, MIB).unwrap();
    assert_eq!(page_of(&back, 0), pattern(0, 1));
    assert_eq!(page_of(&back, 1), pattern(1, 2));
}

#[test]
fn cleared_pages_become_holes() {
    let (_dir, path) = scratch();
    let (mut image, mut mem) = PmemImage::open(&path, 16 * MIB).unwrap();
    let pages: Vec<u64> = (0..256).collect();
    for &p in &pages {
        mem.write(p * PAGE, &pattern(p, 3));
    }
    image.commit(&mem, pages.iter().copied()).unwrap();
    let full = fs::metadata(&path).unwrap().blocks() * 512;
    assert!(full >= 256 * PAGE, "{full} bytes allocated");

    mem.zero(0, 256 * PAGE);
    image.commit(&mem, pages.iter().copied()).unwrap();
    drop(image);
    let allocated = fs::metadata(&path).unwrap().blocks() * 512;
    assert!(allocated <= 64 * 1024, "{allocated} bytes still allocated");
    let (image, back) = PmemImage::open(&path, 16 * MIB).unwrap();
    assert_eq!((image.generation(), back.resident_pages()), (2, 0));
}

#[test]
fn zero_pages_in_a_data_extent_are_not_loaded() {
    let (_dir, path) = scratch();
    let (image, _) = PmemImage::open(&path, MIB).unwrap();
    drop(image);
    // Zeros written as data (as by a filesystem without hole punching).
    let file = OpenOptions::new().write(true).open(&path).unwrap();
    file.write_all_at(&vec![0; 8 * PAGE_SIZE], HEADER_LEN)
        .unwrap();
    file.write_all_at(&pattern(3, 4), HEADER_LEN + 3 * PAGE)
        .unwrap();
    drop(file);
    let (_, mem) = PmemImage::open(&path, MIB).unwrap();
    assert_eq!(mem.resident_pages(), 1);
    assert_eq!(page_of(&mem, 3), pattern(3, 4));
}

#[test]
fn tebibyte_image_costs_only_its_written_pages() {
    let (_dir, path) = scratch();
    let (mut image, mut mem) = PmemImage::open(&path, TIB).unwrap();
    let pages = [0, 1, 12345, (1 << 27) + 7, TIB / PAGE - 1];
    for &p in &pages {
        mem.write(p * PAGE, &pattern(p, 5));
    }
    image.commit(&mem, pages).unwrap();
    drop(image);

    let start = Instant::now();
    let (image, back) = PmemImage::open(&path, TIB).unwrap();
    let took = start.elapsed();
    eprintln!("1 TiB image with {} pages opened in {took:?}", pages.len());
    assert!(took < Duration::from_secs(2), "open took {took:?}");
    assert_eq!(back.resident_pages(), pages.len());
    for &p in &pages {
        assert_eq!(page_of(&back, p), pattern(p, 5));
    }
    assert_eq!(image.generation(), 1);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!(meta.len(), HEADER_LEN + TIB);
    assert!(meta.blocks() * 512 <= MIB, "{} blocks", meta.blocks());
}

#[test]
fn corrupt_headers_are_reported_not_panicked_on() {
    let size = MIB;
    let (_dir, path) = scratch();
    let fresh = || {
        let _ = fs::remove_file(&path);
        drop(PmemImage::open(&path, size).unwrap());
    };
    let open_err = || PmemImage::open(&path, size).err().expect("open must fail");
    let names_path = |e: &ImageError| {
        let msg = e.to_string();
        assert!(msg.contains(&*path.to_string_lossy()), "{msg}");
        msg
    };

    fresh();
    patch_header(&path, 0, b"ELF", false);
    let e = open_err();
    assert!(matches!(e, ImageError::NotImage { .. }), "{e}");
    assert!(names_path(&e).contains("not a cosim pmem image"));

    fresh();
    patch_header(&path, 8, &7u32.to_le_bytes(), false);
    let e = open_err();
    assert!(
        matches!(e, ImageError::UnknownVersion { version: 7, .. }),
        "{e}"
    );
    names_path(&e);

    fresh();
    patch_header(&path, 24, &[9], false); // the generation
    let e = open_err();
    assert!(matches!(e, ImageError::HeaderCorrupt { .. }), "{e}");
    assert!(names_path(&e).contains("header corrupt"));

    fresh();
    patch_header(&path, 12, &8192u32.to_le_bytes(), true);
    let e = open_err();
    assert!(
        matches!(
            e,
            ImageError::PageSize {
                page_size: 8192,
                ..
            }
        ),
        "{e}"
    );
    names_path(&e);

    fresh();
    let file = OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(HEADER_LEN + size - 1).unwrap();
    drop(file);
    let e = open_err();
    assert!(
        matches!(e, ImageError::Truncated { len, expected, .. }
            if len == HEADER_LEN + size - 1 && expected == HEADER_LEN + size),
        "{e}"
    );
    names_path(&e);

    // Ends inside the header: magic intact, the rest missing.
    fresh();
    let file = OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(20).unwrap();
    drop(file);
    assert!(matches!(open_err(), ImageError::Truncated { len: 20, .. }));

    // Not ours at all, and empty.
    fs::write(&path, "hello\n").unwrap();
    let e = open_err();
    assert!(matches!(e, ImageError::NotImage { .. }), "{e}");
    fs::write(&path, "").unwrap();
    assert!(matches!(open_err(), ImageError::NotImage { .. }));
    // None of that touched the file.
    assert_eq!(fs::read(&path).unwrap(), b"");
}

#[test]
fn size_mismatch_names_both_sizes() {
    let (_dir, path) = scratch();
    drop(PmemImage::open(&path, 2 * MIB).unwrap());
    let e = PmemImage::open(&path, 4 * MIB).err().unwrap();
    assert!(
        matches!(e, ImageError::SizeMismatch { image, requested, .. }
            if image == 2 * MIB && requested == 4 * MIB),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("0x200000") && msg.contains("0x400000"),
        "{msg}"
    );

    let e = PmemImage::open(&path, 4097).err().unwrap();
    assert!(matches!(e, ImageError::BadRegionSize { .. }), "{e}");
}

#[test]
fn commit_rejects_bad_arguments() {
    let (_dir, path) = scratch();
    let (mut image, mem) = PmemImage::open(&path, MIB).unwrap();
    let e = image.commit(&mem, [256]).err().unwrap();
    assert!(
        matches!(
            e,
            ImageError::PageOutOfRange {
                page: 256,
                pages: 256,
                ..
            }
        ),
        "{e}"
    );
    let other = SparseMemory::new(2 * MIB);
    let e = image.commit(&other, [0]).err().unwrap();
    assert!(matches!(e, ImageError::SizeMismatch { .. }), "{e}");
    image.commit(&mem, []).unwrap();
    assert_eq!(image.generation(), 0);
}

#[test]
fn a_second_opener_is_locked_out() {
    let (_dir, path) = scratch();
    let (image, _) = PmemImage::open(&path, MIB).unwrap();
    let e = PmemImage::open(&path, MIB).err().unwrap();
    assert!(matches!(e, ImageError::Locked { .. }), "{e}");
    drop(image);
    PmemImage::open(&path, MIB).unwrap();
}

/// Two openers creating the same new image at once: exactly one gets it, the other
/// is locked out, and the image is whole afterwards (before the fix, the loser
/// truncated the winner's file).
#[test]
fn racing_creators_never_corrupt_a_new_image() {
    for round in 0..40 {
        let (_dir, path) = scratch();
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<_> = std::thread::scope(|s| {
            let openers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        PmemImage::open(&path, 4 * MIB)
                    })
                })
                .collect();
            openers.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let opened = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(opened, 1, "round {round}: one opener gets the image");
        for r in &results {
            if let Err(e) = r {
                assert!(matches!(e, ImageError::Locked { .. }), "round {round}: {e}");
            }
        }
        drop(results);
        let (image, _) = PmemImage::open(&path, 4 * MIB).unwrap();
        assert_eq!(image.generation(), 0);
        assert_eq!(fs::metadata(&path).unwrap().len(), HEADER_LEN + 4 * MIB);
        let leftovers = fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "round {round}: no temporary file is left");
    }
}

/// Pages the crash tests look at, and the two states they move between.
const REGION: u64 = 4 * MIB;
const LAST: u64 = REGION / PAGE - 1;
const WATCHED: [u64; 8] = [0, 1, 2, 3, 4, 5, 6, LAST];
/// What the second commit names: changed, cleared, new, the last page, a repeat.
const DIRTY_B: [u64; 6] = [0, 1, 3, 5, LAST, 0];

fn state_a() -> SparseMemory {
    let mut mem = SparseMemory::new(REGION);
    for p in [0, 1, 2, 5, 6] {
        mem.write(p * PAGE, &pattern(p, 0xa));
    }
    mem
}

fn state_b() -> SparseMemory {
    let mut mem = state_a();
    mem.write(0, &pattern(0, 0xb));
    mem.zero(PAGE, PAGE);
    mem.write(3 * PAGE, &pattern(3, 0xb));
    mem.write(5 * PAGE + 64, &[0xbb; 64]);
    mem.write(LAST * PAGE, &pattern(LAST, 0xb));
    mem
}

/// An image at generation 1 holding state A.
fn image_a(path: &Path) -> PmemImage {
    let _ = fs::remove_file(path);
    let (mut image, _) = PmemImage::open(path, REGION).unwrap();
    image.commit(&state_a(), [0, 1, 2, 5, 6]).unwrap();
    image
}

#[derive(Debug, PartialEq)]
enum Seen {
    Old,
    New,
}

/// Reopens after a crash: the image must be exactly A at generation 1 or exactly B
/// at generation 2, with the journal gone.
fn reopen(path: &Path) -> Seen {
    let (image, mem) = PmemImage::open(path, REGION).unwrap();
    assert!(!journal_path(path).exists());
    let seen = if same_pages(&mem, &state_a(), &WATCHED) {
        assert_eq!(image.generation(), 1);
        Seen::Old
    } else if same_pages(&mem, &state_b(), &WATCHED) {
        assert_eq!(image.generation(), 2);
        Seen::New
    } else {
        panic!("image mixes old and new pages");
    };
    // Nothing beyond the watched pages appeared.
    assert_eq!(mem.resident_pages(), 5 + usize::from(seen == Seen::New));
    seen
}

/// Operations a commit of `DIRTY_B` does before its journal is complete:
/// create, head, five records, trailer.
const JOURNAL_WRITES: usize = 1 + 1 + 5 + 1;

#[test]
fn a_commit_stopped_after_any_step_reopens_old_or_new() {
    let (_dir, path) = scratch();
    let b = state_b();
    let mut seen = Vec::new();
    for k in 0.. {
        let mut image = image_a(&path);
        let done = image.commit_with(&b, DIRTY_B, &mut limited(k)).is_ok();
        drop(image);
        seen.push(reopen(&path));
        if done {
            break;
        }
    }
    // Old until the journal's last byte is written, new from then on.
    let first_new = seen.iter().position(|s| *s == Seen::New).unwrap();
    assert_eq!(first_new, JOURNAL_WRITES, "{seen:?}");
    assert!(
        seen[first_new..].iter().all(|s| *s == Seen::New),
        "{seen:?}"
    );
    // journal 10 + pages 5 + sync, header, sync, remove 4, then success.
    assert_eq!(seen.len(), 20);
}

#[test]
fn a_failed_commit_poisons_until_reopen() {
    let (_dir, path) = scratch();
    let mut image = image_a(&path);
    let e = image
        .commit_with(&state_b(), DIRTY_B, &mut limited(JOURNAL_WRITES + 4))
        .err()
        .unwrap();
    assert!(e.to_string().contains("injected crash"), "{e}");
    let e = image.commit(&state_b(), DIRTY_B).err().unwrap();
    assert!(matches!(e, ImageError::Poisoned { .. }), "{e}");
    drop(image);
    assert_eq!(reopen(&path), Seen::New);

    // A failure while writing the journal leaves the image usable.
    let mut image = image_a(&path);
    assert!(image
        .commit_with(&state_b(), DIRTY_B, &mut limited(3))
        .is_err());
    image.commit(&state_b(), DIRTY_B).unwrap();
    drop(image);
    assert_eq!(reopen(&path), Seen::New);
}

#[test]
fn a_replay_stopped_after_any_step_is_replayed_again() {
    let (_dir, path) = scratch();
    for k in 0.. {
        // Crash in the middle of the in-place writes, leaving a mixed image.
        let mut image = image_a(&path);
        let crash = &mut limited(JOURNAL_WRITES + 2 + 2);
        assert!(image.commit_with(&state_b(), DIRTY_B, crash).is_err());
        drop(image);
        let done = PmemImage::open_with(&path, REGION, &mut limited(k)).is_ok();
        assert_eq!(reopen(&path), Seen::New);
        if done {
            break;
        }
        assert!(k < 20, "replay never finished");
    }
}

/// A complete journal for A → B, taken from a commit stopped right after writing it.
fn complete_journal(path: &Path) -> Vec<u8> {
    let mut image = image_a(path);
    let crash = &mut limited(JOURNAL_WRITES + 2);
    assert!(image.commit_with(&state_b(), DIRTY_B, crash).is_err());
    drop(image);
    let journal = fs::read(journal_path(path)).unwrap();
    // The image itself was not touched yet.
    drop(image_a(path));
    journal
}

#[test]
fn an_incomplete_or_corrupt_journal_is_discarded() {
    let (_dir, path) = scratch();
    let journal = complete_journal(&path);
    let record = 16 + PAGE_SIZE;
    let len = journal.len();
    let cuts = [0, 1, 39, 40, 41, 40 + 16, 40 + record, len - 8, len - 1];
    for cut in cuts {
        fs::write(journal_path(&path), &journal[..cut]).unwrap();
        assert_eq!(reopen(&path), Seen::Old, "journal cut to {cut} bytes");
    }
    let mut variants = Vec::new();
    for at in [3, 30, 40 + 20, len / 2, len - 3] {
        let mut bad = journal.clone();
        bad[at] ^= 0x10;
        variants.push(bad);
    }
    let mut longer = journal.clone();
    longer.extend_from_slice(&[0; PAGE_SIZE]); // zeros after the end, as a torn extension leaves
    variants.push(longer);
    for bad in variants {
        fs::write(journal_path(&path), &bad).unwrap();
        assert_eq!(reopen(&path), Seen::Old);
    }
    // And the intact one is replayed.
    fs::write(journal_path(&path), &journal).unwrap();
    assert_eq!(reopen(&path), Seen::New);
}

#[test]
fn a_torn_header_is_repaired_by_the_journal() {
    let (_dir, path) = scratch();
    let journal = complete_journal(&path);
    patch_header(&path, 24, &[0x55; 8], false);
    fs::write(journal_path(&path), &journal).unwrap();
    assert_eq!(reopen(&path), Seen::New);
}

#[test]
fn a_journal_for_another_size_is_left_alone() {
    let (_dir, path) = scratch();
    let journal = complete_journal(&path);
    let other = path.with_file_name("other.img");
    drop(PmemImage::open(&other, 2 * REGION).unwrap());
    fs::write(journal_path(&other), &journal).unwrap();
    let e = PmemImage::open(&other, 2 * REGION).err().unwrap();
    assert!(matches!(e, ImageError::ForeignJournal { .. }), "{e}");
    assert_eq!(fs::read(journal_path(&other)).unwrap(), journal);
}

#[test]
fn a_journal_without_its_image_is_not_replayed_onto_a_new_one() {
    let (_dir, path) = scratch();
    let journal = complete_journal(&path);
    fs::remove_file(&path).unwrap();
    fs::write(journal_path(&path), &journal).unwrap();
    let (image, mem) = PmemImage::open(&path, REGION).unwrap();
    assert_eq!((image.generation(), mem.resident_pages()), (0, 0));
    assert!(!journal_path(&path).exists());
}
