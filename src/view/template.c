#include "view/template.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "core/log.h"

enum tv_kind { TV_STR, TV_BOOL, TV_LIST };

struct tv_entry {
	struct tv_entry *next;
	const char      *name;
	enum tv_kind     kind;
	const char      *str;
	bool             b;
	struct tvars    *items_head, *items_tail;
};

struct tvars {
	struct arena    *a;
	struct tvars    *parent;
	struct tvars    *next_item; /* sibling in a list */
	struct tv_entry *entries;
};

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
		if (strcmp(e->name, name) == 0) {
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

static const struct tv_entry *
tv_find(const struct tvars *v, const char *name)
{
	for (; v; v = v->parent)
		for (const struct tv_entry *e = v->entries; e; e = e->next)
			if (strcmp(e->name, name) == 0)
				return e;
	return NULL;
}

const char *
tv_get(const struct tvars *v, const char *name)
{
	const struct tv_entry *e = tv_find(v, name);
	if (e == NULL)
		return NULL;
	if (e->kind == TV_STR)
		return e->str;
	if (e->kind == TV_BOOL)
		return e->b ? "1" : NULL;
	return e->items_head ? "1" : NULL;
}

static bool
tv_truthy(const struct tvars *v, const char *name)
{
	const char *s = tv_get(v, name);
	return s != NULL && *s != '\0';
}

/* ---- template store ---- */

/* A template compiled for one language: a flat list of operations where
 * everything static (markup, translated text) is pre-escaped HTML, and
 * values from the request are written only by OP_TEXT and OP_ATTR, which
 * escape them. IF and REPEAT cover the operations up to their `end`. */
enum op_kind {
	OP_STATIC,  /* s: HTML as is */
	OP_TEXT,    /* var: value escaped as text */
	OP_TTEXT,   /* s: translated text with {var} placeholders, escaped */
	OP_ATTR,    /* attr, var: ` attr="value"` when var is set */
	OP_TATTR,   /* attr, s: translated attribute with {var} placeholders */
	OP_IF,      /* var (neg): run ops up to end when set */
	OP_REPEAT,  /* var: run ops up to end once per item */
	OP_SLOT,    /* the page's body (layout only) */
	OP__MAX
};

struct op {
	enum op_kind kind;
	const char  *s;
	size_t       len;
	const char  *var;
	const char  *attr;
	bool         neg;
	size_t       end;
};

struct program {
	struct op *ops;
	size_t     n, cap;
	char      *title;   /* translated data-title text, NULL when none */
	char      *strings; /* every string the ops point to */
};

struct tpl {
	char          *name; /* file name without .xhtml */
	xmlDocPtr      doc;
	struct program prog[LANG__MAX];
};

static struct tpl *tpls;
static size_t      ntpls;

static const struct tpl *
tpl_find(const char *name)
{
	for (size_t i = 0; i < ntpls; i++)
		if (strcmp(tpls[i].name, name) == 0)
			return &tpls[i];
	return NULL;
}

static xmlDocPtr
tpl_doc(const char *name)
{
	const struct tpl *t = tpl_find(name);
	return t ? t->doc : NULL;
}

static void compile_template(struct tpl *t);
static void program_free(struct program *p);

bool
tpl_exists(const char *name)
{
	return tpl_doc(name) != NULL;
}

static void
tpl_free_set(struct tpl *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(set[i].name);
		xmlFreeDoc(set[i].doc);
		for (int l = 0; l < LANG__MAX; l++)
			program_free(&set[i].prog[l]);
	}
	free(set);
}

int
tpl_load_dir(const char *dir)
{
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
	return 0;
}

void
tpl_free_all(void)
{
	tpl_free_set(tpls, ntpls);
	tpls = NULL;
	ntpls = 0;
}

/* ---- processing ---- */

