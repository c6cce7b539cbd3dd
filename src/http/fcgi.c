/* The FastCGI wire loop of a worker process: accepts requests one at a
 * time, parses them into a struct req on a per-request arena, hands them to
 * the site, writes the response, frees the arena. Knows nothing of pages,
 * sessions or the database: the site's callbacks do. */
#include "http/fcgi.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <sys/epoll.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/log.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void
on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static enum http_method
parse_method(const char *m)
{
	if (m == NULL)
		return HTTP_METHOD_OTHER;
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	return HTTP_METHOD_OTHER;
}

static const char *
env(FCGX_Request *fr, const char *name)
{
	return FCGX_GetParam(name, fr->envp);
}

/* Reads exactly len bytes of body; -1 when the client sent fewer. */
static int
read_body(FCGX_Request *fr, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		int want = (int)((len - got) > 65536 ? 65536 : (len - got));
		int n = FCGX_GetStr(buf + got, want, fr->in);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Reads and drops what the handler left of the body (a 405 on a PUT, a
 * refused upload): left in the kept connection, those records would be
 * taken for the next request and break it. */
static void
discard_body(FCGX_Request *fr)
{
	char buf[16384];
	while (FCGX_GetStr(buf, sizeof(buf), fr->in) > 0)
		;
}

static void
choose_language(struct req *r)
{
	int l = lang_parse(req_param(r, "lang"));
	if (l >= 0) {
		r->lang = (enum lang)l;
		resp_cookie(r, LANG_COOKIE, lang_code(r->lang), 365L * 24 * 3600);
		return;
	}
	l = lang_parse(req_cookie(r, LANG_COOKIE));
	if (l >= 0) {
		r->lang = (enum lang)l;
		return;
	}
	r->lang = lang_from_accept(r->accept_language);
}

/* Parses what nginx handed over; refuses it (413/400) through the site
 * when needed. Returns 0 when the request should be dispatched. */
static int
build_request(FCGX_Request *fr, struct req *r, const struct fcgi_site *site)
{
	r->method_name = env(fr, "REQUEST_METHOD");
	r->method = parse_method(r->method_name);
	r->request_uri = env(fr, "REQUEST_URI");
	const char *uri = r->request_uri ? r->request_uri : "/";
	if (uri[0] != '/' || uri[1] == '/')
		uri = "/invalid-path"; /* absolute-form or scheme-relative: never echoed as a link */
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	size_t dlen;
	r->raw_path = arena_strndup(r->a, uri, plen);
	r->path = http_url_decode(r->a, uri, plen, 0, &dlen);
	if (strlen(r->path) != dlen || r->path[0] != '/')
		r->path = "/invalid-path";
	const char *qs = env(fr, "QUERY_STRING");
	if (qs && *qs)
		http_parse_urlencoded(r->a, qs, strlen(qs), &r->query);
	const char *cookie = env(fr, "HTTP_COOKIE");
	if (cookie)
		http_parse_cookies(r->a, cookie, strlen(cookie), &r->cookies);
	r->remote_addr = http_client_addr(r->a, env(fr, "REMOTE_ADDR"),
	                                  env(fr, "HTTP_X_FORWARDED_FOR"), site->trusted_proxies);
	r->accept_language = env(fr, "HTTP_ACCEPT_LANGUAGE");
	r->user_agent = env(fr, "HTTP_USER_AGENT");
	const char *https = env(fr, "HTTPS");
	r->https = https && strcasecmp(https, "on") == 0;
	r->https_site = url_is_https(site->base_url);
	r->cookie = cookie_attrs_for(site->base_url, r->https);
	r->content_type = env(fr, "CONTENT_TYPE");
	choose_language(r);

	const char *cl = env(fr, "CONTENT_LENGTH");
	unsigned long long len = cl && *cl ? strtoull(cl, NULL, 10) : 0;
	if (len > HTTP_MAX_BODY) {
		site->refuse(r, 413);
		return -1;
	}
	r->content_length = (size_t)len;
	if (r->method != HTTP_POST || len == 0)
		return 0;
	char *body = arena_alloc(r->a, (size_t)len + 1);
	if (read_body(fr, body, (size_t)len) != 0) {
		resp_text(r, 400, "incomplete request body");
		return -1;
	}
	enum http_parse_err perr = HTTP_PARSE_OK;
	const char *ct = r->content_type ? r->content_type : "";
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		perr = http_parse_urlencoded(r->a, body, (size_t)len, &r->form);
	} else if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		const char *boundary = http_multipart_boundary(r->a, ct);
		perr = boundary ? http_parse_multipart(r->a, body, (size_t)len, boundary, site->tmp_dir,
		                                       &r->form, &r->tmpfiles)
		                : HTTP_PARSE_MALFORMED;
	}
	if (perr == HTTP_PARSE_FILE_TOO_BIG) {
		site->refuse(r, 413);
		return -1;
	}
	if (perr != HTTP_PARSE_OK) {
		/* Malformed or over the field limits: a clear 400, nothing changed. */
		log_warn("body refused: %s", http_parse_strerror(perr));
		site->refuse(r, 400);
		return -1;
	}
	return 0;
}

