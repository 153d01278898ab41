/* benchgen.c - writes the workloads `make bench` measures, to stdout.
 *
 *   benchgen single N   one core, N operations: 70% loads, 30% stores over a
 *                       256 KiB working set
 *   benchgen shared N   four cores, N operations interleaved line by line
 *                       (for --schedule file): 20% of accesses to a shared
 *                       64 KiB region, the rest to each core's private
 *                       256 KiB region
 *
 * Accesses come in runs of consecutive 8-byte words (up to 32), each run
 * starting at a random word of its region, so caches see both spatial
 * locality and misses.  The PRNG is xorshift64* with a fixed seed: the same
 * N always gives the same file.  The benchmark is the simulator's, not this
 * program's, so it must not be the bottleneck: numbers are formatted by
 * hand into a 1 MiB buffer written with fwrite (about 100 M lines in a few
 * seconds).  Plain C, no GLib.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_SIZE       (1u << 20)
#define LINE_MAX_BYTES 64 /* longest line we write, with room to spare */

#define SINGLE_BASE    UINT64_C(0x10000000)
#define PRIVATE_BASE   UINT64_C(0x40000000)
#define PRIVATE_STRIDE UINT64_C(0x1000000) /* 16 MiB between cores' regions */
#define PRIVATE_SIZE   (256u << 10)
#define SHARED_BASE    UINT64_C(0x20000000)
#define SHARED_SIZE    (64u << 10)
#define SHARED_CORES   4
#define MAX_RUN	       32 /* a run is 1..MAX_RUN consecutive words */

static char out[OUT_SIZE];
static size_t out_len;

static void flush_out(void)
{
	if (fwrite(out, 1, out_len, stdout) != out_len) {
		fprintf(stderr, "benchgen: write error: %s\n", strerror(errno));
		exit(1);
	}
	out_len = 0;
}

static void put_str(const char *s)
{
	size_t n = strlen(s);

	if (out_len + n > OUT_SIZE)
		flush_out();
	memcpy(out + out_len, s, n);
	out_len += n;
}

static uint64_t rng_state = UINT64_C(0x853c49e6748fea9b);

/* xorshift64* (Vigna): fast, and good enough to scatter addresses. */
static inline uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545f4914f6cdd1d);
}

/* One region's access stream: a run of consecutive words, then a jump. */
typedef struct {
	uint64_t base;
	uint64_t size; /* bytes, a multiple of 8 */
	uint64_t addr; /* the last address returned */
	unsigned run;  /* words left in the current run */
} Stream;

static inline uint64_t stream_next(Stream *s, uint64_t r)
{
	if (s->run == 0) {
		s->addr = s->base + (r % (s->size / 8)) * 8;
		s->run = (unsigned)(r >> 40) % MAX_RUN;
	} else {
		s->addr += 8;
		if (s->addr >= s->base + s->size)
			s->addr = s->base;
		s->run--;
	}
	return s->addr;
}

static inline char *put_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = tmp[--n];
	return p;
}

static inline char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* "C ld ADDR" (70%) or "C st ADDR VALUE" (30%). */
static inline void put_access(unsigned core, uint64_t addr, uint64_t r, uint64_t i)
{
	if (out_len + LINE_MAX_BYTES > OUT_SIZE)
		flush_out();
	char *p = out + out_len;
	p = put_dec(p, core);
	if ((r >> 20) % 10 < 7) {
		memcpy(p, " ld ", 4);
		p = put_hex(p + 4, addr);
	} else {
		memcpy(p, " st ", 4);
		p = put_hex(p + 4, addr);
		*p++ = ' ';
		p = put_dec(p, i & 0xffff);
	}
	*p++ = '\n';
	out_len = (size_t)(p - out);
}

static void gen_single(uint64_t n)
{
	Stream s = {.base = SINGLE_BASE, .size = PRIVATE_SIZE};

	put_str("%labyrinth-workload 1\n%cores 1\n%name bench-single\n");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = rng_next();
		put_access(0, stream_next(&s, r), r, i);
	}
}

static void gen_shared(uint64_t n)
{
	Stream priv[SHARED_CORES], shared[SHARED_CORES];

	for (unsigned c = 0; c < SHARED_CORES; c++) {
		priv[c] = (Stream){.base = PRIVATE_BASE + c * PRIVATE_STRIDE, .size = PRIVATE_SIZE};
		shared[c] = (Stream){.base = SHARED_BASE, .size = SHARED_SIZE};
	}
	put_str("%labyrinth-workload 1\n%cores 4\n%name bench-shared\n");
	for (uint64_t i = 0; i < n; i++) {
		unsigned c = (unsigned)(i % SHARED_CORES);
		uint64_t r = rng_next();
		Stream *s = (r >> 52) % 100 < 20 ? &shared[c] : &priv[c];
		put_access(c, stream_next(s, r), r, i);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: benchgen single|shared N\n"
			"  writes an N-operation benchmark workload to stdout\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		usage();
	char *end;
	errno = 0;
	unsigned long long n = strtoull(argv[2], &end, 10);
	if (errno || end == argv[2] || *end || argv[2][0] == '-')
		usage();
	if (!strcmp(argv[1], "single"))
		gen_single(n);
	else if (!strcmp(argv[1], "shared"))
		gen_shared(n);
	else
		usage();
	flush_out();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "benchgen: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
