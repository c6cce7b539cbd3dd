/* PDF structure check (pdf.h). A small tokenizer after ISO 32000-1 §7.2–7.5
 * reads the file from its header to its end: every byte outside stream data
 * must belong to an object, a cross-reference table, a trailer or startxref.
 * Object streams are inflated and read the same way. Then the chain of
 * cross-reference sections from the last startxref is followed and every
 * entry in use must point at an object of that number. */

#include <stdlib.h>
#include <string.h>

#include "content/pdf_internal.h"

/* The objects of an inflated object stream: N pairs of integers, then from
 * /First the values. */
static bool
read_objstm(struct pdf *p, const struct dict_info *d, const unsigned char *data, size_t len)
{
	size_t n;
	unsigned char *buf = pdf_decode_stream(p, d, data, len, &n);
	if (!buf)
		return false;
	struct lex l = {.p = p, .s = buf, .n = n};
	bool ok = d->n_objs >= 0 && d->n_objs <= PDF_MAX_OBJECTS && d->first >= 0 &&
	          (size_t)d->first <= n;
	for (long long k = 0; ok && k < 2 * d->n_objs; k++)
		ok = pdf_next(&l) == T_INT && l.i <= (size_t)d->first;
	if (ok)
		l.i = (size_t)d->first;
	while (ok && pdf_next(&l) != T_EOF)
		ok = pdf_parse_after(&l, NULL, 1);
	free(buf);
	return ok ? true : (pdf_fail(p, PDF_MALFORMED, "a bad object stream"), false);
}

static bool
record(struct pdf *p, size_t off, long long num, long long gen)
{
	if (num < 0 || num > 0xFFFFFFFFLL || gen < 0 || gen > 65535)
		return false;
	if (p->nobjs == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256;
		if (ncap > PDF_MAX_OBJECTS)
			ncap = PDF_MAX_OBJECTS;
		struct obj_rec *o = ncap > p->cap ? realloc(p->objs, ncap * sizeof(*o)) : NULL;
		if (!o) {
			pdf_fail(p, PDF_UNSUPPORTED, "too many objects");
			return false;
		}
		p->objs = o;
		p->cap = ncap;
	}
	p->objs[p->nobjs++] = (struct obj_rec){off, (uint32_t)num, (uint16_t)gen};
	return true;
}

/* "num gen obj value [stream … endstream] endobj" from l->i. Fills d, and
 * the stream data range (*data NULL when none). */
static bool
parse_object(struct lex *l, struct dict_info *d, long long *num, long long *gen,
             const unsigned char **data, size_t *dlen)
{
	memset(d, 0, sizeof(*d));
	d->size = d->prev = d->xrefstm = d->n_objs = d->first = -1;
	*data = NULL;
	if (pdf_next(l) != T_INT || (*num = l->ival, pdf_next(l)) != T_INT || (*gen = l->ival, pdf_next(l)) != T_KW ||
	    !pdf_kw_is(l, "obj"))
		return false;
	if (!pdf_parse_value(l, d, 0))
		return false;
	if (pdf_next(l) == T_KW && pdf_kw_is(l, "stream")) {
		size_t i = l->i;
		if (i < l->n && l->s[i] == '\r')
			i++;
		if (i < l->n && l->s[i] == '\n')
			i++;
		if (i == l->i)
			return false;
		size_t end = 0;
		bool found = false;
		if (d->has_length && d->length >= 0 && (size_t)d->length <= l->n - i) {
			struct lex t = *l;
			t.i = i + (size_t)d->length;
			if (pdf_next(&t) == T_KW && pdf_kw_is(&t, "endstream"))
				end = i + (size_t)d->length, found = true;
		}
		if (!found) { /* an indirect or wrong /Length: the first endstream */
			const unsigned char *e = memmem(l->s + i, l->n - i, "endstream", 9);
			if (!e)
				return false;
			end = (size_t)(e - l->s);
			while (end > i && (l->s[end - 1] == '\n' || l->s[end - 1] == '\r'))
				end--;
		}
		*data = l->s + i;
		*dlen = end - i;
		l->i = end;
		if (pdf_next(l) != T_KW || !pdf_kw_is(l, "endstream"))
			return false;
		pdf_next(l);
	}
	return pdf_kw_is(l, "endobj");
}

static int
cmp_off(const void *k, const void *e)
{
	size_t off = *(const size_t *)k, eo = ((const struct obj_rec *)e)->off;
	return off < eo ? -1 : off > eo;
}

