/* events.c - the protocol event trace (events.h, docs/events.md).
 *
 * One line per access or claim, formatted by hand into a 64 KiB buffer
 * (printf would dominate the cost of a traced run) and written with
 * write(2), through a GZlibCompressor first when the name ends in ".gz".
 * Nothing is kept per event, so a trace of any length costs the buffer.
 *
 * Whole or not at all (cli.md): on Linux the file is opened with
 * O_TMPFILE, which has no name until events_commit() links it under a
 * temporary name and renames that over the target, so even a killed run
 * leaves nothing behind.  Where O_TMPFILE is missing (other systems, some
 * file systems) a named temporary "PATH.XXXXXX" beside the target is used
 * and removed on failure; only a kill can then leave it.  As for every
 * output file (outfile.h), an existing device or FIFO is written in place
 * and a symbolic link keeps pointing where it did.
 */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "input/workload.h"

#define BUF_SIZE (64 * 1024)
#define PUT_MAX 64 /* no single put writes more than this */

struct EventTrace {
	char *path;           /* as the user named it, for messages */
	char *target;         /* what is replaced: path, its symbolic links resolved */
	gboolean direct;      /* an existing device or FIFO, written in place */
	char *tmp_path;       /* the named temporary, or NULL with O_TMPFILE */
	int fd;
	GConverter *gz;       /* zlib, for ".gz" */
	const Machine *m;
	const CoreWhere *where;
	uint64_t n_events;
	GError *error;        /* the first write error; then nothing more is written */
	size_t len;           /* bytes in buf */
	char buf[BUF_SIZE];
	char zbuf[BUF_SIZE];  /* compressed output */
};

static void set_errno_error(EventTrace *t, int err, const char *what)
{
	if (!t->error)
		t->error = g_error_new(G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s: %s",
				       t->path, what, g_strerror(err));
}

