#ifndef PD_WORKER_H
#define PD_WORKER_H
/* Serves requests on listen_fd until SIGTERM; finishes the request in
 * flight first. SIGHUP reloads the templates. Returns the exit status. */
int worker_run(int listen_fd, const char *templates_dir);
#endif
