/* The emails about Solutions Partner designations (DOMAIN §7), queued in
 * the outbox in each recipient's language, for the pages (a purchase) and
 * partnerdesk-ctl (scores import, competency set, designations remind):
 * one place for what they say. */
#ifndef PD_PROGRAM_MAIL_H
#define PD_PROGRAM_MAIL_H
#include "db/programs.h"

enum program_mail {
	PROGRAM_MAIL_QUALIFIED, /* an area qualified: it may be bought */
	PROGRAM_MAIL_ENROLLED,  /* an area enrolled (how: purchase, member, legacy) */
	PROGRAM_MAIL_RENEWAL,   /* the renewal window opened */
};
/* Queues the email of kind about area (NULL for the renewal) to every
 * active global and account admin of the company, with links under
 * base_url; the membership m gives the dates. Inside the caller's
 * transaction. 0, or -1 when the database or a template fails. */
int program_mail_queue(struct arena *a, const char *base_url, long long tenant_id,
                       enum program_mail kind, const char *area, const char *how, int score,
                       const struct desig_membership *m);
#endif