struct render {
	enum lang    lang;
	struct arena *a;
	xmlDocPtr    doc;
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Collapses white space runs and trims, as msgids are written on one line. */
static char *
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

/* Replaces {name} with the value of var name (unknown names kept). */
static char *
interpolate(struct arena *a, const char *s, const struct tvars *vars)
{
	if (strchr(s, '{') == NULL)
		return (char *)s;
	struct sbuf b = {0};
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (open == NULL || close == NULL) {
			sbuf_adds(&b, s);
			break;
		}
		sbuf_add(&b, s, (size_t)(open - s));
		char name[64];
		size_t nl = (size_t)(close - open - 1);
		if (nl > 0 && nl < sizeof(name)) {
			memcpy(name, open + 1, nl);
			name[nl] = '\0';
			const char *val = tv_get(vars, name);
			if (val) {
				sbuf_adds(&b, val);
				s = close + 1;
				continue;
			}
		}
		sbuf_add(&b, open, (size_t)(close - open + 1));
		s = close + 1;
	}
	char *r = arena_strndup(a, b.p ? b.p : "", b.len);
	sbuf_free(&b);
	return r;
}

static const char *
translate(struct render *r, const char *text, const struct tvars *vars)
{
	char *msgid = normalize_space(r->a, text);
	if (*msgid == '\0')
		return text;
	return interpolate(r->a, tr(r->lang, msgid), vars);
}

static char *
take_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr at = xmlHasProp(n, (const xmlChar *)name);
	if (at == NULL)
		return NULL;
	xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
	xmlRemoveProp(at);
	return (char *)v;
}

static void
set_text(xmlNodePtr n, const char *text)
{
	xmlNodePtr c = n->children;
	while (c) {
		xmlNodePtr next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
		c = next;
	}
	xmlAddChild(n, xmlNewDocText(n->doc, (const xmlChar *)text));
}

/* "a=var;b=var2" */
static void
apply_attrs(xmlNodePtr n, const char *spec, const struct tvars *vars)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", spec);
	char *save = NULL;
	for (char *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(item, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		const char *attr = item, *var = eq + 1;
		while (*attr == ' ')
			attr++;
		const struct tv_entry *e = tv_find(vars, var);
		if (e == NULL || (e->kind == TV_BOOL && !e->b) || (e->kind == TV_STR && e->str == NULL) ||
		    e->kind == TV_LIST) {
			xmlUnsetProp(n, (const xmlChar *)attr);
		} else if (e->kind == TV_BOOL) {
			xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)attr);
		} else {
			xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)e->str);
		}
	}
}

static void process_children(struct render *r, xmlNodePtr parent, struct tvars *vars);

/* Returns false when the node was removed. */
static bool
process_element(struct render *r, xmlNodePtr n, struct tvars *vars)
{
	char *cond = take_attr(n, "data-if");
	if (cond) {
		bool neg = cond[0] == '!';
		bool keep = tv_truthy(vars, cond + neg) != neg;
		xmlFree(cond);
		if (!keep) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			return false;
		}
	}
	char *attrs = take_attr(n, "data-attr");
	if (attrs) {
		apply_attrs(n, attrs, vars);
		xmlFree(attrs);
	}
	char *tattrs = take_attr(n, "data-t-attrs");
	if (tattrs) {
		char *save = NULL;
		for (char *name = strtok_r(tattrs, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
			xmlChar *val = xmlGetProp(n, (const xmlChar *)name);
			if (val) {
				xmlSetProp(n, (const xmlChar *)name,
				           (const xmlChar *)translate(r, (const char *)val, vars));
				xmlFree(val);
			}
		}
		xmlFree(tattrs);
	}
	char *title = take_attr(n, "data-title");
	if (title)
		xmlFree(title);
	char *text = take_attr(n, "data-text");
	if (text) {
		const char *val = tv_get(vars, text);
		set_text(n, val ? val : "");
		xmlFree(text);
		return true;
	}
	char *t = take_attr(n, "data-t");
	if (t) {
		xmlFree(t);
		for (xmlNodePtr c = n->children; c; c = c->next)
			if (c->type == XML_TEXT_NODE && c->content) {
				const char *tt = translate(r, (const char *)c->content, vars);
				if (tt != (const char *)c->content)
					xmlNodeSetContent(c, (const xmlChar *)tt);
			}
	}
	process_children(r, n, vars);
	return true;
}