static const char security_headers[] =
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n";

/* Sent when the configured base_url is https (README "Configuration"). */
static const char hsts_header[] = "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n";

/* libfcgi's output stream writes in pieces of its 8 KiB buffer: a page of
 * 35 KiB took five write() calls, each one a wake-up of nginx, then one
 * more for the closing records. Larger responses go out whole instead: the
 * STDOUT records, the end of the stream and the end of the request in one
 * call, the stream then marked closed so that libfcgi adds nothing. */
#define STREAM_BUFFER 8000
#define RECORD_MAX 65528 /* a multiple of 8: no padding but on the last record */

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			if (poll(&pfd, 1, 60000) <= 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
add_record_header(struct sbuf *out, unsigned char type, int request_id, size_t len,
                  size_t padding)
{
	unsigned char h[8] = {1 /* FCGI_VERSION_1 */, type,
	                      (unsigned char)(request_id >> 8), (unsigned char)request_id,
	                      (unsigned char)(len >> 8), (unsigned char)len,
	                      (unsigned char)padding, 0};
	sbuf_add(out, (const char *)h, sizeof(h));
}

/* The whole response, written at once. A failed write marks the stream in
 * error, so that libfcgi closes the connection instead of reusing it. */
static void
write_records(FCGX_Request *fr, const struct sbuf *head, const char *body, size_t body_len)
{
	static struct sbuf out;
	sbuf_reset(&out);
	size_t total = head->len + body_len;
	for (size_t done = 0; done < total;) {
		size_t n = total - done < RECORD_MAX ? total - done : RECORD_MAX;
		size_t padding = (8 - n % 8) % 8;
		add_record_header(&out, 6 /* FCGI_STDOUT */, fr->requestId, n, padding);
		for (size_t k = 0; k < n;) {
			size_t at = done + k;
			const char *src = at < head->len ? head->p + at : body + (at - head->len);
			size_t avail = at < head->len ? head->len - at : total - at;
			size_t take = avail < n - k ? avail : n - k;
			sbuf_add(&out, src, take);
			k += take;
		}
		static const char zeros[8];
		sbuf_add(&out, zeros, padding);
		done += n;
	}
	add_record_header(&out, 6, fr->requestId, 0, 0); /* the end of STDOUT */
	add_record_header(&out, 3 /* FCGI_END_REQUEST */, fr->requestId, 8, 0);
	static const char complete[8] = {0}; /* app status 0, FCGI_REQUEST_COMPLETE */
	sbuf_add(&out, complete, sizeof(complete));
	if (write_all(fr->ipcFd, out.p, out.len) != 0)
		fr->out->FCGI_errno = errno ? errno : EPIPE;
	fr->out->wasFCloseCalled = 1;
	fr->out->isClosed = 1;
	if (out.cap > 1024 * 1024)
		sbuf_free(&out);
}

static void
write_response(FCGX_Request *fr, struct req *r)
{
	struct sbuf head = {0};
	if (r->status == 0)
		r->status = 200;
	sbuf_printf(&head, "Status: %d %s\r\n", r->status, http_status_text(r->status));
	if (r->status != 303 || r->body->len)
		sbuf_printf(&head, "Content-Type: %s\r\n",
		            r->content_type_out ? r->content_type_out : "text/html; charset=utf-8");
	sbuf_printf(&head, "Content-Length: %zu\r\n", r->body->len);
	sbuf_add(&head, security_headers, sizeof(security_headers) - 1);
	sbuf_printf(&head, "Cache-Control: %s\r\n", r->cache_control ? r->cache_control : "no-store");
	if (r->https_site)
		sbuf_adds(&head, hsts_header);
	if (r->lang == LANG_FR)
		sbuf_adds(&head, "Content-Language: fr\r\n");
	else
		sbuf_adds(&head, "Content-Language: en\r\n");
	sbuf_adds(&head, "Vary: Cookie, Accept-Language\r\n");
	sbuf_add(&head, r->headers->p ? r->headers->p : "", r->headers->len);
	sbuf_adds(&head, "\r\n");
	size_t body_len = r->method != HTTP_HEAD ? r->body->len : 0;
	if (head.len + body_len > STREAM_BUFFER) {
		write_records(fr, &head, r->body->p, body_len);
	} else {
		FCGX_PutStr(head.p, (int)head.len, fr->out);
		if (body_len)
			FCGX_PutStr(r->body->p, (int)body_len, fr->out);
	}
	sbuf_free(&head);
}

static void
cleanup_request(struct req *r)
{
	for (size_t i = 0; i < r->tmpfiles.n; i++)
		if (r->tmpfiles.v[i].path)
			unlink(r->tmpfiles.v[i].path);
}

int
fcgi_serve(int listen_fd, const struct fcgi_site *site)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Requests allocate and free the same sizes over and over: keep freed
	 * memory in the heap instead of returning it to the kernel each time. */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		return 1;
	int listen_epoll = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event lev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
	if (listen_epoll < 0 || epoll_ctl(listen_epoll, EPOLL_CTL_ADD, listen_fd, &lev) != 0) {
		log_err("epoll on the listening socket: %s", strerror(errno));
		return 1;
	}
	struct arena arena;
	arena_init(&arena, 64 * 1024);
	struct sbuf body = {0}, headers = {0};
	unsigned long served = 0;
	sigset_t busy, idle;
	sigemptyset(&busy);
	sigaddset(&busy, SIGTERM);
	sigaddset(&busy, SIGINT);
	sigaddset(&busy, SIGHUP);
	sigprocmask(SIG_SETMASK, NULL, &idle);
	sigprocmask(SIG_BLOCK, &busy, NULL);
	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			site->reload();
		}
		/* Signals are unblocked only while waiting, atomically (ppoll,
		 * epoll_pwait): a request in flight is never interrupted, and a
		 * SIGTERM that arrives while idle always wakes the worker (no window
		 * before a blocking read). The kept connection is this worker's
		 * alone; the listening socket is shared, and EPOLLEXCLUSIVE wakes
		 * one waiting worker per new connection instead of all of them. */
		int ready;
		if (fr.ipcFd >= 0) {
			struct pollfd pfd = {.fd = fr.ipcFd, .events = POLLIN};
			ready = ppoll(&pfd, 1, NULL, &idle);
		} else {
			struct epoll_event ev;
			ready = epoll_pwait(listen_epoll, &ev, 1, -1, &idle);
		}
		if (ready <= 0)
			continue; /* EINTR: the loop re-checks the flags */
		/* Input is waiting: on the kept connection (the next request or its
		 * close) or on the non-blocking listening socket (another worker may
		 * have taken it first: EAGAIN, wait again). */
		if (FCGX_Accept_r(&fr) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == 0)
				continue;
			log_err("accept failed: %s", strerror(errno));
			break;
		}
		struct req r = {0};
		r.a = &arena;
		r.body = &body;
		r.headers = &headers;
		sbuf_reset(&body);
		sbuf_reset(&headers);
		if (build_request(&fr, &r, site) == 0)
			site->dispatch(&r);
		write_response(&fr, &r);
		discard_body(&fr);
		/* A connection nginx does not keep is closed at once: libfcgi
		 * would otherwise shut it down and wait for nginx to close its
		 * end first, a sleep and a wake-up more per request. The body
		 * was read to its end, so nothing unread is lost. */
		fr.detached = 1;
		FCGX_Finish_r(&fr);
		cleanup_request(&r);
		site->done(&r);
		arena_reset(&arena);
		served++;
		/* Return memory grown by an unusually large response. */
		if (body.cap > 1024 * 1024)
			sbuf_free(&body);
	}
	FCGX_Free(&fr, 1);
	close(listen_epoll);
	sbuf_free(&body);
	sbuf_free(&headers);
	arena_free(&arena);
	log_info("worker exiting after %lu requests", served);
	return 0;
}
