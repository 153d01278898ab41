/* gen.c - the workload writer and the synthetic patterns; see gen.h.
 *
 * The writer is built for 10 M lines in well under a second before
 * compression: lines are formatted by hand (no printf) into a 1 MiB buffer
 * that goes out in one write() per MiB, and the only check per line is
 * whether the buffer has GEN_LINE_MAX bytes left.  A write error is kept
 * and later output dropped, so the patterns need not check every line;
 * gen_writer_finish() reports it.
 *
 * The patterns (the table at the end) share a layout (gen.h): shared data
 * at GEN_SHARED_BASE, core c's private data at GEN_PRIVATE_BASE + c *
 * GEN_PRIVATE_STRIDE, lock-storm's lock at GEN_LOCK_ADDR.  Patterns
 * without lock or barrier interleave the cores line by line (round t holds
 * every core's t-th operation), so `--schedule file` replays the same
 * interleaving the rounds schedule produces.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"
#include "input/workload.h"

G_DEFINE_QUARK(labyrinth-gen-error-quark, gen_error)

#define GEN_BUF_SIZE (1u << 20)
/* No operation line gen_* writes is longer: core (4), op and operands
 * (2 x 18 for hex, 20 for decimal), flags (< 64, asserted). */
#define GEN_LINE_MAX 160

/* ------------------------------------------------------------------------
 * Removing the temporary file when a signal ends the process.
 *
 * One writer at a time can be armed (gen and convert open one); a second
 * concurrent writer would only lose this clean-up.  The handler does what
 * is async-signal-safe: unlink() the saved path, then die of the signal
 * with its default action.  A signal that was ignored stays ignored.
 */
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction saved_actions[G_N_ELEMENTS(fatal_signals)];
static gboolean installed[G_N_ELEMENTS(fatal_signals)];
static char armed_path[4096];
static volatile sig_atomic_t armed;

static void on_fatal_signal(int sig)
{
	if (armed)
		unlink(armed_path);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns */
}

static gboolean arm_cleanup(const char *path)
{
	if (armed || strlen(path) >= sizeof armed_path)
		return FALSE;
	strcpy(armed_path, path);
	armed = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (gsize i = 0; i < G_N_ELEMENTS(fatal_signals); i++) {
		struct sigaction old;
		sigaction(fatal_signals[i], NULL, &old);
		installed[i] = old.sa_handler != SIG_IGN;
		if (installed[i])
			sigaction(fatal_signals[i], &sa, &saved_actions[i]);
	}
	return TRUE;
}

static void disarm_cleanup(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
		if (installed[i])
			sigaction(fatal_signals[i], &saved_actions[i], NULL);
	armed = 0;
}

/* ------------------------------------------------------------------------
 * The writer. */

struct GenWriter {
	char *buf;        /* GEN_BUF_SIZE bytes of text not yet written */
	gsize len;
	uint64_t ops;     /* operation lines written (or buffered) */
	int fd;           /* the output; -1 for memory */
	GByteArray *mem;  /* the memory sink, or NULL */
	GConverter *gzip; /* a GZlibCompressor when compressing, else NULL */
	char *zbuf;       /* GEN_BUF_SIZE bytes of compressed output */
	gboolean owns_fd; /* fd is ours to close (not stdout) */
	char *path;       /* the target as named; NULL for stdout and memory */
	char *rename_to;  /* the target with symbolic links resolved */
	char *tmp_path;   /* the temporary file, until renamed or removed */
	gboolean armed;   /* this writer's temporary is the signal handler's */
	gboolean finished;
	GError *error;    /* the first write error; later output is dropped */
	Progress *progress;
};

static const char *sink_name(const GenWriter *w)
{
	return w->path ? w->path : w->mem ? "memory" : "standard output";
}

static void sink_write(GenWriter *w, const char *data, gsize n)
{
	if (w->error)
		return;
	if (w->mem) {
		g_byte_array_append(w->mem, (const guint8 *)data, (guint)n);
		return;
	}
	while (n > 0) {
		ssize_t done = write(w->fd, data, n);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0) {
			int e = errno;
			g_set_error(&w->error, GEN_ERROR, GEN_ERROR_WRITE, "cannot write %s: %s",
				    sink_name(w), g_strerror(e));
			return;
		}
		data += done;
		n -= (gsize)done;
	}
}

/* Writes out the buffer; at_end also ends the gzip stream. */
static void flush_buf(GenWriter *w, gboolean at_end)
{
	if (!w->gzip) {
		sink_write(w, w->buf, w->len);
	} else {
		const char *in = w->buf;
		gsize left = w->len;
		GConverterFlags flags = at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS;
		while (!w->error && (left > 0 || at_end)) {
			gsize nread = 0, nwritten = 0;
			GError *err = NULL;
			GConverterResult r = g_converter_convert(w->gzip, in, left, w->zbuf,
								 GEN_BUF_SIZE, flags, &nread,
								 &nwritten, &err);
			if (r == G_CONVERTER_ERROR) {
				g_set_error(&w->error, GEN_ERROR, GEN_ERROR_WRITE,
					    "cannot compress %s: %s", sink_name(w), err->message);
				g_error_free(err);
				break;
			}
			in += nread;
			left -= nread;
			sink_write(w, w->zbuf, nwritten);
			if (r == G_CONVERTER_FINISHED)
				break;
		}
	}
	w->len = 0;
	progress_update(w->progress, w->ops);
}

static GenWriter *writer_new(gboolean gzip)
{
	GenWriter *w = g_new0(GenWriter, 1);
	w->buf = g_malloc(GEN_BUF_SIZE);
	w->fd = -1;
	if (gzip) {
		/* Level 1: text this repetitive compresses nearly as well as at
		 * the default 6, several times faster. */
		w->gzip = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1));
		w->zbuf = g_malloc(GEN_BUF_SIZE);
	}
	return w;
}

