/* The FastCGI wire loop of a worker process (libfcgi). */
#ifndef PD_HTTP_FCGI_H
#define PD_HTTP_FCGI_H
#include "http/request.h"

/* What the site above the wire does with a request. */
struct fcgi_site {
	const char *tmp_dir;                       /* where uploads are spooled */
	const char *base_url;                      /* configured: cookies, HSTS */
	const char *trusted_proxies;               /* configured: whose X-Forwarded-For counts */
	void (*dispatch)(struct req *r);           /* routes and answers */
	void (*refuse)(struct req *r, int status); /* answers a request refused before dispatch */
	void (*done)(struct req *r);               /* after the response is sent */
	void (*reload)(void);                      /* on SIGHUP, between requests */
};

/* Serves requests on listen_fd until SIGTERM; finishes the request in
 * flight first. Returns the exit status. */
int fcgi_serve(int listen_fd, const struct fcgi_site *site);
#endif