static void
process_children(struct render *r, xmlNodePtr parent, struct tvars *vars)
{
	xmlNodePtr c = parent->children;
	while (c) {
		xmlNodePtr next = c->next;
		if (c->type != XML_ELEMENT_NODE) {
			c = next;
			continue;
		}
		char *list = take_attr(c, "data-repeat");
		if (list) {
			const struct tv_entry *e = tv_find(vars, list);
			if (e && e->kind == TV_LIST)
				for (struct tvars *it = e->items_head; it; it = it->next_item) {
					xmlNodePtr copy = xmlDocCopyNode(c, r->doc, 1);
					xmlAddPrevSibling(c, copy);
					process_element(r, copy, it);
				}
			xmlFree(list);
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else {
			process_element(r, c, vars);
		}
		c = next;
	}
}

/* Copy of a template for one rendering. The copy shares the template's
 * string dictionary, so element and attribute names are not duplicated. */
static xmlDocPtr
copy_template(xmlDocPtr tpl)
{
	xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
	if (tpl->dict) {
		d->dict = tpl->dict;
		xmlDictReference(d->dict);
	}
	xmlNodePtr root = xmlDocCopyNode(xmlDocGetRootElement(tpl), d, 1);
	xmlDocSetRootElement(d, root);
	return d;
}

static xmlNodePtr
find_attr_node(xmlNodePtr n, const char *attr)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlHasProp(n, (const xmlChar *)attr))
			return n;
		xmlNodePtr f = find_attr_node(n->children, attr);
		if (f)
			return f;
	}
	return NULL;
}

static const char *
title_text(struct render *r, xmlNodePtr page_root, const struct tvars *vars)
{
	xmlNodePtr t = find_attr_node(page_root, "data-title");
	if (t == NULL)
		return NULL;
	xmlChar *txt = xmlNodeGetContent(t);
	const char *res = translate(r, (const char *)txt, vars);
	res = arena_strdup(r->a, res);
	xmlFree(txt);
	return res;
}

/* ---- compiled rendering ---- */

static void
program_free(struct program *p)
{
	free(p->ops);
	free(p->title);
	free(p->strings);
	memset(p, 0, sizeof(*p));
}

static struct op *
emit(struct program *p, enum op_kind kind)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ops = realloc(p->ops, p->cap * sizeof(*p->ops));
		if (p->ops == NULL)
			abort();
	}
	struct op *o = &p->ops[p->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	return o;
}

/* Static HTML accumulates in one growing buffer per program; ops point
 * into a copy made when the program is finished. */
struct compiler {
	struct program *p;
	enum lang       lang;
	struct sbuf     pending; /* static HTML not yet emitted */
	struct sbuf     strings; /* every string the ops refer to */
	struct arena    a;
};

static void
escape_text(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sbuf_adds(out, "&amp;"); break;
		case '<': sbuf_adds(out, "&lt;"); break;
		case '>': sbuf_adds(out, "&gt;"); break;
		default: sbuf_addc(out, *s);
		}
	}
}

static void
escape_attr(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sbuf_adds(out, "&amp;"); break;
		case '<': sbuf_adds(out, "&lt;"); break;
		case '>': sbuf_adds(out, "&gt;"); break;
		case '"': sbuf_adds(out, "&quot;"); break;
		default: sbuf_addc(out, *s);
		}
	}
}

/* Offsets into c->strings are stored in the op and fixed up at the end,
 * since the buffer moves while it grows. */
static size_t
keep_string(struct compiler *c, const char *s, size_t len)
{
	size_t off = c->strings.len;
	sbuf_add(&c->strings, s, len);
	sbuf_addc(&c->strings, '\0');
	return off + 1; /* 0 means "no string" */
}

