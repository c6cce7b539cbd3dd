#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config_entry {
	char *key;
	char *value;
};

struct config {
	struct config_entry *v;
	size_t               n, cap;
};

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
config_set(struct config *c, const char *key, const char *value)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0) {
			free(c->v[i].value);
			c->v[i].value = strdup(value);
			return;
		}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (c->v == NULL)
			abort();
	}
	c->v[c->n].key = strdup(key);
	c->v[c->n].value = strdup(value);
	c->n++;
}

struct config *
config_load_file(struct config *c, const char *path, char *err, unsigned errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (c == NULL && (c = calloc(1, sizeof(*c))) == NULL)
		abort();
	char line[4096], section[128] = "";
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (end == NULL || end - s - 1 >= (long)sizeof(section)) {
				snprintf(err, errlen, "%s:%d: bad section header", path, lineno);
				fclose(f);
				return NULL;
			}
			*end = '\0';
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key=value", path, lineno);
			fclose(f);
			return NULL;
		}
		*eq = '\0';
		char key[300];
		snprintf(key, sizeof(key), "%s.%s", section, trim(s));
		config_set(c, key, trim(eq + 1));
	}
	fclose(f);
	return c;
}

struct config *
config_load_default(void)
{
	const char *var = getenv("PARTNERDESK_VAR");
	char path[4096], err[512];
	snprintf(path, sizeof(path), "%s/partnerdesk.ini", var && *var ? var : "var");
	struct config *c = config_load_file(NULL, path, err, sizeof(err));
	if (c == NULL) {
		fprintf(stderr, "partnerdesk: %s (is PARTNERDESK_VAR set to a started instance?)\n", err);
		return NULL;
	}
	const char *extra = getenv("PARTNERDESK_CONF");
	if (extra && *extra && config_load_file(c, extra, err, sizeof(err)) == NULL) {
		fprintf(stderr, "partnerdesk: %s\n", err);
		config_free(c);
		return NULL;
	}
	return c;
}

const char *
config_get(const struct config *c, const char *key, const char *def)
{
	for (size_t i = c ? c->n : 0; i-- > 0;)
		if (strcmp(c->v[i].key, key) == 0)
			return c->v[i].value;
	return def;
}

long
config_get_long(const struct config *c, const char *key, long def, long min, long max)
{
	const char *s = config_get(c, key, NULL);
	if (s == NULL || *s == '\0')
		return def;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "partnerdesk: config %s=%s out of range [%ld, %ld], using %ld\n", key, s,
		        min, max, def);
		return def;
	}
	return v;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c);
}