static void write_raw(EventTrace *t, const char *p, size_t n)
{
	while (n && !t->error) {
		ssize_t w = write(t->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			set_errno_error(t, errno, "cannot write the event trace");
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Pushes n bytes through zlib; at_end finishes the gzip stream. */
static void write_compressed(EventTrace *t, const char *p, size_t n, gboolean at_end)
{
	GConverterFlags flags = at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS;
	for (;;) {
		gsize in = 0, out = 0;
		g_autoptr(GError) err = NULL;
		GConverterResult r = g_converter_convert(t->gz, p, n, t->zbuf, sizeof t->zbuf,
							 flags, &in, &out, &err);
		if (r == G_CONVERTER_ERROR) {
			if (!t->error)
				t->error = g_error_new(G_FILE_ERROR, G_FILE_ERROR_FAILED,
						       "%s: cannot compress the event trace: %s",
						       t->path, err->message);
			return;
		}
		write_raw(t, t->zbuf, out);
		p += in;
		n -= in;
		if (t->error || r == G_CONVERTER_FINISHED || (!at_end && n == 0))
			return;
	}
}

static void flush_buf(EventTrace *t, gboolean at_end)
{
	if (t->gz)
		write_compressed(t, t->buf, t->len, at_end);
	else
		write_raw(t, t->buf, t->len);
	t->len = 0;
}

static inline void reserve(EventTrace *t, size_t n)
{
	if (G_UNLIKELY(t->len + n > BUF_SIZE))
		flush_buf(t, FALSE);
}

static inline void put_char(EventTrace *t, char c)
{
	reserve(t, 1);
	t->buf[t->len++] = c;
}

static inline void put_str(EventTrace *t, const char *s)
{
	size_t n = strlen(s);
	g_assert(n <= PUT_MAX);
	reserve(t, n);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static inline void put_u64(EventTrace *t, uint64_t v)
{
	char tmp[24];
	int i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	reserve(t, sizeof tmp - (size_t)i);
	memcpy(t->buf + t->len, tmp + i, sizeof tmp - (size_t)i);
	t->len += sizeof tmp - (size_t)i;
}

static inline void put_hex(EventTrace *t, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[20];
	int i = sizeof tmp;
	do {
		tmp[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	reserve(t, sizeof tmp - (size_t)i);
	memcpy(t->buf + t->len, tmp + i, sizeof tmp - (size_t)i);
	t->len += sizeof tmp - (size_t)i;
}

static const char *access_name(int kind, const AccessOutcome *out)
{
	switch (kind) {
	case ACC_LOAD:
		return "ld";
	case ACC_STORE:
		return "st";
	case ACC_RMW_ADD:
		return "add";
	case ACC_RMW_XCHG:
		return "xchg";
	case ACC_RMW_CAS:
		return "cas";
	default:
		return out->claim_zero ? "claim:zero" : "claim:rfo";
	}
}

static void put_op(EventTrace *t, const CoreWhere *w, AccessContext ctx)
{
	if (w && w->kstep) {
		put_str(t, "kernel:");
		put_str(t, w->kstep);
	} else if (ctx != CTX_USER) {
		put_str(t, ctx == CTX_KERNEL_META ? "kernel:meta" : "kernel:claim");
	} else if (w && w->op_kind < WL_N_OPS) {
		put_str(t, wl_op_name((WlOpKind)w->op_kind));
	} else {
		put_char(t, '-');
	}
}

/* The observer: one line for the access or claim that just completed. */
static void observe(void *data, Machine *m, unsigned core, int kind, uint64_t addr, uint64_t value)
{
	EventTrace *t = data;
	if (G_UNLIKELY(t->error))
		return;
	const AccessOutcome *out = machine_last_outcome(m);
	const Protocol *p = machine_protocol(m);
	/* Workload lines count from 1: a 0 means the engine has not said
	 * where this core is, so the operation columns are "-". */
	const CoreWhere *w = t->where && t->where[core].line ? &t->where[core] : NULL;

	put_u64(t, t->where ? t->where[core].cycle : 0);
	put_char(t, '\t');
	put_u64(t, core);
	put_char(t, '\t');
	if (w) {
		put_u64(t, w->op_index);
		put_char(t, '\t');
		put_u64(t, w->line);
	} else {
		put_str(t, "-\t-");
	}
	put_char(t, '\t');
	put_op(t, w, machine_context(m));
	put_char(t, '\t');
	put_str(t, access_name(kind, out));
	put_char(t, '\t');
	put_hex(t, addr);
	put_char(t, '\t');
	put_hex(t, out->line_addr);
	put_char(t, '\t');

	if (out->n_txns == 0)
		put_char(t, '-');
	for (int i = 0; i < out->n_txns; i++) {
		if (i)
			put_char(t, '+');
		put_str(t, proto_txn_name(out->txns[i]));
	}
	put_char(t, '\t');

	if (out->source == SRC_MEMORY) {
		put_str(t, "memory");
	} else if (out->source == SRC_CACHE) {
		put_char(t, 'c');
		put_u64(t, (uint64_t)out->supplier);
	} else {
		put_str(t, "none");
	}
	put_char(t, '\t');

	if (out->n_changes == 0)
		put_char(t, '-');
	for (int i = 0; i < out->n_changes; i++) {
		const StateChange *ch = &out->changes[i];
		if (i)
			put_char(t, ' ');
		put_char(t, 'c');
		put_u64(t, ch->cache);
		put_char(t, ':');
		put_str(t, p->state_names[ch->from]);
		put_char(t, '>');
		put_str(t, p->state_names[ch->to]);
		/* The fill's victim is evicted first (coherence.c, make_room):
		 * its change is the first one and concerns another line. */
		if (i == 0 && out->evicted) {
			g_assert(ch->cache == core && ch->to == 0);
			put_char(t, '@');
			put_hex(t, out->victim_addr);
		}
	}
	put_char(t, '\n');
	t->n_events++;
}

/* A file with no name in the target's directory, or failing that a named
 * temporary beside it.  Returns the fd, or -1 with error set. */
static int open_temp(EventTrace *t, GError **error)
{
#ifdef O_TMPFILE
	g_autofree char *dir = g_path_get_dirname(t->target);
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (fd >= 0)
		return fd;
	/* EISDIR, EOPNOTSUPP, EINVAL: no O_TMPFILE here.  Anything else
	 * (ENOENT, EACCES) the named temporary will meet and report too. */
#endif
	t->tmp_path = g_strconcat(t->target, ".XXXXXX", NULL);
	int nfd = g_mkstemp_full(t->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
	if (nfd < 0) {
		int err = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
			    "%s: cannot create the event trace: %s", t->path, g_strerror(err));
		g_clear_pointer(&t->tmp_path, g_free);
	}
	return nfd;
}

/* Where the trace goes, by the rules of outfile.h: an existing device or
 * FIFO (/dev/null, a pipe) is written in place, since a rename would
 * replace it with a regular file; a symbolic link keeps pointing where it
 * did; anything else gets a temporary and a rename. */
static int open_output(EventTrace *t, GError **error)
{
	g_autofree char *real = realpath(t->path, NULL);
	t->target = g_strdup(real ? real : t->path);
	GStatBuf st;
	if (g_stat(t->target, &st) != 0 || S_ISREG(st.st_mode))
		return open_temp(t, error);
	if (S_ISDIR(st.st_mode)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
			    "%s: cannot write the event trace: it is a directory", t->path);
		return -1;
	}
	int fd = g_open(t->target, O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		int err = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
			    "%s: cannot open the event trace: %s", t->path, g_strerror(err));
	}
	t->direct = TRUE;
	return fd;
}

static void trace_free(EventTrace *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp_path)
		g_unlink(t->tmp_path);
	g_free(t->tmp_path);
	g_free(t->target);
	g_free(t->path);
	g_clear_object(&t->gz);
	g_clear_error(&t->error);
	g_free(t);
}

EventTrace *events_new(const char *path, Machine *m, const CoreWhere *where, const char *workload,
		       const Config *cfg, GError **error)
{
	EventTrace *t = g_new0(EventTrace, 1);
	t->path = g_strdup(path);
	t->m = m;
	t->where = where;
	t->fd = open_output(t, error);
	if (t->fd < 0) {
		trace_free(t);
		return NULL;
	}
	/* Level 1: traces repeat themselves, so it compresses nearly as
	 * well as the default level 6 (39 MB against 32 MB for 2 million
	 * events) at a fifth of the time, which otherwise dominates the run. */
	if (g_str_has_suffix(path, ".gz"))
		t->gz = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1));

	/* The first line says what produced the trace; the workload's path
	 * goes last since it may hold blanks. */
	g_autofree char *head =
		g_strdup_printf(EVENTS_MAGIC " protocol=%s mode=%s cores=%u line=%u workload=%s\n"
				EVENTS_HEADER "\n",
				machine_protocol(m)->name, config_mode_name(cfg->mode),
				machine_n_cores(m), machine_line_size(m), workload);
	size_t n = strlen(head);
	g_assert(n < BUF_SIZE);
	memcpy(t->buf, head, n);
	t->len = n;
	machine_add_observer(m, observe, t);
	return t;
}

/* Gives the anonymous file a temporary name; before the fd is closed,
 * which would make the kernel drop it. */
static void link_anonymous(EventTrace *t)
{
	g_autofree char *proc = g_strdup_printf("/proc/self/fd/%d", t->fd);
	for (unsigned attempt = 0; !t->tmp_path; attempt++) {
		char *tmp = g_strdup_printf("%s.%d-%u.tmp", t->target, (int)getpid(), attempt);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			t->tmp_path = tmp;
			return;
		}
		int err = errno;
		g_free(tmp);
		if (err != EEXIST || attempt == 100) {
			set_errno_error(t, err, "cannot name the event trace");
			return;
		}
	}
}

gboolean events_commit(EventTrace *t, GError **error)
{
	flush_buf(t, TRUE);
	if (!t->error && !t->direct && !t->tmp_path)
		link_anonymous(t);
	if (close(t->fd) != 0)
		set_errno_error(t, errno, "cannot write the event trace");
	t->fd = -1;
	if (!t->direct && !t->error) {
		if (rename(t->tmp_path, t->target) == 0)
			g_clear_pointer(&t->tmp_path, g_free);
		else
			set_errno_error(t, errno, "cannot rename the event trace into place");
	}
	gboolean ok = t->error == NULL;
	if (!ok)
		g_propagate_error(error, g_steal_pointer(&t->error));
	trace_free(t);
	return ok;
}

void events_abandon(EventTrace *t)
{
	trace_free(t);
}

uint64_t events_count(const EventTrace *t)
{
	return t->n_events;
}
