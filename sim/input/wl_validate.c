/* wl_validate.c - the validating pass over a workload file: every line
 * parsed (wl_lex.h, wl_parse.c) and checked in the whole file's context:
 * the header and directives, core counts, address limits and which
 * registers hold pages.  It also records, per core, where its first
 * operation starts and on which line its last one is, so a per-core cursor
 * on an uncompressed file seeks straight to its first line and every
 * per-core cursor stops after its last one (wl_cursor.c).
 *
 * A large uncompressed file is validated in two halves at once, split at a
 * line end near the middle: validation is the one part of a run that
 * overlaps with nothing.  The second half is read without knowing the
 * first (see validate_split()); whenever the halves disagree with what one
 * pass would conclude, or either finds an error, the file is read again in
 * one pass, so results and messages never depend on the split.
 */
#include "wl_lex.h"

/* State of the validating pass beyond the scanner.  On the heap: the
 * register tables are 64 KiB. */
typedef struct {
	WlFile *wl;
	const WlLimits *limits;
	Scanner sc;
	WlInfo info;
	uint64_t addr_limit;	     /* plain addresses must be below: min(mem_size, kernel_base) */
	uint64_t header_line;	     /* 0 until the header is read */
	uint64_t cores_line;	     /* line of %cores, or 0 */
	uint64_t name_line;	     /* line of %name, or 0 */
	uint64_t first_op_line;	     /* 0 until the first operation */
	unsigned max_core;	     /* highest core id seen */
	Span *span;		     /* per core: the WlFile's, or the second half's own */
	/* The second half of a split file (see validate_split()) does not know
	 * which registers the first half left holding a page: the first use of
	 * a register it has not allocated itself is taken as held, and noted
	 * in need[] for the merge to check. */
	gboolean cont;
	uint16_t known[WL_MAX_CORES]; /* cont: bit r: r's state is known in this half */
	uint16_t need[WL_MAX_CORES];  /* cont: bit r: must hold a page where this half starts */
	uint16_t held[WL_MAX_CORES]; /* bit r: register r holds a page */
	uint32_t freed_line[WL_MAX_CORES][WL_N_REGS]; /* where a register was last freed */
	uint64_t compute[WL_MAX_CORES]; /* cycles of compute so far, <= WL_MAX_CORE_COMPUTE */
} Validator;

/* Directives and the header, the slow path of the validating loop: any
 * line that is not blank, a comment, or an operation after the header.
 * Returns the start of the next line, or NULL with *error. */