static struct obj_rec *
obj_at(struct pdf *p, size_t off)
{
	return p->nobjs ? bsearch(&off, p->objs, p->nobjs, sizeof(*p->objs), cmp_off) : NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool
note_objstm(struct pdf *p, uint32_t num)
{
	if (p->nstms == p->stmcap) {
		size_t ncap = p->stmcap ? p->stmcap * 2 : 16;
		uint32_t *o = realloc(p->stms, ncap * sizeof(*o));
		if (!o)
			return pdf_fail(p, PDF_UNSUPPORTED, "out of memory"), false;
		p->stms = o;
		p->stmcap = ncap;
	}
	p->stms[p->nstms++] = num;
	return true;
}

static bool
obj_is_objstm(struct pdf *p, long long num)
{
	uint32_t k = (uint32_t)num;
	return num >= 0 && num <= 0xFFFFFFFFLL && p->nstms &&
	       bsearch(&k, p->stms, p->nstms, sizeof(*p->stms), cmp_u32) != NULL;
}

/* One entry of a cross-reference section. */
static bool
check_entry(struct pdf *p, long long num, int type, long long f2, long long f3)
{
	if (type == 1) {
		struct obj_rec *o = f2 >= 0 && (size_t)f2 < p->n ? obj_at(p, (size_t)f2) : NULL;
		return o && o->num == num && o->gen == f3;
	}
	if (type == 2)
		return obj_is_objstm(p, f2);
	return true;
}

/* The cross-reference stream object at off; *d receives its dictionary. */
static bool
check_xref_stream(struct pdf *p, size_t off, struct dict_info *d)
{
	struct lex l = {.p = p, .s = p->s, .n = p->n, .i = off};
	long long num, gen;
	const unsigned char *data;
	size_t dlen, n;
	if (!obj_at(p, off) || !parse_object(&l, d, &num, &gen, &data, &dlen) || !data ||
	    strcmp(d->type, "XRef") || d->nw != 3 || d->size < 0)
		return false;
	int wsum = 0;
	for (int k = 0; k < 3; k++) {
		if (d->w[k] < 0 || d->w[k] > 8)
			return false;
		wsum += (int)d->w[k];
	}
	long long defidx[2] = {0, d->size};
	const long long *idx = d->nindex ? d->index : defidx;
	int nidx = d->nindex ? d->nindex : 2;
	if (nidx % 2 || wsum == 0)
		return false;
	unsigned char *buf = pdf_decode_stream(p, d, data, dlen, &n);
	if (!buf)
		return false;
	const unsigned char *e = buf;
	bool ok = true;
	for (int k = 0; ok && k < nidx; k += 2) {
		if (idx[k] < 0 || idx[k + 1] < 0 || idx[k + 1] > PDF_MAX_OBJECTS ||
		    (size_t)(e - buf) + (size_t)idx[k + 1] * (size_t)wsum > n) {
			ok = false;
			break;
		}
		for (long long j = 0; ok && j < idx[k + 1]; j++) {
			uint64_t f[3] = {d->w[0] ? 0 : 1, 0, 0};
			for (int c = 0; c < 3; c++)
				for (int b = 0; b < d->w[c]; b++)
					f[c] = (f[c] << 8) | *e++;
			for (int c = 0; c < 3; c++)
				if (f[c] > (uint64_t)1 << 40)
					f[c] = (uint64_t)1 << 40; /* beyond any offset, number or type */
			ok = check_entry(p, idx[k] + j, f[0] > 255 ? 255 : (int)f[0], (long long)f[1],
			                 (long long)f[2]);
		}
	}
	free(buf);
	return ok;
}

/* The cross-reference table at off ("xref … trailer <<…>>"). */
static bool
check_xref_table(struct pdf *p, size_t off, struct dict_info *d)
{
	struct lex l = {.p = p, .s = p->s, .n = p->n, .i = off};
	if (pdf_next(&l) != T_KW || !pdf_kw_is(&l, "xref"))
		return false;
	while (pdf_next(&l) == T_INT) {
		long long first = l.ival;
		if (pdf_next(&l) != T_INT || l.ival > PDF_MAX_OBJECTS)
			return false;
		long long count = l.ival;
		for (long long j = 0; j < count; j++) {
			long long eoff, egen;
			if (pdf_next(&l) != T_INT || (eoff = l.ival, pdf_next(&l)) != T_INT ||
			    (egen = l.ival, pdf_next(&l)) != T_KW)
				return false;
			if (pdf_kw_is(&l, "n")) {
				if (!check_entry(p, first + j, 1, eoff, egen))
					return false;
			} else if (!pdf_kw_is(&l, "f"))
				return false;
		}
	}
	if (!pdf_kw_is(&l, "trailer"))
		return false;
	memset(d, 0, sizeof(*d));
	d->size = d->prev = d->xrefstm = d->n_objs = d->first = -1;
	return pdf_parse_value(&l, d, 0) && d->depth == 0;
}

/* Follows startxref and the /Prev chain. */
static bool
check_xrefs(struct pdf *p, long long startxref)
{
	size_t seen[PDF_MAX_XREF_SECTIONS];
	long long off = startxref;
	for (int k = 0; off >= 0; k++) {
		if (k == PDF_MAX_XREF_SECTIONS || (size_t)off >= p->n)
			return false;
		for (int j = 0; j < k; j++)
			if (seen[j] == (size_t)off)
				return false;
		seen[k] = (size_t)off;
		struct dict_info d;
		bool ok = p->s[off] == 'x' ? check_xref_table(p, (size_t)off, &d)
		                           : check_xref_stream(p, (size_t)off, &d);
		if (ok && d.xrefstm >= 0) {
			struct dict_info ds;
			ok = (size_t)d.xrefstm < p->n && check_xref_stream(p, (size_t)d.xrefstm, &ds);
		}
		if (!ok)
			return false;
		if (d.encrypt) {
			pdf_fail(p, PDF_ENCRYPTED, "encrypted");
			return false;
		}
		if (k == 0 && !d.root)
			return false;
		off = d.prev;
	}
	return true;
}

/* Reads the whole file as a sequence of objects, xref sections, trailers and
 * startxref; *startxref receives the last one's offset. */
static bool
scan_file(struct pdf *p, long long *startxref)
{
	struct lex l = {.p = p, .s = p->s, .n = p->n};
	*startxref = -1;
	for (;;) {
		pdf_skip_ws(&l);
		size_t at = l.i;
		switch (pdf_next(&l)) {
		case T_EOF: return *startxref >= 0;
		case T_INT: {
			struct dict_info d;
			long long num, gen;
			const unsigned char *data;
			size_t dlen;
			l.i = at;
			if (!parse_object(&l, &d, &num, &gen, &data, &dlen) || !record(p, at, num, gen))
				return false;
			p->encrypted = p->encrypted || (d.encrypt && !strcmp(d.type, "XRef"));
			p->xref_streams = p->xref_streams || !strcmp(d.type, "XRef");
			if (data && !strcmp(d.type, "ObjStm")) {
				if (!note_objstm(p, (uint32_t)num) || !read_objstm(p, &d, data, dlen))
					return false;
			}
			break;
		}
		case T_KW:
			if (pdf_kw_is(&l, "xref")) {
				while (pdf_next(&l) == T_INT || pdf_kw_is(&l, "n") || pdf_kw_is(&l, "f"))
					;
				struct dict_info trailer;
				memset(&trailer, 0, sizeof(trailer));
				trailer.size = trailer.prev = trailer.xrefstm = trailer.n_objs = trailer.first = -1;
				if (!pdf_kw_is(&l, "trailer") || !pdf_parse_value(&l, &trailer, 0))
					return false;
				p->encrypted = p->encrypted || trailer.encrypt;
			} else if (pdf_kw_is(&l, "startxref")) {
				if (pdf_next(&l) != T_INT)
					return false;
				*startxref = l.ival;
			} else
				return false;
			break;
		default: return false;
		}
	}
}

enum pdf_verdict
pdf_check(const unsigned char *s, size_t n, const char **why)
{
	struct pdf p = {.s = s, .n = n};
	size_t end = n;
	while (end > 0 && pdf_is_ws(s[end - 1]))
		end--;
	long long startxref;
	if (n < 9 || memcmp(s, "%PDF-", 5) != 0 ||
	    !((s[5] == '1' && s[6] == '.' && s[7] >= '0' && s[7] <= '7') ||
	      (s[5] == '2' && s[6] == '.' && s[7] == '0')) ||
	    (s[8] != '\r' && s[8] != '\n'))
		pdf_fail(&p, PDF_MALFORMED, "no PDF header");
	else if (end < 5 || memcmp(s + end - 5, "%%EOF", 5) != 0)
		pdf_fail(&p, PDF_MALFORMED, "no %%EOF at the end");
	else if (!scan_file(&p, &startxref))
		pdf_fail(&p, PDF_MALFORMED, "not PDF syntax");
	else if (p.encrypted)
		pdf_fail(&p, PDF_ENCRYPTED, "encrypted");
	else {
		if (p.nstms)
			qsort(p.stms, p.nstms, sizeof(*p.stms), cmp_u32);
		bool xref_ok = check_xrefs(&p, startxref);
		if (!xref_ok && !p.xref_streams && p.nstms == 0 && p.v != PDF_ACTIVE &&
		    p.v != PDF_ENCRYPTED) {
			/* A classic table whose offsets miss their objects, as sloppy
			 * writers leave it: readers rebuild it by reading the objects in
			 * order, and every object has been read and checked above. With
			 * xref or object streams the table decides which compressed
			 * objects exist, so it must be right. */
			p.v = PDF_OK;
			p.why = "cross-reference table rebuilt from the objects";
		} else if (!xref_ok) {
			pdf_fail(&p, PDF_MALFORMED, "a bad cross-reference section");
		}
	}
	free(p.objs);
	free(p.stms);
	if (why)
		*why = p.why ? p.why : "ok";
	return p.v;
}

const char *
pdf_verdict_code(enum pdf_verdict v)
{
	static const char *const codes[PDF__MAX] = {"ok", "malformed", "active", "encrypted",
	                                            "unsupported"};
	return (unsigned)v < PDF__MAX ? codes[v] : "unknown";
}
