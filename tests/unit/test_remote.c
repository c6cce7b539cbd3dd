/* The remote services' clients without the network: protocol readers on
 * recorded answers (research/duns_address.md §1.3, §2.2), backoff, escaping,
 * magic bytes, and the retry policy and circuit breaker against a tiny HTTP
 * server forked by the test (counts requests, answers with the status the
 * test sets). TAP output. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clients/address.h"
#include "clients/dnb.h"
#include "core/arena.h"
#include "tap.h"

static const char cleanse_match[] =
    "{\"transactionDetail\":{\"transactionID\":\"rrt-1\"},\"candidatesMatchedQuantity\":2,"
    "\"matchDataCriteria\":\"Name and Address Lookup\",\"matchCandidates\":["
    "{\"displaySequence\":1,\"organization\":{\"duns\":\"804735132\",\"primaryName\":"
    "\"GORMAN MANUFACTURING COMPANY, INC.\",\"dunsControlStatus\":{\"operatingStatus\":"
    "{\"description\":\"Active\",\"dnbCode\":9074}},\"primaryAddress\":{\"addressCountry\":"
    "{\"isoAlpha2Code\":\"US\"},\"addressLocality\":{\"name\":\"SAN FRANCISCO\"},"
    "\"addressRegion\":{\"abbreviatedName\":\"CA\"},\"postalCode\":\"94110\",\"streetAddress\":"
    "{\"line1\":\"492 KOLLER ST\",\"line2\":null}}},\"matchQualityInformation\":"
    "{\"confidenceCode\":10,\"matchGrade\":\"AAAAAZZAZZZ\"}},"
    "{\"displaySequence\":2,\"organization\":{\"duns\":\"051957769\",\"primaryName\":\"GORMAN "
    "HOLDINGS\",\"dunsControlStatus\":{\"operatingStatus\":{\"description\":\"Out of business\","
    "\"dnbCode\":403}},\"primaryAddress\":{\"addressCountry\":{\"isoAlpha2Code\":\"US\"}}},"
    "\"matchQualityInformation\":{\"confidenceCode\":4,\"matchGrade\":\"BZZZZZZZZZZ\"}}]}";

static void
test_readers(struct arena *a)
{
	struct dnb_company *c;
	size_t n;
	is_int(dnb_parse_candidates(a, cleanse_match, strlen(cleanse_match), &c, &n), REMOTE_OK,
	       "cleanseMatch answer is read");
	is_int((int)n, 2, "two candidates");
	is_str(c[0].duns, "804735132", "DUNS as a string");
	is_str(c[1].duns, "051957769", "leading zero kept");
	is_int(c[0].confidence, 10, "confidence code");
	is_str(c[0].match_grade, "AAAAAZZAZZZ", "match grade");
	is_str(c[0].city, "SAN FRANCISCO", "city");
	is_str(c[0].region, "CA", "region abbreviation");
	ok(c[0].active && !c[1].active, "operating status: active, out of business");
	const char empty[] = "{\"matchCandidates\":[]}";
	is_int(dnb_parse_candidates(a, empty, strlen(empty), &c, &n), REMOTE_NOT_FOUND,
	       "no candidate is 'not found'");
	const char *garbage[] = {"<html>busy</html>", "{\"matchCandidates\":{}}", "",
	                         "{\"matchCandidates\":[{\"organization\":{\"duns\":\"12\","
	                         "\"primaryName\":\"X\"},\"matchQualityInformation\":"
	                         "{\"confidenceCode\":5}}]}",
	                         "{\"matchCandidates\":[{\"organization\":{\"duns\":\"123456789\","
	                         "\"primaryName\":\"X\"},\"matchQualityInformation\":"
	                         "{\"confidenceCode\":11}}]}"};
	for (size_t i = 0; i < sizeof(garbage) / sizeof(*garbage); i++)
		is_int(dnb_parse_candidates(a, garbage[i], strlen(garbage[i]), &c, &n),
		       REMOTE_BAD_ANSWER, "garbage answer %zu is refused", i);
	struct dnb_company one;
	const char data[] = "{\"organization\":{\"duns\":\"804735132\",\"primaryName\":\"GORMAN\"}}";
	is_int(dnb_parse_company(a, data, strlen(data), &one), REMOTE_OK, "data/duns answer read");
	ok(dnb_duns_valid("051957769") && !dnb_duns_valid("80473513") &&
	       !dnb_duns_valid("80473513a") && !dnb_duns_valid("8047351321"),
	   "DUNS: 9 digits, nothing else (no check digit)");
	ok(dnb_duns_valid("079608595"), "a real DUNS that fails Luhn is valid");

	struct postal_address std;
	enum address_verdict v;
	const char a31[] = "{\"address\":{\"streetAddress\":\"492 KOLLER ST\",\"city\":\"SAN "
	                   "FRANCISCO\",\"state\":\"CA\",\"ZIPCode\":\"94110\",\"ZIPPlus4\":\"1234\"},"
	                   "\"corrections\":[],\"matches\":[{\"code\":\"31\",\"text\":\"exact\"}]}";
	is_int(address_parse(a, a31, strlen(a31), "US", &std, &v), REMOTE_OK, "USPS 31 read");
	is_int(v, ADDRESS_CONFIRMED, "31 without DPV is confirmed");
	is_str(std.postal_code, "94110-1234", "ZIP+4 joined");
	const char a32[] = "{\"address\":{\"streetAddress\":\"1 MAIN ST\",\"city\":\"X\"},"
	                   "\"corrections\":[{\"code\":\"32\",\"text\":\"more\"}],\"matches\":[]}";
	address_parse(a, a32, strlen(a32), "US", &std, &v);
	is_int(v, ADDRESS_NEEDS_UNIT, "32 needs a unit");
	const char a22[] = "{\"address\":{},\"matches\":[{\"code\":\"22\"}]}";
	address_parse(a, a22, strlen(a22), "US", &std, &v);
	is_int(v, ADDRESS_AMBIGUOUS, "22 is several addresses");
	is_int(address_parse(a, "nope", 4, "US", &std, &v), REMOTE_BAD_ANSWER, "garbage refused");
	struct postal_address p1 = {"492 Koller St", "", "San Francisco", "CA", "94110", "US"};
	struct postal_address p2 = {"492  KOLLER ST.", "", "SAN FRANCISCO", "ca", "94110", "US"};
	struct postal_address p3 = {"492 Koller Street", "", "San Francisco", "CA", "94110", "US"};
	ok(address_same(&p1, &p2), "same address with other case, spacing and dots");
	ok(!address_same(&p1, &p3), "St and Street differ (the service standardises)");
}

static void
test_helpers(struct arena *a)
{
	is_str(remote_escape(a, "Gorman & Co=é ~x"), "Gorman%20%26%20Co%3D%C3%A9%20~x",
	       "query values are percent-encoded");
	bool bounded = true;
	for (int n = 0; n < 8; n++)
		for (int k = 0; k < 200; k++) {
			long w = remote_backoff_ms(n);
			long cap = REMOTE_BACKOFF_BASE_MS << n;
			if (cap > REMOTE_BACKOFF_CAP_MS)
				cap = REMOTE_BACKOFF_CAP_MS;
			bounded = bounded && w >= 0 && w <= cap;
		}
	ok(bounded, "backoff is full jitter within the capped exponential bound");
	is_int((int)remote_token_renew_after_ms(86400), 86400000 - 60000,
	       "a 24 h token is renewed a minute before it expires");
	is_int((int)remote_token_renew_after_ms(60), 30000, "a short token at half its life");
	is_int((int)remote_token_renew_after_ms(0), 0, "a token without lifetime is not kept");
}

/* ---- a forked HTTP server: answers every request with *status ---- */

