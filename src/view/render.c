/* Rendering: runs a compiled program (view/program.h) in one of two modes.
 * HTML mode (pages) writes the pre-escaped static HTML and escapes every
 * value; text mode (email bodies) follows the text stream and writes values
 * as they are, never through a parser: "&amp;" in a value stays "&amp;". */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "view/program.h"

/* ---- HTML mode ---- */

void
html_escape(struct sbuf *out, const char *s, size_t n, bool attr)
{
	const char *run = s, *end = s + n;
	for (; s < end; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"':
			if (!attr)
				continue;
			rep = "&quot;";
			break;
		default: continue;
		}
		sbuf_add(out, run, (size_t)(s - run));
		sbuf_adds(out, rep);
		run = s + 1;
	}
	sbuf_add(out, run, (size_t)(end - run));
}

static void
put_html_text(void *out, const char *s, size_t n)
{
	html_escape(out, s, n, false);
}

static void
put_html_attr(void *out, const char *s, size_t n)
{
	html_escape(out, s, n, true);
}

static void
put_raw(void *out, const char *s, size_t n)
{
	sbuf_add(out, s, n);
}

/* Calls put for each piece of s with every {name} replaced by the value of
 * var name; unknown names are kept as written. */
static void
interpolate(const char *s, const struct tvars *vars, void (*put)(void *, const char *, size_t),
            void *ctx)
{
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (open == NULL || close == NULL) {
			put(ctx, s, strlen(s));
			return;
		}
		if (open > s)
			put(ctx, s, (size_t)(open - s));
		char name[64];
		size_t nl = (size_t)(close - open - 1);
		const char *val = NULL;
		if (nl > 0 && nl < sizeof(name)) {
			memcpy(name, open + 1, nl);
			name[nl] = '\0';
			val = tv_get(vars, name);
		}
		if (val)
			put(ctx, val, strlen(val));
		else
			put(ctx, open, (size_t)(close - open + 1));
		s = close + 1;
	}
}

/* s interpolated, in a (s itself when it has no placeholder). */
static const char *
interpolate_raw(struct arena *a, const char *s, const struct tvars *vars)
{
	if (strchr(s, '{') == NULL)
		return s;
	struct sbuf b = {0};
	interpolate(s, vars, put_raw, &b);
	const char *r = arena_strndup(a, b.p ? b.p : "", b.len);
	sbuf_free(&b);
	return r;
}

/* ---- text mode ---- */

#define TEXT_LINK_DEPTH 8

/* The text as a browser would show it, before blank lines are squeezed:
 * white space collapsed, a line for each block, "text <href>" for a link
 * whose text is not its address. */
