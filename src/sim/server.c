/* partnerdesk-sim: the HTTP/1.1 side. One thread per connection (at most
 * MAX_CONN at once), keep-alive, Content-Length bodies (no chunked ones:
 * the clients never send them), bounded request heads (16 KiB) and bodies
 * (64 KiB), listening on 127.0.0.1 only. SIGTERM/SIGINT stop it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "sim/sim.h"

#define MAX_HEAD  (16 * 1024)
#define MAX_BODY  (64 * 1024)
#define IDLE_SECS 60
#define MAX_CONN  512

static volatile sig_atomic_t stopping;
static _Atomic int connections;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
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
	sbuf_printf(&head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n",
	            rs->status, sim_status_text(rs->status),
	            rs->content_type ? rs->content_type : "application/json", rs->body.len);
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
 * what comes for a moment, then the caller closes. */
static void
plain_error(int fd, int status)
{
	struct sim_response rs = {.status = status, .content_type = "text/plain"};
	sbuf_adds(&rs.body, sim_status_text(status));
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

/* Splits the request line "METHOD SP TARGET SP HTTP/1.x" of line (a
 * copy, cut in place); false when malformed. */
static bool
request_line(char *line, char **method, char **target, char **version)
{
	*method = line;
	*target = strchr(line, ' ');
	if (*target == NULL)
		return false;
	*(*target)++ = '\0';
	*version = strchr(*target, ' ');
	if (*version == NULL)
		return false;
	*(*version)++ = '\0';
	return strlen(*method) > 0 && strlen(*method) < 16 && **target == '/' &&
	       (strcmp(*version, "HTTP/1.1") == 0 || strcmp(*version, "HTTP/1.0") == 0);
}

/* Reads and answers one request from buf (have bytes already read,
 * leftovers of a pipelined request kept). False when the connection is to
 * be closed. */
static bool
serve_one(int fd, char *buf, size_t *have)
{
	char *end;
	while ((end = *have ? memmem(buf, *have, "\r\n\r\n", 4) : NULL) == NULL) {
		if (*have >= MAX_HEAD) {
			plain_error(fd, 413);
			return false;
		}
		ssize_t n = recv(fd, buf + *have, MAX_HEAD - *have, 0);
		if (n <= 0)
			return false;
		*have += (size_t)n;
	}
	size_t head_len = (size_t)(end - buf) + 4, body_len = 0;
	char *head = strndup(buf, head_len - 2); /* lines end with CRLF; NUL bytes cut it */
	char *line = strndup(head, strcspn(head, "\r\n"));
	char *method, *target, *version, value[512];
	bool keep = false;
	int status = 0;
	if (!request_line(line, &method, &target, &version)) {
		status = 400;
	} else if (header(head, "Content-Length", value, sizeof(value))) {
		char *e;
		errno = 0;
		unsigned long long v = strtoull(value, &e, 10);
		if (*e || !*value || value[0] == '-')
			status = 400;
		else if (v > MAX_BODY || errno == ERANGE)
			status = 413;
		else
			body_len = (size_t)v;
	} else if (header(head, "Transfer-Encoding", value, sizeof(value))) {
		status = 400; /* the clients send Content-Length */
	}
	if (status) {
		plain_error(fd, status);
		goto out;
	}
	if (body_len > *have - head_len && header(head, "Expect", value, sizeof(value)) &&
	    strcasecmp(value, "100-continue") == 0 &&
	    write_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
		goto out;
	while (*have < head_len + body_len) {
		ssize_t n = recv(fd, buf + *have, head_len + body_len - *have, 0);
		if (n <= 0)
			goto out;
		*have += (size_t)n;
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
	struct sim_request rq = {.method = method,
	                         .path = target,
	                         .query = q ? q : "",
	                         .authorization = *auth ? auth : NULL,
	                         .content_type = ctype,
	                         .body = body,
	                         .body_len = body_len};
	struct sim_response rs = {0};
	sim_handle(&rq, &rs);
	keep = !rs.drop && answer(fd, &rs, close_after) == 0 && !close_after;
	sbuf_free(&rs.body);
	free(body);
	memmove(buf, buf + head_len + body_len, *have - head_len - body_len);
	*have -= head_len + body_len;
out:
	free(line);
	free(head);
	return keep;
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
	while (buf && !stopping && serve_one(fd, buf, &have))
		;
	free(buf);
	close(fd);
	atomic_fetch_sub(&connections, 1);
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr,
	        "usage: partnerdesk-sim [--port N] [--port-file PATH] [--companies FILE.tsv] "
	        "[--addresses FILE.tsv]\n"
	        "Fixtures default to $PARTNERDESK_SIM_COMPANIES / $PARTNERDESK_SIM_ADDRESSES, "
	        "else those installed in " PD_SIM_FIXTURES ".\n"
	        "Credentials come from the configuration ($PARTNERDESK_VAR/partnerdesk.ini, "
	        "$PARTNERDESK_CONF): [dnb] key, secret; [address] client_id, client_secret; "
	        "[sim] token_seconds (default 86400).\n");
}

/* Writes the port to path (through a temporary file and a rename). */
static int
write_port_file(const char *path, int port)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		log_err("cannot write %s", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *companies = getenv("PARTNERDESK_SIM_COMPANIES"),
	           *addresses = getenv("PARTNERDESK_SIM_ADDRESSES"), *port_s = "0",
	           *port_file = NULL;
	log_set_ident("partnerdesk-sim");
	for (int i = 1; i < argc; i++) {
		const char **opt = strcmp(argv[i], "--port") == 0        ? &port_s
		                   : strcmp(argv[i], "--port-file") == 0 ? &port_file
		                   : strcmp(argv[i], "--companies") == 0 ? &companies
		                   : strcmp(argv[i], "--addresses") == 0 ? &addresses
		                                                         : NULL;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage();
			return 0;
		}
		if (opt == NULL || i + 1 == argc) {
			usage();
			return 2;
		}
		*opt = argv[++i];
	}
	char *end;
	long port = strtol(port_s, &end, 10);
	if (*end || port < 0 || port > 65535) {
		usage();
		return 2;
	}
	if (companies == NULL || *companies == '\0')
		companies = PD_SIM_FIXTURES "/companies.tsv";
	if (addresses == NULL || *addresses == '\0')
		addresses = PD_SIM_FIXTURES "/addresses.tsv";
	if (sodium_init() < 0 || sim_load_companies(companies) != 0 ||
	    sim_load_addresses(addresses) != 0)
		return 1;
	struct config *cfg = config_load_default();
	if (cfg == NULL)
		return 1;
	sim_set_credentials(config_get(cfg, "dnb.key", ""), config_get(cfg, "dnb.secret", ""),
	                    config_get(cfg, "address.client_id", ""),
	                    config_get(cfg, "address.client_secret", ""),
	                    config_get_long(cfg, "sim.token_seconds", 86400, 1, 365L * 86400));
	if (!*config_get(cfg, "dnb.key", "") || !*config_get(cfg, "address.client_id", ""))
		log_warn(
		    "no [dnb] key or [address] client_id configured: every token request fails");
	config_free(cfg); /* the credentials were copied */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons((uint16_t)port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 256) != 0 || getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0) {
		log_err("cannot listen on 127.0.0.1:%ld: %s", port, strerror(errno));
		return 1;
	}
	if (port_file && write_port_file(port_file, ntohs(sa.sin_port)) != 0)
		return 1;
	struct sigaction act = {0};
	act.sa_handler = on_stop; /* no SA_RESTART: accept() returns EINTR */
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("listening on 127.0.0.1:%d (%zu companies from %s, %zu addresses from %s)",
	         ntohs(sa.sin_port), sim_ncompanies, companies, sim_naddresses, addresses);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	while (!stopping) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				usleep(100 * 1000);
			continue; /* EINTR on a stop signal: the loop ends */
		}
		pthread_t t;
		if (atomic_fetch_add(&connections, 1) >= MAX_CONN ||
		    pthread_create(&t, &attr, serve, (void *)(intptr_t)fd) != 0) {
			atomic_fetch_sub(&connections, 1);
			close(fd);
		}
	}
	close(lfd);
	log_info("stopped");
	return 0; /* connections still open end with the process */
}