static const char *validate_other_line(Validator *v, const char *p, GError **error)
{
	Scanner *sc = &v->sc;
	const char *e = token_end(p);
	size_t len = (size_t)(e - p);

	if (!v->header_line) {
		const char *q = skip_blanks(e);
		if (len == 19 && !memcmp(p, "%labyrinth-workload", 19) && q[0] == '1' &&
		    delim[UC(q + 1)] != D_TOKEN) {
			const char *next = end_of_line(sc, q + 1, NULL);
			if (next) {
				v->header_line = sc->line;
				return next;
			}
		}
		/* Show the line as written, without its comment or line end. */
		const char *le = p;
		while (delim[UC(le)] != D_END)
			le++;
		while (le > p && delim[UC(le - 1)] == D_BLANK)
			le--;
		/* A NUL would end the line as shown; say where it is instead. */
		const char *nul = memchr(p, '\0', (size_t)(le - p));
		if (nul) {
			wl_parse_error(sc, error,
				       "expected the header '%%labyrinth-workload 1', found a NUL "
				       "byte at column %" G_GUINT64_FORMAT,
				       (uint64_t)(nul - sc->pos) + 1);
			return NULL;
		}
		g_autofree char *line = g_strndup(p, (gsize)MIN(le - p, 2 * WL_SHOW_MAX));
		for (char *c = line; *c; c++)
			if (UC(c) < 0x20 || UC(c) >= 0x7f)
				*c = '?';
		wl_parse_error(sc, error, "expected the header '%%labyrinth-workload 1', found %s",
			    line);
		return NULL;
	}
	if (*p != '%')
		return wl_parse_op_general(sc, p, &(WlOp){0}, &(const char *){NULL}, error);

	uint64_t *seen;
	if (len == 6 && !memcmp(p, "%cores", 6)) {
		seen = &v->cores_line;
	} else if (len == 5 && !memcmp(p, "%name", 5)) {
		seen = &v->name_line;
	} else if (len == 19 && !memcmp(p, "%labyrinth-workload", 19)) {
		seen = &v->header_line;
	} else {
		g_autofree char *shown = wl_show_token(p);
		wl_parse_error(sc, error, "unknown directive '%s' (expected %%cores or %%name)",
			    shown);
		return NULL;
	}
	g_autofree char *name = g_strndup(p, len);
	if (*seen) {
		wl_parse_error(sc, error, "duplicate %s (the first is on line %" G_GUINT64_FORMAT ")",
			    name, *seen);
		return NULL;
	}
	if (v->first_op_line) {
		wl_parse_error(sc, error,
			    "%s must come before the first operation (line %" G_GUINT64_FORMAT ")",
			    name, v->first_op_line);
		return NULL;
	}
	*seen = sc->line;

	if (seen == &v->cores_line) {
		uint64_t n = 0;
		const char *q = skip_blanks(e);
		if (!(e = parse_number(sc, q, &n, "a core count", error)))
			return NULL;
		if (n < 1 || n > WL_MAX_CORES) {
			g_autofree char *shown = wl_show_token(q);
			wl_parse_error(sc, error, "expected a core count from 1 to %d, found %s",
				    WL_MAX_CORES, shown);
			return NULL;
		}
		v->info.declared_cores = (unsigned)n;
		return end_of_line(sc, e, error);
	}
	/* %name: the rest of the line up to a comment, blanks trimmed. */
	const char *q = skip_blanks(e);
	const char *ne = q;
	while (*ne != '\n' && *ne != '#')
		ne++;
	while (ne > q && delim[UC(ne - 1)] == D_BLANK)
		ne--;
	if (ne == q) {
		wl_parse_error(sc, error, "expected a name after %%name, found end of line");
		return NULL;
	}
	if (!g_utf8_validate(q, ne - q, NULL)) {
		wl_parse_error(sc, error, "expected a name in UTF-8, found other bytes");
		return NULL;
	}
	v->info.name = g_strndup(q, (gsize)(ne - q));
	return (const char *)memchr(ne, '\n', (size_t)(sc->lim - ne)) + 1;
}

/* Fixes the core count when the first operation arrives: every directive
 * that could set it comes before. */
static void validate_first_op(Validator *v, const char *line_start)
{
	Scanner *sc = &v->sc;

	v->first_op_line = sc->line;
	v->wl->all.first_line = sc->line;
	v->wl->all.first_off = sc->base + (uint64_t)(line_start - sc->buf);
	if (v->limits->cores) {
		sc->core_limit = v->limits->cores;
		sc->core_counted = TRUE;
	} else if (v->info.declared_cores) {
		sc->core_limit = v->info.declared_cores;
		sc->core_counted = TRUE;
	}
}

static gboolean address_error(Validator *v, const WlOp *op, const char *tok, GError **error)
{
	const Scanner *sc = &v->sc;
	g_autofree char *shown = wl_show_token(tok);

	if (op->reg != WL_NO_REG) {
		g_assert(op->addr & 7);
		wl_parse_error(sc, error, "expected an 8-byte aligned offset, found %s", shown);
	} else if (op->addr & 7) {
		wl_parse_error(sc, error, "expected an 8-byte aligned address, found %s", shown);
	} else if (v->limits->mem_size && op->addr >= v->limits->mem_size) {
		wl_parse_error(sc, error,
			    "expected an address below 0x%" G_GINT64_MODIFIER
			    "x (the end of physical memory), found %s",
			    v->limits->mem_size, shown);
	} else {
		g_assert(v->limits->kernel_base && op->addr >= v->limits->kernel_base);
		wl_parse_error(sc, error,
			    "address %s is in the kernel allocator's region (0x%" G_GINT64_MODIFIER
			    "x and up): plain addresses must be below it; its pages are reached "
			    "through a register that alloc filled",
			    shown, v->limits->kernel_base);
	}
	return FALSE;
}

