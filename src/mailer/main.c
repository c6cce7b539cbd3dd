/* partnerdesk-mailer: delivers the outbox until SIGTERM. */
#include <curl/curl.h>
#include <signal.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "db/accounts.h"
#include "db/claims.h"
#include "db/db.h"
#include "domain/limits.h"
#include "mailer/mailer.h"

#define POLL_MICROSECONDS 300000
/* Expired sessions, old sign-in failures and the companies whose domain
 * claim expired unverified (db_claims_expire) are removed this often. */
#define HOUSEKEEPING_SECONDS 600

static volatile sig_atomic_t stop;
static void on_term(int s) { (void)s; stop = 1; }

int
main(void)
{
	log_set_ident("partnerdesk-mailer");
	if (sodium_init() < 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct config *cfg = config_load_default();
	if (cfg == NULL)
		return 1;
	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!stop && db_open(cfg) != 0)
		sleep(1);
	log_info("delivering mail (%s)", *config_get(cfg, "smtp.url", "") ? "smtp" : "files");
	struct arena a;
	arena_init(&a, 65536);
	time_t last_housekeeping = 0;
	while (!stop) {
		if (time(NULL) - last_housekeeping >= HOUSEKEEPING_SECONDS) {
			last_housekeeping = time(NULL);
			long long released = 0;
			if (db_sessions_purge(&a) != DB_OK || db_claims_expire(&a, &released) != DB_OK)
				log_warn("housekeeping failed");
			else if (released)
				log_info("%lld expired domain claim(s) released", released);
		}
		int n = mailer_pass(cfg, &a);
		arena_reset(&a);
		if (n <= 0)
			usleep(POLL_MICROSECONDS);
	}
	arena_free(&a);
	db_close();
	config_free(cfg);
	curl_global_cleanup();
	log_info("stopped");
	return 0;
}
