#include <config.h>

#include "clients/remote.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>

#include "core/log.h"

/* One breaker per service. In shared memory (created by the master before
 * fork) every worker sees the same state; updates are atomic. */
struct breaker {
	_Atomic int       state;    /* enum breaker_state */
	_Atomic int       failures; /* failed calls in a row */
	_Atomic long long open_until_ms;
	_Atomic int       probing;  /* a half-open probe is out */
	_Atomic long long probe_started_ms;
};

/* The token of one service for the host; lock is process-shared and
 * robust (a worker that dies holding it does not block the others). */
struct shared_token {
	pthread_mutex_t lock;
	char            value[REMOTE_TOKEN_MAX];
	long long       renew_at_ms; /* CLOCK_MONOTONIC, which every process shares */
	long            fetches;
};

struct shared_state {
	struct breaker      breakers[SERVICE__MAX];
	struct shared_token tokens[SERVICE__MAX];
};

/* Without remote_init_shared (tools, tests): this process's own. */
static struct shared_state local_state = {
    .tokens = {{.lock = PTHREAD_MUTEX_INITIALIZER}, {.lock = PTHREAD_MUTEX_INITIALIZER}}};
static struct shared_state *state = &local_state;
#define breakers (state->breakers)
static CURL *easy; /* one per process: keeps its connections open */

static const char *const err_names[REMOTE__MAX] = {
    "ok", "not found", "input refused", "unavailable", "rate limited", "unexpected answer",
};

const char *
remote_strerror(enum remote_err e)
{
	return e < REMOTE__MAX ? err_names[e] : "?";
}

long long
remote_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Renew this long before the announced expiry. */
#define TOKEN_MARGIN_MS 60000

long long
remote_token_renew_after_ms(long long life_s)
{
	if (life_s <= 0)
		return 0;
	long long life = life_s * 1000;
	return life > 2 * TOKEN_MARGIN_MS ? life - TOKEN_MARGIN_MS : life / 2;
}

long
remote_token_fetches(const struct remote_service *svc)
{
	/* Read without the lock: a counter, and the lock may be held by a
	 * renewal (or left by a worker that died holding it). */
	return __atomic_load_n(&state->tokens[svc->id].fetches, __ATOMIC_RELAXED);
}

