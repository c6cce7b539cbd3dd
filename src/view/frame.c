/* The form frame: one pass over a template's tree at load time, before it
 * is compiled, that ties every field to its label, hint and error the same
 * way on every form, so that no template repeats the wiring.
 *
 * A field is a <div class="field"> (its control is the one its
 * <label for> names, else its first control) or, for a group of radios or
 * check boxes, a <fieldset> holding the group's error. Its error is the
 * <p class="error" data-field> inside it, its hints the class="hint"
 * elements inside it. The pass
 *   - gives the hints and the error an id when they have none (ID-hint,
 *     ID-error, where ID is the control's id, or NAME-group for a fieldset,
 *     which also becomes focusable with tabindex="-1");
 *   - makes the control's aria-describedby list the hints always and the
 *     error when the error's data-if holds (compiled as one operation);
 *   - sets aria-invalid="true" when the error shows, unless the control's
 *     data-attr already sets it;
 *   - in a form of two fields or more, marks the label of each control
 *     with required="required" with an asterisk (aria-hidden: the required
 *     attribute is what assistive technology announces) and puts the legend
 *     "Fields marked * are required." at the top of the form;
 *   - adds novalidate to a form holding a required control, so that the
 *     server's messages and the error summary are the only ones;
 *   - records each error in document order with the conditions under which
 *     it shows, its message and its control's id: the page's error summary
 *     (render.c) is built from that list.
 * Ids may come from a data-attr (a field inside data-repeat): then the ids
 * are written "{var}-error" and interpolated at run time. Instructions for
 * the compiler are private attributes data-frame-*, removed from the
 * output like the other template attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/i18n.h"
#include "view/dom.h"
#include "view/program.h"

static bool
is_field_div(xmlNodePtr n)
{
	return is_elem(n, "div") && has_class(n, "field");
}

/* The field an element belongs to: its nearest div.field or fieldset. */
static xmlNodePtr
container_of(xmlNodePtr n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (is_field_div(n) || is_elem(n, "fieldset"))
			return n;
	return NULL;
}

static bool
is_control(xmlNodePtr n)
{
	if (is_elem(n, "select") || is_elem(n, "textarea"))
		return true;
	if (!is_elem(n, "input"))
		return false;
	char *type = prop(n, "type");
	bool hidden = type && strcmp(type, "hidden") == 0;
	xmlFree(type);
	return !hidden;
}

/* The first element under n (document order) for which pred holds. */
static xmlNodePtr
find_under(xmlNodePtr n, bool (*pred)(xmlNodePtr, const void *), const void *arg)
{
	for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (pred(ch, arg))
			return ch;
		xmlNodePtr f = find_under(ch, pred, arg);
		if (f)
			return f;
	}
	return NULL;
}

static bool
pred_control(xmlNodePtr n, const void *arg)
{
	(void)arg;
	return is_control(n);
}

static bool
pred_label_for(xmlNodePtr n, const void *arg)
{
	(void)arg;
	if (!is_elem(n, "label"))
		return false;
	if (has_prop(n, "for"))
		return true;
	char *v = data_attr_var(n, "for");
	free(v);
	return v != NULL;
}

/* How an element is identified: a static id, or a variable (in a repeat). */
struct ident {
	char *id;  /* static */
	char *var; /* from data-attr id=var */
};

static void
ident_free(struct ident *i)
{
	free(i->id);
	free(i->var);
	memset(i, 0, sizeof(*i));
}

static struct ident
ident_of(xmlNodePtr n)
{
	struct ident i = {0};
	char *id = prop(n, "id");
	if (id) {
		i.id = strdup(id);
		xmlFree(id);
	} else {
		i.var = data_attr_var(n, "id");
	}
	return i;
}

static bool
pred_control_ident(xmlNodePtr n, const void *arg)
{
	const struct ident *want = arg;
	if (!is_control(n))
		return false;
	struct ident i = ident_of(n);
	bool same = (want->id && i.id && strcmp(want->id, i.id) == 0) ||
	            (want->var && i.var && strcmp(want->var, i.var) == 0);
	ident_free(&i);
	return same;
}

