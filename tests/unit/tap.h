/* Minimal TAP producer for unit tests: ok(cond, fmt...), is_str, is_int,
 * and done_testing() which prints the plan and returns the exit code. */
#ifndef PD_TAP_H
#define PD_TAP_H
#include <stdio.h>
#include <string.h>
#include <stdarg.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 4, 5))) static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   Failed at %s line %d\n", file, line);
	}
	return cond;
}
#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)                                                        \
	do {                                                                          \
		long long g_ = (long long)(got), w_ = (long long)(want);              \
		if (!ok(g_ == w_, __VA_ARGS__))                                       \
			printf("#   got %lld, want %lld\n", g_, w_);                  \
	} while (0)
#define is_str(got, want, ...)                                                        \
	do {                                                                          \
		const char *g_ = (got), *w_ = (want);                                 \
		int eq_ = (g_ == NULL && w_ == NULL) ||                               \
		          (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);          \
		if (!ok(eq_, __VA_ARGS__))                                            \
			printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)",   \
			       w_ ? w_ : "(null)");                                   \
	} while (0)
static inline int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
#endif
