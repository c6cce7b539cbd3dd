/* partnerdesk: the FastCGI master. Opens the unix socket of each pool (the
 * signed-in site, and optionally the public directory: bench/README.md,
 * "Sizing"), forks each pool's single-threaded workers, replaces a worker that
 * dies, reloads configuration and templates on SIGHUP (by replacing the
 * workers), and on SIGTERM lets the workers finish their requests before
 * exiting. */
#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <libxml/parser.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "clients/remote.h"
#include "site/worker.h"
#include "core/log.h"

#define MAX_WORKERS 256
#define DRAIN_SECONDS 10

static volatile sig_atomic_t got_term, got_hup, got_chld;

static void on_term(int s) { (void)s; got_term = 1; }
static void on_hup(int s) { (void)s; got_hup = 1; }
static void on_chld(int s) { (void)s; got_chld = 1; }

struct worker_slot {
	pid_t  pid;
	time_t started;
};

/* A pool owns the slots [first, first + MAX_WORKERS) and runs count of them
 * on its own socket. The directory pool is off (fd -1) without a socket. */
struct pool {
	const char *what;     /* for the log */
	const char *ident;    /* log ident of its workers */
	const char *procname; /* process name of its workers, NULL: keep */
	int fd;
	int count;
	int first;
	char *socket;
};

enum { POOL_MAIN, POOL_DIRECTORY, NPOOLS };

static struct pool pools[NPOOLS] = {
    [POOL_MAIN] = {"workers", "partnerdesk-worker", NULL, -1, 0, 0, NULL},
    [POOL_DIRECTORY] = {"directory workers", "partnerdesk-directory", "pd-directory", -1, 0,
                        MAX_WORKERS, NULL},
};

static struct worker_slot workers[NPOOLS * MAX_WORKERS];
static const char *templates_dir;

static int
load_config(void)
{
	struct config *c = config_load_default();
	if (c == NULL)
		return -1;
	const char *tdir = config_get(c, "app.templates", "www/templates");
	const char *ldir = config_get(c, "app.locale_dir", "po");
	i18n_free();
	if (i18n_init(ldir) != 0 || tpl_load_dir(tdir) != 0) {
		config_free(c);
		return -1;
	}
	config_free(app.cfg);
	app.cfg = c;
	templates_dir = config_get(c, "app.templates", "www/templates");
	app.base_url = config_get(c, "app.base_url", "http://127.0.0.1:8080");
	app.state_dir = config_get(c, "app.state_dir", "var");
	remote_service_load(&app.dnb, SERVICE_DNB, "dnb", "key", "secret", c);
	remote_service_load(&app.address, SERVICE_ADDRESS, "address", "client_id", "client_secret", c);
	static char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s/tmp", app.state_dir);
	mkdir(tmp, 0700);
	app.tmp_dir = tmp;
	pools[POOL_MAIN].count = (int)config_get_long(c, "app.workers", 40, 1, MAX_WORKERS);
	/* The directory's workers only wait on short queries: one per core and
	 * one more keeps the cores busy with the fewest switches between them
	 * (bench/README.md, "Sizing"). */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	pools[POOL_DIRECTORY].count = (int)config_get_long(c, "app.directory_workers",
	                                                   cores > 0 ? cores + 1 : 3, 1, MAX_WORKERS);
	return 0;
}

static struct pool *
pool_of(int slot)
{
	return &pools[slot / MAX_WORKERS];
}

static pid_t
spawn_worker(int slot)
{
	struct pool *p = pool_of(slot);
	pid_t pid = fork();
	if (pid < 0) {
		log_err("fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		struct sigaction sa = {0};
		sa.sa_handler = SIG_DFL;
		sigaction(SIGCHLD, &sa, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (int i = 0; i < NPOOLS; i++)
			if (&pools[i] != p && pools[i].fd >= 0)
				close(pools[i].fd);
		log_set_ident(p->ident);
		if (p->procname)
			prctl(PR_SET_NAME, p->procname, 0, 0, 0);
		/* Each worker gets its own random state after fork. */
		randombytes_stir();
		_exit(worker_run(p->fd, templates_dir));
	}
	workers[slot].pid = pid;
	workers[slot].started = time(NULL);
	return pid;
}

/* Starts the missing workers of every open pool. */
static void
fill_pools(void)
{
	for (int k = 0; k < NPOOLS; k++)
		if (pools[k].fd >= 0)
			for (int i = 0; i < pools[k].count; i++)
				if (workers[pools[k].first + i].pid == 0)
					spawn_worker(pools[k].first + i);
}

static void
signal_workers(int sig)
{
	for (int i = 0; i < NPOOLS * MAX_WORKERS; i++)
		if (workers[i].pid > 0)
			kill(workers[i].pid, sig);
}

static int
live_workers(void)
{
	int n = 0;
	for (int i = 0; i < NPOOLS * MAX_WORKERS; i++)
		n += workers[i].pid > 0;
	return n;
}

static void
reap(bool respawn)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < NPOOLS * MAX_WORKERS; i++) {
			if (workers[i].pid != pid)
				continue;
			workers[i].pid = 0;
			bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
			if (!clean)
				log_warn("worker %d ended (%s %d)", (int)pid,
				         WIFSIGNALED(status) ? "signal" : "status",
				         WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			struct pool *p = pool_of(i);
			if (respawn && i - p->first < p->count) {
				/* A worker that dies at once (database down) is not
				 * restarted in a tight loop. */
				if (time(NULL) - workers[i].started < 1)
					sleep(1);
				spawn_worker(i);
			}
		}
	}
}