/* The control of a div.field: the one its label names, else the first. */
static xmlNodePtr
field_control(xmlNodePtr field, xmlNodePtr *label)
{
	*label = find_under(field, pred_label_for, NULL);
	if (*label) {
		struct ident want = {0};
		char *f = prop(*label, "for");
		if (f) {
			want.id = strdup(f);
			xmlFree(f);
		} else {
			want.var = data_attr_var(*label, "for");
		}
		xmlNodePtr c = find_under(field, pred_control_ident, &want);
		ident_free(&want);
		if (c)
			return c;
	}
	return find_under(field, pred_control, NULL);
}

/* "{var}suffix" for an id held by a variable, "idsuffix" for a static one. */
static char *
derived_id(const struct ident *base, const char *suffix)
{
	size_t n = strlen(base->id ? base->id : base->var) + strlen(suffix) + 3;
	char *s = malloc(n);
	if (s == NULL)
		abort();
	if (base->id)
		snprintf(s, n, "%s%s", base->id, suffix);
	else
		snprintf(s, n, "{%s}%s", base->var, suffix);
	return s;
}

/* Sets id on n, interpolated at run time when it holds a {var}. */
static void
give_id(xmlNodePtr n, const char *id)
{
	set_prop(n, "id", id);
	if (strchr(id, '{'))
		set_prop(n, "data-frame-interp", "id");
}

static bool
is_error(xmlNodePtr n)
{
	if (n->type != XML_ELEMENT_NODE || !has_class(n, "error"))
		return false;
	if (has_prop(n, "data-field"))
		return true;
	char *v = data_attr_var(n, "data-field");
	free(v);
	return v != NULL;
}

/* The elements of class token cls whose field is container, in order. */
static void
collect(xmlNodePtr n, xmlNodePtr container, bool (*pred)(xmlNodePtr), xmlNodePtr *out, size_t *nout,
        size_t max)
{
	for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (pred(ch) && container_of(ch) == container && *nout < max)
			out[(*nout)++] = ch;
		collect(ch, container, pred, out, nout, max);
	}
}

static bool
is_hint(xmlNodePtr n)
{
	return has_class(n, "hint");
}

static void
add_cond(struct frame_field *f, const char *spec)
{
	f->conds = realloc(f->conds, (f->nconds + 1) * sizeof(*f->conds));
	if (f->conds == NULL)
		abort();
	bool neg = spec[0] == '!';
	f->conds[f->nconds].var = strdup(spec + neg);
	f->conds[f->nconds].neg = neg;
	f->nconds++;
}

