/* Template variables, the set of loaded templates and their msgids. The
 * compiler is compile.c, rendering (HTML for pages, plain text for emails)
 * render.c. */
#include "view/template.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/log.h"
#include "view/program.h"

/* ---- variables ---- */

struct tvars *
tv_new(struct arena *a, struct tvars *parent)
{
	struct tvars *v = arena_alloc(a, sizeof(*v));
	v->a = a;
	v->parent = parent;
	return v;
}

static struct tv_entry *
tv_entry(struct tvars *v, const char *name, enum tv_kind kind)
{
	for (struct tv_entry *e = v->entries; e; e = e->next)
		if (e->name[0] == name[0] && strcmp(e->name, name) == 0) {
			e->kind = kind;
			return e;
		}
	struct tv_entry *e = arena_alloc(v->a, sizeof(*e));
	e->name = name;
	e->kind = kind;
	e->next = v->entries;
	v->entries = e;
	return e;
}

void
tv_html(struct tvars *v, const char *name, const struct tpl_html *h)
{
	if (h)
		tv_entry(v, name, TV_HTML)->str = h->markup;
}

void
tv_set(struct tvars *v, const char *name, const char *value)
{
	tv_entry(v, name, TV_STR)->str = value;
}

void
tv_setf(struct tvars *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = arena_alloc(v->a, (size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	tv_set(v, name, s);
}

const char *
tv_intern(struct tvars *v, const char *s)
{
	return arena_strdup(v->a, s);
}

void
tv_bool(struct tvars *v, const char *name, bool b)
{
	tv_entry(v, name, TV_BOOL)->b = b;
}

struct tvars *
tv_item(struct tvars *v, const char *list)
{
	struct tv_entry *e = tv_entry(v, list, TV_LIST);
	struct tvars *item = tv_new(v->a, v);
	if (e->items_tail)
		e->items_tail->next_item = item;
	else
		e->items_head = item;
	e->items_tail = item;
	return item;
}

const struct tv_entry *
tv_find(const struct tvars *v, const char *name)
{
	for (; v; v = v->parent)
		for (const struct tv_entry *e = v->entries; e; e = e->next)
			/* The first byte first: most names differ there. */
			if (e->name[0] == name[0] && strcmp(e->name, name) == 0)
				return e;
	return NULL;
}

const char *
tv_get(const struct tvars *v, const char *name)
{
	const struct tv_entry *e = tv_find(v, name);
	if (e == NULL)
		return NULL;
	if (e->kind == TV_STR || e->kind == TV_HTML)
		return e->str;
	if (e->kind == TV_BOOL)
		return e->b ? "1" : NULL;
	return e->items_head ? "1" : NULL;
}

bool
tv_truthy(const struct tvars *v, const char *name)
{
	const char *s = tv_get(v, name);
	return s != NULL && *s != '\0';
}

const char *
tv_attr_value(const struct tv_entry *e, const char *attr)
{
	if (e == NULL || e->kind == TV_LIST || (e->kind == TV_BOOL && !e->b))
		return NULL;
	return e->kind == TV_BOOL ? attr : e->str;
}

/* ---- the template set ---- */

static struct tpl *tpls;
static size_t      ntpls;

const struct tpl *
tpl_find(const char *name)
{
	for (size_t i = 0; i < ntpls; i++)
		if (strcmp(tpls[i].name, name) == 0)
			return &tpls[i];
	return NULL;
}

bool
tpl_exists(const char *name)
{
	return tpl_find(name) != NULL;
}

static void
tpl_free_set(struct tpl *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(set[i].name);
		xmlFreeDoc(set[i].doc);
		frame_free(&set[i].frame);
		for (int l = 0; l < LANG__MAX; l++)
			program_free(&set[i].prog[l]);
	}
	free(set);
}

/* What the loaded set was read from: each file's name, size and change time. */
static unsigned long long set_stamp;

unsigned long long
tpl_stamp(void)
{
	return set_stamp;
}

int
tpl_load_dir(const char *dir)
{
	unsigned long long stamp = 14695981039346656037ull;
	DIR *d = opendir(dir);
	if (d == NULL) {
		log_err("cannot open template directory %s", dir);
		return -1;
	}
	struct tpl *set = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".xhtml") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) == 0) {
			unsigned long long facts[3] = {(unsigned long long)st.st_size,
			                               (unsigned long long)st.st_mtim.tv_sec,
			                               (unsigned long long)st.st_mtim.tv_nsec};
			for (const char *c = de->d_name; *c; c++)
				stamp = (stamp ^ (unsigned char)*c) * 1099511628211ull;
			for (int k = 0; k < 3; k++)
				stamp = (stamp ^ facts[k]) * 1099511628211ull;
		}
		xmlDocPtr doc = xmlReadFile(path, "UTF-8",
		                            XML_PARSE_NONET | XML_PARSE_NOBLANKS * 0 | XML_PARSE_NOERROR |
		                                XML_PARSE_NOWARNING);
		if (doc == NULL) {
			const xmlError *e = xmlGetLastError();
			log_err("template %s:%d: %s", path, e ? e->line : 0,
			        e && e->message ? e->message : "not well-formed");
			rc = -1;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			set = realloc(set, cap * sizeof(*set));
			if (set == NULL)
				abort();
		}
		memset(&set[n], 0, sizeof(set[n]));
		set[n].name = strndup(de->d_name, len - 6);
		set[n].doc = doc;
		frame_prepare(doc, &set[n].frame);
		compile_template(&set[n]);
		n++;
	}
	closedir(d);
	if (rc != 0) {
		tpl_free_set(set, n);
		return -1;
	}
	tpl_free_set(tpls, ntpls);
	tpls = set;
	ntpls = n;
	set_stamp = stamp;
	return 0;
}

void
tpl_free_all(void)
{
	tpl_free_set(tpls, ntpls);
	tpls = NULL;
	ntpls = 0;
}

/* ---- msgids ---- */

static bool
is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

char *
normalize_space(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1), *o = out;
	bool space = false;
	for (; *s; s++) {
		if (is_ws(*s)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void
each_msgid(xmlNodePtr n, struct arena *a, void (*fn)(const char *, void *), void *ctx)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlHasProp(n, (const xmlChar *)"data-t") || xmlHasProp(n, (const xmlChar *)"data-title")) {
			for (xmlNodePtr c = n->children; c; c = c->next)
				if (c->type == XML_TEXT_NODE && c->content) {
					char *m = normalize_space(a, (const char *)c->content);
					if (*m)
						fn(m, ctx);
				}
		}
		xmlChar *ta = xmlGetProp(n, (const xmlChar *)"data-t-attrs");
		if (ta) {
			char *save = NULL;
			for (char *name = strtok_r((char *)ta, " ", &save); name;
			     name = strtok_r(NULL, " ", &save)) {
				xmlChar *val = xmlGetProp(n, (const xmlChar *)name);
				if (val) {
					fn(normalize_space(a, (const char *)val), ctx);
					xmlFree(val);
				}
			}
			xmlFree(ta);
		}
		each_msgid(n->children, a, fn, ctx);
	}
}

void
tpl_each_msgid(void (*fn)(const char *msgid, void *ctx), void *ctx)
{
	struct arena a;
	arena_init(&a, 16384);
	for (size_t i = 0; i < ntpls; i++)
		each_msgid(xmlDocGetRootElement(tpls[i].doc), &a, fn, ctx);
	arena_free(&a);
}
