/* Internals of the PDF check shared by its two files: the tokenizer and
 * value parser with stream decoding (pdf_lex.c), the file and
 * cross-reference reader (pdf.c). */
#ifndef PD_CONTENT_PDF_INTERNAL_H
#define PD_CONTENT_PDF_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/pdf.h"

enum tok { T_EOF, T_ERR, T_INT, T_REAL, T_NAME, T_STR, T_AOPEN, T_ACLOSE, T_DOPEN, T_DCLOSE, T_KW };

struct obj_rec {
	size_t   off;
	uint32_t num;
	uint16_t gen;
};

struct pdf {
	const unsigned char *s;
	size_t n;
	struct obj_rec *objs; /* in file order, so by offset */
	size_t nobjs, cap;
	uint32_t *stms; /* numbers of the object streams, sorted after the scan */
	size_t nstms, stmcap;
	size_t inflated; /* total so far */
	bool encrypted;  /* an /Encrypt seen in a trailer or xref stream */
	bool xref_streams; /* cross-reference streams (compressed objects possible) */
	enum pdf_verdict v;
	const char *why;
};

/* A lexer over one buffer (the file, or an inflated object stream). */
struct lex {
	struct pdf *p;
	const unsigned char *s;
	size_t n, i;
	/* the last token */
	enum tok t;
	long long ival;
	size_t start, len; /* of T_KW */
	char name[128];    /* of T_NAME, decoded */
};

/* What an object's top-level dictionary says, for the keys this check needs. */
struct dict_info {
	char type[16], filter[16];
	int nfilters;
	bool has_length, encrypt, root, parms_ref;
	long long length, n_objs, first, size, prev, xrefstm;
	long long predictor, columns, colors, bpc;
	long long w[3];
	int nw;
	long long index[512];
	int nindex;
	int depth; /* while parsing: 1 = the top-level dictionary */
	const char *key; /* the top-level key being read */
};

enum pdf_verdict pdf_fail(struct pdf *p, enum pdf_verdict v, const char *why);
bool pdf_is_ws(unsigned char c);
void pdf_skip_ws(struct lex *l);
/* The next token into l (T_ERR and the verdict PDF_ACTIVE on a refused name). */
enum tok pdf_next(struct lex *l);
bool pdf_kw_is(const struct lex *l, const char *kw);
/* The value whose first token was just read / starts at the next token; d
 * (may be NULL) receives what the top-level dictionary says. */
bool pdf_parse_after(struct lex *l, struct dict_info *d, int depth);
bool pdf_parse_value(struct lex *l, struct dict_info *d, int depth);
/* Stream data decoded (Flate, PNG predictors) into a new buffer; NULL when
 * refused (verdict set). */
unsigned char *pdf_decode_stream(struct pdf *p, const struct dict_info *d,
                                 const unsigned char *data, size_t len, size_t *outlen);
#endif