GenWriter *gen_writer_new_memory(gboolean gzip)
{
	GenWriter *w = writer_new(gzip);
	w->mem = g_byte_array_new();
	return w;
}

/* Writing straight into something that is not a regular file: a device
 * (/dev/null), a FIFO, a terminal.  Renaming a temporary over it would
 * replace it with a regular file; "whole or not at all" means nothing
 * for a stream anyway. */
static GenWriter *open_special(const char *path, GError **error)
{
	int fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, GEN_ERROR, GEN_ERROR_WRITE, "cannot open %s: %s", path,
			    g_strerror(e));
		return NULL;
	}
	GenWriter *w = writer_new(g_str_has_suffix(path, ".gz"));
	w->fd = fd;
	w->owns_fd = TRUE;
	w->path = g_strdup(path);
	return w;
}

GenWriter *gen_writer_open(const char *path, GError **error)
{
	if (!path || strcmp(path, "-") == 0) {
		GenWriter *w = writer_new(FALSE);
		w->fd = STDOUT_FILENO;
		return w;
	}
	/* A symbolic link stays one: the temporary goes beside its target. */
	g_autofree char *real = realpath(path, NULL);
	const char *target = real ? real : path;
	GStatBuf st;
	if (g_stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			g_set_error(error, GEN_ERROR, GEN_ERROR_WRITE,
				    "cannot write %s: it is a directory", path);
			return NULL;
		}
		if (!S_ISREG(st.st_mode))
			return open_special(path, error);
	}
	g_autofree char *dir = g_path_get_dirname(target);
	g_autofree char *base = g_path_get_basename(target);
	g_autofree char *dotbase = g_strconcat(".", base, ".XXXXXX", NULL);
	char *tmp = g_build_filename(dir, dotbase, NULL);
	/* 0666 less the umask, like any file the user creates. */
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, GEN_ERROR, GEN_ERROR_WRITE, "cannot create %s: %s", path,
			    g_strerror(e));
		g_free(tmp);
		return NULL;
	}
	GenWriter *w = writer_new(g_str_has_suffix(path, ".gz"));
	w->fd = fd;
	w->owns_fd = TRUE;
	w->path = g_strdup(path);
	w->rename_to = g_strdup(target);
	w->tmp_path = tmp;
	w->armed = arm_cleanup(tmp);
	return w;
}

gboolean gen_writer_finish(GenWriter *w, GError **error)
{
	g_assert(!w->finished);
	w->finished = TRUE;
	flush_buf(w, w->gzip != NULL);
	if (w->owns_fd) {
		/* No fsync: "whole or not at all" here guards against an
		 * interrupted command, not against a crash of the system. */
		if (close(w->fd) != 0 && !w->error) {
			int e = errno;
			g_set_error(&w->error, GEN_ERROR, GEN_ERROR_WRITE, "cannot write %s: %s",
				    w->path, g_strerror(e));
		}
		w->fd = -1;
		w->owns_fd = FALSE;
	}
	if (w->tmp_path) {
		if (!w->error && g_rename(w->tmp_path, w->rename_to) != 0) {
			int e = errno;
			g_set_error(&w->error, GEN_ERROR, GEN_ERROR_WRITE,
				    "cannot rename %s to %s: %s", w->tmp_path, w->rename_to,
				    g_strerror(e));
		}
		if (w->error)
			g_unlink(w->tmp_path);
		g_clear_pointer(&w->tmp_path, g_free);
		if (w->armed)
			disarm_cleanup();
		w->armed = FALSE;
	}
	if (w->error) {
		g_propagate_error(error, g_error_copy(w->error));
		return FALSE;
	}
	return TRUE;
}

void gen_writer_free(GenWriter *w)
{
	if (!w)
		return;
	if (w->owns_fd)
		close(w->fd);
	if (w->tmp_path) {
		g_unlink(w->tmp_path);
		g_free(w->tmp_path);
		if (w->armed)
			disarm_cleanup();
	}
	if (w->gzip)
		g_object_unref(w->gzip);
	if (w->mem)
		g_byte_array_unref(w->mem);
	g_clear_error(&w->error);
	g_free(w->zbuf);
	g_free(w->buf);
	g_free(w->path);
	g_free(w->rename_to);
	g_free(w);
}

const char *gen_writer_data(const GenWriter *w, gsize *len)
{
	g_assert(w->mem && w->finished);
	*len = w->mem->len;
	return (const char *)w->mem->data;
}

uint64_t gen_writer_ops(const GenWriter *w)
{
	return w->ops;
}

void gen_writer_set_progress(GenWriter *w, Progress *p)
{
	w->progress = p;
}

void gen_text(GenWriter *w, const char *text)
{
	gsize n = strlen(text);
	while (n > 0) {
		if (w->len == GEN_BUF_SIZE)
			flush_buf(w, FALSE);
		gsize room = GEN_BUF_SIZE - w->len, k = MIN(n, room);
		memcpy(w->buf + w->len, text, k);
		w->len += k;
		text += k;
		n -= k;
	}
}

void gen_printf(GenWriter *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	gen_text(w, text);
}

void gen_comment(GenWriter *w, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	g_autoptr(GString) line = g_string_new("#");
	for (char **word = words; *word; word++) {
		if (!**word)
			continue;
		if (line->len > 1 && line->len + 1 + strlen(*word) > 76) {
			g_string_append_c(line, '\n');
			gen_text(w, line->str);
			g_string_assign(line, "#");
		}
		g_string_append_c(line, ' ');
		g_string_append(line, *word);
	}
	g_string_append_c(line, '\n');
	gen_text(w, line->str);
}

