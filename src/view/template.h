/* XHTML templates parsed once per process with libxml2 and filled through
 * attributes. Each is compiled per language into one program: static parts
 * prepared at load time and a few operations. Pages run it in HTML mode,
 * where request values are only ever written escaped, as text or as an
 * attribute value (escaping by construction); email bodies run the same
 * program in text mode, where values are written as they are and never
 * parsed.
 *
 * Attributes understood (all removed from the output):
 *   data-t                 the element's text is a msgid: translated
 *   data-t-attrs="a b"     these attributes' literal values are msgids
 *   data-text="var"        text content replaced by var
 *   data-attr="a=var;b=v2" attribute a set from var (removed when var is
 *                          unset or false; a boolean true sets a="a")
 *   data-if="var" / data-if="!var"   element kept only when var is (not) set
 *   data-repeat="list"     element repeated for each item of list
 *   data-slot="content"    (layout only) where the page's body goes, after
 *                          the element's own content
 *   data-title             (page only) the element whose translated text
 *                          becomes the page <title>; it stays in the page
 * A var is "set" when it exists and is neither false nor the empty string.
 *
 * The form frame (view/frame.c) wires every form at load time, from the
 * markup convention: each field a <div class="field"> holding its
 * <label for="ID">, its control id="ID" name="NAME" (required="required"
 * when the server requires it), optional <p class="hint"> and its error
 * <p class="error" data-field="NAME" data-if="err_NAME" data-text="err_NAME">;
 * a group of radios or check boxes a <fieldset> holding its error. The
 * hints and the error get ids (ID-hint, ID-error), the control an
 * aria-describedby naming the hints and, while it shows, the error, and
 * aria-invalid="true" while the error shows; required controls of a form of
 * two fields or more are marked in their label, with a legend. A page
 * rendered by tpl_render_page gets the list form_errors (href "#ID",
 * message) of the errors it shows, for the layout's error summary, and a
 * title starting "Error:" when it has one (or when has_errors is set).
 */
#ifndef PD_TEMPLATE_H
#define PD_TEMPLATE_H
#include <stdbool.h>
#include "core/arena.h"
#include "core/i18n.h"
#include "core/sbuf.h"

struct tvars;

struct tvars *tv_new(struct arena *a, struct tvars *parent);
/* The value is referenced, not copied: keep it alive (arena or static). */
void tv_set(struct tvars *v, const char *name, const char *value);
void tv_setf(struct tvars *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Copy of s in the vars' arena (for names built at run time). */
const char *tv_intern(struct tvars *v, const char *s);
void tv_bool(struct tvars *v, const char *name, bool b);
/* Appends an item to list name and returns the item's scope. */
struct tvars *tv_item(struct tvars *v, const char *list);
const char *tv_get(const struct tvars *v, const char *name);

/* Loads every *.xhtml of dir. Returns 0, or -1 after logging the file and
 * line of the first parse error. Safe to call again (SIGHUP reload): on
 * failure the previous set stays in use. */
int tpl_load_dir(const char *dir);
/* A number that changes when the loaded templates' files do (their names,
 * sizes and change times): what a cached page was rendered with. */
unsigned long long tpl_stamp(void);
void tpl_free_all(void);
bool tpl_exists(const char *name);

/* Renders page template name inside layout.xhtml into out (HTML5 with a
 * doctype). Returns 0, or -1 when the template is unknown. */
int tpl_render_page(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out);
/* Markup rendered by a template, so escaped by construction: the only
 * markup a page may hold in a variable (tv_html), written as it is where
 * the variable is used as text. */
struct tpl_html;
/* The inner markup of fragment template name's root element, rendered with
 * vars, in memory of a (NULL when the template is unknown). */
const struct tpl_html *tpl_render_inner(const char *name, enum lang lang, struct tvars *vars,
                                        struct arena *a);
/* The same markup, copied into memory that lives as long as the process
 * (for markup kept between requests); NULL for NULL. */
const struct tpl_html *tpl_html_keep(const struct tpl_html *h);
/* Frees markup tpl_html_keep copied (NULL: nothing). */
void tpl_html_free(const struct tpl_html *h);
void tv_html(struct tvars *v, const char *name, const struct tpl_html *h);
/* Renders template name alone (no layout, no doctype) as HTML. Returns 0, or
 * -1 when the template is unknown. */
int tpl_render_fragment(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out);
/* Appends to out the plain text of template name, for an email body: the
 * text as a browser shows it (white space collapsed), each block element a
 * paragraph, <br/> a line break, "text <href>" for a link whose text is not
 * its address, the data-title element left out; lines trimmed, one final
 * newline. Values go in literally ("&amp;" stays "&amp;"). Returns 0, or -1
 * when the template is unknown. */
int tpl_render_text(const char *name, enum lang lang, struct tvars *vars, struct sbuf *out);
/* Translated text of the element with data-title, {var}s replaced by the
 * values as they are, allocated in a: the subject of an email. NULL when
 * the template is unknown or has no data-title. */
const char *tpl_title(const char *name, enum lang lang, struct tvars *vars, struct arena *a);

/* Every msgid the loaded templates use (for the translation check);
 * calls fn for each, possibly more than once. */
void tpl_each_msgid(void (*fn)(const char *msgid, void *ctx), void *ctx);
#endif
