/* Logging to stderr (the scripts redirect it to $PARTNERDESK_VAR/log).
 * Untrusted text is filtered: control characters become '?'. Never pass
 * secrets (passwords, tokens) to these functions. */
#ifndef PD_LOG_H
#define PD_LOG_H

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_ident(const char *ident);
void log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_err(...)  log_msg(LOG_ERR, __func__, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __func__, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __func__, __VA_ARGS__)
#endif