struct text_out {
	struct sbuf  *out;
	struct arena *a;
	int           hide;    /* > 0 inside the data-title element */
	int           nlinks;  /* open links; the first TEXT_LINK_DEPTH are followed */
	struct sbuf   content; /* the raw text of the open links */
	struct {
		size_t      start;
		const char *href; /* NULL when the link has none */
		size_t      hlen;
	} link[TEXT_LINK_DEPTH];
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static void
text_char(struct text_out *t, char c)
{
	struct sbuf *o = t->out;
	if (t->nlinks)
		sbuf_addc(&t->content, c);
	if (!is_ws(c))
		sbuf_addc(o, c);
	else if (o->len && !is_ws(o->p[o->len - 1]))
		sbuf_addc(o, ' ');
}

/* A value or catalog text: every byte is text. */
static void
put_text(void *ctx, const char *s, size_t n)
{
	struct text_out *t = ctx;
	if (t->hide)
		return;
	for (size_t i = 0; i < n; i++)
		text_char(t, s[i]);
}

static void
text_set_href(struct text_out *t, const char *href, size_t hlen)
{
	if (t->hide || t->nlinks == 0 || t->nlinks > TEXT_LINK_DEPTH)
		return;
	t->link[t->nlinks - 1].href = href;
	t->link[t->nlinks - 1].hlen = hlen;
}

static void
text_link_end(struct text_out *t)
{
	if (t->nlinks == 0)
		return;
	int i = --t->nlinks;
	if (i < TEXT_LINK_DEPTH) {
		size_t tlen = t->content.len - t->link[i].start;
		const char *href = t->link[i].href;
		if (href && (tlen != t->link[i].hlen ||
		             (tlen && memcmp(href, t->content.p + t->link[i].start, tlen) != 0))) {
			sbuf_adds(t->out, " <");
			sbuf_add(t->out, href, t->link[i].hlen);
			sbuf_addc(t->out, '>');
		}
	}
	if (t->nlinks == 0)
		sbuf_reset(&t->content);
}

/* The href of a static link, unquoted into the arena; returns the length
 * of s it used up to and including TM_HREF_END. */
static size_t
text_static_href(struct text_out *t, const char *s, size_t n)
{
	char *href = arena_alloc(t->a, n + 1);
	size_t i = 0, hlen = 0;
	while (i < n && s[i] != TM_HREF_END) {
		if (s[i] == TM_QUOTE && i + 1 < n)
			i++;
		href[hlen++] = s[i++];
	}
	text_set_href(t, href, hlen);
	return i < n ? i + 1 : i;
}

/* A static chunk's text stream: marks and text. */
static void
text_stream(struct text_out *t, const char *s, size_t n)
{
	struct sbuf *o = t->out;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == TM_QUOTE) {
			if (++i < n && !t->hide)
				text_char(t, s[i]);
			continue;
		}
		if (c == TM_HIDE || c == TM_HIDE_END) {
			t->hide += c == TM_HIDE ? 1 : -1;
			continue;
		}
		if (c == TM_HREF) {
			i += text_static_href(t, s + i + 1, n - i - 1);
			continue;
		}
		if (t->hide)
			continue;
		switch (c) {
		case TM_BR: sbuf_addc(o, '\n'); break;
		case TM_BLOCK:
			if (o->len && o->p[o->len - 1] != '\n')
				sbuf_addc(o, '\n');
			break;
		case TM_BLOCK_END:
			while (o->len && o->p[o->len - 1] == ' ')
				o->len--;
			sbuf_adds(o, "\n\n");
			break;
		case TM_LINK:
			if (t->nlinks < TEXT_LINK_DEPTH) {
				t->link[t->nlinks].start = t->content.len;
				t->link[t->nlinks].href = NULL;
				t->link[t->nlinks].hlen = 0;
			}
			t->nlinks++;
			break;
		case TM_LINK_END: text_link_end(t); break;
		default: text_char(t, c);
		}
	}
}

/* Lines trimmed, no blank line at the start or end, at most one blank line
 * in a row, one final newline. */
