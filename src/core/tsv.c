#include "core/tsv.h"

#include <stdlib.h>
#include <string.h>

void
tsv_init(struct tsv_reader *t, FILE *f)
{
	memset(t, 0, sizeof(*t));
	t->f = f;
}

char *
tsv_next(struct tsv_reader *t)
{
	ssize_t got;
	while ((got = getline(&t->buf, &t->cap, t->f)) >= 0) {
		t->line_no++;
		char *s = t->buf;
		s[strcspn(s, "\r\n")] = '\0';
		if (t->line_no == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
		    (unsigned char)s[2] == 0xBF)
			s += 3;
		if (*s == '#' || *s == '\0')
			continue;
		t->header = !t->seen_header;
		t->seen_header = true;
		return s;
	}
	return NULL;
}

int
tsv_split(char *line, char **cols, int max)
{
	int n = 0;
	for (char *p = line; p; n++) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab++ = '\0';
		if (n < max)
			cols[n] = p;
		else
			return max + 1;
		p = tab;
	}
	return n;
}

void
tsv_free(struct tsv_reader *t)
{
	free(t->buf);
	t->buf = NULL;
	t->cap = 0;
}
