/* Delivery of outbox messages: RFC 5322 files in a directory (default) or
 * SMTP through libcurl when [smtp] url is set. */
#ifndef PD_MAILER_H
#define PD_MAILER_H
#include "core/config.h"
#include "core/sbuf.h"
#include "db/outbox.h"

/* Formats m as an RFC 5322 message (CRLF line ends, UTF-8 text body,
 * RFC 2047 subject when not ASCII) into out. */
void mail_format(const struct outbox_msg *m, const char *from, const char *domain,
                 long long now, struct sbuf *out);
/* Delivers one message; returns 0, or -1 with a reason in err. */
int mail_deliver(const struct config *cfg, const struct outbox_msg *m, const char *text,
                 char *err, size_t errlen);
/* One pass over the due messages; returns how many were delivered, -1 on a
 * database error. */
int mailer_pass(const struct config *cfg, struct arena *a);
#endif
