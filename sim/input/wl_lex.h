/* wl_lex.h - the workload lexer, and the parser's fast path, inline: they
 * run for every line of a file, in validation (wl_validate.c) and in every
 * cursor (wl_cursor.c), and a call per token would cost more than the
 * token.  wl_parse.c holds the rest of the parser.
 */
#ifndef LABYRINTH_WL_LEX_H
#define LABYRINTH_WL_LEX_H

#include "wl_priv.h"

/*
 * Lexing.  Tokens end at a blank or at the end of the line's content ('\n',
 * or '#', which starts a comment anywhere).  '\r' counts as a blank, so
 * files with CRLF line ends read the same.
 */
enum { D_TOKEN = 0, D_BLANK = 1, D_END = 2 };

static const uint8_t delim[256] = {
	[' '] = D_BLANK, ['\t'] = D_BLANK, ['\r'] = D_BLANK, ['\n'] = D_END, ['#'] = D_END,
};

#define UC(p) ((unsigned char)*(p))

/* Hexadecimal digits eight at a time (SWAR): a 64-bit load holds the next
 * 8 bytes, first byte lowest.  The buffer has WL_PAD spare bytes, so a
 * load near its end stays inside it.  This halves the cost of a line like
 * "0 ld 0x1a2b3c40" against a loop over the digits. */
#define ONES UINT64_C(0x0101010101010101)
/* 0x80 in each byte b of x with m < b < n (bytes >= 0x80 never qualify);
 * no carry crosses bytes, as each works on its low 7 bits. */
static inline uint64_t bytes_between(uint64_t x, unsigned m, unsigned n)
{
	uint64_t low = x & ONES * 127;

	return (ONES * (127 + n) - low) & ~x & (low + ONES * (127 - m)) & ONES * 128;
}

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return GUINT64_FROM_LE(w);
}

static inline uint32_t load4(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return GUINT32_FROM_LE(w);
}

/* How many of the 8 bytes of x, from the first, are hex digits. */
static inline unsigned hex_run(uint64_t x)
{
	uint64_t hex = bytes_between(x, '0' - 1, '9' + 1) |
		       bytes_between(x | ONES * 0x20, 'a' - 1, 'f' + 1);
	uint64_t other = ~hex & ONES * 0x80;

	return other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
}

/* The value of the first n (1..8) bytes of x, all hex digits. */
static inline uint64_t hex_value(uint64_t x, unsigned n)
{
	/* Each byte to its digit: '0'..'9' -> low nibble; letters (bit 6
	 * set) -> low nibble + 9.  Then the n digits to the top bytes, the
	 * last digit in byte 7, and pairs, quads, octets combined. */
	uint64_t d = (x & ONES * 0x0f) + ((x & ONES * 0x40) >> 6) * 9;

	d <<= (8 - n) * 8;
	d = (d & UINT64_C(0x00ff00ff00ff00ff)) << 4 | (d >> 8 & UINT64_C(0x00ff00ff00ff00ff));
	d = (d & UINT64_C(0x0000ffff0000ffff)) << 8 | (d >> 16 & UINT64_C(0x0000ffff0000ffff));
	return (d & UINT64_C(0xffffffff)) << 16 | d >> 32;
}

static inline const char *skip_blanks(const char *p)
{
	while (delim[UC(p)] == D_BLANK)
		p++;
	return p;
}

static inline const char *token_end(const char *p)
{
	while (delim[UC(p)] == D_TOKEN)
		p++;
	return p;
}

enum { NUM_OK, NUM_BAD, NUM_OVERFLOW };

/* Decimal, or hexadecimal after a lower-case 0x; no sign; 64 bits.  On
 * NUM_OK, *pp moves past the number, which must end the token.  The loops
 * test nothing but the digits: a number too long to be sure it fits is
 * rechecked after. */