struct shared {
	_Atomic int status;
	_Atomic int requests;
	_Atomic int retry_after; /* seconds; 0: no header */
};

static pid_t
serve(int fd, struct shared *sh)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		char buf[8192];
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(buf) - 1 && (n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			buf[got] = '\0';
			if (strstr(buf, "\r\n\r\n"))
				break;
		}
		atomic_fetch_add(&sh->requests, 1);
		char resp[256];
		int st = atomic_load(&sh->status), ra = atomic_load(&sh->retry_after);
		char extra[64] = "";
		if (ra > 0)
			snprintf(extra, sizeof(extra), "Retry-After: %d\r\n", ra);
		int len = snprintf(resp, sizeof(resp),
		                   "HTTP/1.1 %d X\r\nContent-Length: 2\r\n%sConnection: close\r\n\r\n{}",
		                   st, extra);
		if (write(c, resp, (size_t)len) != len)
			perror("write");
		close(c);
	}
}

static enum remote_err
read_any(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	return r->status == 200 ? REMOTE_OK : REMOTE_NOT_FOUND;
}

static enum remote_err
read_garbage(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	(void)r;
	return REMOTE_BAD_ANSWER;
}

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void
test_breaker(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		ok(0, "test server listens");
		return;
	}
	pid_t child = serve(fd, sh);
	char base[64];
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", ntohs(sa.sin_port));
	struct remote_service svc = {.id = SERVICE_DNB, .name = "test", .base_url = base,
	                             .connect_timeout_ms = 1000, .attempt_timeout_ms = 2000,
	                             .deadline_ms = 5000, .cooldown_ms = 300, .max_retries = 2,
	                             .breaker_failures = 3};
	struct remote_resp resp = {0};
	long long start;

	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL), REMOTE_OK,
	       "a 200 answer is read");
	is_int(atomic_load(&sh->requests), 1, "one request for one answer");
	atomic_store(&sh->status, 404);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_NOT_FOUND, "a 404 is an answer, not a failure");
	is_int(atomic_load(&sh->requests), 2, "a 404 is not retried");

	atomic_store(&sh->status, 503);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "5xx after the retries is 'unavailable'");
	is_int(atomic_load(&sh->requests), 3, "a 5xx is tried three times (2 retries)");
	atomic_store(&sh->status, 429);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_RATE_LIMITED, "429 after the retries is 'rate limited'");
	is_int(atomic_load(&sh->requests), 3, "a 429 is retried too");

	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "two failed calls: still closed");
	atomic_store(&sh->status, 200);
	start = 0;
	remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL);
	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "a success resets the count");
	atomic_store(&sh->status, 429);
	/* Retry-After beyond the deadline: no retry (a short backoff would retry). */
	atomic_store(&sh->retry_after, 10);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_RATE_LIMITED, "429 with a long Retry-After: rate limited");
	is_int(atomic_load(&sh->requests), 1, "Retry-After is honoured: no retry before it");
	is_int((int)resp.retry_after, 10, "Retry-After read");
	atomic_store(&sh->retry_after, 0);
	atomic_store(&sh->status, 503);
	start = 0;
	remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL);

	svc.max_retries = 0;
	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_garbage, NULL),
	       REMOTE_BAD_ANSWER, "an answer outside the protocol is 'bad answer'");
	is_int(remote_breaker_state(&svc), BREAKER_OPEN, "the third failure in a row opens it");
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "open: fails at once");
	is_int(atomic_load(&sh->requests), 0, "open: no request reaches the service");

	pause_ms(svc.cooldown_ms + 100);
	is_int(remote_breaker_state(&svc), BREAKER_HALF_OPEN, "after the cooldown: half-open");
	atomic_store(&sh->status, 500);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "the probe fails");
	is_int(atomic_load(&sh->requests), 1, "one probe went through");
	is_int(remote_breaker_state(&svc), BREAKER_OPEN, "a failed probe opens it again");

	pause_ms(svc.cooldown_ms + 100);
	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL), REMOTE_OK,
	       "the next probe succeeds");
	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "a good probe closes it");

	svc.base_url = "http://127.0.0.1:1";
	svc.id = SERVICE_ADDRESS;
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "connection refused is 'unavailable'");
	sbuf_free(&resp.body);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fd);
}

int
main(void)
{
	struct arena a;
	arena_init(&a, 65536);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	test_readers(&a);
	test_helpers(&a);
	test_breaker();
	arena_free(&a);
	curl_global_cleanup();
	return done_testing();
}