/* Opens a pool's socket: backlog sized for bursts (nginx queues there while
 * the workers are busy); the workers wait in ppoll() and accept without
 * blocking (see worker.c). */
static int
open_pool(struct pool *p, const char *path)
{
	p->socket = strdup(path);
	unlink(p->socket);
	mode_t old = umask(0);
	p->fd = FCGX_OpenSocket(p->socket, 1024);
	umask(old);
	if (p->fd < 0) {
		log_err("cannot listen on %s", p->socket);
		return -1;
	}
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void
close_pools(void)
{
	for (int k = 0; k < NPOOLS; k++) {
		if (pools[k].fd >= 0) {
			close(pools[k].fd);
			unlink(pools[k].socket);
		}
		free(pools[k].socket);
	}
}

static void
write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		log_err("cannot write %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	log_set_ident("partnerdesk");
	if (sodium_init() < 0) {
		log_err("libsodium failed to initialise");
		return 1;
	}
	xmlInitParser();
	if (load_config() != 0)
		return 1;
	/* The sockets are opened once: a reload changes the counts only. */
	const char *socket_path = config_get(app.cfg, "app.socket", "var/run/app.sock");
	const char *dir_socket = config_get(app.cfg, "app.directory_socket", "");
	const char *pid_file = config_get(app.cfg, "app.pid_file", NULL);
	char *pid_copy = pid_file ? strdup(pid_file) : NULL;

	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		log_err("FCGX_Init failed");
		return 1;
	}
	/* Before the workers fork: they share the remote services' breakers. */
	if (remote_init_shared() != 0) {
		log_err("cannot set up the remote services' shared state");
		return 1;
	}
	if (open_pool(&pools[POOL_MAIN], socket_path) != 0 ||
	    (*dir_socket && open_pool(&pools[POOL_DIRECTORY], dir_socket) != 0)) {
		close_pools();
		return 1;
	}
	if (pid_copy)
		write_pid_file(pid_copy);
	fill_pools();
	for (int k = 0; k < NPOOLS; k++)
		if (pools[k].fd >= 0)
			log_info("listening on %s with %d %s", pools[k].socket, pools[k].count,
			         pools[k].what);

	sigset_t block, orig;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &orig);
	while (!got_term) {
		if (!got_hup && !got_chld)
			sigsuspend(&orig);
		if (got_chld) {
			got_chld = 0;
			reap(!got_term);
		}
		if (got_hup && !got_term) {
			got_hup = 0;
			if (load_config() == 0) {
				log_info("configuration reloaded; replacing workers");
				/* Each old worker is replaced as it exits (reap), up
				 * to its pool's new count; new slots start now. */
				signal_workers(SIGTERM);
				fill_pools();
			} else {
				log_err("reload failed; keeping the running configuration");
			}
		}
	}
	log_info("stopping: draining %d workers", live_workers());
	signal_workers(SIGTERM);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	for (int waited = 0; live_workers() > 0 && waited < DRAIN_SECONDS * 10; waited++) {
		reap(false);
		if (live_workers())
			usleep(100000);
	}
	if (live_workers()) {
		log_warn("killing %d workers that did not finish in time", live_workers());
		signal_workers(SIGKILL);
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
	close_pools();
	if (pid_copy)
		unlink(pid_copy);
	free(pid_copy);
	tpl_free_all();
	i18n_free();
	config_free(app.cfg);
	log_info("stopped");
	return 0;
}
