/* partnerdesk-sim: the HTTP/1.1 side. One thread per connection,
 * keep-alive, bounded request heads (16 KiB) and bodies (64 KiB), listening
 * on 127.0.0.1 only. SIGTERM/SIGINT stop it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/config.h"
#include "sim/sim.h"

#define MAX_HEAD  (16 * 1024)
#define MAX_BODY  (64 * 1024)
#define IDLE_SECS 60

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
answer(int fd, struct sim_response *rs, bool close_after)
{
	struct sbuf head = {0};
	sbuf_printf(&head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", rs->status,
	            reason(rs->status), rs->content_type ? rs->content_type : "application/json",
	            rs->body.len);
	if (rs->retry_after > 0)
		sbuf_printf(&head, "Retry-After: %ld\r\n", rs->retry_after);
	sbuf_adds(&head, close_after ? "Connection: close\r\n\r\n" : "\r\n");
	/* One write: head and body in separate segments would meet the
	 * client's delayed ACK (40 ms per answer). */
	sbuf_add(&head, rs->body.p ? rs->body.p : "", rs->body.len);
	int rc = write_all(fd, head.p, head.len);
	sbuf_free(&head);
	return rc;
}

/* The value of header name in the head (NUL-terminated copy in out). */
static bool
header(const char *head, const char *name, char *out, size_t outlen)
{
	size_t n = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(out, outlen, "%.*s", (int)len, v);
			return true;
		}
	}
	return false;
}

/* Answers a refused request and closes gently: the client may still be
 * sending (a huge head or body), and closing with its bytes unread would
 * reset the connection and lose the answer. So: stop writing, read and drop
 * what comes for a moment, then close. */
static void
plain_error(int fd, int status)
{
	struct sim_response rs = {.status = status, .content_type = "text/plain"};
	sbuf_adds(&rs.body, reason(status));
	answer(fd, &rs, true);
	sbuf_free(&rs.body);
	shutdown(fd, SHUT_WR);
	struct timeval tv = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char sink[16384];
	size_t drained = 0;
	ssize_t n;
	while (drained < 64 * 1024 * 1024 && (n = recv(fd, sink, sizeof(sink), 0)) > 0)
		drained += (size_t)n;
}

static void *
serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct timeval tv = {IDLE_SECS, 0};
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	char *buf = malloc(MAX_HEAD + MAX_BODY + 1);
	size_t have = 0;
	while (!stopping) {
		/* Read until the end of the head. */
		char *end = NULL;
		while ((end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL) == NULL) {
			if (have >= MAX_HEAD) {
				plain_error(fd, 413);
				goto done;
			}
			ssize_t n = recv(fd, buf + have, MAX_HEAD - have, 0);
			if (n <= 0)
				goto done;
			have += (size_t)n;
		}
		size_t head_len = (size_t)(end - buf) + 4;
		char *head = strndup(buf, head_len - 2);
		char method[16], target[4096], version[16];
		if (sscanf(head, "%15s %4095s %15s", method, target, version) != 3 ||
		    strncmp(version, "HTTP/1.", 7) != 0 || target[0] != '/') {
			free(head);
			plain_error(fd, 400);
			goto done;
		}
		char value[512];
		size_t body_len = 0;
		if (header(head, "Content-Length", value, sizeof(value))) {
			char *e;
			unsigned long long v = strtoull(value, &e, 10);
			if (*e || v > MAX_BODY) {
				free(head);
				plain_error(fd, v > MAX_BODY ? 413 : 400);
				goto done;
			}
			body_len = (size_t)v;
		} else if (header(head, "Transfer-Encoding", value, sizeof(value))) {
			free(head);
			plain_error(fd, 400); /* the clients send Content-Length */
			goto done;
		}
		while (have < head_len + body_len) {
			ssize_t n = recv(fd, buf + have, head_len + body_len - have, 0);
			if (n <= 0) {
				free(head);
				goto done;
			}
			have += (size_t)n;
		}
		char auth[1024] = "", ctype[256] = "", conn[64] = "";
		header(head, "Authorization", auth, sizeof(auth));
		header(head, "Content-Type", ctype, sizeof(ctype));
		header(head, "Connection", conn, sizeof(conn));
		bool close_after = strcasecmp(conn, "close") == 0 || strcmp(version, "HTTP/1.0") == 0;
		char *q = strchr(target, '?');
		if (q)
			*q++ = '\0';
		char *body = strndup(buf + head_len, body_len);
		struct sim_request rq = {.method = method, .path = target, .query = q ? q : "",
		                         .authorization = *auth ? auth : NULL, .content_type = ctype,
		                         .body = body, .body_len = body_len};
		struct sim_response rs = {0};
		sim_handle(&rq, &rs);
		int rc = rs.drop ? -1 : answer(fd, &rs, close_after);
		sbuf_free(&rs.body);
		free(body);
		free(head);
		if (rc != 0 || close_after)
			goto done;
		memmove(buf, buf + head_len + body_len, have - head_len - body_len);
		have -= head_len + body_len;
	}
