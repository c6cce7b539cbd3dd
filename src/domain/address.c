/* Address layouts by country. Sources (one line, the country line left to
 * the page):
 * - US: USPS Publication 28 §2 "1 MAIN ST / SPRINGFIELD IL 62701" — the
 *   last line is city, state code and ZIP Code; we keep the comma after the
 *   city that people write in running text.
 * - CA: Canada Post Addressing Guidelines §5 — municipality, province code,
 *   postal code on the last line, like the US.
 * - GB: Royal Mail Programmers' Guide to the PAF — street, post town,
 *   postcode on its own last line; a county is optional (kept when given).
 * - FR: La Poste / AFNOR NF Z10-011 — the last line is "75013 PARIS":
 *   postcode before the town; a French address has no region line.
 * - DE: Deutsche Post "Adressierung" — "10115 Berlin", postcode before town;
 *   a German address has no Land line.
 *   For FR and DE a region the partner entered is still shown after the town
 *   (our decision: nothing typed disappears from the pages), unless it only
 *   repeats the town (Berlin, Hamburg, Paris).
 * - JP: Japan Post — in Japanese script from the largest unit: 〒postcode,
 *   prefecture, city, street; in Latin script from the smallest: street,
 *   city, prefecture and postcode.
 * - Other countries: the UPU S42 common layout, postcode before the town,
 *   region after it when given. */
#include "domain/address.h"

#include <stdio.h>
#include <string.h>

struct out {
	char  *p;
	size_t cap, len;
	const char *sep;
	bool   any;
};

static void
put(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->len < o->cap) {
		size_t room = o->cap - o->len - 1;
		memcpy(o->p + o->len, s, n < room ? n : room);
		o->p[o->len + (n < room ? n : room)] = '\0';
	}
	o->len += n;
}

static bool
given(const char *s)
{
	return s && *s;
}

/* Starts a new line (the separator before every line but the first). */
static void
line(struct out *o)
{
	if (o->any)
		put(o, o->sep);
	o->any = true;
}

/* Adds a line made of up to three parts, each preceded by its joiner when
 * something came before it on the line; nothing when all parts are empty. */
static void
parts(struct out *o, const char *a, const char *j2, const char *b, const char *j3, const char *c)
{
	if (!given(a) && !given(b) && !given(c))
		return;
	line(o);
	bool on = false;
	if (given(a)) {
		put(o, a);
		on = true;
	}
	if (given(b)) {
		if (on)
			put(o, j2);
		put(o, b);
		on = true;
	}
	if (given(c)) {
		if (on)
			put(o, j3);
		put(o, c);
	}
}

static bool
non_ascii(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

enum address_style
address_style_of(const struct postal_address *a)
{
	static const struct {
		const char        *code;
		enum address_style style;
	} known[] = {{"US", ADDRESS_US}, {"CA", ADDRESS_CA}, {"GB", ADDRESS_GB},
	             {"FR", ADDRESS_FR}, {"DE", ADDRESS_DE}, {"JP", ADDRESS_JP}};
	const char *c = a->country ? a->country : "";
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strcmp(c, known[i].code) == 0) {
			if (known[i].style == ADDRESS_JP &&
			    (non_ascii(a->line1) || non_ascii(a->city) || non_ascii(a->region)))
				return ADDRESS_JP_NATIVE;
			return known[i].style;
		}
	return ADDRESS_OTHER;
}

size_t
address_format(const struct postal_address *a, const char *sep, char *out, size_t cap)
{
	struct out o = {out, cap, 0, sep, false};
	if (cap)
		out[0] = '\0';
	enum address_style style = address_style_of(a);
	if (style == ADDRESS_JP_NATIVE) {
		o.sep = " ";
		if (given(a->postal_code)) {
			line(&o);
			put(&o, "\xe3\x80\x92"); /* 〒 */
			put(&o, a->postal_code);
		}
		parts(&o, a->region, "", NULL, "", NULL);
		parts(&o, a->city, "", NULL, "", NULL);
		parts(&o, a->line1, " ", a->line2, "", NULL);
		return o.len;
	}
	parts(&o, a->line1, "", NULL, "", NULL);
	parts(&o, a->line2, "", NULL, "", NULL);
	switch (style) {
	case ADDRESS_US:
	case ADDRESS_CA:
	case ADDRESS_JP:
		parts(&o, a->city, ", ", a->region, " ", a->postal_code);
		break;
	case ADDRESS_GB:
		parts(&o, a->city, "", NULL, "", NULL);
		parts(&o, a->region, "", NULL, "", NULL);
		parts(&o, a->postal_code, "", NULL, "", NULL);
		break;
	case ADDRESS_FR:
	case ADDRESS_DE:
		parts(&o, a->postal_code, " ", a->city, "", NULL);
		if (!given(a->city) || !given(a->region) || strcmp(a->city, a->region) != 0)
			parts(&o, a->region, "", NULL, "", NULL);
		break;
	default:
		parts(&o, a->postal_code, " ", a->city, ", ", a->region);
		break;
	}
	return o.len;
}
