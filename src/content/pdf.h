/* PDF structure check for uploads: the whole file must be PDF syntax (objects,
 * cross-reference sections, trailers), startxref must point at a
 * cross-reference table or stream whose entries point at the objects, and no
 * dictionary may hold a script, an embedded file or a launch action — also
 * inside object streams and with #xx-escaped names. No I/O; bounded in time
 * (linear in the input plus at most PDF_MAX_INFLATE_TOTAL of inflated object
 * and cross-reference streams) and in memory. */
#ifndef PD_CONTENT_PDF_H
#define PD_CONTENT_PDF_H
#include <stddef.h>

#define PDF_MAX_OBJECTS       500000           /* a 10 MiB file holds fewer real objects */
#define PDF_MAX_DEPTH         32               /* nested arrays and dictionaries */
#define PDF_MAX_INFLATE       (16u << 20)      /* one object or xref stream, inflated */
#define PDF_MAX_INFLATE_TOTAL (64u << 20)      /* all of them */
#define PDF_MAX_XREF_SECTIONS 64               /* the /Prev chain of incremental updates */

enum pdf_verdict {
	PDF_OK,
	PDF_MALFORMED,   /* not PDF syntax, bad xref, truncated */
	PDF_ACTIVE,      /* JavaScript, embedded files, launch actions, XFA, rich media */
	PDF_ENCRYPTED,   /* /Encrypt in a trailer: object streams cannot be read */
	PDF_UNSUPPORTED, /* beyond the limits, or an object stream filter other than Flate */
	PDF__MAX
};

/* The verdict on the n bytes at buf; *why (may be NULL) receives a static
 * English reason for the log. Allocates only temporarily. */
enum pdf_verdict pdf_check(const unsigned char *buf, size_t n, const char **why);
const char *pdf_verdict_code(enum pdf_verdict v); /* "ok", "malformed", … */
#endif
