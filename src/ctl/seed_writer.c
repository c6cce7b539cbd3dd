#include "ctl/seed.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/directory.h"

#define SEED_PROGRESS_EVERY 10000 /* profiles */

double
seed_elapsed(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The writer's loop: "first last done" lines from fd. Returns the exit status. */
static int
write_ranges(int fd, long long total, const struct timespec *t0, FILE *progress)
{
	FILE *in = fdopen(fd, "r");
	if (in == NULL || db_reopen_in_child() != 0 ||
	    db_query_plain("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") != DB_OK) {
		fprintf(stderr, "directory seed: cannot open a second connection\n");
		return 1;
	}
	struct arena a;
	arena_init(&a, 1 << 16);
	long long first, last, done = 0, next_report = SEED_PROGRESS_EVERY;
	enum db_err rc = DB_OK;
	while (rc == DB_OK && fscanf(in, "%lld %lld %lld", &first, &last, &done) == 3) {
		if ((rc = db_begin()) == DB_OK)
			rc = db_finish(db_directory_sync_range(&a, first, last));
		arena_reset(&a);
		if (rc == DB_OK && progress && (done >= next_report || done == total)) {
			fprintf(progress, "directory seed: %lld of %lld profiles, %.1f s\n", done, total,
			        seed_elapsed(t0));
			fflush(progress);
			while (next_report <= done)
				next_report += SEED_PROGRESS_EVERY;
		}
	}
	if (rc != DB_OK)
		fprintf(stderr, "directory seed: the directory's rows: %s\n", db_strerror(rc));
	arena_free(&a);
	return rc == DB_OK ? 0 : 1;
}

int
seed_writer_start(struct seed_writer *w, long long total, const struct timespec *t0,
                  FILE *progress)
{
	int fds[2];
	w->pid = -1;
	w->fd = -1;
	fflush(NULL);
	signal(SIGPIPE, SIG_IGN); /* a writer that stopped is an error from write, not a signal */
	if (pipe(fds) != 0)
		goto fail;
	if ((w->pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (w->pid == 0) {
		close(fds[1]);
		_exit(write_ranges(fds[0], total, t0, progress));
	}
	close(fds[0]);
	w->fd = fds[1];
	return 0;
fail:
	fprintf(stderr, "directory seed: cannot start the directory's writer\n");
	return -1;
}

int
seed_writer_send(struct seed_writer *w, long long first, long long last, long long done)
{
	return dprintf(w->fd, "%lld %lld %lld\n", first, last, done) < 0 ? -1 : 0;
}

int
seed_writer_finish(struct seed_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->pid <= 0)
		return 0;
	int status = 0;
	pid_t pid = w->pid;
	w->pid = -1;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0
	                                                                                         : -1;
}
