/* INI configuration: "$PARTNERDESK_VAR/partnerdesk.ini", then the file in
 * $PARTNERDESK_CONF; a later value replaces an earlier one. Keys are
 * addressed as "section.key". Values are kept until config_free. */
#ifndef PD_CONFIG_H
#define PD_CONFIG_H
#include <stdbool.h>

struct config;

/* Reads the default files. Returns NULL and prints why on error. */
struct config *config_load_default(void);
/* Merges one file into c (creating c when NULL). Returns NULL on error
 * (message in err, of size errlen). */
struct config *config_load_file(struct config *c, const char *path, char *err, unsigned errlen);
/* Sets or replaces one key ("section.key"). */
void config_set(struct config *c, const char *key, const char *value);
const char *config_get(const struct config *c, const char *key, const char *def);
long config_get_long(const struct config *c, const char *key, long def, long min, long max);
void config_free(struct config *c);
#endif