done:
	free(buf);
	close(fd);
	return NULL;
}

static const char *
option(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: partnerdesk-sim [--port N] [--port-file PATH] [--companies FILE.tsv] "
	                "[--addresses FILE.tsv]\n"
	                "Credentials come from the configuration: [dnb] key, secret; [address] "
	                "client_id, client_secret; [sim] token_seconds.\n");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage();
		return 0;
	}
	if (sodium_init() < 0)
		return 1;
	const char *companies = option(argc, argv, "--companies");
	const char *addresses = option(argc, argv, "--addresses");
	if (companies == NULL)
		companies = getenv("PARTNERDESK_SIM_COMPANIES");
	if (addresses == NULL)
		addresses = getenv("PARTNERDESK_SIM_ADDRESSES");
	if (companies == NULL)
		companies = PD_SIM_FIXTURES "/companies.tsv";
	if (addresses == NULL)
		addresses = PD_SIM_FIXTURES "/addresses.tsv";
	if (sim_load_companies(companies) != 0 || sim_load_addresses(addresses) != 0)
		return 1;
	struct config *cfg = config_load_default();
	if (cfg == NULL)
		return 1;
	sim_set_credentials(config_get(cfg, "dnb.key", ""), config_get(cfg, "dnb.secret", ""),
	                    config_get(cfg, "address.client_id", ""),
	                    config_get(cfg, "address.client_secret", ""),
	                    config_get_long(cfg, "sim.token_seconds", 86400, 1, 365L * 86400));
	const char *port_s = option(argc, argv, "--port");
	long port = port_s ? atol(port_s) : 0;
	if (port < 0 || port > 65535) {
		usage();
		return 2;
	}
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 256) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0) {
		fprintf(stderr, "partnerdesk-sim: cannot listen on 127.0.0.1:%ld: %s\n", port,
		        strerror(errno));
		return 1;
	}
	const char *port_file = option(argc, argv, "--port-file");
	if (port_file) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		FILE *f = fopen(tmp, "w");
		if (f == NULL || fprintf(f, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(f) != 0 ||
		    rename(tmp, port_file) != 0) {
			fprintf(stderr, "partnerdesk-sim: cannot write %s\n", port_file);
			return 1;
		}
	}
	struct sigaction act = {0};
	act.sa_handler = on_stop;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "partnerdesk-sim: listening on 127.0.0.1:%d (%s, %s)\n", ntohs(sa.sin_port),
	        companies, addresses);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	while (!stopping) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue; /* EINTR on a stop signal: the loop ends */
		pthread_t t;
		if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd) != 0)
			close(fd);
	}
	close(lfd);
	config_free(cfg);
	fprintf(stderr, "partnerdesk-sim: stopped\n");
	return 0;
}
