/* One worker process: opens its database connection, then serves FastCGI
 * requests through the route table until SIGTERM. */
#include "site/worker.h"

#include "app/app.h"
#include "core/log.h"
#include "db/db.h"
#include "db/directory.h"
#include "http/fcgi.h"
#include "site/router.h"

static const char *templates;

/* A request refused before dispatch (body too large, malformed): the
 * bilingual error page, with the visitor's session when there is one. */
static void
refuse(struct req *r, int status)
{
	(void)session_load(r);
	page_error(r, status);
}

/* A transaction left open by a handler is rolled back. */
static void
done(struct req *r)
{
	(void)r;
	db_abort_all();
}

static void
reload(void)
{
	if (tpl_load_dir(templates) == 0)
		log_info("templates reloaded");
}

int
worker_run(int listen_fd, const char *templates_dir)
{
	templates = templates_dir;
	if (db_open(app.cfg) != 0 || app_load() != 0) {
		log_err("worker cannot start: database not ready");
		return 1;
	}
	db_directory_cache_open(app.state_dir);
	const struct fcgi_site site = {.tmp_dir = app.tmp_dir, .base_url = app.base_url,
	                               .trusted_proxies =
	                                   config_get(app.cfg, "app.trusted_proxies", ""),
	                               .dispatch = router_dispatch,
	                               .refuse = refuse, .done = done, .reload = reload};
	int rc = fcgi_serve(listen_fd, &site);
	db_close();
	return rc;
}