/* Hand formatting: these write at p and return the end. */
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

static inline char *put_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
	*p++ = '0';
	*p++ = 'x';
	for (int i = n - 1; i >= 0; i--) {
		p[i] = digits[v & 15];
		v >>= 4;
	}
	return p + n;
}

static inline char *put_str(char *p, const char *s, gsize n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put_str((p), (lit), sizeof(lit) - 1)

/* "CORE " of a new line, with room for the rest of it. */
static inline char *op_begin(GenWriter *w, unsigned core)
{
	if (G_UNLIKELY(w->len + GEN_LINE_MAX > GEN_BUF_SIZE))
		flush_buf(w, FALSE);
	char *p = put_dec(w->buf + w->len, core);
	*p++ = ' ';
	return p;
}

static inline void op_end(GenWriter *w, char *p)
{
	*p++ = '\n';
	w->len = (gsize)(p - w->buf);
	w->ops++;
}

static inline char *put_reg(char *p, unsigned reg)
{
	g_assert(reg < WL_N_REGS);
	*p++ = 'r';
	return put_dec(p, reg);
}

void gen_ld(GenWriter *w, unsigned core, uint64_t addr)
{
	char *p = PUT_LIT(op_begin(w, core), "ld ");
	op_end(w, put_hex(p, addr));
}

void gen_st(GenWriter *w, unsigned core, uint64_t addr)
{
	char *p = PUT_LIT(op_begin(w, core), "st ");
	op_end(w, put_hex(p, addr));
}

void gen_rmw_add(GenWriter *w, unsigned core, uint64_t addr, uint64_t value)
{
	char *p = PUT_LIT(op_begin(w, core), "rmw add ");
	p = put_hex(p, addr);
	*p++ = ' ';
	op_end(w, put_dec(p, value));
}

void gen_compute(GenWriter *w, unsigned core, uint64_t cycles)
{
	char *p = PUT_LIT(op_begin(w, core), "compute ");
	op_end(w, put_dec(p, cycles));
}

void gen_lock(GenWriter *w, unsigned core, uint64_t addr)
{
	char *p = PUT_LIT(op_begin(w, core), "lock ");
	op_end(w, put_hex(p, addr));
}

void gen_unlock(GenWriter *w, unsigned core, uint64_t addr)
{
	char *p = PUT_LIT(op_begin(w, core), "unlock ");
	op_end(w, put_hex(p, addr));
}

void gen_barrier(GenWriter *w, unsigned core)
{
	op_end(w, PUT_LIT(op_begin(w, core), "barrier"));
}

void gen_alloc(GenWriter *w, unsigned core, unsigned reg, const char *flags, unsigned order)
{
	gsize n = strlen(flags);
	g_assert(n < 64 && order <= WL_MAX_ORDER);
	char *p = PUT_LIT(op_begin(w, core), "alloc ");
	p = put_reg(p, reg);
	*p++ = ' ';
	p = put_str(p, flags, n);
	if (order) {
		*p++ = ' ';
		p = put_dec(p, order);
	}
	op_end(w, p);
}

void gen_free(GenWriter *w, unsigned core, unsigned reg)
{
	char *p = PUT_LIT(op_begin(w, core), "free ");
	op_end(w, put_reg(p, reg));
}

static void reg_access(GenWriter *w, unsigned core, const char *op, unsigned reg, uint64_t offset)
{
	char *p = put_str(op_begin(w, core), op, 3);
	p = put_reg(p, reg);
	*p++ = '+';
	op_end(w, put_hex(p, offset));
}

void gen_ld_reg(GenWriter *w, unsigned core, unsigned reg, uint64_t offset)
{
	reg_access(w, core, "ld ", reg, offset);
}

void gen_st_reg(GenWriter *w, unsigned core, unsigned reg, uint64_t offset)
{
	reg_access(w, core, "st ", reg, offset);
}

/* ------------------------------------------------------------------------
 * The PRNG: xoshiro256** (Blackman and Vigna), its state filled from the
 * seed by splitmix64 as its authors recommend.  Fast, and its output does
 * not depend on the platform. */

typedef struct {
	uint64_t s[4];
} Rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void rng_seed(Rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(Rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) by multiply-shift (Lemire); the bias is below 2^-40
 * for every n used here. */
static inline uint64_t rng_below(Rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Probabilities compare 53 random bits with a threshold fixed once, so the
 * loop has no floating point: P(rng_53() < prob_threshold(f)) = f. */
static inline uint64_t rng_53(Rng *r)
{
	return rng_next(r) >> 11;
}

static uint64_t prob_threshold(double f)
{
	return (uint64_t)(f * 9007199254740992.0); /* 2^53 */
}

/* ------------------------------------------------------------------------
 * The patterns. */

struct GenContext {
	GenParams p; /* the knobs resolved: the pattern's defaults filled in */
	GenWriter *w;
	Rng rng;
	uint64_t t_write, t_rmw, t_compute, t_shared; /* prob_threshold()s, cumulative for random */
};

static inline uint64_t private_base(unsigned core)
{
	return GEN_PRIVATE_BASE + core * GEN_PRIVATE_STRIDE;
}

/* Core c's share of m operations split as evenly as possible. */
static uint64_t share(uint64_t m, unsigned n, unsigned c)
{
	return m / n + (c < m % n);
}

/* Calls step(ctx, c, t) for every core c and its t-th of share(M) lines,
 * round by round: exactly M lines, interleaved. */
typedef void (*StepFn)(GenContext *ctx, unsigned core, uint64_t t);

static void round_robin(GenContext *ctx, StepFn step)
{
	unsigned n = ctx->p.cores;
	uint64_t full = ctx->p.ops / n, rest = ctx->p.ops % n;
	for (uint64_t t = 0; t < full; t++)
		for (unsigned c = 0; c < n; c++)
			step(ctx, c, t);
	for (unsigned c = 0; c < rest; c++)
		step(ctx, c, full);
}

static inline void ld_or_st(GenContext *ctx, unsigned core, uint64_t addr, gboolean store)
{
	if (store)
		gen_st(ctx->w, core, addr);
	else
		gen_ld(ctx->w, core, addr);
}

/* A random word among `lines` lines from base. */
static inline uint64_t random_word(GenContext *ctx, uint64_t base)
{
	return base + 8 * rng_below(&ctx->rng, (uint64_t)ctx->p.lines * 8);
}

static void private_step(GenContext *ctx, unsigned core, uint64_t t)
{
	uint64_t addr = random_word(ctx, private_base(core));
	ld_or_st(ctx, core, addr, rng_53(&ctx->rng) < ctx->t_write);
}

static void write_private(GenContext *ctx)
{
	round_robin(ctx, private_step);
}

static void true_sharing_step(GenContext *ctx, unsigned core, uint64_t t)
{
	ld_or_st(ctx, core, GEN_SHARED_BASE, t & 1);
}

static void write_true_sharing(GenContext *ctx)
{
	round_robin(ctx, true_sharing_step);
}

/* Core c's word: word c % 8 of line c / 8. */
static void false_sharing_step(GenContext *ctx, unsigned core, uint64_t t)
{
	ld_or_st(ctx, core, GEN_SHARED_BASE + 64 * (core / 8) + 8 * (core % 8), t & 1);
}

static void write_false_sharing(GenContext *ctx)
{
	round_robin(ctx, false_sharing_step);
}

/* A pipeline in steps separated by barriers: in step s core 0 stores the
 * eight words of ring line s (mod --lines) while every other core loads
 * the eight words of line s - 1, which core 0 finished in the step before.
 * S lines travel in S + 1 steps. */
static void write_producer_consumer(GenContext *ctx)
{
	unsigned n = ctx->p.cores;
	uint64_t ring = (uint64_t)ctx->p.lines;
	uint64_t produced = MAX(ctx->p.ops / (9 * (uint64_t)n), 1);
	for (uint64_t s = 0; s <= produced; s++) {
		if (s < produced)
			for (unsigned i = 0; i < 8; i++)
				gen_st(ctx->w, 0, GEN_SHARED_BASE + 64 * (s % ring) + 8 * i);
		if (s > 0)
			for (unsigned c = 1; c < n; c++)
				for (unsigned i = 0; i < 8; i++)
					gen_ld(ctx->w, c,
					       GEN_SHARED_BASE + 64 * ((s - 1) % ring) + 8 * i);
		for (unsigned c = 0; c < n; c++)
			gen_barrier(ctx->w, c);
	}
}

static void read_mostly_step(GenContext *ctx, unsigned core, uint64_t t)
{
	uint64_t addr = random_word(ctx, GEN_SHARED_BASE);
	ld_or_st(ctx, core, addr, rng_53(&ctx->rng) < ctx->t_write);
}

static void write_read_mostly(GenContext *ctx)
{
	round_robin(ctx, read_mostly_step);
}

/* One draw picks the kind: [0, compute) compute, [compute, rmw) rmw add,
 * [rmw, write) st, the rest ld (the thresholds are cumulative). */
static void random_step(GenContext *ctx, unsigned core, uint64_t t)
{
	uint64_t u = rng_53(&ctx->rng);
	if (u < ctx->t_compute) {
		gen_compute(ctx->w, core, (uint64_t)ctx->p.think);
		return;
	}
	gboolean shared = rng_53(&ctx->rng) < ctx->t_shared;
	uint64_t addr = random_word(ctx, shared ? GEN_SHARED_BASE : private_base(core));
	if (u < ctx->t_rmw)
		gen_rmw_add(ctx->w, core, addr, 1);
	else
		ld_or_st(ctx, core, addr, u < ctx->t_write);
}

static void write_random(GenContext *ctx)
{
	round_robin(ctx, random_step);
}

/* Turn k: core k % N loads every word of the record, then stores every
 * word; every core then waits at a barrier. */
static void write_migratory(GenContext *ctx)
{
	unsigned n = ctx->p.cores;
	uint64_t words = (uint64_t)ctx->p.lines * 8, per_turn = 2 * words + n;
	uint64_t turns = MAX(ctx->p.ops / per_turn, 1);
	for (uint64_t k = 0; k < turns; k++) {
		unsigned core = (unsigned)(k % n);
		for (uint64_t i = 0; i < words; i++)
			gen_ld(ctx->w, core, GEN_SHARED_BASE + 8 * i);
		for (uint64_t i = 0; i < words; i++)
			gen_st(ctx->w, core, GEN_SHARED_BASE + 8 * i);
		for (unsigned c = 0; c < n; c++)
			gen_barrier(ctx->w, c);
	}
}

/* lock; ld and st word 0 of each data line; unlock; compute think. */
static void write_lock_storm(GenContext *ctx)
{
	unsigned n = ctx->p.cores, lines = ctx->p.lines;
	uint64_t per_iter = 2 + 2 * (uint64_t)lines + (ctx->p.think > 0);
	uint64_t iters = MAX(ctx->p.ops / (n * per_iter), 1);
	for (uint64_t it = 0; it < iters; it++) {
		for (unsigned c = 0; c < n; c++) {
			gen_lock(ctx->w, c, GEN_LOCK_ADDR);
			for (unsigned l = 0; l < lines; l++) {
				gen_ld(ctx->w, c, GEN_SHARED_BASE + 64 * l);
				gen_st(ctx->w, c, GEN_SHARED_BASE + 64 * l);
			}
			gen_unlock(ctx->w, c, GEN_LOCK_ADDR);
			if (ctx->p.think > 0)
				gen_compute(ctx->w, c, (uint64_t)ctx->p.think);
		}
	}
}

/* Cycles core 0 waits in odd alloc-storm iterations: longer than the
 * other cores' allocations take in timing mode with the default latencies
 * (a few thousand cycles for a batch), so core 0 comes last. */
#define ALLOC_STORM_DELAY 10000

/* Each iteration: every core allocates its batch into r0.., stores to the
 * touched lines of each block; barrier; frees them all; barrier.
 *
 * Frees that merge every block back leave the zone as it was, so a zone
 * that hands out blocks in a fixed order would give each core the same
 * pages every iteration, and nothing would cross.  So core 0 starts odd
 * iterations late, with a compute line: one turn in the rounds schedule,
 * ALLOC_STORM_DELAY cycles in timing mode.  The cores then allocate in the
 * order 1, 2, ..., N-1, 0, and each block goes to another core instead
 * of back to its last owner. */
static void write_alloc_storm(GenContext *ctx)
{
	unsigned n = ctx->p.cores, batch = ctx->p.batch, lines = ctx->p.lines;
	unsigned order = (unsigned)ctx->p.order;
	uint64_t block = (uint64_t)4096 << order;
	uint64_t stride = block / lines / 64 * 64; /* touched lines spread over the block */
	uint64_t per_iter = (uint64_t)batch * (2 + lines) + 2;
	uint64_t iters = MAX(ctx->p.ops / (n * per_iter), 1);
	for (uint64_t it = 0; it < iters; it++) {
		if (it % 2 == 1 && n > 1)
			gen_compute(ctx->w, 0, ALLOC_STORM_DELAY);
		for (unsigned c = 0; c < n; c++) {
			for (unsigned b = 0; b < batch; b++) {
				gen_alloc(ctx->w, c, b, "GFP_KERNEL", order);
				for (unsigned l = 0; l < lines; l++)
					gen_st_reg(ctx->w, c, b, l * stride);
			}
		}
		for (unsigned c = 0; c < n; c++)
			gen_barrier(ctx->w, c);
		for (unsigned c = 0; c < n; c++)
			for (unsigned b = 0; b < batch; b++)
				gen_free(ctx->w, c, b);
		for (unsigned c = 0; c < n; c++)
			gen_barrier(ctx->w, c);
	}
}

/* Core c's share: a barrier between the phases (when the share has room
 * for it), a quarter of the rest GFP_NOWAIT after it, the others
 * GFP_ATOMIC before it.  Registers r0..r15 in turn; nothing is freed. */
static void write_reserve_drain(GenContext *ctx)
{
	unsigned n = ctx->p.cores, order = (unsigned)ctx->p.order;
	g_autofree uint64_t *atomic = g_new0(uint64_t, n);
	g_autofree uint64_t *nowait = g_new0(uint64_t, n);
	uint64_t most_atomic = 0, most_nowait = 0;
	for (unsigned c = 0; c < n; c++) {
		uint64_t s = share(ctx->p.ops, n, c);
		uint64_t body = s >= 2 ? s - 1 : s;
		nowait[c] = s >= 2 ? body / 4 : 0;
		atomic[c] = body - nowait[c];
		most_atomic = MAX(most_atomic, atomic[c]);
		most_nowait = MAX(most_nowait, nowait[c]);
	}
	for (uint64_t i = 0; i < most_atomic; i++)
		for (unsigned c = 0; c < n; c++)
			if (i < atomic[c])
				gen_alloc(ctx->w, c, (unsigned)(i % WL_N_REGS), "GFP_ATOMIC",
					  order);
	for (unsigned c = 0; c < n; c++)
		if (share(ctx->p.ops, n, c) >= 2)
			gen_barrier(ctx->w, c);
	for (uint64_t i = 0; i < most_nowait; i++)
		for (unsigned c = 0; c < n; c++)
			if (i < nowait[c])
				gen_alloc(ctx->w, c, (unsigned)((atomic[c] + i) % WL_N_REGS),
					  "GFP_NOWAIT", order);
}

/* A pattern's knob defaults, in GenParams order; NAN and GEN_UNSET for the
 * knobs it does not take. */
#define KNOBS(wf, rf, cf, sf, l, b, o, t)                                                  \
	{                                                                                  \
		.write_fraction = (wf), .rmw_fraction = (rf), .compute_fraction = (cf),    \
		.shared_fraction = (sf), .lines = (l), .batch = (b), .order = (o),         \
		.think = (t),                                                              \
	}
#define NO GEN_UNSET

static const GenPattern patterns[] = {
	{
		.name = "private",
		.exercises = "Each core loads and stores random words of its own working set of "
			     "--lines lines (16 MiB apart per core); --write-fraction of the "
			     "operations are stores. Nothing is shared: the baseline, with only "
			     "cold and capacity misses.",
		.look_for = "No invalidations and no cache-to-cache transfers under any "
			    "protocol. MSI pays a BusUpgr for the first store to each line that "
			    "was loaded first, where MESI's E state makes the store silent. With "
			    "--lines above the cache's capacity (512 lines by default), capacity "
			    "misses and write-backs appear.",
		.ops_rule = "exactly M lines; core c gets M/N of them, the first M%N cores "
			    "one more",
		.knobs = GEN_KNOB_WRITE | GEN_KNOB_LINES,
		.defaults = KNOBS(0.3, NAN, NAN, NAN, 256, NO, NO, NO),
		.write = write_private,
	},
	{
		.name = "true-sharing",
		.exercises = "Every core loads and then stores the same word, over and over, so "
			     "the word ping-pongs between the caches: invalidation (or update) of "
			     "data that is truly shared.",
		.look_for = "Misses served cache-to-cache and invalidations on a large share "
			    "of the accesses, where private has none: each store takes the line "
			    "from the other caches (BusRdX or BusUpgr). Dragon updates the "
			    "copies (BusUpd) instead and nearly every access hits.",
		.ops_rule = "exactly M lines, split as for private",
		.knobs = 0,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, NO, NO, NO, NO),
		.write = write_true_sharing,
	},
	{
		.name = "false-sharing",
		.exercises = "Each core loads and then stores its own word, but the words of "
			     "eight cores share one 64-byte line (cores 8k..8k+7 use line k). No "
			     "data is shared, yet the line ping-pongs as in true-sharing.",
		.look_for = "The misses, invalidations and transfers of true-sharing although "
			    "no two cores touch the same word. Run with --line 8 and they "
			    "vanish: each core's line becomes private.",
		.ops_rule = "exactly M lines, split as for private",
		.knobs = 0,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, NO, NO, NO, NO),
		.write = write_false_sharing,
	},
	{
		.name = "producer-consumer",
		.exercises = "A pipeline: core 0 fills the lines of a ring buffer of --lines "
			     "lines one at a time, and in the step after, while core 0 fills the "
			     "next line, every other core reads the line just filled; a barrier "
			     "ends each step. Every line travels from the producer's cache to "
			     "each consumer's.",
		.look_for = "Invalidation protocols: the producer's first store to a ring line "
			    "upgrades it and invalidates the consumers' copies from the last lap, "
			    "and each consumer's first load of the line misses and is served by "
			    "core 0's cache. MESI also writes the line to memory at that M to S "
			    "downgrade, which MOESI's Owned state saves. Dragon updates the "
			    "consumers' copies (BusUpd) instead. Uses barriers, so not for "
			    "--schedule file.",
		.ops_rule = "S = max(1, M / 9N) lines are produced in S + 1 steps: 8S stores, "
			    "8S(N-1) loads and N(S+1) barriers",
		.knobs = GEN_KNOB_LINES,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, 16, NO, NO, NO),
		.sync = TRUE,
		.write = write_producer_consumer,
	},
	{
		.name = "migratory",
		.exercises = "A record of --lines lines is read and then written, word by word, "
			     "by one core at a time in turn (cores 0, 1, ..., N-1, 0, ...); a "
			     "barrier ends each turn. The data migrates from cache to cache, "
			     "always read before it is written.",
		.look_for = "Per turn and record line: one load miss served by the previous "
			    "owner, then an upgrade that invalidates it; the E state never "
			    "helps. Dragon keeps every copy and pays a BusUpd for every store "
			    "instead. Uses barriers, so not for --schedule file.",
		.ops_rule = "whole turns of 16 x lines + N lines (a load and a store per record "
			    "word, a barrier per core): max(1, M / (16 x lines + N)) turns",
		.knobs = GEN_KNOB_LINES,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, 1, NO, NO, NO),
		.sync = TRUE,
		.write = write_migratory,
	},
	{
		.name = "read-mostly",
		.exercises = "All cores load random words of a shared table of --lines lines; "
			     "--write-fraction of the operations (2% by default) are stores to "
			     "it.",
		.look_for = "High hit rates once the table is in every cache; each rare store "
			    "invalidates the line in the other caches, so the misses that remain "
			    "follow the stores. Under Dragon the stores become updates and the "
			    "hit rate stays high.",
		.ops_rule = "exactly M lines, split as for private",
		.knobs = GEN_KNOB_WRITE | GEN_KNOB_LINES,
		.defaults = KNOBS(0.02, NAN, NAN, NAN, 64, NO, NO, NO),
		.write = write_read_mostly,
	},
	{
		.name = "lock-storm",
		.exercises = "Every core repeats a short critical section under one lock (the "
			     "word at 0x1000): lock, load and store word 0 of each of --lines "
			     "shared lines, unlock, then --think cycles of compute when asked. "
			     "Test-and-test-and-set spinning makes the lock's line bounce.",
		.look_for = "Each core acquires the lock once per iteration; lock wait grows "
			    "with the number of cores; the spinners share the lock's line and "
			    "every exchange and unlock invalidates them all, so bus transactions "
			    "per acquisition grow with the cores. Uses a lock, so not for "
			    "--schedule file.",
		.ops_rule = "whole critical sections of 2 + 2 x lines lines (+1 with --think): "
			    "each core gets max(1, M / (N x that)) of them",
		.knobs = GEN_KNOB_LINES | GEN_KNOB_THINK,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, 1, NO, NO, 0),
		.sync = TRUE,
		.write = write_lock_storm,
	},
	{
		.name = "alloc-storm",
		.exercises = "Each core allocates --batch blocks of 2^--order pages (GFP_KERNEL) "
			     "into r0.., stores to --lines lines of each, waits at a barrier, "
			     "frees them all and waits again, over and over. Core 0 starts every "
			     "other iteration late (compute 10000), which rotates the order "
			     "in which the cores allocate, so a block one core wrote and freed "
			     "is handed to another core when it comes back through the zone's "
			     "free lists; the new owner's claim must then invalidate the old "
			     "owner's lines.",
		.look_for = "The allocator statistics: latency by path, zone-lock contention, "
			    "claim invalidations per allocation. With allocator.policy=pcp (the "
			    "default) freed pages stay on their core's per-CPU list and claims "
			    "find nothing to invalidate; with policy=global, or --order 1, "
			    "blocks cross cores and every claim invalidates the previous "
			    "owner's copies. Uses barriers and the kernel allocator; cores x "
			    "batch x 2^order pages must fit in the zone.",
		.ops_rule = "whole iterations of batch x (2 + lines) + 2 lines per core: max(1, "
			    "M / (N x that)) iterations, plus one compute line in every odd "
			    "iteration",
		.knobs = GEN_KNOB_LINES | GEN_KNOB_BATCH | GEN_KNOB_ORDER,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, 4, 2, 0, NO),
		.sync = TRUE,
		.alloc = TRUE,
		.write = write_alloc_storm,
	},
	{
		.name = "reserve-drain",
		.exercises = "Every core allocates blocks of 2^--order pages with GFP_ATOMIC into "
			     "r0..r15 in turn and never frees them (a register's old block "
			     "leaks), draining the zone below its min watermark into the atomic "
			     "reserve until allocations fail; after a barrier each core tries "
			     "GFP_NOWAIT allocations, which may not touch the reserve.",
		.look_for = "The allocator statistics: reserve dips once free pages fall below "
			    "min, then failures; every GFP_NOWAIT allocation after the barrier "
			    "fails. About 3M/4 x 2^order pages are asked for: with the default "
			    "zone of 4096 pages use --ops 6000 or more, or a smaller "
			    "allocator.zone_pages. Pages still allocated at the end are leaks, "
			    "on purpose. Uses a barrier and the kernel allocator.",
		.ops_rule = "exactly M lines, split as for private; of a core's share, one is "
			    "the barrier, a quarter of the rest GFP_NOWAIT, the others "
			    "GFP_ATOMIC",
		.knobs = GEN_KNOB_ORDER,
		.defaults = KNOBS(NAN, NAN, NAN, NAN, NO, NO, 0, NO),
		.sync = TRUE,
		.alloc = TRUE,
		.write = write_reserve_drain,
	},
	{
		.name = "random",
		.exercises = "Loads, stores, rmw adds and compute in the proportions "
			     "--write-fraction, --rmw-fraction and --compute-fraction of all "
			     "operations (loads take the rest); --shared-fraction of the memory "
			     "operations go to a shared region of --lines lines, the others to "
			     "the core's private region of --lines lines; compute lines take "
			     "--think cycles.",
		.look_for = "A tunable mix for sweeps: raise --shared-fraction or "
			    "--write-fraction and watch invalidations, cache-to-cache transfers "
			    "and the miss rate rise; rmw adds always need the line exclusive.",
		.ops_rule = "exactly M lines, split as for private",
		.knobs = GEN_KNOB_WRITE | GEN_KNOB_RMW | GEN_KNOB_COMPUTE | GEN_KNOB_SHARED |
			 GEN_KNOB_LINES | GEN_KNOB_THINK,
		.defaults = KNOBS(0.3, 0, 0, 0.25, 256, NO, NO, 10),
		.write = write_random,
	},
};

