#include "view/template.h"

#include <dirent.h>
#include <stdarg.h>
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

struct tpl {
	char     *name; /* file name without .xhtml */
	xmlDocPtr doc;
};

/* One serialization buffer per process, emptied after each use. */
static xmlBufferPtr serialize_buf;

static struct tpl *tpls;
static size_t      ntpls;

static xmlDocPtr
tpl_doc(const char *name)
{
	for (size_t i = 0; i < ntpls; i++)
		if (strcmp(tpls[i].name, name) == 0)
			return tpls[i].doc;
	return NULL;
}

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
		set[n].name = strndup(de->d_name, len - 6);
		set[n].doc = doc;
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
	if (serialize_buf)
		xmlBufferFree(serialize_buf);
	serialize_buf = NULL;
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

static void
serialize(xmlNodePtr root, struct sbuf *out, bool doctype)
{
	if (serialize_buf == NULL)
		serialize_buf = xmlBufferCreateSize(16384);
	xmlBufferPtr buf = serialize_buf;
	xmlSaveCtxtPtr ctx = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_XHTML | XML_SAVE_NO_DECL);
	xmlSaveTree(ctx, root);
	xmlSaveClose(ctx);
	if (doctype)
		sbuf_adds(out, "<!DOCTYPE html>\n");
	sbuf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	sbuf_addc(out, '\n');
	xmlBufferEmpty(buf);
}

/* Moves a copied subtree onto the namespace of its new document's root so
 * the page does not repeat xmlns="…" inside the layout. */
static void
adopt_namespace(xmlNodePtr n, xmlNsPtr ns)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns && ns && xmlStrEqual(n->ns->href, ns->href))
			n->ns = ns;
		adopt_namespace(n->children, ns);
	}
}

static void
drop_own_namespace(xmlNodePtr body, xmlNsPtr root_ns)
{
	if (root_ns == NULL || body->nsDef == NULL || !xmlStrEqual(body->nsDef->href, root_ns->href) ||
	    body->nsDef->next != NULL)
		return;
	adopt_namespace(body, root_ns);
	xmlFreeNs(body->nsDef);
	body->nsDef = NULL;
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

int
tpl_render_page(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	xmlDocPtr layout = tpl_doc("layout"), page = tpl_doc(name);
	if (layout == NULL || page == NULL)
		return -1;
	struct render r = {.lang = lang, .a = vars->a};
	r.doc = copy_template(layout);
	xmlNodePtr root = xmlDocGetRootElement(r.doc);
	xmlNodePtr slot = find_attr_node(root, "data-slot");
	xmlNodePtr body = xmlDocCopyNode(xmlDocGetRootElement(page), r.doc, 1);
	if (slot) {
		xmlUnsetProp(slot, (const xmlChar *)"data-slot");
		xmlAddChild(slot, body);
	} else {
		xmlAddChild(root, body);
	}
	drop_own_namespace(body, root->ns);
	const char *title = title_text(&r, body, vars);
	if (title)
		tv_set(vars, "page_title", title);
	tv_set(vars, "lang", lang_code(lang));
	process_element(&r, root, vars);
	serialize(root, out, true);
	xmlFreeDoc(r.doc);
	return 0;
}

int
tpl_render_fragment(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	xmlDocPtr page = tpl_doc(name);
	if (page == NULL)
		return -1;
	struct render r = {.lang = lang, .a = vars->a};
	r.doc = copy_template(page);
	xmlNodePtr root = xmlDocGetRootElement(r.doc);
	process_element(&r, root, vars);
	serialize(root, out, false);
	xmlFreeDoc(r.doc);
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
