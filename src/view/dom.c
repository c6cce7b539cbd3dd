/* Small helpers over libxml2 element nodes for the passes that read and
 * rewrite templates at load time. */
#include "view/dom.h"

#include <stdlib.h>
#include <string.h>

bool
is_elem(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

char *
prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

bool
has_prop(xmlNodePtr n, const char *name)
{
	return xmlHasProp(n, (const xmlChar *)name) != NULL;
}

void
set_prop(xmlNodePtr n, const char *name, const char *value)
{
	xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* True when the space-separated class attribute of n holds token. */
bool
has_class(xmlNodePtr n, const char *token)
{
	char *cls = prop(n, "class");
	bool found = false;
	size_t tl = strlen(token);
	for (const char *p = cls; p && *p && !found;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		found = l == tl && strncmp(p, token, tl) == 0;
		p += l;
	}
	xmlFree(cls);
	return found;
}

/* The variable a data-attr spec ("a=var;b=v2") gives attribute attr, as a
 * copy to free with free(); NULL when it names none. */
char *
data_attr_var(xmlNodePtr n, const char *attr)
{
	char *spec = prop(n, "data-attr");
	char *found = NULL;
	size_t al = strlen(attr);
	for (const char *p = spec; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t l = strcspn(p, ";");
		if (l > al && strncmp(p, attr, al) == 0 && p[al] == '=') {
			found = strndup(p + al + 1, l - al - 1);
			break;
		}
		p += l;
	}
	xmlFree(spec);
	return found;
}
