/*
 * cosim's init: PID 1 of the Linux boot on the cosim SoC. No libc: raw RISC-V
 * syscalls. It mounts devtmpfs, proc and sys; opens /dev/dax0.0 (retrying, as
 * libnvdimm probes asynchronously); maps it; writes and verifies a pattern in every
 * 4 KiB page of the first TOUCH bytes; prints one machine-readable result line;
 * powers off. cosim reads the result line from the console:
 *
 *   cosim-init: result=ok pages=512 mismatches=0 memfree_kb=... memtotal_kb=...
 *   cosim-init: result=fail reason=...
 *
 * TOUCH comes from the kernel command line (cosim.touch=BYTES), default 2 MiB.
 * Built by scripts/linux/build: -march=rv64imac -mabi=lp64 -nostdlib -static.
 */

typedef unsigned long u64;
typedef long i64;

#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_exit 93
#define SYS_sched_yield 124
#define SYS_reboot 142
#define SYS_mount 40
#define SYS_mkdirat 34
#define SYS_mmap 222
#define SYS_munmap 215

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_WRONLY 1
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define PAGE 4096UL
#define OPEN_TRIES 100000

static i64 syscall6(i64 n, i64 a0, i64 a1, i64 a2, i64 a3, i64 a4, i64 a5)
{
	register i64 r_a0 __asm__("a0") = a0;
	register i64 r_a1 __asm__("a1") = a1;
	register i64 r_a2 __asm__("a2") = a2;
	register i64 r_a3 __asm__("a3") = a3;
	register i64 r_a4 __asm__("a4") = a4;
	register i64 r_a5 __asm__("a5") = a5;
	register i64 r_a7 __asm__("a7") = n;
	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
			 : "memory");
	return r_a0;
}

#define sys3(n, a, b, c) syscall6((n), (i64)(a), (i64)(b), (i64)(c), 0, 0, 0)

static u64 len(const char *s)
{
	u64 n = 0;
	while (s[n])
		n++;
	return n;
}

/* Everything goes to the kernel log as well as the console: with earlycon and no
 * console device, /dev/kmsg is the only way out. */
static int out_fd = -1;

static void put(const char *s)
{
	if (out_fd >= 0)
		sys3(SYS_write, out_fd, s, len(s));
}

static char *fmt_u64(char *p, u64 v)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	*p = 0;
	return p;
}

static char *append(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	*p = 0;
	return p;
}

static void power_off(void)
{
	/* reboot(LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_POWER_OFF) */
	syscall6(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0, 0);
	for (;;)
		syscall6(SYS_exit, 0, 0, 0, 0, 0, 0);
}

static void fail(const char *reason)
{
	char line[160], *p = line;
	p = append(p, "cosim-init: result=fail reason=");
	p = append(p, reason);
	append(p, "\n");
	put(line);
	power_off();
}

/* The number after `key` in `text` (0 if absent). */
static u64 number_after(const char *text, const char *key)
{
	u64 k = len(key);
	for (const char *t = text; *t; t++) {
		u64 i = 0;
		while (i < k && t[i] == key[i])
			i++;
		if (i == k) {
			const char *d = t + k;
			u64 v = 0;
			while (*d == ' ')
				d++;
			while (*d >= '0' && *d <= '9')
				v = v * 10 + (u64)(*d++ - '0');
			return v;
		}
	}
	return 0;
}

static u64 read_file(const char *path, char *buf, u64 size)
{
	i64 fd = sys3(SYS_openat, AT_FDCWD, path, O_RDONLY);
	u64 n = 0;
	if (fd < 0)
		return 0;
	for (;;) {
		i64 got = sys3(SYS_read, fd, buf + n, size - 1 - n);
		if (got <= 0)
			break;
		n += (u64)got;
	}
	buf[n] = 0;
	sys3(SYS_close, fd, 0, 0);
	return n;
}

static char text[8192];

int main(void)
{
	sys3(SYS_mkdirat, AT_FDCWD, "/dev", 0755);
	syscall6(SYS_mount, (i64) "devtmpfs", (i64) "/dev", (i64) "devtmpfs", 0, 0, 0);
	syscall6(SYS_mount, (i64) "proc", (i64) "/proc", (i64) "proc", 0, 0, 0);
	syscall6(SYS_mount, (i64) "sysfs", (i64) "/sys", (i64) "sysfs", 0, 0, 0);
	out_fd = (int)sys3(SYS_openat, AT_FDCWD, "/dev/kmsg", O_WRONLY);
	put("cosim-init: started\n");

	u64 touch = 2UL << 20;
	read_file("/proc/cmdline", text, sizeof text);
	if (number_after(text, "cosim.touch="))
		touch = number_after(text, "cosim.touch=");
	touch = (touch + PAGE - 1) & ~(PAGE - 1);

	i64 fd = -1;
	for (int i = 0; i < OPEN_TRIES && fd < 0; i++) {
		fd = sys3(SYS_openat, AT_FDCWD, "/dev/dax0.0", O_RDWR);
		if (fd < 0)
			sys3(SYS_sched_yield, 0, 0, 0);
	}
	if (fd < 0)
		fail("no-/dev/dax0.0");
	put("cosim-init: /dev/dax0.0 open\n");

	i64 addr = syscall6(SYS_mmap, 0, (i64)touch, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr < 0 && addr > -4096)
		fail("mmap");
	volatile u64 *base = (volatile u64 *)addr;
	u64 pages = touch / PAGE, mismatches = 0;
	for (u64 p = 0; p < pages; p++)
		base[p * PAGE / 8] = 0xc051a0000000UL ^ (p * 0x9e3779b97f4a7c15UL);
	for (u64 p = 0; p < pages; p++)
		if (base[p * PAGE / 8] != (0xc051a0000000UL ^ (p * 0x9e3779b97f4a7c15UL)))
			mismatches++;
	sys3(SYS_munmap, addr, touch, 0);
	sys3(SYS_close, fd, 0, 0);

	read_file("/proc/meminfo", text, sizeof text);
	char line[256], *p = line;
	p = append(p, mismatches ? "cosim-init: result=fail reason=mismatch" : "cosim-init: result=ok");
	p = append(p, " pages=");
	p = fmt_u64(p, pages);
	p = append(p, " mismatches=");
	p = fmt_u64(p, mismatches);
	p = append(p, " memfree_kb=");
	p = fmt_u64(p, number_after(text, "MemFree:"));
	p = append(p, " memtotal_kb=");
	p = fmt_u64(p, number_after(text, "MemTotal:"));
	append(p, "\n");
	put(line);
	power_off();
	return 0;
}

/* The entry point: no C runtime, so set up nothing but call main. */
__asm__(".section .text._start\n"
	".globl _start\n"
	"_start:\n"
	"  .option push\n"
	"  .option norelax\n"
	"  la gp, __global_pointer$\n"
	"  .option pop\n"
	"  call main\n"
	"1: j 1b\n");