static void
flush_static(struct compiler *c)
{
	if (c->pending.len == 0)
		return;
	struct op *o = emit(c->p, OP_STATIC);
	o->len = c->pending.len;
	o->s = (const char *)(uintptr_t)keep_string(c, c->pending.p, c->pending.len);
	sbuf_reset(&c->pending);
}

static struct op *
emit_dynamic(struct compiler *c, enum op_kind kind, const char *var, const char *attr,
             const char *str)
{
	flush_static(c);
	struct op *o = emit(c->p, kind);
	if (var)
		o->var = (const char *)(uintptr_t)keep_string(c, var, strlen(var));
	if (attr)
		o->attr = (const char *)(uintptr_t)keep_string(c, attr, strlen(attr));
	if (str) {
		o->len = strlen(str);
		o->s = (const char *)(uintptr_t)keep_string(c, str, o->len);
	}
	return o;
}

static bool
is_void_element(const xmlChar *name)
{
	static const char *const voids[] = {"area", "base", "br",    "col",   "embed", "hr",
	                                    "img",  "input", "link", "meta", "source", "track",
	                                    "wbr"};
	for (size_t i = 0; i < sizeof(voids) / sizeof(*voids); i++)
		if (strcmp((const char *)name, voids[i]) == 0)
			return true;
	return false;
}

static bool
is_template_attr(const xmlChar *name)
{
	return strncmp((const char *)name, "data-", 5) == 0 &&
	       (strcmp((const char *)name, "data-t") == 0 ||
	        strcmp((const char *)name, "data-t-attrs") == 0 ||
	        strcmp((const char *)name, "data-text") == 0 ||
	        strcmp((const char *)name, "data-attr") == 0 ||
	        strcmp((const char *)name, "data-if") == 0 ||
	        strcmp((const char *)name, "data-repeat") == 0 ||
	        strcmp((const char *)name, "data-slot") == 0 ||
	        strcmp((const char *)name, "data-title") == 0);
}

static char *
get_attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* True when list (space- or ';'-separated "a" or "a=var") names attr. */
static bool
spec_names(const char *spec, const char *attr, char sep)
{
	size_t al = strlen(attr);
	for (const char *p = spec; p && *p;) {
		while (*p == ' ' || *p == sep)
			p++;
		if (strncmp(p, attr, al) == 0 && (p[al] == '\0' || p[al] == '=' || p[al] == ' ' ||
		                                  p[al] == sep))
			return true;
		p = strchr(p, sep);
	}
	return false;
}

static void compile_node(struct compiler *c, xmlNodePtr n);

static void
compile_translated_text(struct compiler *c, const char *text)
{
	char *msgid = normalize_space(&c->a, text);
	if (*msgid == '\0') {
		escape_text(&c->pending, text);
		return;
	}
	const char *t = tr(c->lang, msgid);
	if (strchr(t, '{'))
		emit_dynamic(c, OP_TTEXT, NULL, NULL, t);
	else
		escape_text(&c->pending, t);
}