static gboolean register_unheld(Validator *v, const WlOp *op, GError **error)
{
	uint32_t freed = v->freed_line[op->core][op->reg];

	if (freed)
		wl_parse_error(&v->sc, error,
			    "register r%u of core %u holds no page: it was freed on line %u",
			    op->reg, op->core, freed);
	else
		wl_parse_error(&v->sc, error,
			    "register r%u of core %u holds no page: no earlier alloc into it",
			    op->reg, op->core);
	return FALSE;
}

/* Whether register r of core c holds a page.  Off the hot path: called
 * only when its bit in held[] is clear. */
static G_GNUC_NO_INLINE gboolean register_assumed(Validator *v, unsigned c, unsigned r)
{
	if (!v->cont || (v->known[c] >> r & 1))
		return FALSE;
	v->known[c] |= (uint16_t)(1u << r);
	v->need[c] |= (uint16_t)(1u << r);
	v->held[c] |= (uint16_t)(1u << r);
	return TRUE;
}

/* The operations that take an ADDR operand. */
#define ADDR_KINDS                                                                                 \
	(1u << WL_OP_LD | 1u << WL_OP_ST | 1u << WL_OP_RMW | 1u << WL_OP_LOCK | 1u << WL_OP_UNLOCK)

/* The checks of validate_op() for the rarer operations. */
static gboolean validate_other_op(Validator *v, const WlOp *op, GError **error)
{
	unsigned c = op->core;

	switch (op->kind) {
	case WL_OP_ALLOC:
		v->held[c] |= (uint16_t)(1u << op->reg);
		v->known[c] |= (uint16_t)(1u << op->reg);
		v->info.uses_alloc = TRUE;
		break;
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		if (!(v->held[c] >> op->reg & 1) && !register_assumed(v, c, op->reg))
			return register_unheld(v, op, error);
		if (op->kind == WL_OP_FREE) {
			v->held[c] &= (uint16_t) ~(1u << op->reg);
			v->freed_line[c][op->reg] = op->line;
		}
		if (op->kind == WL_OP_LOCK_PAGE)
			v->info.uses_lock = TRUE;
		v->info.uses_alloc = TRUE;
		break;
	case WL_OP_BARRIER:
		v->info.uses_barrier = TRUE;
		break;
	case WL_OP_COMPUTE:
		/* Each line is at most 2^32, so the sum cannot wrap first. */
		v->compute[c] += op->value;
		if (v->compute[c] > WL_MAX_CORE_COMPUTE) {
			wl_parse_error(&v->sc, error,
				       "core %u computes %" G_GUINT64_FORMAT " cycles up to here, "
				       "above the limit of %" G_GUINT64_FORMAT
				       " (2^48) for one core's compute lines together",
				       c, v->compute[c], WL_MAX_CORE_COMPUTE);
			return FALSE;
		}
		break;
	default:
		g_assert_not_reached();
	}
	return TRUE;
}

/* The checks on one parsed operation that need the file's context.  Loads
 * and stores, in random order in most traces, share one branch: a switch
 * here would be an indirect jump mispredicted on every other line. */
