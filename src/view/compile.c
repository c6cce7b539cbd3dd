/* The template compiler: one walk of a template's tree per language gives a
 * program (view/program.h) whose static parts are ready both as escaped
 * HTML and as a text stream, so pages and email bodies run the same ops. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "view/program.h"

void
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

/* Static HTML and its text stream accumulate in two growing buffers per
 * program; ops point into a copy made when the program is finished. */
struct compiler {
	struct program *p;
	enum lang       lang;
	xmlNodePtr      root;    /* its own tag is no block or link in text */
	xmlNodePtr      title;   /* the data-title element, hidden in text */
	struct sbuf     pending; /* static HTML not yet emitted */
	struct sbuf     ptext;   /* its text stream */
	struct sbuf     strings; /* every string the ops refer to */
	struct arena    a;
};

/* Static text: into the HTML escaped, into the text stream as is (a byte
 * that would read as a mark quoted). */
static void
static_text(struct compiler *c, const char *s)
{
	html_escape(&c->pending, s, strlen(s), false);
	for (; *s; s++) {
		if (is_text_mark((unsigned char)*s))
			sbuf_addc(&c->ptext, TM_QUOTE);
		sbuf_addc(&c->ptext, *s);
	}
}

static void
text_href(struct compiler *c, const char *href)
{
	sbuf_addc(&c->ptext, TM_HREF);
	for (; *href; href++) {
		if (is_text_mark((unsigned char)*href))
			sbuf_addc(&c->ptext, TM_QUOTE);
		sbuf_addc(&c->ptext, *href);
	}
	sbuf_addc(&c->ptext, TM_HREF_END);
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
	if (c->pending.len == 0 && c->ptext.len == 0)
		return;
	struct op *o = emit(c->p, OP_STATIC);
	o->len = c->pending.len;
	o->s = (const char *)(uintptr_t)keep_string(c, c->pending.p ? c->pending.p : "", o->len);
	o->tlen = c->ptext.len;
	o->t = (const char *)(uintptr_t)keep_string(c, c->ptext.p ? c->ptext.p : "", o->tlen);
	sbuf_reset(&c->pending);
	sbuf_reset(&c->ptext);
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
in_list(const xmlChar *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp((const char *)name, list[i]) == 0)
			return true;
	return false;
}

static bool
is_void_element(const xmlChar *name)
{
	static const char *const voids[] = {"area", "base", "br",    "col",   "embed", "hr",
	                                    "img",  "input", "link", "meta", "source", "track",
	                                    "wbr"};
	return in_list(name, voids, sizeof(voids) / sizeof(*voids));
}

/* Elements that stand on lines of their own in text. */
static bool
is_block(const xmlChar *name)
{
	static const char *const blocks[] = {"p",      "div", "h1",         "h2", "h3",
	                                     "li",     "ul",  "ol",         "section", "header",
	                                     "footer", "pre", "blockquote", "tr", "table"};
	return in_list(name, blocks, sizeof(blocks) / sizeof(*blocks));
}