static void
compile_element(struct compiler *c, xmlNodePtr n)
{
	char *repeat = get_attr(n, "data-repeat"), *cond = get_attr(n, "data-if");
	size_t repeat_op = 0, if_op = 0;
	if (repeat) {
		emit_dynamic(c, OP_REPEAT, repeat, NULL, NULL);
		repeat_op = c->p->n - 1;
	}
	if (cond) {
		bool neg = cond[0] == '!';
		emit_dynamic(c, OP_IF, cond + neg, NULL, NULL)->neg = neg;
		if_op = c->p->n - 1;
	}
	char *attrs = get_attr(n, "data-attr"), *tattrs = get_attr(n, "data-t-attrs");
	char *text = get_attr(n, "data-text");
	bool translate_text = xmlHasProp(n, (const xmlChar *)"data-t") != NULL;
	bool slot = xmlHasProp(n, (const xmlChar *)"data-slot") != NULL;

	sbuf_addc(&c->pending, '<');
	sbuf_adds(&c->pending, (const char *)n->name);
	for (xmlAttrPtr at = n->properties; at; at = at->next) {
		if (is_template_attr(at->name) || (attrs && spec_names(attrs, (const char *)at->name, ';')))
			continue;
		xmlChar *val = xmlNodeGetContent((xmlNodePtr)at);
		const char *v = (const char *)val;
		if (tattrs && spec_names(tattrs, (const char *)at->name, ' ')) {
			v = tr(c->lang, normalize_space(&c->a, v));
			if (strchr(v, '{')) {
				emit_dynamic(c, OP_TATTR, NULL, (const char *)at->name, v);
				xmlFree(val);
				continue;
			}
		}
		sbuf_addc(&c->pending, ' ');
		if (at->ns && at->ns->prefix) {
			sbuf_adds(&c->pending, (const char *)at->ns->prefix);
			sbuf_addc(&c->pending, ':');
		}
		sbuf_adds(&c->pending, (const char *)at->name);
		sbuf_adds(&c->pending, "=\"");
		escape_attr(&c->pending, v ? v : "");
		sbuf_addc(&c->pending, '"');
		xmlFree(val);
	}
	if (attrs) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s", attrs);
		char *save = NULL;
		for (char *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(item, '=');
			if (eq == NULL)
				continue;
			*eq = '\0';
			while (*item == ' ')
				item++;
			emit_dynamic(c, OP_ATTR, eq + 1, item, NULL);
		}
	}
	sbuf_addc(&c->pending, '>');
	bool is_void = is_void_element(n->name);
	if (!is_void) {
		if (slot) {
			emit_dynamic(c, OP_SLOT, NULL, NULL, NULL);
		} else if (text) {
			emit_dynamic(c, OP_TEXT, text, NULL, NULL);
		} else {
			for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
				if (translate_text && ch->type == XML_TEXT_NODE && ch->content)
					compile_translated_text(c, (const char *)ch->content);
				else
					compile_node(c, ch);
			}
		}
		sbuf_adds(&c->pending, "</");
		sbuf_adds(&c->pending, (const char *)n->name);
		sbuf_addc(&c->pending, '>');
	}
	flush_static(c);
	if (cond)
		c->p->ops[if_op].end = c->p->n;
	if (repeat)
		c->p->ops[repeat_op].end = c->p->n;
	xmlFree(repeat);
	xmlFree(cond);
	xmlFree(attrs);
	xmlFree(tattrs);
	xmlFree(text);
}

static void
compile_node(struct compiler *c, xmlNodePtr n)
{
	switch (n->type) {
	case XML_ELEMENT_NODE:
		compile_element(c, n);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content)
			escape_text(&c->pending, (const char *)n->content);
		break;
	default: /* comments, processing instructions: not output */
		break;
	}
}

static void
compile_template(struct tpl *t)
{
	xmlNodePtr root = xmlDocGetRootElement(t->doc);
	for (int l = 0; l < LANG__MAX; l++) {
		struct compiler c = {.p = &t->prog[l], .lang = (enum lang)l};
		arena_init(&c.a, 4096);
		sbuf_addc(&c.strings, '\0');
		compile_node(&c, root);
		flush_static(&c);
		/* Turn string offsets into pointers into one allocation. */
		char *strings = malloc(c.strings.len);
		if (strings == NULL)
			abort();
		memcpy(strings, c.strings.p, c.strings.len);
		for (size_t i = 0; i < c.p->n; i++) {
			struct op *o = &c.p->ops[i];
			o->s = o->s ? strings + (uintptr_t)o->s - 1 : NULL;
			o->var = o->var ? strings + (uintptr_t)o->var - 1 : NULL;
			o->attr = o->attr ? strings + (uintptr_t)o->attr - 1 : NULL;
		}
		c.p->title = NULL;
		xmlNodePtr tn = find_attr_node(root, "data-title");
		if (tn) {
			xmlChar *txt = xmlNodeGetContent(tn);
			c.p->title = strdup(tr((enum lang)l, normalize_space(&c.a, (const char *)txt)));
			xmlFree(txt);
		}
		c.p->strings = strings;
		sbuf_free(&c.pending);
		sbuf_free(&c.strings);
		arena_free(&c.a);
	}
}