static inline gboolean validate_op(Validator *v, const WlOp *op, const char *addr_tok,
				   GError **error)
{
	unsigned c = op->core;
	Span *s = &v->span[c];

	if (G_UNLIKELY(!s->first_line)) {
		s->first_line = op->line;
		/* sc->pos is still the start of this line. */
		s->first_off = v->sc.base + (uint64_t)(v->sc.pos - v->sc.buf);
	}
	s->last_line = op->line;
	v->info.ops_per_core[c]++;
	v->info.ops_of_kind[op->kind]++;
	v->max_core = MAX(v->max_core, c);

	if (G_UNLIKELY(!(ADDR_KINDS >> op->kind & 1)))
		return validate_other_op(v, op, error);
	if (G_LIKELY(op->reg == WL_NO_REG)) {
		if (G_UNLIKELY((op->addr & 7) || op->addr >= v->addr_limit))
			return address_error(v, op, addr_tok, error);
	} else {
		if (G_UNLIKELY(op->addr & 7))
			return address_error(v, op, addr_tok, error);
		if (G_UNLIKELY(!(v->held[c] >> op->reg & 1)) && !register_assumed(v, c, op->reg))
			return register_unheld(v, op, error);
		v->info.uses_alloc = TRUE;
	}
	if (G_UNLIKELY(op->kind == WL_OP_LOCK))
		v->info.uses_lock = TRUE;
	return TRUE;
}

static gboolean validate_stream(Validator *v, GError **error)
{
	Scanner *sc = &v->sc;
	WlOp op;
	const char *addr_tok;

	for (;;) {
		if (sc->pos == sc->lim) {
			int k = wl_scanner_fill(sc, error);
			if (k < 0)
				return FALSE;
			if (k == 0)
				break;
		}
		const char *p = skip_blanks(sc->pos);
		const char *next;
		if (G_LIKELY((unsigned)UC(p) - '0' <= 9 && v->first_op_line)) {
			next = parse_op(sc, p, &op, &addr_tok, error);
			if (G_UNLIKELY(!next) || G_UNLIKELY(!validate_op(v, &op, addr_tok, error)))
				return FALSE;
		} else if (*p == '\n') {
			next = p + 1;
		} else if (*p == '#') {
			next = (const char *)memchr(p, '\n', (size_t)(sc->lim - p)) + 1;
		} else if ((unsigned)UC(p) - '0' <= 9 && v->header_line) {
			validate_first_op(v, sc->pos);
			continue; /* parse it on the fast path */
		} else {
			next = validate_other_line(v, p, error);
			if (!next)
				return FALSE;
		}
		sc->pos = next;
		sc->line++;
	}
	if (!v->header_line) {
		sc->line = MAX(sc->line - 1, 1);
		wl_parse_error(sc, error,
			    "expected the header '%%labyrinth-workload 1', found end of file");
		return FALSE;
	}
	return TRUE;
}

/* Files at least this big are validated in two halves, one per thread:
 * below it, the second thread costs more than it saves. */
#ifndef WL_SPLIT_MIN
#define WL_SPLIT_MIN (8u << 20)
#endif

static void validator_init(Validator *v, WlFile *wl, const WlLimits *limits)
{
	memset(v, 0, sizeof(*v));
	v->wl = wl;
	v->limits = limits;
	v->span = wl->span;
	v->addr_limit = MIN(limits->mem_size ? limits->mem_size : UINT64_MAX,
			    limits->kernel_base ? limits->kernel_base : UINT64_MAX);
}

/* Where to split wl for two threads: just after the first '\n' at or after
 * the middle of the file; 0 when there is none to use. */
static uint64_t find_split(WlFile *wl)
{
	uint64_t mid = wl->stamp.size / 2;
	FileStamp stamp;
	g_autoptr(GInputStream) in = wl_open_stream(wl->path, FALSE, mid, &stamp, NULL);
	char buf[4096];

	if (!in || !wl_stamp_same(&stamp, &wl->stamp))
		return 0;
	for (uint64_t off = mid; off - mid < WL_MAX_LINE;) {
		gsize n = 0;
		if (!g_input_stream_read_all(in, buf, sizeof(buf), &n, NULL, NULL) || n == 0)
			return 0;
		const char *nl = memchr(buf, '\n', n);
		if (nl) {
			uint64_t split = off + (uint64_t)(nl - buf) + 1;
			return split < wl->stamp.size ? split : 0;
		}
		off += n;
	}
	return 0;
}

