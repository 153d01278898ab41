/* wl_parse.c - the workload parser's general path: every operation with
 * every operand, and every message for a line that is not right.  The
 * lexer and the fast path for the commonest lines are inline in wl_lex.h.
 */
#include "wl_lex.h"

/* The token at p as a message shows it: at most WL_SHOW_MAX bytes, bytes
 * that are not printable ASCII escaped. */
char *wl_show_token(const char *p)
{
	const char *e = token_end(p);

	if (e == p)
		return g_strdup("end of line");
	GString *s = g_string_new(NULL);
	for (; p < e && s->len < WL_SHOW_MAX; p++) {
		if (UC(p) >= 0x20 && UC(p) < 0x7f)
			g_string_append_c(s, *p);
		else
			g_string_append_printf(s, "\\x%02x", UC(p));
	}
	if (p < e)
		g_string_append(s, "...");
	return g_string_free(s, FALSE);
}

/* Rechecks a number of 17 or more hex digits, or 20 or more decimal ones,
 * for overflow, which the fast loops of scan_number() do not test. */
int wl_number_overflows(const char *s, const char *e, gboolean hex)
{
	uint64_t v = 0;

	while (s < e - 1 && *s == '0')
		s++;
	if (hex)
		return e - s > 16;
	for (; s < e; s++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (unsigned)UC(s) - '0', &v))
			return TRUE;
	return FALSE;
}

/* The message for a token that should have been a number. */
const char *wl_number_error(const Scanner *sc, const char *tok, int status, const char *what,
				GError **error)
{
	g_autofree char *shown = wl_show_token(tok);

	if (status == NUM_OVERFLOW)
		wl_parse_error(sc, error, "expected %s that fits in 64 bits, found %s", what, shown);
	else if (tok[0] == '-' || tok[0] == '+')
		wl_parse_error(sc, error, "expected %s, found %s (numbers have no sign)", what, shown);
	else if (tok[0] == '0' && tok[1] == 'X')
		wl_parse_error(
			sc, error,
			"expected %s, found %s (hexadecimal numbers start with a lower-case 0x)",
			what, shown);
	else
		wl_parse_error(sc, error, "expected %s, found %s", what, shown);
	return NULL;
}

static const char *register_error(const Scanner *sc, const char *tok, GError **error)
{
	g_autofree char *shown = wl_show_token(tok);

	wl_parse_error(sc, error, "expected a register r0..r15, found %s", shown);
	return NULL;
}

/* "rN" at p, N in 0..15 written without leading zeros; *reg = N.  Returns
 * the position after it (the caller checks what follows). */
static inline const char *scan_register(const char *p, unsigned *reg)
{
	unsigned r = (unsigned)UC(p + 1) - '0';

	if (p[0] != 'r' || r > 9)
		return NULL;
	p += 2;
	if (r == 1 && (unsigned)UC(p) - '0' <= 5) {
		r = 10 + (unsigned)UC(p) - '0';
		p++;
	}
	*reg = r;
	return p;
}

/* The target of alloc, free, lock_page, unlock_page: a bare register. */
static const char *parse_reg_operand(const Scanner *sc, const char *p, WlOp *op, GError **error)
{
	unsigned reg;

	p = skip_blanks(p);
	const char *tok = p;
	p = scan_register(tok, &reg);
	if (G_UNLIKELY(!p || delim[UC(p)] == D_TOKEN))
		return register_error(sc, tok, error);
	op->reg = (uint8_t)reg;
	return p;
}

/* ADDR: a number, or rN / rN+OFF (op->reg = N, op->addr = OFF).  *tok is
 * set to the number's text, for the caller's messages. */
static inline const char *parse_addr(const Scanner *sc, const char *p, WlOp *op, const char **tok,
				     GError **error)
{
	p = skip_blanks(p);
	*tok = p;
	if (*p != 'r')
		return parse_number(sc, p, &op->addr, "an address", error);

	unsigned reg;
	const char *q = scan_register(p, &reg);
	if (G_UNLIKELY(!q || (*q != '+' && delim[UC(q)] == D_TOKEN)))
		return register_error(sc, p, error);
	op->reg = (uint8_t)reg;
	if (*q != '+')
		return q; /* rN: offset 0 */
	q++;
	*tok = q;
	int status = scan_number(&q, &op->addr);
	if (G_UNLIKELY(status != NUM_OK))
		return wl_number_error(sc, *tok, status, "an offset", error);
	return q;
}

/* A required operand must not be missing. */
static inline gboolean have_operand(const Scanner *sc, const char *p, const char *what,
				    GError **error)
{
	p = skip_blanks(p);
	if (G_LIKELY(delim[UC(p)] != D_END))
		return TRUE;
	wl_parse_error(sc, error, "expected %s, found end of line", what);
	return FALSE;
}