static struct frame_field *
add_field(struct frame *fr)
{
	fr->fields = realloc(fr->fields, (fr->n + 1) * sizeof(*fr->fields));
	if (fr->fields == NULL)
		abort();
	struct frame_field *f = &fr->fields[fr->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

static bool
pred_translated(xmlNodePtr n, const void *arg)
{
	(void)arg;
	return has_prop(n, "data-t");
}

static bool
pred_legend(xmlNodePtr n, const void *arg)
{
	(void)arg;
	return is_elem(n, "legend");
}

/* The name of a field for the summary, from its label (or legend): the
 * variable of its data-text, or the msgid of the label or of the first
 * translated element inside it. */
static void
field_name(struct frame_field *f, xmlNodePtr label)
{
	if (label == NULL)
		return;
	char *var = prop(label, "data-text");
	if (var) {
		f->label_var = strdup(var);
		xmlFree(var);
		return;
	}
	xmlNodePtr t = has_prop(label, "data-t") ? label : find_under(label, pred_translated, NULL);
	if (t == NULL)
		return;
	xmlChar *content = xmlNodeGetContent(t);
	struct arena a;
	arena_init(&a, 1024);
	char *msgid = normalize_space(&a, (const char *)content);
	if (*msgid)
		f->label = strdup(msgid);
	arena_free(&a);
	xmlFree(content);
}

/* Wires one error element to its field and records it for the summary. */
static void
frame_error(struct frame *fr, xmlNodePtr err)
{
	xmlNodePtr container = container_of(err);
	if (container == NULL)
		return;
	/* At most one data-repeat around the error (its list is walked for
	 * the summary); deeper ones are left alone. */
	int repeats = 0;
	char *repeat = NULL;
	for (xmlNodePtr a = err; a && a->type == XML_ELEMENT_NODE; a = a->parent) {
		char *r = prop(a, "data-repeat");
		if (r) {
			repeats++;
			free(repeat);
			repeat = strdup(r);
			xmlFree(r);
		}
	}
	if (repeats > 1) {
		free(repeat);
		return;
	}
	xmlNodePtr target, label = NULL;
	bool group = !is_field_div(container);
	struct ident base = {0};
	if (group) {
		target = container;
		base = ident_of(target);
		if (base.id == NULL && base.var == NULL) {
			char *name = prop(err, "data-field");
			if (name == NULL || repeat) {
				xmlFree(name);
				free(repeat);
				return;
			}
			base.id = malloc(strlen(name) + 8);
			sprintf(base.id, "%s-group", name);
			set_prop(target, "id", base.id);
			xmlFree(name);
		}
		if (!has_prop(target, "tabindex"))
			set_prop(target, "tabindex", "-1");
	} else {
		target = field_control(container, &label);
		if (target == NULL) {
			free(repeat);
			return;
		}
		base = ident_of(target);
		if (base.id == NULL && base.var == NULL) {
			char *name = prop(target, "name");
			if (name == NULL || repeat) {
				xmlFree(name);
				free(repeat);
				return;
			}
			base.id = strdup(name);
			set_prop(target, "id", name);
			xmlFree(name);
		}
	}

	/* Hints: always described. */
	struct sbuf always = {0};
	char *had = prop(target, "aria-describedby");
	if (had) {
		sbuf_adds(&always, had);
		xmlFree(had);
		xmlUnsetProp(target, (const xmlChar *)"aria-describedby");
	}
	xmlNodePtr hints[8];
	size_t nh = 0;
	collect(container, container, is_hint, hints, &nh, 8);
	for (size_t i = 0; i < nh; i++) {
		struct ident hi = ident_of(hints[i]);
		char *hid = hi.id ? strdup(hi.id) : NULL;
		if (hid == NULL) {
			char suffix[16];
			snprintf(suffix, sizeof(suffix), i ? "-hint%zu" : "-hint", i + 1);
			hid = derived_id(&base, suffix);
			give_id(hints[i], hid);
		}
		if (always.len)
			sbuf_addc(&always, ' ');
		sbuf_adds(&always, hid);
		free(hid);
		ident_free(&hi);
	}

	/* The error: described while it shows. */
	struct ident ei = ident_of(err);
	char *eid = ei.id ? strdup(ei.id) : ei.var ? derived_id(&(struct ident){.var = ei.var}, "") : NULL;
	if (eid == NULL) {
		eid = derived_id(&base, "-error");
		give_id(err, eid);
	}
	ident_free(&ei);
	char *cond = prop(err, "data-if");
	if (!has_prop(target, "data-frame-describedby-err")) {
		if (cond) {
			set_prop(target, "data-frame-describedby-err", eid);
			set_prop(target, "data-frame-describedby-if", cond);
		} else {
			if (always.len)
				sbuf_addc(&always, ' ');
			sbuf_adds(&always, eid);
		}
		if (always.len)
			set_prop(target, "data-frame-describedby", sbuf_cstr(&always));
		char *inv = data_attr_var(target, "aria-invalid");
		if (inv == NULL && !group && cond)
			set_prop(target, "data-frame-invalid", cond);
		free(inv);
	}
	sbuf_free(&always);
	free(eid);

	/* The summary's entry: shown under the same conditions as the error. */
	struct frame_field *f = add_field(fr);
	for (xmlNodePtr a = err; a && a->type == XML_ELEMENT_NODE; a = a->parent) {
		char *c = prop(a, "data-if");
		if (c) {
			add_cond(f, c);
			xmlFree(c);
		}
	}
	field_name(f, group ? find_under(container, pred_legend, NULL) : label);
	f->repeat = repeat;
	f->target_id = base.id;
	f->target_var = base.var;
	char *text = prop(err, "data-text");
	if (text) {
		f->msg_var = strdup(text);
		xmlFree(text);
	} else {
		xmlChar *content = xmlNodeGetContent(err);
		struct arena a;
		arena_init(&a, 1024);
		f->msgid = strdup(normalize_space(&a, (const char *)content));
		f->translate = has_prop(err, "data-t");
		arena_free(&a);
		xmlFree(content);
	}
	xmlFree(cond);
}

static void
each_error(struct frame *fr, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_error(n))
			frame_error(fr, n);
		else
			each_error(fr, n->children);
	}
}