gsize gen_n_patterns(void)
{
	return G_N_ELEMENTS(patterns);
}

const GenPattern *gen_pattern_at(gsize i)
{
	g_assert(i < G_N_ELEMENTS(patterns));
	return &patterns[i];
}

const GenPattern *gen_pattern_lookup(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(patterns); i++)
		if (strcmp(patterns[i].name, name) == 0)
			return &patterns[i];
	return NULL;
}

void gen_params_init(GenParams *p)
{
	*p = (GenParams)KNOBS(NAN, NAN, NAN, NAN, NO, NO, NO, NO);
	p->cores = 4;
	p->ops = 1000;
	p->seed = 1;
}

/* The knobs' option names, in GEN_KNOB_* bit order. */
static const char *const knob_names[] = {
	"--write-fraction", "--rmw-fraction", "--compute-fraction", "--shared-fraction",
	"--lines",          "--batch",        "--order",            "--think",
};

static gboolean param_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean param_error(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, GEN_ERROR, GEN_ERROR_PARAM, msg);
	return FALSE;
}

static gboolean check_fraction(const char *name, double f, GError **error)
{
	if (!(f >= 0 && f <= 1))
		return param_error(error, "%s must be from 0 to 1, found %g", name, f);
	return TRUE;
}

static gboolean check_int(const char *name, int v, int least, int most, GError **error)
{
	if (v < least || v > most)
		return param_error(error, "%s must be from %d to %d here, found %d", name, least,
				   most, v);
	return TRUE;
}

