/* partnerdesk-ctl's commands, one file per area: ctl.c (main, migrations,
 * staff, claims, directory seed), demo.c, legacy.c (legacy profiles and
 * their migration window), leads.c, offers.c (the offers catalog),
 * programs.c. Each prints its own errors and returns the exit status. */
#ifndef PD_CTL_CTL_H
#define PD_CTL_CTL_H
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

int cmd_demo(void);
int cmd_legacy_import(const struct config *cfg, const char *path);
int cmd_migration_expire(const struct config *cfg, int argc, char **argv);
int cmd_leads_expire(int argc, char **argv);
/* The offers catalog (offers.c). */
int cmd_offers_import(const struct config *cfg, const char *path);
/* The demo's offers catalog (when empty), and the company of `email` made
 * an active CSP with customers covering a yes and every no (offers.c). */
enum db_err demo_csp_market(struct arena *a, const char *email, const char *legal_name);
int cmd_leads_remind(const struct config *cfg, int argc, char **argv);
/* Programs (programs.c): capability scores, legacy competencies, renewal reminders. */
int cmd_scores_import(const struct config *cfg, const char *path);
int cmd_competency_set(const struct config *cfg, const char *partner_id, const char *level);
int cmd_designations_remind(const struct config *cfg, int argc, char **argv);
/* The demo's designations (programs.c): Contoso qualified and in progress,
 * Fabrikam due for renewal, and a third company, enrolled (designations and
 * ISV Success), created with pwhash. */
enum db_err demo_programs(struct arena *a, const char *contoso, const char *fabrikam,
                          const char *pwhash);
#define DEMO_PROGRAMS_LOGIN "lena.vogel@tailwind-demo.example"
/* The demo's legacy profiles (legacy.c). */
enum db_err demo_legacy(struct arena *a);
#endif
