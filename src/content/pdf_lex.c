/* The PDF tokenizer and value parser (ISO 32000-1 §7.2–7.3), and the
 * decoding of object and cross-reference streams (§7.4.4, §7.4.4.4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "content/pdf_internal.h"

/* Names refused wherever they appear in a dictionary or array (decoded). */
static const char *const active_names[] = {
    "JavaScript", "JS",        "EmbeddedFile", "EmbeddedFiles", "EF", "FileAttachment",
    "Launch",     "RichMedia", "XFA",          NULL};

enum pdf_verdict
pdf_fail(struct pdf *p, enum pdf_verdict v, const char *why)
{
	if (p->v == PDF_OK) {
		p->v = v;
		p->why = why;
	}
	return p->v;
}

bool
pdf_is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
/* Copies a name, cut to size (a cut name matches none this check looks for). */
static void
copy_name(char *dst, size_t size, const char *src)
{
	size_t k = strlen(src);
	if (k >= size)
		k = size - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
}

static bool
is_delim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}
static int
hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void
pdf_skip_ws(struct lex *l)
{
	while (l->i < l->n) {
		unsigned char c = l->s[l->i];
		if (pdf_is_ws(c))
			l->i++;
		else if (c == '%')
			while (l->i < l->n && l->s[l->i] != '\n' && l->s[l->i] != '\r')
				l->i++;
		else
			break;
	}
}

/* A literal string from just after its '('; false when unterminated. */
static bool
skip_literal(struct lex *l)
{
	int nest = 1;
	while (l->i < l->n) {
		unsigned char c = l->s[l->i++];
		if (c == '\\' && l->i < l->n)
			l->i++;
		else if (c == '(')
			nest++;
		else if (c == ')' && --nest == 0)
			return true;
	}
	return false;
}

enum tok
pdf_next(struct lex *l)
{
	pdf_skip_ws(l);
	l->start = l->i;
	if (l->i >= l->n)
		return l->t = T_EOF;
	unsigned char c = l->s[l->i++];
	switch (c) {
	case '[': return l->t = T_AOPEN;
	case ']': return l->t = T_ACLOSE;
	case '(': return l->t = skip_literal(l) ? T_STR : T_ERR;
	case '>':
		if (l->i < l->n && l->s[l->i] == '>') {
			l->i++;
			return l->t = T_DCLOSE;
		}
		return l->t = T_ERR;
	case '<':
		if (l->i < l->n && l->s[l->i] == '<') {
			l->i++;
			return l->t = T_DOPEN;
		}
		while (l->i < l->n && (hexval(l->s[l->i]) >= 0 || pdf_is_ws(l->s[l->i])))
			l->i++;
		if (l->i < l->n && l->s[l->i] == '>') {
			l->i++;
			return l->t = T_STR;
		}
		return l->t = T_ERR;
	case '/': {
		size_t k = 0;
		while (l->i < l->n && !pdf_is_ws(l->s[l->i]) && !is_delim(l->s[l->i])) {
			unsigned char ch = l->s[l->i++];
			if (ch == '#') {
				int hi = l->i < l->n ? hexval(l->s[l->i]) : -1;
				int lo = l->i + 1 < l->n ? hexval(l->s[l->i + 1]) : -1;
				if (hi < 0 || lo < 0)
					return l->t = T_ERR;
				ch = (unsigned char)(hi * 16 + lo);
				l->i += 2;
			}
			if (ch == 0 || k >= sizeof(l->name) - 1)
				return l->t = T_ERR;
			l->name[k++] = (char)ch;
		}
		l->name[k] = '\0';
		for (const char *const *a = active_names; *a; a++)
			if (strcmp(l->name, *a) == 0) {
				pdf_fail(l->p, PDF_ACTIVE, "a script, embedded file or launch action");
				return l->t = T_ERR;
			}
		return l->t = T_NAME;
	}
	default: break;
	}
	if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
		bool digits = c >= '0' && c <= '9', dot = c == '.', sign = !digits && !dot;
		long long v = digits ? c - '0' : 0;
		while (l->i < l->n && !pdf_is_ws(l->s[l->i]) && !is_delim(l->s[l->i])) {
			unsigned char d = l->s[l->i++];
			if (d == '.' && !dot)
				dot = true;
			else if (d >= '0' && d <= '9') {
				digits = true;
				if (!dot && v < 1000000000000LL)
					v = v * 10 + (d - '0');
			} else
				return l->t = T_ERR;
		}
		if (!digits)
			return l->t = T_ERR;
		l->ival = v;
		return l->t = (dot || sign) ? T_REAL : T_INT;
	}
	if (is_delim(c))
		return l->t = T_ERR; /* { } ) and % cannot start a token here */
	while (l->i < l->n && !pdf_is_ws(l->s[l->i]) && !is_delim(l->s[l->i]))
		l->i++;
	l->len = l->i - l->start;
	return l->t = T_KW;
}

