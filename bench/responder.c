/*
 * bench/responder.c — the bare FastCGI ceiling for bench/run.
 *
 * A prefork responder with the app's process model and nothing else: the master opens a unix
 * socket, forks N single-threaded workers, and each worker loops on FCGX_Accept_r answering
 * "ok". Whatever partnerdesk does per request is measured against this.
 *
 *   usage: responder SOCKET WORKERS PIDFILE
 *   build: cc -O2 -o responder bench/responder.c -lfcgi
 *
 * The master restarts nothing: it waits. SIGTERM or SIGINT stops the workers, removes the socket
 * and the pid file, and exits 0. It exits 1 if every worker died on its own.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 1024
#define LISTEN_BACKLOG 1024

static const char RESPONSE[] = "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n";

static void on_signal(int sig) { (void)sig; }

/* Worker: never returns. */
static void worker(int sock, const sigset_t *oldmask)
{
	FCGX_Request req;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	if (FCGX_InitRequest(&req, sock, 0) != 0) {
		fprintf(stderr, "responder: FCGX_InitRequest failed\n");
		_exit(1);
	}
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(RESPONSE, (int)sizeof RESPONSE - 1, req.out);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

/* Writes the pid file atomically. Returns 0, or -1 with a message. */
static int write_pidfile(const char *path)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		fprintf(stderr, "responder: pid file path too long\n");
		return -1;
	}
	f = fopen(tmp, "w");
	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "responder: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static pid_t pids[MAX_WORKERS];
	const char *sock_path, *pid_path;
	sigset_t set, oldmask;
	struct sigaction sa;
	char *end;
	long n;
	int sock, alive = 0, sig, stopping = 0, rc = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SOCKET WORKERS PIDFILE\n", argv[0]);
		return 2;
	}
	sock_path = argv[1];
	pid_path = argv[3];
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "responder: WORKERS must be 1..%d\n", MAX_WORKERS);
		return 2;
	}

	/* Signals are taken synchronously by the master (sigwait); handlers only make them pend. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &oldmask);

	if (FCGX_Init() != 0) {
		fprintf(stderr, "responder: FCGX_Init failed\n");
		return 1;
	}
	unlink(sock_path);
	umask(077);
	sock = FCGX_OpenSocket(sock_path, LISTEN_BACKLOG);
	if (sock < 0) {
		fprintf(stderr, "responder: cannot listen on %s\n", sock_path);
		return 1;
	}

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "responder: fork: %s\n", strerror(errno));
			break;
		}
		if (pid == 0)
			worker(sock, &oldmask);
		pids[alive++] = pid;
	}
	if (alive == 0 || write_pidfile(pid_path) != 0) {
		stopping = 1;
		rc = 1;
	}

	while (!stopping && alive > 0) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGCHLD) {
			int status;
			pid_t pid;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				for (int i = 0; i < alive; i++) {
					if (pids[i] == pid) {
						pids[i] = pids[--alive];
						break;
					}
				}
				fprintf(stderr, "responder: worker %ld exited (status %d)\n", (long)pid, status);
			}
		} else {
			stopping = 1;
		}
	}

	for (int i = 0; i < alive; i++)
		kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(sock_path);
	unlink(pid_path);
	return stopping ? rc : 1;
}