/* The second half's job: its validator, the thread running it (NULL when
 * none could be had) and its outcome. */
typedef struct {
	Validator *v;
	GThread *thread;
	gboolean ok;
	GError *err;
} Half;

static gpointer validate_half(gpointer data)
{
	Half *h = data;

	h->ok = validate_stream(h->v, &h->err);
	return NULL;
}

/* Adds what the second half b learned to the first half a, which read the
 * file up to where b starts.  FALSE when b depends on the first half in a
 * way that makes the file fail (or that the merge cannot judge): the
 * caller then validates the whole file again in one pass, which finds the
 * error and reports it exactly as always. */
static gboolean merge_halves(Validator *a, const Validator *b, const Span *bspan)
{
	uint64_t off = a->sc.line - 1; /* lines in a's half */
	uint64_t b_last = 0;

	/* Without an operation in a's half, a '%' line in b's could be legal
	 * (b rejects them all), and the core limit is unknown. */
	if (!a->first_op_line)
		return FALSE;
	for (unsigned c = 0; c < WL_MAX_CORES; c++) {
		b_last = MAX(b_last, bspan[c].last_line);
		/* A register b used before allocating it must hold a page where
		 * a's half ends. */
		if (b->need[c] & ~a->held[c])
			return FALSE;
	}
	/* b checked core ids against WL_MAX_CORES and line numbers relative
	 * to its start. */
	if (b_last && (b->max_core >= a->sc.core_limit || b_last + off > UINT32_MAX))
		return FALSE;

	for (unsigned c = 0; c < WL_MAX_CORES; c++) {
		Span *s = &a->span[c];
		if (bspan[c].first_line) {
			if (!s->first_line) {
				s->first_line = bspan[c].first_line + off;
				s->first_off = bspan[c].first_off;
			}
			s->last_line = bspan[c].last_line + off;
		}
		a->info.ops_per_core[c] += b->info.ops_per_core[c];
		/* Over the limit together: the one pass names the line. */
		a->compute[c] += b->compute[c];
		if (a->compute[c] > WL_MAX_CORE_COMPUTE)
			return FALSE;
	}
	for (unsigned k = 0; k < WL_N_OPS; k++)
		a->info.ops_of_kind[k] += b->info.ops_of_kind[k];
	a->info.uses_lock |= b->info.uses_lock;
	a->info.uses_barrier |= b->info.uses_barrier;
	a->info.uses_alloc |= b->info.uses_alloc;
	if (b_last)
		a->max_core = MAX(a->max_core, b->max_core);
	return TRUE;
}

/* Validates [0, split) of in into a on this thread and [split, end) on
 * another, then merges.  Consumes in.  FALSE when the file must be
 * validated in one pass instead: an error anywhere (only the one pass is
 * sure to report the first one, worded as always), or anything the merge
 * cannot decide. */