bool
pdf_kw_is(const struct lex *l, const char *kw)
{
	return l->t == T_KW && l->len == strlen(kw) && memcmp(l->s + l->start, kw, l->len) == 0;
}

/* Records a value the top-level dictionary holds under a key of interest. */
static void
note_int(struct dict_info *d, long long v)
{
	const char *k = d->key;
	if (!k)
		return;
	if (d->depth == 1) {
		if (!strcmp(k, "Length"))
			d->has_length = true, d->length = v;
		else if (!strcmp(k, "N"))
			d->n_objs = v;
		else if (!strcmp(k, "First"))
			d->first = v;
		else if (!strcmp(k, "Size"))
			d->size = v;
		else if (!strcmp(k, "Prev"))
			d->prev = v;
		else if (!strcmp(k, "XRefStm"))
			d->xrefstm = v;
	} else if (d->depth == 2) {
		if (!strcmp(k, "Predictor"))
			d->predictor = v;
		else if (!strcmp(k, "Columns"))
			d->columns = v;
		else if (!strcmp(k, "Colors"))
			d->colors = v;
		else if (!strcmp(k, "BitsPerComponent"))
			d->bpc = v;
	}
}

/* The value whose first token was just read. */
bool
pdf_parse_after(struct lex *l, struct dict_info *d, int depth)
{
	if (depth > PDF_MAX_DEPTH) {
		pdf_fail(l->p, PDF_UNSUPPORTED, "nested too deeply");
		return false;
	}
	switch (l->t) {
	case T_INT: {
		long long v = l->ival;
		size_t save = l->i;
		if (pdf_next(l) == T_INT && pdf_next(l) == T_KW && pdf_kw_is(l, "R")) {
			if (d && d->depth <= 2 && d->key && !strcmp(d->key, "DecodeParms"))
				d->parms_ref = true;
			return true;
		}
		l->i = save;
		l->t = T_INT;
		if (d)
			note_int(d, v);
		return true;
	}
	case T_REAL: case T_STR: return true;
	case T_NAME:
		if (d && d->depth == 1 && d->key && !strcmp(d->key, "Type"))
			copy_name(d->type, sizeof(d->type), l->name);
		if (d && d->key && !strcmp(d->key, "Filter") && d->depth <= 2) {
			if (d->nfilters++ == 0)
				copy_name(d->filter, sizeof(d->filter), l->name);
		}
		return true;
	case T_KW:
		return pdf_kw_is(l, "true") || pdf_kw_is(l, "false") || pdf_kw_is(l, "null");
	case T_AOPEN: {
		bool top = d && d->depth == 1 && d->key;
		bool is_w = top && !strcmp(d->key, "W"), is_index = top && !strcmp(d->key, "Index");
		if (d)
			d->depth++;
		while (pdf_next(l) != T_ACLOSE) {
			if (l->t == T_INT && (is_w || is_index)) {
				if (is_w && d->nw < 3)
					d->w[d->nw++] = l->ival;
				else if (is_index && d->nindex < (int)(sizeof(d->index) / sizeof(d->index[0])))
					d->index[d->nindex++] = l->ival;
				else {
					pdf_fail(l->p, PDF_UNSUPPORTED, "a cross-reference stream index too long");
					return false;
				}
			} else if (!pdf_parse_after(l, d, depth + 1))
				return false;
		}
		if (d)
			d->depth--;
		return true;
	}
	case T_DOPEN: {
		const char *outer = d ? d->key : NULL;
		if (d)
			d->depth++;
		char key[32];
		while (pdf_next(l) != T_DCLOSE) {
			if (l->t != T_NAME)
				return false;
			copy_name(key, sizeof(key), l->name);
			bool keep = d && (d->depth == 1 || (d->depth == 2 && outer &&
			                                    !strcmp(outer, "DecodeParms")));
			if (d)
				d->key = keep ? key : NULL;
			if (d && d->depth == 1 && !strcmp(key, "Encrypt"))
				d->encrypt = true;
			if (d && d->depth == 1 && !strcmp(key, "Root"))
				d->root = true;
			if (!pdf_parse_value(l, d, depth + 1))
				return false;
			if (d)
				d->key = keep ? key : NULL;
		}
		if (d) {
			d->depth--;
			d->key = outer;
		}
		return true;
	}
	default: return false;
	}
}