static const struct {
	const char *name;
	uint32_t bit;
} gfp_names[] = {
	{"GFP_ATOMIC", WL_GFP_ATOMIC}, {"GFP_NOWAIT", WL_GFP_NOWAIT},
	{"GFP_KERNEL", WL_GFP_KERNEL}, {"__GFP_ZERO", WL_GFP_ZERO},
	{"__GFP_HIGH", WL_GFP_HIGH},   {"__GFP_NOWARN", WL_GFP_NOWARN},
};

/* FLAGS: gfp names joined by '|'. */
static const char *parse_gfp(const Scanner *sc, const char *p, uint32_t *gfp, GError **error)
{
	if (!have_operand(sc, p, "gfp flags", error))
		return NULL;
	p = skip_blanks(p);
	const char *e = token_end(p);
	*gfp = 0;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(e - p));
		const char *ce = bar ? bar : e;
		size_t len = (size_t)(ce - p);
		guint i;
		for (i = 0; i < G_N_ELEMENTS(gfp_names); i++)
			if (strlen(gfp_names[i].name) == len && !memcmp(p, gfp_names[i].name, len))
				break;
		if (i == G_N_ELEMENTS(gfp_names)) {
			g_autofree char *shown = g_strndup(p, MIN(len, WL_SHOW_MAX));
			wl_parse_error(sc, error,
				    "unknown gfp flag '%s' (expected GFP_ATOMIC, GFP_NOWAIT, "
				    "GFP_KERNEL, __GFP_ZERO, __GFP_HIGH or __GFP_NOWARN, joined by "
				    "'|')",
				    shown);
			return NULL;
		}
		*gfp |= gfp_names[i].bit;
		if (!bar)
			return e;
		p = bar + 1;
	}
}

static const char *op_names[WL_N_OPS] = {
	[WL_OP_LD] = "ld",
	[WL_OP_ST] = "st",
	[WL_OP_RMW] = "rmw",
	[WL_OP_COMPUTE] = "compute",
	[WL_OP_LOCK] = "lock",
	[WL_OP_UNLOCK] = "unlock",
	[WL_OP_BARRIER] = "barrier",
	[WL_OP_ALLOC] = "alloc",
	[WL_OP_FREE] = "free",
	[WL_OP_LOCK_PAGE] = "lock_page",
	[WL_OP_UNLOCK_PAGE] = "unlock_page",
};

const char *wl_op_name(WlOpKind kind)
{
	g_assert((unsigned)kind < WL_N_OPS);
	return op_names[kind];
}

/* The operation named by the len bytes at p, or -1. */
static inline int op_kind(const char *p, size_t len)
{
#define IS(s) (len == sizeof(s) - 1 && !memcmp(p, s, sizeof(s) - 1))
	switch (len) {
	case 2:
		if (p[1] == 'd' && p[0] == 'l')
			return WL_OP_LD;
		if (p[1] == 't' && p[0] == 's')
			return WL_OP_ST;
		return -1;
	case 3:
		return IS("rmw") ? WL_OP_RMW : -1;
	case 4:
		return IS("lock") ? WL_OP_LOCK : IS("free") ? WL_OP_FREE : -1;
	case 5:
		return IS("alloc") ? WL_OP_ALLOC : -1;
	case 6:
		return IS("unlock") ? WL_OP_UNLOCK : -1;
	case 7:
		return IS("compute") ? WL_OP_COMPUTE : IS("barrier") ? WL_OP_BARRIER : -1;
	case 9:
		return IS("lock_page") ? WL_OP_LOCK_PAGE : -1;
	case 11:
		return IS("unlock_page") ? WL_OP_UNLOCK_PAGE : -1;
	default:
		return -1;
	}
#undef IS
}

static const char *core_error(const Scanner *sc, uint64_t core, GError **error)
{
	unsigned n = sc->core_limit;

	if (!sc->core_counted)
		wl_parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT " is out of range (at most %u cores: 0..%u)",
			    core, n, n - 1);
	else if (n == 1)
		wl_parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT
			    " is out of range (the workload has 1 core: 0)",
			    core);
	else
		wl_parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT
			    " is out of range (the workload has %u cores: 0..%u)",
			    core, n, n - 1);
	return NULL;
}

/* Parses the operation line at p (blanks before it skipped) into *op.
 * Returns the start of the next line, or NULL with *error.  *addr_tok
 * points at the text of the address (or offset) operand, if any.  Any
 * line, any error: see parse_op() for the fast path in front of it. */
