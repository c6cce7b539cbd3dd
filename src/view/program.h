/* Inside src/view only: template variables, the compiled program and the
 * template store shared by template.c (vars, store), compile.c (XHTML to
 * program) and render.c (program to HTML or to plain text).
 *
 * A template is compiled per language into one program: a flat list of
 * operations where everything static is prepared at load time. Each static
 * chunk exists twice: as pre-escaped HTML (pages) and as a text stream
 * (email bodies) in which the markup that matters for plain text is kept as
 * the one-byte marks below. Request values are written only by OP_TEXT,
 * OP_TTEXT, OP_ATTR and OP_TATTR: escaped in HTML mode, literally (never
 * parsed) in text mode. IF and REPEAT cover the operations up to `end`.
 */
#ifndef PD_VIEW_PROGRAM_H
#define PD_VIEW_PROGRAM_H
#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>
#include "core/sbuf.h"
#include "view/template.h"

/* Markup a template rendered (template.h, tpl_render_inner). */
struct tpl_html {
	const char *markup;
};

/* TV_HTML: markup a template rendered (tv_html), written as it is. */
enum tv_kind { TV_STR, TV_BOOL, TV_LIST, TV_HTML };

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

/* The entry named name in v or its parents, NULL when none. */
const struct tv_entry *tv_find(const struct tvars *v, const char *name);
/* True when name is set: exists and is neither false nor "". */
bool tv_truthy(const struct tvars *v, const char *name);
/* The value an attribute takes from entry e: NULL when the attribute is
 * left out (unset, false, a list), attr itself for a true boolean. */
const char *tv_attr_value(const struct tv_entry *e, const char *attr);

enum op_kind {
	OP_STATIC, /* s: HTML as is; t: text stream */
	OP_TEXT,   /* var: value as text */
	OP_TTEXT,  /* s: translated text with {var} placeholders */
	OP_ATTR,   /* attr, var: ` attr="value"` when var is set */
	OP_TATTR,  /* attr, s: translated attribute with {var} placeholders */
	OP_IF,     /* var (neg): run ops up to end when set */
	OP_REPEAT, /* var: run ops up to end once per item */
	OP_SLOT,   /* the page's body (layout only) */
	OP_IDREFS, /* attr, s, t, var (neg): ` attr="s t"`, s and t with {var}
	            * placeholders, t only when var is set; left out when empty */
	OP__MAX
};

struct op {
	enum op_kind kind;
	const char  *s;
	size_t       len;
	const char  *t; /* OP_STATIC: the text stream of the same markup */
	size_t       tlen;
	const char  *var;
	const char  *attr;
	bool         neg;
	bool         link; /* OP_ATTR, OP_TATTR: the href of an <a> */
	size_t       end;
};

/* Marks of the text stream. None is a character XML 1.0 allows, so template
 * text never holds one; text from the catalog that does is escaped with
 * TM_QUOTE. Between TM_HREF and TM_HREF_END: the href of the open link. */
enum text_mark {
	TM_BLOCK = 0x01,     /* a block element starts */
	TM_BLOCK_END = 0x02, /* a block element ends */
	TM_BR = 0x03,        /* <br/> */
	TM_LINK = 0x04,      /* an <a> starts */
	TM_LINK_END = 0x05,  /* an <a> ends: " <href>" unless its text is the href */
	TM_HREF = 0x06,
	TM_HREF_END = 0x07,
	TM_HIDE = 0x0e,     /* the data-title element starts: not in the text */
	TM_HIDE_END = 0x0f, /* and ends */
	TM_QUOTE = 0x10,    /* the next byte is text */
};

static inline bool
is_text_mark(unsigned char c)
{
	return (c >= TM_BLOCK && c <= TM_HREF_END) || c == TM_HIDE || c == TM_HIDE_END ||
	       c == TM_QUOTE;
}

struct program {
	struct op *ops;
	size_t     n, cap;
	char      *title;   /* translated data-title text, NULL when none */
	char      *strings; /* every string the ops point to */
};

/* An error element of a form, as the form frame (frame.c) found it: the
 * page's error summary lists it when its conditions hold. */
struct frame_cond {
	char *var;
	bool  neg;
};

struct frame_field {
	struct frame_cond *conds; /* the error's data-if and its ancestors' */
	size_t             nconds;
	char              *repeat;     /* the list it repeats in, NULL when none */
	char              *target_id;  /* the control's (or group's) id */
	char              *target_var; /* or the variable holding it (in a repeat) */
	char              *msg_var;    /* the message: this variable's value */
	char              *msgid;      /* or this text */
	bool               translate;  /* msgid is a msgid (data-t) */
	char              *label_var;  /* the field's name: this variable's value */
	char              *label;      /* or this msgid (its label or legend) */
};

struct frame {
	struct frame_field *fields; /* in document order */
	size_t              n;
};

struct tpl {
	char          *name; /* file name without .xhtml */
	xmlDocPtr      doc;
	struct frame   frame;
	struct program prog[LANG__MAX];
};

const struct tpl *tpl_find(const char *name);

/* frame.c: wires the form fields of doc (ids, aria-describedby, required
 * marks, as private data-frame-* attributes for the compiler) and lists
 * their errors in fr. */
void frame_prepare(xmlDocPtr doc, struct frame *fr);
void frame_free(struct frame *fr);

/* compile.c: fills t->prog from t->doc, for every language. */
void compile_template(struct tpl *t);
void program_free(struct program *p);

/* render.c: appends s[0..n) with & < > (and " in an attribute) escaped. */
void html_escape(struct sbuf *out, const char *s, size_t n, bool attr);

/* Collapses white space runs and trims, as msgids are written on one line.
 * Allocates in a. */
char *normalize_space(struct arena *a, const char *s);
#endif