/* out = in with every unset knob taken from the pattern; FALSE if a knob
 * is out of range or one the pattern does not take. */
static gboolean resolve_params(const GenPattern *pat, const GenParams *in, GenParams *out,
			       GError **error)
{
	const GenParams *d = &pat->defaults;
	unsigned set = (!isnan(in->write_fraction) ? GEN_KNOB_WRITE : 0) |
		       (!isnan(in->rmw_fraction) ? GEN_KNOB_RMW : 0) |
		       (!isnan(in->compute_fraction) ? GEN_KNOB_COMPUTE : 0) |
		       (!isnan(in->shared_fraction) ? GEN_KNOB_SHARED : 0) |
		       (in->lines != GEN_UNSET ? GEN_KNOB_LINES : 0) |
		       (in->batch != GEN_UNSET ? GEN_KNOB_BATCH : 0) |
		       (in->order != GEN_UNSET ? GEN_KNOB_ORDER : 0) |
		       (in->think != GEN_UNSET ? GEN_KNOB_THINK : 0);
	unsigned stray = set & ~pat->knobs;
	if (stray) {
		g_autoptr(GString) takes = g_string_new(NULL);
		for (gsize i = 0; i < G_N_ELEMENTS(knob_names); i++)
			if (pat->knobs & (1u << i))
				g_string_append_printf(takes, "%s%s", takes->len ? ", " : "",
						       knob_names[i]);
		return param_error(error, "pattern %s does not take %s (it takes %s)", pat->name,
				   knob_names[__builtin_ctz(stray)],
				   takes->len ? takes->str : "no pattern options");
	}
	if (in->cores < 1 || in->cores > WL_MAX_CORES)
		return param_error(error, "--cores must be from 1 to %d, found %u", WL_MAX_CORES,
				   in->cores);
	if (in->ops < 1)
		return param_error(error, "--ops must be at least 1");

	*out = *in;
	if (!(set & GEN_KNOB_WRITE))
		out->write_fraction = d->write_fraction;
	if (!(set & GEN_KNOB_RMW))
		out->rmw_fraction = d->rmw_fraction;
	if (!(set & GEN_KNOB_COMPUTE))
		out->compute_fraction = d->compute_fraction;
	if (!(set & GEN_KNOB_SHARED))
		out->shared_fraction = d->shared_fraction;
	if (!(set & GEN_KNOB_LINES))
		out->lines = d->lines;
	if (!(set & GEN_KNOB_BATCH))
		out->batch = d->batch;
	if (!(set & GEN_KNOB_ORDER))
		out->order = d->order;
	if (!(set & GEN_KNOB_THINK))
		out->think = d->think;

	unsigned k = pat->knobs;
	if ((k & GEN_KNOB_WRITE) && !check_fraction("--write-fraction", out->write_fraction, error))
		return FALSE;
	if ((k & GEN_KNOB_RMW) && !check_fraction("--rmw-fraction", out->rmw_fraction, error))
		return FALSE;
	if ((k & GEN_KNOB_COMPUTE) &&
	    !check_fraction("--compute-fraction", out->compute_fraction, error))
		return FALSE;
	if ((k & GEN_KNOB_SHARED) &&
	    !check_fraction("--shared-fraction", out->shared_fraction, error))
		return FALSE;
	if ((k & GEN_KNOB_RMW) &&
	    out->write_fraction + out->rmw_fraction + out->compute_fraction > 1 + 1e-9)
		return param_error(error,
				   "--write-fraction, --rmw-fraction and --compute-fraction add "
				   "up to %g, more than 1",
				   out->write_fraction + out->rmw_fraction + out->compute_fraction);
	if ((k & GEN_KNOB_ORDER) && !check_int("--order", out->order, 0, WL_MAX_ORDER, error))
		return FALSE;
	if ((k & GEN_KNOB_BATCH) && !check_int("--batch", out->batch, 1, WL_N_REGS, error))
		return FALSE;
	/* alloc-storm touches lines of one block of 2^order pages */
	int most_lines = (k & GEN_KNOB_ORDER) ? 64 << out->order : (int)GEN_MAX_LINES;
	if ((k & GEN_KNOB_LINES) && !check_int("--lines", out->lines, 1, most_lines, error))
		return FALSE;
	if ((k & GEN_KNOB_THINK) && !check_int("--think", out->think, 0, INT_MAX - 1, error))
		return FALSE;
	return TRUE;
}

