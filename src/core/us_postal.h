/* United States postal codes of the USPS (Publication 28, appendix B): the
 * two-letter codes of the states, the District of Columbia, the territories
 * and the armed forces, and the ZIP Code forms. Used by the address client
 * (requests as the Addresses API v3 requires them) and by the simulator
 * (which refuses what the real service refuses). */
#ifndef PD_US_POSTAL_H
#define PD_US_POSTAL_H
#include <stdbool.h>

/* The code of a state given as its code or its name, any case and spacing
 * ("ca", "California", "new  york", "D.C."); NULL when there is none. */
const char *us_state_code(const char *in);
/* True for exactly one of the uppercase codes ("CA"; not "ca", not "Calif"). */
bool us_state_code_valid(const char *code);
/* A ZIP Code as "NNNNN", "NNNNN-NNNN" or "NNNNNNNNN" (spaces around and
 * around the dash ignored) into its 5 digits and its 4 ("" when none). */
bool us_zip_split(const char *in, char zip5[6], char plus4[5]);
#endif