/* Takes the token's lock within the call's deadline. */
static bool
token_lock(struct shared_token *t, const struct remote_service *svc, long long start_ms)
{
	long remaining = (long)(svc->deadline_ms - (remote_now_ms() - start_ms));
	if (remaining < 1)
		return false;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += remaining / 1000;
	until.tv_nsec += (remaining % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc = pthread_mutex_timedlock(&t->lock, &until);
	if (rc == EOWNERDEAD) {
		/* Its holder died while renewing: what it left is not trusted. */
		t->value[0] = '\0';
		pthread_mutex_consistent(&t->lock);
		rc = 0;
	}
	if (rc != 0)
		log_warn("%s: waited too long for the token being renewed", svc->name);
	return rc == 0;
}

enum remote_err
remote_token(struct arena *a, const struct remote_service *svc, long long *start_ms,
             const char *refused, remote_token_fetch fetch, char *out, size_t size)
{
	if (*start_ms == 0)
		*start_ms = remote_now_ms();
	struct shared_token *t = &state->tokens[svc->id];
	out[0] = '\0';
	if (!token_lock(t, svc, *start_ms))
		return REMOTE_UNAVAILABLE;
	enum remote_err rc = REMOTE_OK;
	bool usable = t->value[0] && remote_now_ms() < t->renew_at_ms &&
	              (refused == NULL || strcmp(refused, t->value) != 0);
	if (!usable) {
		char fresh[REMOTE_TOKEN_MAX];
		long long life_s = 0;
		fresh[0] = '\0';
		rc = fetch(a, svc, start_ms, fresh, sizeof(fresh), &life_s);
		if (rc == REMOTE_OK && (fresh[0] == '\0' || life_s <= 0))
			rc = REMOTE_BAD_ANSWER;
		if (rc == REMOTE_OK) {
			memcpy(t->value, fresh, sizeof(t->value));
			t->renew_at_ms = remote_now_ms() + remote_token_renew_after_ms(life_s);
			__atomic_add_fetch(&t->fetches, 1, __ATOMIC_RELAXED);
			log_info("%s: new token, valid %lld s", svc->name, life_s);
		} else {
			t->value[0] = '\0';
		}
	}
	if (rc == REMOTE_OK) {
		if (strlen(t->value) < size)
			memcpy(out, t->value, strlen(t->value) + 1);
		else
			rc = REMOTE_BAD_ANSWER;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

bool
remote_url_allowed(const char *url)
{
	if (url == NULL)
		return false;
	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0';
	if (strncmp(url, "http://", 7) != 0)
		return false;
	const char *host = url + 7;
	size_t n = strcspn(host, "/?#");
	const char *at = memchr(host, '@', n);
	if (at) /* credentials in the URL: judge the host after them */
		return false;
	char h[256];
	if (n == 0 || n >= sizeof(h))
		return false;
	memcpy(h, host, n);
	h[n] = '\0';
	if (h[0] == '[') {
		char *end = strchr(h, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			return false;
		*end = '\0';
		return strcmp(h + 1, "::1") == 0;
	}
	char *colon = strchr(h, ':');
	if (colon) {
		if (colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1))
			return false;
		*colon = '\0';
	}
	if (strcasecmp(h, "localhost") == 0)
		return true;
	struct in_addr ip;
	return inet_pton(AF_INET, h, &ip) == 1 && (ntohl(ip.s_addr) >> 24) == 127;
}

long
remote_backoff_ms(int n)
{
	long cap = REMOTE_BACKOFF_BASE_MS << (n < 10 ? n : 10);
	if (cap > REMOTE_BACKOFF_CAP_MS)
		cap = REMOTE_BACKOFF_CAP_MS;
	return (long)randombytes_uniform((uint32_t)cap + 1);
}

int
remote_init_shared(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	struct shared_state *p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
	                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0, sizeof(*p));
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	for (int i = 0; i < SERVICE__MAX; i++)
		if (pthread_mutex_init(&p->tokens[i].lock, &attr) != 0) {
			pthread_mutexattr_destroy(&attr);
			munmap(p, sizeof(*p));
			return -1;
		}
	pthread_mutexattr_destroy(&attr);
	state = p;
	return 0;
}

const char *
remote_escape(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-_.~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

void
remote_service_load(struct remote_service *svc, enum remote_service_id id, const char *name,
                    const char *id_key, const char *secret_key, const struct config *cfg)
{
	char key[64];
#define GET_LONG(field, def, lo, hi)                                   \
	(snprintf(key, sizeof(key), "%s.%s", name, field),               \
	 config_get_long(cfg, key, def, lo, hi))
	svc->id = id;
	svc->name = name;
	snprintf(key, sizeof(key), "%s.base_url", name);
	svc->base_url = config_get(cfg, key, "");
	snprintf(key, sizeof(key), "%s.%s", name, id_key);
	svc->client_id = config_get(cfg, key, "");
	snprintf(key, sizeof(key), "%s.%s", name, secret_key);
	svc->client_secret = config_get(cfg, key, "");
	svc->connect_timeout_ms = GET_LONG("connect_timeout_ms", REMOTE_CONNECT_TIMEOUT_MS, 50, 60000);
	svc->attempt_timeout_ms = GET_LONG("attempt_timeout_ms", REMOTE_ATTEMPT_TIMEOUT_MS, 50, 60000);
	svc->deadline_ms = GET_LONG("deadline_ms", REMOTE_DEADLINE_MS, 100, 60000);
	svc->max_retries = (int)GET_LONG("max_retries", REMOTE_MAX_RETRIES, 0, 5);
	svc->breaker_failures = (int)GET_LONG("breaker_failures", BREAKER_FAILURES, 1, 1000);
	svc->cooldown_ms = GET_LONG("breaker_cooldown_ms", BREAKER_COOLDOWN_MS, 100, 3600000);
#undef GET_LONG
	snprintf(key, sizeof(key), "%s.token_version", name);
	svc->token_version = config_get(cfg, key, "v3");
	if (strcmp(svc->token_version, "v2") != 0 && strcmp(svc->token_version, "v3") != 0) {
		log_err("%s: token_version must be v2 or v3, not '%s': using v3", name,
		        svc->token_version);
		svc->token_version = "v3";
	}
	if (*svc->base_url && !remote_url_allowed(svc->base_url))
		log_err("%s: base_url %s is refused: https is required except on loopback", name,
		        svc->base_url);
}

enum breaker_state
remote_breaker_state(const struct remote_service *svc)
{
	struct breaker *b = &breakers[svc->id];
	int s = atomic_load(&b->state);
	if (s == BREAKER_OPEN && remote_now_ms() >= atomic_load(&b->open_until_ms))
		return BREAKER_HALF_OPEN; /* the next call is the probe */
	return (enum breaker_state)s;
}

/* Whether a call may go out: always when closed; while open, only one probe
 * once the cooldown is over (half-open). A probe lost for longer than a
 * whole deadline (its worker died) is given up. */
static bool
breaker_allow(const struct remote_service *svc)
{
	struct breaker *b = &breakers[svc->id];
	int s = atomic_load(&b->state);
	if (s == BREAKER_CLOSED)
		return true;
	long long now = remote_now_ms();
	if (s == BREAKER_OPEN && now < atomic_load(&b->open_until_ms))
		return false;
	if (atomic_load(&b->probing) && now - atomic_load(&b->probe_started_ms) > 2 * svc->deadline_ms)
		atomic_store(&b->probing, 0);
	int expected = 0;
	if (!atomic_compare_exchange_strong(&b->probing, &expected, 1))
		return false;
	atomic_store(&b->probe_started_ms, now);
	atomic_store(&b->state, BREAKER_HALF_OPEN);
	log_info("%s: breaker half-open, one probe goes through", svc->name);
	return true;
}

static void
breaker_open(const struct remote_service *svc, struct breaker *b)
{
	atomic_store(&b->open_until_ms, remote_now_ms() + svc->cooldown_ms);
	atomic_store(&b->state, BREAKER_OPEN);
	atomic_store(&b->probing, 0);
	log_warn("%s: breaker open for %ld ms", svc->name, svc->cooldown_ms);
}

static void
breaker_result(const struct remote_service *svc, bool ok)
{
	struct breaker *b = &breakers[svc->id];
	if (ok) {
		atomic_store(&b->failures, 0);
		if (atomic_exchange(&b->state, BREAKER_CLOSED) != BREAKER_CLOSED)
			log_info("%s: breaker closed", svc->name);
		atomic_store(&b->probing, 0);
		return;
	}
	int failures = atomic_fetch_add(&b->failures, 1) + 1;
	int s = atomic_load(&b->state);
	if (s == BREAKER_HALF_OPEN || (s == BREAKER_CLOSED && failures >= svc->breaker_failures))
		breaker_open(svc, b);
}

static size_t
on_body(char *p, size_t size, size_t n, void *userdata)
{
	struct sbuf *b = userdata;
	if (b->len + size * n > REMOTE_MAX_BODY)
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	sbuf_add(b, p, size * n);
	return size * n;
}

/* Transport errors worth another attempt (research §3.1). */
static bool
transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static CURLcode
perform(const struct remote_service *svc, long budget_ms, const char *method, const char *url,
        struct curl_slist *headers, const char *body, struct remote_resp *out, long *status)
{
	curl_easy_reset(easy);
	long connect = svc->connect_timeout_ms < budget_ms ? svc->connect_timeout_ms : budget_ms;
	long total = svc->attempt_timeout_ms < budget_ms ? svc->attempt_timeout_ms : budget_ms;
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, total);
	/* remote_call allowed http only for loopback base URLs. */
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR,
	                 strncmp(url, "https://", 8) == 0 ? "https" : "http");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "partnerdesk/" PACKAGE_VERSION);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &out->body);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
	} else {
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	}
	CURLcode cc = curl_easy_perform(easy);
	*status = 0;
	if (cc == CURLE_OK) {
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
		curl_off_t ra = 0;
		if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			out->retry_after = ra > 60 ? 60 : (long)ra;
	}
	return cc;
}