static inline int scan_number(const char **pp, uint64_t *out)
{
	const char *s = *pp, *p;
	uint64_t v = 0;
	unsigned d;

	if (s[0] == '0' && s[1] == 'x') {
		s += 2;
		uint64_t x = load8(s);
		unsigned n = hex_run(x);
		if (!n)
			return NUM_BAD;
		v = hex_value(x, n);
		p = s + n;
		while (G_UNLIKELY(n == 8)) {
			x = load8(p);
			n = hex_run(x);
			if (!n)
				break;
			v = v << (4 * n) | hex_value(x, n);
			p += n;
		}
		if (G_UNLIKELY(p - s > 16) && wl_number_overflows(s, p, TRUE))
			return NUM_OVERFLOW;
	} else {
		d = (unsigned)UC(s) - '0';
		if (d > 9)
			return NUM_BAD;
		p = s;
		do {
			v = v * 10 + d;
			d = (unsigned)UC(++p) - '0';
		} while (d <= 9);
		if (G_UNLIKELY(p - s > 19) && wl_number_overflows(s, p, FALSE))
			return NUM_OVERFLOW;
	}
	if (delim[UC(p)] == D_TOKEN)
		return NUM_BAD; /* "12ab", "0x1g" */
	*pp = p;
	*out = v;
	return NUM_OK;
}

/* A number token after blanks; NULL with *error when there is none. */
static inline const char *parse_number(const Scanner *sc, const char *p, uint64_t *v,
				       const char *what, GError **error)
{
	p = skip_blanks(p);
	const char *tok = p;
	int status = scan_number(&p, v);
	if (G_UNLIKELY(status != NUM_OK))
		return wl_number_error(sc, tok, status, what, error);
	return p;
}

/* Skips the rest of the line, which must hold nothing but blanks and maybe
 * a comment; returns the start of the next line. */
static inline const char *end_of_line(const Scanner *sc, const char *p, GError **error)
{
	p = skip_blanks(p);
	if (G_LIKELY(*p == '\n'))
		return p + 1;
	if (*p == '#')
		return (const char *)memchr(p, '\n', (size_t)(sc->lim - p)) + 1;
	g_autofree char *shown = wl_show_token(p);
	wl_parse_error(sc, error, "expected end of line, found %s", shown);
	return NULL;
}

#define OP4(a, b, c, d)                                                                            \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* wl_parse_op_general(), with a fast path in front for the lines that make
 * up nearly all of a generated trace: "C ld 0xADDR" and "C st 0xADDR" or
 * "C st 0xADDR VALUE", with a one-digit core, single spaces, 1 to 8 hex
 * digits, a decimal VALUE and nothing after.  They cost about half as much
 * here.  A line that fails any check goes the general way, which takes
 * these lines too, to the same WlOp. */
static inline const char *parse_op(const Scanner *sc, const char *p, WlOp *op,
				   const char **addr_tok, GError **error)
{
	unsigned core = (unsigned)UC(p) - '0';
	/* p[0] is a digit, so p[1] is in the line; the 4 bytes at p + 2 may
	 * run past it, but not past the buffer's padding. */
	uint32_t w = load4(p + 2);

	if (G_LIKELY(core <= 9 && p[1] == ' ' &&
		     (w == OP4('l', 'd', ' ', '0') || w == OP4('s', 't', ' ', '0')) &&
		     p[6] == 'x' && core < sc->core_limit && sc->line <= UINT32_MAX)) {
		uint64_t x = load8(p + 7);
		unsigned n = hex_run(x);
		const char *q = p + 7 + n;
		uint64_t value = 0;
		gboolean has_value = FALSE;

		if (G_UNLIKELY(n == 0))
			goto general;
		/* With n == 8, more digits may follow: then *q is neither ' '
		 * nor '\n', and the line goes the general way. */
		if (*q == ' ' && w == OP4('s', 't', ' ', '0')) {
			const char *s = ++q;
			unsigned d = (unsigned)UC(s) - '0';
			if (d > 9)
				goto general;
			do {
				value = value * 10 + d;
				d = (unsigned)UC(++q) - '0';
			} while (d <= 9);
			if (q - s > 19)
				goto general; /* might overflow */
			has_value = TRUE;
		}
		if (G_LIKELY(*q == '\n')) {
			*op = (WlOp){
				.addr = hex_value(x, n),
				.value = value,
				.line = (uint32_t)sc->line,
				.core = (uint16_t)core,
				.kind = w == OP4('l', 'd', ' ', '0') ? WL_OP_LD : WL_OP_ST,
				.reg = WL_NO_REG,
				.has_value = (uint8_t)has_value,
			};
			*addr_tok = p + 5;
			return q + 1;
		}
	}
general:
	return wl_parse_op_general(sc, p, op, addr_tok, error);
}

#endif
