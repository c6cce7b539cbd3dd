/* Reading the TSV files of the imports and the reference data (CONTRACT §6:
 * UTF-8, a header line first, `#` lines ignored): one line at a time, with
 * its number in the file for the messages. */
#ifndef PD_CORE_TSV_H
#define PD_CORE_TSV_H
#include <stdbool.h>
#include <stdio.h>

struct tsv_reader {
	FILE  *f;
	char  *buf;
	size_t cap;
	size_t line_no; /* of the line last returned: the header is line 1, comment lines count */
	bool   header;  /* the line last returned is the header (the first that is not a comment) */
	bool   seen_header;
};
void tsv_init(struct tsv_reader *t, FILE *f);
/* The next line that is not a comment or blank, without its line end (and
 * without a UTF-8 byte order mark on line 1); NULL at the end of the file or
 * on a read error (ferror(t->f) tells). The text lives until the next call. */
char *tsv_next(struct tsv_reader *t);
/* Splits line in place at its tabs into at most max columns; returns how
 * many there were (max + 1 when there were more). */
int tsv_split(char *line, char **cols, int max);
void tsv_free(struct tsv_reader *t);
#endif
