/* Small helpers over libxml2 element nodes (dom.c). */
#ifndef PD_VIEW_DOM_H
#define PD_VIEW_DOM_H
#include <stdbool.h>

#include <libxml/tree.h>

/* True when n is an element named name. */
bool is_elem(xmlNodePtr n, const char *name);
/* The value of attribute name (xmlFree it), NULL when absent. */
char *prop(xmlNodePtr n, const char *name);
bool has_prop(xmlNodePtr n, const char *name);
void set_prop(xmlNodePtr n, const char *name, const char *value);
/* True when the space-separated class attribute of n holds token. */
bool has_class(xmlNodePtr n, const char *token);
/* The variable a data-attr spec ("a=var;b=v2") gives attribute attr, as a
 * copy to free with free(); NULL when it names none. */
char *data_attr_var(xmlNodePtr n, const char *attr);
#endif
