#include "mailer/mailer.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

#define MAIL_BATCH 20
#define SMTP_TIMEOUT_SECONDS 10L

static bool
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static void
header_value(struct sbuf *out, const char *s)
{
	/* Header values never carry CR/LF (no header injection). */
	for (; *s; s++)
		sbuf_addc(out, (*s == '\r' || *s == '\n') ? ' ' : *s);
}

void
mail_format(const struct outbox_msg *m, const char *from, const char *domain, long long now,
            struct sbuf *out)
{
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	sbuf_adds(out, "From: ");
	header_value(out, from);
	sbuf_adds(out, "\r\nTo: ");
	header_value(out, m->to);
	sbuf_adds(out, "\r\nSubject: ");
	if (is_ascii(m->subject)) {
		header_value(out, m->subject);
	} else {
		size_t len = strlen(m->subject);
		size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(n);
		sodium_bin2base64(b64, n, (const unsigned char *)m->subject, len,
		                  sodium_base64_VARIANT_ORIGINAL);
		sbuf_printf(out, "=?UTF-8?B?%s?=", b64);
		free(b64);
	}
	sbuf_printf(out, "\r\nDate: %s\r\nMessage-ID: <%lld.%s@%s>\r\n", date, m->id, m->created_at,
	            domain);
	sbuf_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	               "Content-Transfer-Encoding: 8bit\r\n\r\n");
	for (const char *p = m->body; *p; p++) {
		if (*p == '\n' && (p == m->body || p[-1] != '\r'))
			sbuf_addc(out, '\r');
		sbuf_addc(out, *p);
	}
	if (out->len < 2 || out->p[out->len - 1] != '\n')
		sbuf_adds(out, "\r\n");
}

struct upload {
	const char *data;
	size_t      len, pos;
};

static size_t
read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb;
	if (n > u->len - u->pos)
		n = u->len - u->pos;
	memcpy(buf, u->data + u->pos, n);
	u->pos += n;
	return n;
}

static int
deliver_smtp(const char *url, const char *from_addr, const struct outbox_msg *m, const char *text,
             char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "curl init failed");
		return -1;
	}
	struct curl_slist *rcpt = curl_slist_append(NULL, m->to);
	struct upload up = {text, strlen(text), 0};
	char from[300];
	snprintf(from, sizeof(from), "<%s>", from_addr);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TIMEOUT_SECONDS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "smtp: %s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

static int
deliver_file(const char *dir, const struct outbox_msg *m, const char *text, char *err,
             size_t errlen)
{
	char tmp[4096], path[4096];
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/%s-%06lld.eml", dir, m->created_at, m->id);
	snprintf(tmp, sizeof(tmp), "%s/.%06lld.tmp", dir, m->id);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)w;
	}
	/* Atomic: a reader never sees half a message. */
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot store %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
mail_deliver(const struct config *cfg, const struct outbox_msg *m, const char *text, char *err,
             size_t errlen)
{
	const char *url = config_get(cfg, "smtp.url", "");
	if (url && *url)
		return deliver_smtp(url, config_get(cfg, "mail.from_address", "no-reply@partnerdesk.example"),
		                    m, text, err, errlen);
	return deliver_file(config_get(cfg, "mail.dir", "var/mail"), m, text, err, errlen);
}

int
mailer_pass(const struct config *cfg, struct arena *a)
{
	struct outbox_msg *msgs;
	size_t n;
	if (db_begin() != DB_OK)
		return -1;
	if (db_outbox_claim(a, MAIL_BATCH, &msgs, &n) != DB_OK) {
		db_abort_all();
		return -1;
	}
	const char *from_addr = config_get(cfg, "mail.from_address", "no-reply@partnerdesk.example");
	const char *from_name = config_get(cfg, "mail.from_name", "partnerdesk");
	char from[400];
	snprintf(from, sizeof(from), "%s <%s>", from_name, from_addr);
	const char *domain = strchr(from_addr, '@') ? strchr(from_addr, '@') + 1 : "partnerdesk";
	int delivered = 0;
	for (size_t i = 0; i < n; i++) {
		struct sbuf text = {0};
		char err[512] = "";
		mail_format(&msgs[i], from, domain, (long long)time(NULL), &text);
		if (mail_deliver(cfg, &msgs[i], sbuf_cstr(&text), err, sizeof(err)) == 0) {
			db_outbox_sent(a, msgs[i].id);
			delivered++;
		} else {
			/* Backoff: 30 s, 1 min, 2 min … capped at one hour. */
			long delay = 30L << (msgs[i].attempts < 7 ? msgs[i].attempts : 7);
			if (delay > 3600)
				delay = 3600;
			log_warn("message %lld not delivered: %s", msgs[i].id, err);
			db_outbox_failed(a, msgs[i].id, err, delay);
		}
		sbuf_free(&text);
	}
	if (db_commit() != DB_OK)
		return -1;
	return delivered;
}