static gboolean validate_split(Validator *a, GInputStream *in, uint64_t split)
{
	WlFile *wl = a->wl;
	g_autofree Validator *b = g_new0(Validator, 1);
	g_autofree Span *bspan = g_new0(Span, WL_MAX_CORES);
	FileStamp stamp;
	GInputStream *bin = wl_open_stream(wl->path, FALSE, split, &stamp, NULL);

	if (!bin || !wl_stamp_same(&stamp, &wl->stamp)) {
		g_clear_object(&bin);
		g_object_unref(in);
		return FALSE;
	}
	wl_scanner_init(&a->sc, in, wl->path, WL_BLOCK, 0, 1);
	a->sc.stop = split;

	/* b starts after the header and the first operation, as if a had
	 * read them; the merge checks that it did. */
	validator_init(b, wl, a->limits);
	b->span = bspan;
	b->cont = TRUE;
	b->header_line = 1;
	b->first_op_line = 1;
	wl_scanner_init(&b->sc, bin, wl->path, WL_BLOCK, split, 1);

	Half hb = {.v = b};
	hb.thread = g_thread_try_new("wl-validate", validate_half, &hb, NULL);
	g_autoptr(GError) aerr = NULL;
	gboolean ok = validate_stream(a, &aerr);
	if (hb.thread)
		g_thread_join(hb.thread);
	else
		validate_half(&hb); /* no thread to be had: one half after the other */
	wl_scanner_clear(&a->sc);
	wl_scanner_clear(&b->sc);
	g_clear_error(&hb.err);
	g_free(b->info.name);
	return ok && hb.ok && merge_halves(a, b, bspan);
}

/* LABYRINTH_SEQUENTIAL_VALIDATE=1 turns the split off (read on every call,
 * so that tests can compare both ways). */
static gboolean split_allowed(void)
{
	return g_strcmp0(g_getenv("LABYRINTH_SEQUENTIAL_VALIDATE"), "1") != 0;
}

gboolean wl_validate(WlFile *wl, const WlLimits *limits, WlInfo *info, GError **error)
{
	static const WlLimits no_limits = {0};
	g_autofree Validator *v = g_new0(Validator, 1);
	GError *err = NULL;

	g_return_val_if_fail(wl && info, FALSE);
	memset(info, 0, sizeof(*info));
	if (!limits)
		limits = &no_limits;
	if (limits->cores > WL_MAX_CORES) {
		g_set_error(error, WL_ERROR, WL_ERROR_PARSE,
			    "%s: %u cores asked for; at most %d are possible", wl->path,
			    limits->cores, WL_MAX_CORES);
		return FALSE;
	}
	wl->validated = FALSE;
	wl->all = (Span){0};
	memset(wl->span, 0, sizeof(wl->span));

	validator_init(v, wl, limits);
	GInputStream *in = wl_open_stream(wl->path, wl->gz, 0, &wl->stamp, error);
	if (!in)
		return FALSE;

	/* A large uncompressed file: two halves at once, when that works. */
	uint64_t split = 0;
	if (!wl->gz && wl->stamp.size >= WL_SPLIT_MIN && split_allowed())
		split = find_split(wl);
	if (split && !validate_split(v, in, split)) {
		g_free(v->info.name);
		validator_init(v, wl, limits);
		wl->all = (Span){0};
		memset(wl->span, 0, sizeof(wl->span));
		split = 0;
		if (!(in = wl_open_stream(wl->path, wl->gz, 0, &wl->stamp, error)))
			return FALSE;
	} else if (split) {
		in = NULL; /* validated in halves */
	}
	if (in) {
		wl_scanner_init(&v->sc, in, wl->path, WL_BLOCK, 0, 1);
		gboolean ok = validate_stream(v, &err);
		wl_scanner_clear(&v->sc);
		if (!ok) {
			g_free(v->info.name);
			g_propagate_error(error, err);
			return FALSE;
		}
	}

	WlInfo *vi = &v->info;
	for (unsigned k = 0; k < WL_N_OPS; k++)
		vi->operations += vi->ops_of_kind[k];
	if (limits->cores)
		vi->cores = limits->cores;
	else if (vi->declared_cores)
		vi->cores = vi->declared_cores;
	else
		vi->cores = vi->operations ? v->max_core + 1 : 1;
	for (unsigned c = 0; c < WL_MAX_CORES; c++)
		wl->all.last_line = MAX(wl->all.last_line, wl->span[c].last_line);
	wl->cores = vi->cores;
	wl->validated = TRUE;
	*info = *vi;
	return TRUE;
}

void wl_info_clear(WlInfo *info)
{
	g_clear_pointer(&info->name, g_free);
}