static bool
is_template_attr(const xmlChar *name)
{
	static const char *const attrs[] = {"data-t",    "data-t-attrs", "data-text", "data-attr",
	                                    "data-if",   "data-repeat",  "data-slot", "data-title"};
	return strncmp((const char *)name, "data-", 5) == 0 &&
	       (strncmp((const char *)name, "data-frame-", 11) == 0 ||
	        in_list(name, attrs, sizeof(attrs) / sizeof(*attrs)));
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

/* The first element at or under n (document order) with attribute attr. */
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

static void compile_node(struct compiler *c, xmlNodePtr n);

static void
compile_translated_text(struct compiler *c, const char *text)
{
	char *msgid = normalize_space(&c->a, text);
	if (*msgid == '\0') {
		static_text(c, text);
		return;
	}
	const char *t = tr(c->lang, msgid);
	if (strchr(t, '{'))
		emit_dynamic(c, OP_TTEXT, NULL, NULL, t);
	else
		static_text(c, t);
}

/* The start tag's attributes; the href of a link also goes to the text. */
static void
compile_attrs(struct compiler *c, xmlNodePtr n, const char *attrs, const char *tattrs, bool link)
{
	char *interp = get_attr(n, "data-frame-interp");
	for (xmlAttrPtr at = n->properties; at; at = at->next) {
		if (is_template_attr(at->name) || (attrs && spec_names(attrs, (const char *)at->name, ';')))
			continue;
		bool href = link && strcmp((const char *)at->name, "href") == 0;
		xmlChar *val = xmlNodeGetContent((xmlNodePtr)at);
		const char *v = (const char *)val;
		if (interp && v && spec_names(interp, (const char *)at->name, ' ')) {
			/* An id the form frame derived from a variable. */
			emit_dynamic(c, OP_TATTR, NULL, (const char *)at->name, v)->link = href;
			xmlFree(val);
			continue;
		}
		if (tattrs && spec_names(tattrs, (const char *)at->name, ' ')) {
			v = tr(c->lang, normalize_space(&c->a, v));
			if (strchr(v, '{')) {
				emit_dynamic(c, OP_TATTR, NULL, (const char *)at->name, v)->link = href;
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
		html_escape(&c->pending, v ? v : "", v ? strlen(v) : 0, true);
		sbuf_addc(&c->pending, '"');
		if (href)
			text_href(c, v ? v : "");
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
			emit_dynamic(c, OP_ATTR, eq + 1, item, NULL)->link =
			    link && strcmp(item, "href") == 0;
		}
	}
	xmlFree(interp);
}

/* What the form frame (frame.c) asked for on a control: aria-describedby
 * with the error's id while the error shows, aria-invalid likewise. */
static void
compile_frame_attrs(struct compiler *c, xmlNodePtr n)
{
	char *always = get_attr(n, "data-frame-describedby");
	char *err = get_attr(n, "data-frame-describedby-err");
	char *cond = get_attr(n, "data-frame-describedby-if");
	char *inv = get_attr(n, "data-frame-invalid");
	if (always || err) {
		bool neg = cond && cond[0] == '!';
		struct op *o = emit_dynamic(c, OP_IDREFS, cond ? cond + neg : NULL, "aria-describedby",
		                            always ? always : "");
		o->neg = neg;
		if (err) {
			o->tlen = strlen(err);
			o->t = (const char *)(uintptr_t)keep_string(c, err, o->tlen);
		}
	}
	if (inv) {
		bool neg = inv[0] == '!';
		emit_dynamic(c, OP_IF, inv + neg, NULL, NULL)->neg = neg;
		size_t if_op = c->p->n - 1;
		sbuf_adds(&c->pending, " aria-invalid=\"true\"");
		flush_static(c);
		c->p->ops[if_op].end = c->p->n;
	}
	xmlFree(always);
	xmlFree(err);
	xmlFree(cond);
	xmlFree(inv);
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
	/* What the text keeps of the markup: the root's text starts at its
	 * children; the title is the subject, not part of the body. */
	bool inner = n != c->root, hide = n == c->title;
	bool block = inner && is_block(n->name);
	bool link = inner && strcmp((const char *)n->name, "a") == 0;
	if (hide)
		sbuf_addc(&c->ptext, TM_HIDE);
	if (inner && strcmp((const char *)n->name, "br") == 0)
		sbuf_addc(&c->ptext, TM_BR);
	if (block)
		sbuf_addc(&c->ptext, TM_BLOCK);
	if (link)
		sbuf_addc(&c->ptext, TM_LINK);

	sbuf_addc(&c->pending, '<');
	sbuf_adds(&c->pending, (const char *)n->name);
	compile_attrs(c, n, attrs, tattrs, link);
	compile_frame_attrs(c, n);
	sbuf_addc(&c->pending, '>');
	if (!is_void_element(n->name)) {
		if (slot) {
			/* The layout's own content of the slot comes first. */
			for (xmlNodePtr ch = n->children; ch; ch = ch->next)
				compile_node(c, ch);
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
	if (link)
		sbuf_addc(&c->ptext, TM_LINK_END);
	if (block)
		sbuf_addc(&c->ptext, TM_BLOCK_END);
	if (hide)
		sbuf_addc(&c->ptext, TM_HIDE_END);
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
			static_text(c, (const char *)n->content);
		break;
	default: /* comments, processing instructions: not output */
		break;
	}
}

void
compile_template(struct tpl *t)
{
	xmlNodePtr root = xmlDocGetRootElement(t->doc);
	xmlNodePtr title = find_attr_node(root, "data-title");
	for (int l = 0; l < LANG__MAX; l++) {
		struct compiler c = {.p = &t->prog[l], .lang = (enum lang)l, .root = root, .title = title};
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
			o->t = o->t ? strings + (uintptr_t)o->t - 1 : NULL;
			o->var = o->var ? strings + (uintptr_t)o->var - 1 : NULL;
			o->attr = o->attr ? strings + (uintptr_t)o->attr - 1 : NULL;
		}
		c.p->strings = strings;
		c.p->title = NULL;
		if (title) {
			/* Its whole text is the msgid; white space alone stays as is. */
			xmlChar *txt = xmlNodeGetContent(title);
			const char *msgid = normalize_space(&c.a, (const char *)txt);
			c.p->title = strdup(*msgid ? tr((enum lang)l, msgid) : (const char *)txt);
			xmlFree(txt);
		}
		sbuf_free(&c.pending);
		sbuf_free(&c.ptext);
		sbuf_free(&c.strings);
		arena_free(&c.a);
	}
}