G_GNUC_NO_INLINE const char *wl_parse_op_general(const Scanner *sc, const char *p, WlOp *op,
						     const char **addr_tok, GError **error)
{
	const char *tok = p;
	uint64_t core;
	int status = scan_number(&p, &core);

	if (G_UNLIKELY(status != NUM_OK))
		return wl_number_error(sc, tok, status, "a core number", error);
	if (G_UNLIKELY(core >= sc->core_limit))
		return core_error(sc, core, error);
	if (G_UNLIKELY(sc->line > UINT32_MAX)) {
		wl_parse_error(sc, error, "expected operations within the first %u lines", UINT32_MAX);
		return NULL;
	}
	*op = (WlOp){.line = (uint32_t)sc->line, .core = (uint16_t)core, .reg = WL_NO_REG};

	p = skip_blanks(p);
	const char *e = token_end(p);
	int kind = op_kind(p, (size_t)(e - p));
	if (G_UNLIKELY(kind < 0)) {
		if (e == p) {
			wl_parse_error(sc, error, "expected an operation, found end of line");
		} else {
			g_autofree char *shown = wl_show_token(p);
			wl_parse_error(sc, error,
				    "unknown operation '%s' (expected ld, st, rmw, compute, lock, "
				    "unlock, alloc, free, lock_page, unlock_page or barrier)",
				    shown);
		}
		return NULL;
	}
	op->kind = (uint8_t)kind;
	p = e;
	*addr_tok = NULL;

	switch (kind) {
	case WL_OP_LD:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		p = skip_blanks(p);
		if (*p == '=') {
			tok = p++;
			status = scan_number(&p, &op->expect);
			if (G_UNLIKELY(status != NUM_OK))
				return wl_number_error(sc, tok, status, "=VALUE (like =42 or =0x2a)",
						    error);
			op->has_expect = 1;
		}
		break;
	case WL_OP_ST:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		p = skip_blanks(p);
		if (delim[UC(p)] != D_END) {
			if (!(p = parse_number(sc, p, &op->value, "a value", error)))
				return NULL;
			op->has_value = 1;
		}
		break;
	case WL_OP_RMW: {
		if (!have_operand(sc, p, "an rmw kind (add, xchg or cas)", error))
			return NULL;
		p = skip_blanks(p);
		e = token_end(p);
		size_t len = (size_t)(e - p);
		if (len == 3 && !memcmp(p, "add", 3)) {
			op->rmw = WL_RMW_ADD;
		} else if (len == 4 && !memcmp(p, "xchg", 4)) {
			op->rmw = WL_RMW_XCHG;
		} else if (len == 3 && !memcmp(p, "cas", 3)) {
			op->rmw = WL_RMW_CAS;
		} else {
			g_autofree char *shown = wl_show_token(p);
			wl_parse_error(sc, error, "expected an rmw kind (add, xchg or cas), found %s",
				    shown);
			return NULL;
		}
		p = e;
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		const char *what = op->rmw == WL_RMW_CAS ? "the value to compare" : "a value";
		if (!have_operand(sc, p, what, error) ||
		    !(p = parse_number(sc, p, &op->value, what, error)))
			return NULL;
		if (op->rmw == WL_RMW_CAS &&
		    (!have_operand(sc, p, "the new value", error) ||
		     !(p = parse_number(sc, p, &op->value2, "the new value", error))))
			return NULL;
		break;
	}
	case WL_OP_COMPUTE:
		if (!have_operand(sc, p, "a cycle count", error))
			return NULL;
		tok = skip_blanks(p);
		if (!(p = parse_number(sc, p, &op->value, "a cycle count", error)))
			return NULL;
		if (op->value > WL_MAX_COMPUTE) {
			g_autofree char *shown = wl_show_token(tok);
			wl_parse_error(sc, error,
				       "expected a cycle count from 0 to %" G_GUINT64_FORMAT
				       " (2^32, the limit of one compute), found %s",
				       WL_MAX_COMPUTE, shown);
			return NULL;
		}
		break;
	case WL_OP_LOCK:
	case WL_OP_UNLOCK:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		break;
	case WL_OP_ALLOC: {
		if (!have_operand(sc, p, "a register r0..r15", error) ||
		    !(p = parse_reg_operand(sc, p, op, error)) ||
		    !(p = parse_gfp(sc, p, &op->gfp, error)))
			return NULL;
		p = skip_blanks(p);
		if (delim[UC(p)] != D_END) {
			uint64_t order = 0;
			tok = p;
			if (!(p = parse_number(sc, p, &order, "an order from 0 to 10", error)))
				return NULL;
			if (order > WL_MAX_ORDER) {
				g_autofree char *shown = wl_show_token(tok);
				wl_parse_error(sc, error, "expected an order from 0 to %d, found %s",
					    WL_MAX_ORDER, shown);
				return NULL;
			}
			op->order = (uint8_t)order;
		}
		break;
	}
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		if (!have_operand(sc, p, "a register r0..r15", error) ||
		    !(p = parse_reg_operand(sc, p, op, error)))
			return NULL;
		break;
	case WL_OP_BARRIER:
		break;
	default:
		g_assert_not_reached();
	}
	return end_of_line(sc, p, error);
}