static void
text_squeeze(const struct sbuf *in, struct sbuf *out)
{
	int newlines = 2;
	for (size_t i = 0; i < in->len; i++) {
		char c = in->p[i];
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
}

/* ---- the program ---- */

/* Where a program's output goes: HTML into html, or text into text. */
struct sink {
	struct sbuf     *html;
	struct text_out *text;
};

static void
run_ops(const struct program *p, size_t from, size_t to, struct tvars *vars,
        const struct sink *k, const struct program *slot, struct tvars *slot_vars)
{
	struct sbuf *out = k->html;
	struct text_out *t = k->text;
	for (size_t i = from; i < to; i++) {
		const struct op *o = &p->ops[i];
		switch (o->kind) {
		case OP_STATIC:
			if (t)
				text_stream(t, o->t, o->tlen);
			else
				sbuf_add(out, o->s, o->len);
			break;
		case OP_TEXT: {
			const struct tv_entry *e = tv_find(vars, o->var);
			if (e && e->kind == TV_HTML && !t) {
				sbuf_adds(out, e->str);
				break;
			}
			const char *v = tv_get(vars, o->var);
			if (v && t)
				put_text(t, v, strlen(v));
			else if (v)
				html_escape(out, v, strlen(v), false);
			break;
		}
		case OP_TTEXT:
			if (t)
				interpolate(o->s, vars, put_text, t);
			else
				interpolate(o->s, vars, put_html_text, out);
			break;
		case OP_ATTR: {
			const char *v = tv_attr_value(tv_find(vars, o->var), o->attr);
			if (t) {
				if (o->link)
					text_set_href(t, v, v ? strlen(v) : 0);
			} else if (v) {
				sbuf_addc(out, ' ');
				sbuf_adds(out, o->attr);
				sbuf_adds(out, "=\"");
				html_escape(out, v, strlen(v), true);
				sbuf_addc(out, '"');
			}
			break;
		}
		case OP_TATTR:
			if (t) {
				if (o->link && !t->hide) {
					const char *v = interpolate_raw(t->a, o->s, vars);
					text_set_href(t, v, strlen(v));
				}
				break;
			}
			sbuf_addc(out, ' ');
			sbuf_adds(out, o->attr);
			sbuf_adds(out, "=\"");
			interpolate(o->s, vars, put_html_attr, out);
			sbuf_addc(out, '"');
			break;
		case OP_IDREFS: {
			if (t)
				break;
			struct sbuf ids = {0};
			interpolate(o->s, vars, put_raw, &ids);
			if (o->t && (o->var == NULL || tv_truthy(vars, o->var) != o->neg)) {
				if (ids.len)
					sbuf_addc(&ids, ' ');
				interpolate(o->t, vars, put_raw, &ids);
			}
			if (ids.len) {
				sbuf_addc(out, ' ');
				sbuf_adds(out, o->attr);
				sbuf_adds(out, "=\"");
				html_escape(out, ids.p, ids.len, true);
				sbuf_addc(out, '"');
			}
			sbuf_free(&ids);
			break;
		}
		case OP_IF:
			if (tv_truthy(vars, o->var) == o->neg)
				i = o->end - 1;
			break;
		case OP_REPEAT: {
			const struct tv_entry *e = tv_find(vars, o->var);
			if (e && e->kind == TV_LIST)
				for (struct tvars *it = e->items_head; it; it = it->next_item)
					run_ops(p, i + 1, o->end, it, k, slot, slot_vars);
			i = o->end - 1;
			break;
		}
		case OP_SLOT:
			if (slot)
				run_ops(slot, 0, slot->n, slot_vars, k, NULL, NULL);
			break;
		default:
			break;
		}
	}
}

static const struct program *
program(const char *name, enum lang lang)
{
	const struct tpl *t = tpl_find(name);
	return t && (unsigned)lang < LANG__MAX ? &t->prog[lang] : NULL;
}

/* ---- the error summary ---- */

static bool
frame_shows(const struct frame_field *f, const struct tvars *v)
{
	for (size_t i = 0; i < f->nconds; i++)
		if (tv_truthy(v, f->conds[i].var) == f->conds[i].neg)
			return false;
	return true;
}

static void
frame_item(const struct frame_field *f, const struct tvars *scope, enum lang lang,
           struct tvars *vars)
{
	if (!frame_shows(f, scope))
		return;
	const char *id = f->target_id ? f->target_id : tv_get(scope, f->target_var);
	const char *msg = f->msg_var ? tv_get(scope, f->msg_var)
	                  : f->translate ? tr(lang, f->msgid) : f->msgid;
	if (id == NULL || *id == '\0' || msg == NULL || *msg == '\0')
		return;
	/* "Work email: This field is required.", the field named after its
	 * label, so that the links tell apart fields with the same message. */
	const char *label = f->label_var ? tv_get(scope, f->label_var)
	                    : f->label ? interpolate_raw(vars->a, tr(lang, f->label), scope) : NULL;
	if (label && *label) {
		struct sbuf b = {0};
		const char *fmt = tr(lang, N_("{label}: {message}"));
		for (const char *p = fmt; *p; p++) {
			if (strncmp(p, "{label}", 7) == 0) {
				sbuf_adds(&b, label);
				p += 6;
			} else if (strncmp(p, "{message}", 9) == 0) {
				sbuf_adds(&b, msg);
				p += 8;
			} else {
				sbuf_addc(&b, *p);
			}
		}
		msg = arena_strndup(vars->a, b.p ? b.p : "", b.len);
		sbuf_free(&b);
	}
	struct tvars *it = tv_item(vars, "form_errors");
	tv_set(it, "href", arena_printf(vars->a, "#%s", id));
	tv_set(it, "message", msg);
}

/* form_errors: one item (href, message) per field error the page shows, in
 * the order of the page, from the fields the form frame found. */
static void
frame_summary(const struct tpl *t, enum lang lang, struct tvars *vars)
{
	for (struct tv_entry *e = vars->entries; e; e = e->next)
		if (strcmp(e->name, "form_errors") == 0 && e->kind == TV_LIST)
			e->items_head = e->items_tail = NULL; /* rendered before */
	for (size_t i = 0; i < t->frame.n; i++) {
		const struct frame_field *f = &t->frame.fields[i];
		if (f->repeat == NULL) {
			frame_item(f, vars, lang, vars);
			continue;
		}
		const struct tv_entry *e = tv_find(vars, f->repeat);
		if (e && e->kind == TV_LIST)
			for (struct tvars *it = e->items_head; it; it = it->next_item)
				frame_item(f, it, lang, vars);
	}
}

int
tpl_render_page(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	const struct program *layout = program("layout", lang), *page = program(name, lang);
	if (layout == NULL || page == NULL)
		return -1;
	frame_summary(tpl_find(name), lang, vars);
	if (page->title) {
		const char *title = interpolate_raw(vars->a, page->title, vars);
		/* A page answering with field errors says so first. */
		if (tv_truthy(vars, "form_errors") || tv_truthy(vars, "has_errors"))
			title = arena_printf(vars->a, "%s %s", tr(lang, N_("Error:")), title);
		tv_set(vars, "page_title", title);
	}
	tv_set(vars, "lang", lang_code(lang));
	sbuf_adds(out, "<!DOCTYPE html>\n");
	struct sink k = {.html = out};
	run_ops(layout, 0, layout->n, vars, &k, page, vars);
	sbuf_addc(out, '\n');
	return 0;
}

int
tpl_render_fragment(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	const struct program *p = program(name, lang);
	if (p == NULL)
		return -1;
	struct sink k = {.html = out};
	run_ops(p, 0, p->n, vars, &k, NULL, NULL);
	return 0;
}

const struct tpl_html *
tpl_render_inner(const char *name, enum lang lang, struct tvars *vars, struct arena *a)
{
	struct sbuf out = {0};
	if (tpl_render_fragment(name, lang, vars, &out) != 0) {
		sbuf_free(&out);
		return NULL;
	}
	/* The root's start tag ends at the first '>' (one inside a value is
	 * escaped), its end tag starts at the last '<'. */
	const char *s = sbuf_cstr(&out), *open = strchr(s, '>'), *close = strrchr(s, '<');
	struct tpl_html *h = arena_alloc(a, sizeof(*h));
	h->markup = open && close && close > open ? arena_strndup(a, open + 1, (size_t)(close - open - 1))
	                                          : "";
	sbuf_free(&out);
	return h;
}

const struct tpl_html *
tpl_html_keep(const struct tpl_html *h)
{
	if (h == NULL)
		return NULL;
	struct tpl_html *k = malloc(sizeof(*k));
	char *m = strdup(h->markup);
	if (k == NULL || m == NULL)
		abort();
	k->markup = m;
	return k;
}

void
tpl_html_free(const struct tpl_html *h)
{
	if (h == NULL)
		return;
	free((char *)h->markup);
	free((struct tpl_html *)h);
}

int
tpl_render_text(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out)
{
	const struct program *p = program(name, lang);
	if (p == NULL)
		return -1;
	struct sbuf raw = {0};
	struct text_out t = {.out = &raw, .a = vars->a};
	struct sink k = {.text = &t};
	run_ops(p, 0, p->n, vars, &k, NULL, NULL);
	text_squeeze(&raw, out);
	sbuf_free(&raw);
	sbuf_free(&t.content);
	return 0;
}

const char *
tpl_title(const char *name, enum lang lang, struct tvars *vars, struct arena *a)
{
	const struct program *p = program(name, lang);
	if (p == NULL || p->title == NULL)
		return NULL;
	const char *s = interpolate_raw(a, p->title, vars);
	return s == p->title ? arena_strdup(a, s) : s;
}