static void
write_interpolated(struct sbuf *out, const char *s, const struct tvars *vars, bool attr)
{
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		const char *stop = open && close ? open : s + strlen(s);
		/* The static part is the catalog's text: escaped like a value. */
		char chunk[1024];
		while (s < stop) {
			size_t n = (size_t)(stop - s) < sizeof(chunk) - 1 ? (size_t)(stop - s) : sizeof(chunk) - 1;
			memcpy(chunk, s, n);
			chunk[n] = '\0';
			(attr ? escape_attr : escape_text)(out, chunk);
			s += n;
		}
		if (!(open && close))
			break;
		char name[64];
		size_t nl = (size_t)(close - open - 1);
		const char *val = NULL;
		if (nl > 0 && nl < sizeof(name)) {
			memcpy(name, open + 1, nl);
			name[nl] = '\0';
			val = tv_get(vars, name);
		}
		if (val)
			(attr ? escape_attr : escape_text)(out, val);
		else
			sbuf_add(out, open, (size_t)(close - open + 1));
		s = close + 1;
	}
}

static void
run_ops(const struct program *p, size_t from, size_t to, struct tvars *vars, struct sbuf *out,
        const struct program *slot, struct tvars *slot_vars)
{
	for (size_t i = from; i < to; i++) {
		const struct op *o = &p->ops[i];
		switch (o->kind) {
		case OP_STATIC:
			sbuf_add(out, o->s, o->len);
			break;
		case OP_TEXT: {
			const char *v = tv_get(vars, o->var);
			if (v)
				escape_text(out, v);
			break;
		}
		case OP_TTEXT:
			write_interpolated(out, o->s, vars, false);
			break;
		case OP_ATTR: {
			const struct tv_entry *e = tv_find(vars, o->var);
			if (e == NULL || e->kind == TV_LIST || (e->kind == TV_BOOL && !e->b) ||
			    (e->kind == TV_STR && e->str == NULL))
				break;
			sbuf_addc(out, ' ');
			sbuf_adds(out, o->attr);
			sbuf_adds(out, "=\"");
			escape_attr(out, e->kind == TV_BOOL ? o->attr : e->str);
			sbuf_addc(out, '"');
			break;
		}
		case OP_TATTR:
			sbuf_addc(out, ' ');
			sbuf_adds(out, o->attr);
			sbuf_adds(out, "=\"");
			write_interpolated(out, o->s, vars, true);
			sbuf_addc(out, '"');
			break;
		case OP_IF:
			if (tv_truthy(vars, o->var) == o->neg)
				i = o->end - 1;
			break;
		case OP_REPEAT: {
			const struct tv_entry *e = tv_find(vars, o->var);
			if (e && e->kind == TV_LIST)
				for (struct tvars *it = e->items_head; it; it = it->next_item)
					run_ops(p, i + 1, o->end, it, out, slot, slot_vars);
			i = o->end - 1;
			break;
		}
		case OP_SLOT:
			if (slot)
				run_ops(slot, 0, slot->n, slot_vars, out, NULL, NULL);
			break;
		default:
			break;
		}
	}
}

int
tpl_render_page(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	const struct tpl *layout = tpl_find("layout"), *page = tpl_find(name);
	if (layout == NULL || page == NULL || (unsigned)lang >= LANG__MAX)
		return -1;
	const struct program *pp = &page->prog[lang];
	if (pp->title)
		tv_set(vars, "page_title", interpolate(vars->a, pp->title, vars));
	tv_set(vars, "lang", lang_code(lang));
	sbuf_adds(out, "<!DOCTYPE html>\n");
	run_ops(&layout->prog[lang], 0, layout->prog[lang].n, vars, out, pp, vars);
	sbuf_addc(out, '\n');
	return 0;
}