/* "labyrinth gen NAME --cores ... --seed ... KNOBS", as a comment. */
static void write_command(GenWriter *w, const GenPattern *pat, const GenParams *p)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_printf(s, "# labyrinth gen %s --cores %u --ops %" G_GUINT64_FORMAT
			" --seed %" G_GUINT64_FORMAT, pat->name, p->cores, p->ops, p->seed);
	const unsigned k = pat->knobs;
	if (k & GEN_KNOB_WRITE)
		g_string_append_printf(s, " --write-fraction %g", p->write_fraction);
	if (k & GEN_KNOB_RMW)
		g_string_append_printf(s, " --rmw-fraction %g", p->rmw_fraction);
	if (k & GEN_KNOB_COMPUTE)
		g_string_append_printf(s, " --compute-fraction %g", p->compute_fraction);
	if (k & GEN_KNOB_SHARED)
		g_string_append_printf(s, " --shared-fraction %g", p->shared_fraction);
	if (k & GEN_KNOB_LINES)
		g_string_append_printf(s, " --lines %d", p->lines);
	if (k & GEN_KNOB_BATCH)
		g_string_append_printf(s, " --batch %d", p->batch);
	if (k & GEN_KNOB_ORDER)
		g_string_append_printf(s, " --order %d", p->order);
	if (k & GEN_KNOB_THINK)
		g_string_append_printf(s, " --think %d", p->think);
	g_string_append_c(s, '\n');
	gen_text(w, s->str);
}

