/* ClamAV daemon client: the INSTREAM command over clamd's unix socket
 * (clamd(8), "zINSTREAM"), bounded by one deadline for the whole exchange. */
#ifndef PD_CLIENTS_CLAMD_H
#define PD_CLIENTS_CLAMD_H
#include <stddef.h>

#define CLAMD_CHUNK      65536  /* bytes per INSTREAM chunk (below clamd's StreamMaxLength) */
#define CLAMD_TIMEOUT_MS 30000  /* default [uploads] clamd_timeout_ms */

enum clamd_verdict {
	CLAMD_CLEAN,       /* "stream: OK" */
	CLAMD_INFECTED,    /* "stream: <signature> FOUND" */
	CLAMD_UNAVAILABLE, /* no socket, no answer in time, or an ERROR answer */
	CLAMD__MAX
};

/* Scans the n bytes at buf through the clamd listening on the unix socket
 * at path. sig (of sigsize bytes, may be NULL) receives the signature found. */
enum clamd_verdict clamd_scan(const char *path, const unsigned char *buf, size_t n,
                              int timeout_ms, char *sig, size_t sigsize);
/* The same over a socket already connected (fd stays open). */
enum clamd_verdict clamd_scan_fd(int fd, const unsigned char *buf, size_t n, int timeout_ms,
                                 char *sig, size_t sigsize);
const char *clamd_verdict_code(enum clamd_verdict v); /* "clean", "infected", "unavailable" */
#endif
