/* ClamAV daemon client (clamd.h). The exchange: "zINSTREAM\0", chunks of a
 * 4-byte big-endian length and the bytes, a zero length, then one answer
 * ending in '\0': "stream: OK", "stream: Name FOUND" or "… ERROR". */
#include "clients/clamd.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline; false on timeout or error. */
static bool
wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = fd, .events = events};
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r == 0 || errno != EINTR)
			return false;
	}
}

static bool
send_all(int fd, const void *data, size_t n, long long deadline)
{
	const unsigned char *p = data;
	while (n > 0) {
		if (!wait_fd(fd, POLLOUT, deadline))
			return false;
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

enum clamd_verdict
clamd_scan_fd(int fd, const unsigned char *buf, size_t n, int timeout_ms, char *sig,
              size_t sigsize)
{
	long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : CLAMD_TIMEOUT_MS);
	if (sig && sigsize)
		sig[0] = '\0';
	/* A clamd that answers early (size limit) is read below even when a send fails. */
	bool sent = send_all(fd, "zINSTREAM", 10, deadline);
	for (size_t off = 0; sent && off < n; off += CLAMD_CHUNK) {
		size_t len = n - off < CLAMD_CHUNK ? n - off : CLAMD_CHUNK;
		unsigned char hdr[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
		                        (unsigned char)(len >> 8), (unsigned char)len};
		sent = send_all(fd, hdr, 4, deadline) && send_all(fd, buf + off, len, deadline);
	}
	if (sent)
		sent = send_all(fd, "\0\0\0\0", 4, deadline);
	char reply[512];
	size_t got = 0;
	while (got < sizeof(reply) - 1 && (got == 0 || reply[got - 1] != '\0')) {
		if (!wait_fd(fd, POLLIN, deadline))
			return CLAMD_UNAVAILABLE;
		ssize_t r = recv(fd, reply + got, sizeof(reply) - 1 - got, MSG_DONTWAIT);
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	reply[got] = '\0';
	size_t len = strlen(reply);
	while (len > 0 && (reply[len - 1] == '\n' || reply[len - 1] == '\r'))
		reply[--len] = '\0';
	if (!sent && len == 0)
		return CLAMD_UNAVAILABLE;
	const char *r = strncmp(reply, "stream: ", 8) == 0 ? reply + 8 : reply;
	if (strcmp(r, "OK") == 0 && sent)
		return CLAMD_CLEAN;
	if (len > 6 && strcmp(reply + len - 6, " FOUND") == 0) {
		if (sig && sigsize)
			snprintf(sig, sigsize, "%.*s", (int)(reply + len - 6 - r), r);
		return CLAMD_INFECTED;
	}
	return CLAMD_UNAVAILABLE;
}

enum clamd_verdict
clamd_scan(const char *path, const unsigned char *buf, size_t n, int timeout_ms, char *sig,
           size_t sigsize)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return CLAMD_UNAVAILABLE;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return CLAMD_UNAVAILABLE;
	enum clamd_verdict v = CLAMD_UNAVAILABLE;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) /* EAGAIN: backlog full */
		v = clamd_scan_fd(fd, buf, n, timeout_ms, sig, sigsize);
	close(fd);
	return v;
}

const char *
clamd_verdict_code(enum clamd_verdict v)
{
	static const char *const codes[CLAMD__MAX] = {"clean", "infected", "unavailable"};
	return (unsigned)v < CLAMD__MAX ? codes[v] : "unknown";
}