gboolean gen_write(const GenPattern *pat, const GenParams *params, GenWriter *w, GError **error)
{
	GenContext ctx = { .w = w };
	if (!resolve_params(pat, params, &ctx.p, error))
		return FALSE;
	rng_seed(&ctx.rng, ctx.p.seed);
	const GenParams *p = &ctx.p;
	if (pat->knobs & GEN_KNOB_COMPUTE) {
		ctx.t_compute = prob_threshold(p->compute_fraction);
		ctx.t_rmw = prob_threshold(p->compute_fraction + p->rmw_fraction);
		ctx.t_write = prob_threshold(p->compute_fraction + p->rmw_fraction +
					     p->write_fraction);
	} else if (pat->knobs & GEN_KNOB_WRITE) {
		ctx.t_write = prob_threshold(p->write_fraction);
	}
	if (pat->knobs & GEN_KNOB_SHARED)
		ctx.t_shared = prob_threshold(p->shared_fraction);

	gen_printf(w, "%%labyrinth-workload 1\n%%cores %u\n%%name %s\n", p->cores, pat->name);
	write_command(w, pat, p);
	gen_comment(w, pat->exercises);
	g_autofree char *look = g_strconcat("Look for: ", pat->look_for, NULL);
	gen_comment(w, look);
	pat->write(&ctx);
	return TRUE;
}