bool
pdf_parse_value(struct lex *l, struct dict_info *d, int depth)
{
	pdf_next(l);
	return pdf_parse_after(l, d, depth);
}

/* Inflates data (Flate, optional PNG predictor) into a new buffer. NULL when
 * refused (verdict set). */
unsigned char *
pdf_decode_stream(struct pdf *p, const struct dict_info *d, const unsigned char *data, size_t len,
              size_t *outlen)
{
	if (d->parms_ref || d->nfilters > 1 ||
	    (d->nfilters == 1 && strcmp(d->filter, "FlateDecode") && strcmp(d->filter, "Fl"))) {
		pdf_fail(p, PDF_UNSUPPORTED, "an object stream filter other than Flate");
		return NULL;
	}
	size_t cap = d->nfilters ? 65536 : len, n = 0;
	unsigned char *out = malloc(cap ? cap : 1);
	if (!out) {
		pdf_fail(p, PDF_UNSUPPORTED, "out of memory");
		return NULL;
	}
	if (!d->nfilters) {
		memcpy(out, data, len);
		n = len;
	} else {
		z_stream z = {0};
		if (inflateInit(&z) != Z_OK) {
			free(out);
			pdf_fail(p, PDF_UNSUPPORTED, "out of memory");
			return NULL;
		}
		z.next_in = (unsigned char *)data;
		z.avail_in = (uInt)len;
		int zr = Z_OK;
		while (zr == Z_OK) {
			if (n == cap) {
				size_t ncap = cap * 2;
				unsigned char *o = NULL;
				if (ncap <= PDF_MAX_INFLATE && p->inflated + ncap <= PDF_MAX_INFLATE_TOTAL)
					o = realloc(out, ncap);
				if (!o) {
					inflateEnd(&z);
					free(out);
					pdf_fail(p, PDF_UNSUPPORTED, "an object stream inflates beyond the limit");
					return NULL;
				}
				out = o;
				cap = ncap;
			}
			z.next_out = out + n;
			z.avail_out = (uInt)(cap - n);
			zr = inflate(&z, Z_NO_FLUSH);
			n = cap - z.avail_out;
		}
		inflateEnd(&z);
		if (zr != Z_STREAM_END) {
			free(out);
			pdf_fail(p, PDF_MALFORMED, "an object stream does not inflate");
			return NULL;
		}
	}
	p->inflated += n;
	if (d->predictor >= 10) { /* PNG predictors, one byte per pixel */
		size_t cols = (size_t)(d->columns > 0 ? d->columns : 1);
		if ((d->colors > 1) || (d->bpc && d->bpc != 8) || cols > 65536 || n % (cols + 1)) {
			free(out);
			pdf_fail(p, PDF_UNSUPPORTED, "a predictor this check does not read");
			return NULL;
		}
		size_t rows = n / (cols + 1), w = 0;
		for (size_t r = 0; r < rows; r++) {
			const unsigned char *in = out + r * (cols + 1);
			unsigned char kind = in[0], *row = out + w, *up = r ? row - cols : NULL;
			for (size_t c = 0; c < cols; c++) {
				int a = c ? row[c - 1] : 0, b = up ? up[c] : 0, cc = up && c ? up[c - 1] : 0;
				int x = in[1 + c], pa = abs(b - cc), pb = abs(a - cc), pc = abs(a + b - 2 * cc);
				switch (kind) {
				case 0: break;
				case 1: x += a; break;
				case 2: x += b; break;
				case 3: x += (a + b) / 2; break;
				case 4: x += pa <= pb && pa <= pc ? a : pb <= pc ? b : cc; break;
				default: free(out); pdf_fail(p, PDF_MALFORMED, "a bad predictor row"); return NULL;
				}
				row[c] = (unsigned char)x;
			}
			w += cols;
		}
		n = w;
	} else if (d->predictor > 1) {
		free(out);
		pdf_fail(p, PDF_UNSUPPORTED, "a predictor this check does not read");
		return NULL;
	}
	*outlen = n;
	return out;
}

