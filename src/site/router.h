/* The route table and the dispatcher. Every request goes through the same
 * checks in the same order: method (405), route (404), session, access
 * (303 to /signin, or 404 for a role that may not see it), CSRF (403),
 * then the handler. */
#ifndef PD_ROUTER_H
#define PD_ROUTER_H
#include "http/request.h"

struct route {
	enum http_method method;
	const char      *pattern; /* "{}" matches one non-empty path segment */
	int            (*handler)(struct req *r);
	enum access      access;
	bool             csrf;
	bool             no_session; /* skip the session (health checks) */
};

/* Returns 0 when path matches pattern, filling r->params. */
int route_match(const char *pattern, const char *path, const char **params, struct arena *a);
void router_dispatch(struct req *r);
#endif