/* ---- required fields ---- */

static void
collect_fields(xmlNodePtr n, xmlNodePtr *out, size_t *nout, size_t max)
{
	for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || is_elem(ch, "form"))
			continue;
		if (is_field_div(ch) && *nout < max)
			out[(*nout)++] = ch;
		else
			collect_fields(ch, out, nout, max);
	}
}

static void
frame_form(xmlNodePtr form)
{
	xmlNodePtr fields[64];
	size_t nf = 0, nreq = 0;
	collect_fields(form, fields, &nf, 64);
	for (size_t i = 0; i < nf; i++) {
		xmlNodePtr label = NULL, ctl = field_control(fields[i], &label);
		if (ctl == NULL || !has_prop(ctl, "required"))
			continue;
		nreq++;
		if (nf < 2 || label == NULL || has_prop(label, "data-text"))
			continue;
		/* The space inside the mark: a text node next to the label's
		 * text would merge into its msgid. */
		xmlNodePtr mark = xmlNewChild(label, NULL, (const xmlChar *)"span", (const xmlChar *)" *");
		set_prop(mark, "class", "req");
		set_prop(mark, "aria-hidden", "true");
	}
	if (nreq == 0)
		return;
	if (!has_prop(form, "novalidate"))
		set_prop(form, "novalidate", "novalidate");
	if (nf < 2)
		return;
	xmlNodePtr legend = xmlNewNode(form->ns, (const xmlChar *)"p");
	set_prop(legend, "class", "req-legend");
	set_prop(legend, "data-t", "");
	xmlAddChild(legend, xmlNewText((const xmlChar *)N_("Fields marked * are required.")));
	/* After the hidden inputs, before what the form shows. */
	xmlNodePtr at = form->children;
	while (at && (at->type != XML_ELEMENT_NODE ||
	              (is_elem(at, "input") && !is_control(at))))
		at = at->next;
	if (at == NULL) {
		xmlAddChild(form, legend);
		return;
	}
	xmlNodePtr indent = at->prev && at->prev->type == XML_TEXT_NODE ? at->prev : NULL;
	xmlAddPrevSibling(at, legend);
	if (indent)
		xmlAddNextSibling(legend, xmlNewText(indent->content));
}

static void
each_form(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, "form"))
			frame_form(n);
		each_form(n->children);
	}
}

void
frame_prepare(xmlDocPtr doc, struct frame *fr)
{
	memset(fr, 0, sizeof(*fr));
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (root == NULL)
		return;
	each_error(fr, root);
	each_form(root);
}

void
frame_free(struct frame *fr)
{
	for (size_t i = 0; i < fr->n; i++) {
		struct frame_field *f = &fr->fields[i];
		for (size_t j = 0; j < f->nconds; j++)
			free(f->conds[j].var);
		free(f->conds);
		free(f->repeat);
		free(f->target_id);
		free(f->target_var);
		free(f->msg_var);
		free(f->msgid);
		free(f->label_var);
		free(f->label);
	}
	free(fr->fields);
	memset(fr, 0, sizeof(*fr));
}