enum remote_err
remote_call(const struct remote_service *svc, long long *start_ms, const char *method,
            const char *path, const char *const *headers, const char *body,
            struct remote_resp *out, remote_reader read, void *ctx)
{
	if (*start_ms == 0)
		*start_ms = remote_now_ms();
	out->status = 0;
	out->retry_after = 0;
	sbuf_reset(&out->body);
	if (svc->base_url == NULL || *svc->base_url == '\0') {
		log_err("%s: no base_url configured", svc->name);
		return REMOTE_UNAVAILABLE;
	}
	if (!remote_url_allowed(svc->base_url)) {
		log_err("%s: base_url refused (https is required except on loopback)", svc->name);
		return REMOTE_UNAVAILABLE;
	}
	if (!breaker_allow(svc))
		return REMOTE_UNAVAILABLE;
	if (easy == NULL && (easy = curl_easy_init()) == NULL)
		return REMOTE_UNAVAILABLE;
	char url[4096];
	snprintf(url, sizeof(url), "%s%s", svc->base_url, path);
	struct curl_slist *hl = NULL;
	for (const char *const *h = headers; h && *h; h++)
		hl = curl_slist_append(hl, *h);
	enum remote_err result = REMOTE_UNAVAILABLE;
	for (int attempt = 0;; attempt++) {
		long remaining = (long)(svc->deadline_ms - (remote_now_ms() - *start_ms));
		if (remaining < 50)
			break;
		sbuf_reset(&out->body);
		long status;
		CURLcode cc = perform(svc, remaining, method, url, hl, body, out, &status);
		out->status = status;
		bool retry;
		if (cc != CURLE_OK) {
			log_warn("%s: %s %s: %s", svc->name, method, path, curl_easy_strerror(cc));
			result = REMOTE_UNAVAILABLE;
			retry = transient(cc);
		} else if (status == 429) {
			result = REMOTE_RATE_LIMITED;
			retry = true;
		} else if (status >= 500) {
			log_warn("%s: %s %s answered %ld", svc->name, method, path, status);
			result = REMOTE_UNAVAILABLE;
			retry = true;
		} else {
			/* An answer: the protocol reader decides what it means. */
			result = read ? read(ctx, out) : REMOTE_OK;
			if (result == REMOTE_BAD_ANSWER)
				log_warn("%s: %s %s: answer outside the protocol (HTTP %ld)", svc->name,
				         method, path, status);
			break;
		}
		if (!retry || attempt >= svc->max_retries)
			break;
		long wait = remote_backoff_ms(attempt);
		if (out->retry_after * 1000 > wait)
			wait = out->retry_after * 1000;
		remaining = (long)(svc->deadline_ms - (remote_now_ms() - *start_ms));
		if (wait + 50 >= remaining)
			break; /* no time left for another attempt */
		sleep_ms(wait);
	}
	curl_slist_free_all(hl);
	/* The service works when it answers within the protocol, whatever the
	 * answer (no match and refused input included). */
	breaker_result(svc, result != REMOTE_UNAVAILABLE && result != REMOTE_RATE_LIMITED &&
	                        result != REMOTE_BAD_ANSWER);
	return result;
}
