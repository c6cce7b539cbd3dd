/* One worker process of the portal: the database connection and the
 * site's callbacks around the FastCGI wire loop (http/fcgi.c). */
#ifndef PD_SITE_WORKER_H
#define PD_SITE_WORKER_H
/* Serves requests on listen_fd until SIGTERM. SIGHUP reloads the
 * templates. Returns the exit status. */
int worker_run(int listen_fd, const char *templates_dir);
#endif