int
tpl_render_fragment(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	const struct tpl *t = tpl_find(name);
	if (t == NULL || (unsigned)lang >= LANG__MAX)
		return -1;
	run_ops(&t->prog[lang], 0, t->prog[lang].n, vars, out, NULL, NULL);
	return 0;
}

static bool
is_block(const xmlChar *name)
{
	static const char *blocks[] = {"p", "div", "h1", "h2", "h3", "li", "ul", "ol", "section",
	                               "header", "footer", "pre", "blockquote", "tr", "table"};
	for (size_t i = 0; i < sizeof(blocks) / sizeof(*blocks); i++)
		if (strcmp((const char *)name, blocks[i]) == 0)
			return true;
	return false;
}

static void
text_of(xmlNodePtr n, struct sbuf *out)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			/* Collapse white space as a browser would. */
			for (const xmlChar *p = n->content; *p; p++) {
				if (is_ws((char)*p)) {
					if (out->len && !is_ws(out->p[out->len - 1]))
						sbuf_addc(out, ' ');
				} else {
					sbuf_addc(out, (char)*p);
				}
			}
		} else if (n->type == XML_ELEMENT_NODE) {
			if (strcmp((const char *)n->name, "br") == 0) {
				sbuf_addc(out, '\n');
				continue;
			}
			bool block = is_block(n->name);
			if (block && out->len && out->p[out->len - 1] != '\n')
				sbuf_addc(out, '\n');
			text_of(n->children, out);
			if (strcmp((const char *)n->name, "a") == 0) {
				xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
				xmlChar *content = xmlNodeGetContent(n);
				if (href && (!content || strcmp((char *)href, (char *)content) != 0)) {
					sbuf_adds(out, " <");
					sbuf_adds(out, (const char *)href);
					sbuf_adds(out, ">");
				}
				xmlFree(href);
				xmlFree(content);
			}
			if (block) {
				while (out->len && out->p[out->len - 1] == ' ')
					out->len--;
				sbuf_adds(out, "\n\n");
			}
		}
	}
}

int
tpl_render_text(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	xmlDocPtr page = tpl_doc(name);
	if (page == NULL)
		return -1;
	struct render r = {.lang = lang, .a = vars->a};
	r.doc = copy_template(page);
	xmlNodePtr root = xmlDocGetRootElement(r.doc);
	xmlNodePtr t = find_attr_node(root, "data-title");
	if (t) {
		xmlUnlinkNode(t);
		xmlFreeNode(t);
	}
	process_element(&r, root, vars);
	struct sbuf tmp = {0};
	text_of(root->children, &tmp);
	/* Trim and squeeze blank lines to at most one, lines trimmed. */
	size_t i = 0;
	int newlines = 2;
	for (; i < tmp.len; i++) {
		char c = tmp.p[i];
		if (c == '\n') {
			while (out->len && out->p[out->len - 1] == ' ')
				out->len--;
			if (newlines < 2)
				sbuf_addc(out, '\n');
			newlines++;
		} else if (c == ' ' && newlines) {
			continue;
		} else {
			sbuf_addc(out, c);
			newlines = 0;
		}
	}
	while (out->len && out->p[out->len - 1] == '\n')
		out->len--;
	sbuf_addc(out, '\n');
	sbuf_free(&tmp);
	xmlFreeDoc(r.doc);
	return 0;
}

const char *
tpl_title(const char *name, enum lang lang, struct tvars *vars, struct arena *a)
{
	xmlDocPtr page = tpl_doc(name);
	if (page == NULL)
		return NULL;
	struct render r = {.lang = lang, .a = a, .doc = page};
	return title_text(&r, xmlDocGetRootElement(page), vars);
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
