/* partnerdesk-ctl directory seed: synthetic companies and published profiles,
 * generated from word lists (ctl/seed_text.c) by a seeded generator and
 * written in bulk (db/seed.h). */
#include "ctl/seed.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sbuf.h"
#include "ctl/seed_gen.h"
#include "ctl/seed_text.h"
#include "db/directory.h"
#include "db/profiles.h"
#include "db/seed.h"
#include "domain/partners.h"
#include "domain/profile_content.h"
#include "domain/profiles.h"

#define SEED_CHUNK          5000  /* profiles per transaction */
#define SEED_FLUSH_BYTES    (4u << 20) /* an INSERT stays well under max_allowed_packet (16 MiB) */
#define MAX_PROFILES        8     /* per company */
#define MAX_LOCATIONS       3     /* per profile */
#define MAX_MARKETS         10    /* countries chosen one by one */
#define PARTNER_ID_FIRST    1000000u /* 7 digits, as db/partners.c draws them */
#define PARTNER_ID_SPAN     9000000u

/* ---- countries -------------------------------------------------------- */

/* Bigger markets get more partners (weights are relative). */
static const char big_markets[] = "US GB DE FR CA AU IN JP BR NL ES IT SE CH BE MX PL ZA SG AE";
static const char mid_markets[] = "AT DK NO FI IE PT NZ CZ IL KR CN TW HK MY TH ID PH VN TR SA AR "
                                  "CL CO EG NG KE MA LU RO GR HU";
/* French-speaking countries and territories: a profile published there has
 * a French description for it. */
static const char francophone[] = "FR BE CH LU MC CA SN CI CM MA TN DZ ML BF NE TD GA CG CD BJ TG "
                                  "MG HT RW BI DJ KM GN CF SC VU NC PF RE GP MQ GF YT PM WF MF BL";
/* Where most companies write in French by default (percent). */
static const struct {
	const char *country;
	unsigned    percent;
} french_default[] = {{"FR", 90}, {"BE", 50}, {"LU", 50}, {"CH", 30}, {"MC", 90}, {"CA", 20}};
/* The first language of a market other than English (ISO 639-1). */
static const struct {
	const char *countries, *lang;
} country_lang[] = {
    {"FR BE LU MC SN CI CM MA TN DZ ML BF NE TD GA CG CD BJ TG MG HT", "fr"},
    {"DE AT", "de"}, {"ES MX AR CL CO PE", "es"}, {"IT", "it"}, {"PT BR", "pt"}, {"NL", "nl"},
    {"SE", "sv"}, {"DK", "da"}, {"NO", "no"}, {"FI", "fi"}, {"PL", "pl"}, {"CZ", "cs"},
    {"GR", "el"}, {"TR", "tr"}, {"SA AE EG", "ar"}, {"IL", "he"}, {"JP", "ja"}, {"KR", "ko"},
    {"CN TW HK", "zh"}, {"IN", "hi"}};
static const char *const other_languages[] = {"de", "es", "fr", "it", "pt", "nl", "ja", "zh", "ar"};

static bool
in_codes(const char *list, const char *cc)
{
	for (const char *p = list; *p; p += p[2] ? 3 : 2)
		if (p[0] == cc[0] && p[1] == cc[1])
			return true;
	return false;
}

struct country {
	const char *code, *region;
	unsigned    weight;
	bool        french;
	const char *lang; /* first language other than English, NULL when none */
};
struct world {
	struct country *c;
	size_t          n;
	unsigned        total; /* sum of weights */
	const char    **regions;
	size_t          nregions;
};

static int
world_load(struct arena *a, struct world *w)
{
	struct csp_region_row *rows;
	size_t n;
	if (db_csp_regions(a, &rows, &n) != DB_OK || n == 0) {
		fprintf(stderr, "directory seed: no CSP regions in the database (run partnerdesk-ctl "
		                "migrate first)\n");
		return -1;
	}
	w->c = arena_alloc(a, sizeof(*w->c) * n);
	w->regions = arena_alloc(a, sizeof(*w->regions) * n);
	w->n = n;
	w->total = 0;
	w->nregions = 0;
	for (size_t i = 0; i < n; i++) {
		struct country *c = &w->c[i];
		c->code = rows[i].country;
		c->region = rows[i].region;
		c->weight = in_codes(big_markets, c->code) ? 12 : in_codes(mid_markets, c->code) ? 4 : 1;
		c->french = in_codes(francophone, c->code);
		c->lang = NULL;
		for (size_t k = 0; k < sizeof(country_lang) / sizeof(*country_lang); k++)
			if (in_codes(country_lang[k].countries, c->code))
				c->lang = country_lang[k].lang;
		w->total += c->weight;
		if (w->nregions == 0 || strcmp(w->regions[w->nregions - 1], c->region) != 0)
			w->regions[w->nregions++] = c->region; /* rows come ordered by region */
	}
	return 0;
}

static const struct country *
draw_country(struct rng *r, const struct world *w)
{
	unsigned x = rng_below(r, w->total);
	for (size_t i = 0; i < w->n; i++) {
		if (x < w->c[i].weight)
			return &w->c[i];
		x -= w->c[i].weight;
	}
	return &w->c[w->n - 1];
}

/* A country of region, uniformly. */
static const struct country *
draw_in_region(struct rng *r, const struct world *w, const char *region)
{
	size_t first = 0, count = 0;
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->c[i].region, region) == 0) {
			if (count++ == 0)
				first = i;
		}
	return &w->c[first + rng_below(r, (unsigned)count)];
}

/* ---- partner IDs ------------------------------------------------------ */

/* The numbers issued, as a bitmap over the 7-digit range. */
struct id_pool {
	unsigned char *bits;
	struct rng     rng;
};
static void
id_mark(const char *id, void *ctx)
{
	struct id_pool *p = ctx;
	unsigned long v = strtoul(id, NULL, 10);
	if (v >= PARTNER_ID_FIRST && v < PARTNER_ID_FIRST + PARTNER_ID_SPAN) {
		v -= PARTNER_ID_FIRST;
		p->bits[v / 8] |= (unsigned char)(1u << (v % 8));
	}
}
/* A number never issued; the bitmap keeps it. */
static const char *
id_draw(struct id_pool *p, struct arena *a)
{
	for (;;) {
		unsigned v = rng_below(&p->rng, PARTNER_ID_SPAN);
		if (p->bits[v / 8] & (1u << (v % 8)))
			continue;
		p->bits[v / 8] |= (unsigned char)(1u << (v % 8));
		return arena_printf(a, "%0*u", PARTNER_ID_DIGITS, PARTNER_ID_FIRST + v);
	}
}

/* ---- companies -------------------------------------------------------- */

struct seeder {
	struct arena    *a; /* reset at each chunk */
	struct db_seed  *out;
	struct world     w;
	struct id_pool   ids;
	struct sbuf      text;
	unsigned long long seed;
	long long        next_tenant, next_account, next_profile;
};

/* The company's location IDs: one per publish country, made on first use. */
struct company {
	long long   tenant_id, pga_id;
	const char *brand, *legal, *domain, *country;
	const char *used[MAX_PROFILES * MAX_LOCATIONS];    /* publish countries taken */
	long long   account[MAX_PROFILES * MAX_LOCATIONS]; /* their location IDs */
	size_t      nused;
};

static long long
company_account(struct seeder *s, struct company *c, struct rng *r, const char *country)
{
	for (size_t i = 0; i < c->nused; i++)
		if (strcmp(c->used[i], country) == 0 && c->account[i])
			return c->account[i];
	long long id = s->next_account++;
	const char *first = pick(r, &seed_first_names), *last = pick(r, &seed_last_names);
	struct db_seed_account acc = {
	    .id = id, .tenant_id = c->tenant_id, .pga_id = c->pga_id,
	    .partner_id = id_draw(&s->ids, s->a), .name = c->legal, .country = country,
	    .address_line1 = arena_printf(s->a, "%u %s", 1 + rng_below(r, 199), pick(r, &seed_streets)),
	    .city = pick(r, &seed_cities), .postal_code = arena_printf(s->a, "%05u", rng_below(r, 99999)),
	    .website = "", .contact_name = arena_printf(s->a, "%s %s", first, last),
	    .contact_email = arena_printf(s->a, "partners@%s", c->domain)};
	db_seed_account(s->out, &acc);
	for (size_t i = 0; i < c->nused; i++)
		if (strcmp(c->used[i], country) == 0)
			c->account[i] = id;
	return id;
}

static bool
company_uses(const struct company *c, const char *country)
{
	for (size_t i = 0; i < c->nused; i++)
		if (strcmp(c->used[i], country) == 0)
			return true;
	return false;
}

static bool
in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static const struct country *
find_country(const struct world *w, const char *code)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->c[i].code, code) == 0)
			return &w->c[i];
	return NULL;
}

/* One published profile of company c; first is its first profile. */
static void
make_profile(struct seeder *s, struct company *c, struct rng *r, unsigned index)
{
	struct arena *a = s->a;
	const struct world *w = &s->w;
	const struct country *hq = find_country(w, c->country);
	long long id = s->next_profile++;

	/* Publish locations: the headquarters' country first for the first
	 * profile, then others, often in the same region; never a country
	 * another profile of the company has. */
	const struct country *loc[MAX_LOCATIONS];
	unsigned nloc = 0, want = seed_small_count(r, MAX_LOCATIONS);
	for (unsigned tries = 0; nloc < want && tries < 40; tries++) {
		const struct country *x = index == 0 && nloc == 0 ? hq
		                          : rng_below(r, 2) ? draw_in_region(r, w, hq->region)
		                                            : draw_country(r, w);
		if (company_uses(c, x->code))
			continue;
		loc[nloc++] = x;
		c->used[c->nused] = x->code;
		c->account[c->nused++] = 0;
	}
	if (nloc == 0) /* the region is full: any free country */
		for (size_t i = 0; i < w->n && nloc == 0; i++)
			if (!company_uses(c, w->c[i].code)) {
				loc[nloc++] = &w->c[i];
				c->used[c->nused] = w->c[i].code;
				c->account[c->nused++] = 0;
			}

	/* The managing ID: the first location's ID, or the PGA. */
	long long account = company_account(s, c, r, loc[0]->code);
	for (unsigned i = 1; i < nloc; i++)
		company_account(s, c, r, loc[i]->code);
	if (rng_below(r, 10) < 3)
		account = c->pga_id;

	/* What the profile is about. */
	struct voice v = {.brand = c->brand};
	v.nareas = seed_small_count(r, 3);
	seed_distinct(r, SEED_AREAS, v.nareas, v.areas);
	v.nindustries = seed_small_count(r, 3);
	seed_distinct(r, SEED_INDUSTRIES, v.nindustries, v.industries);
	v.lang = SEED_EN;
	for (size_t i = 0; i < sizeof(french_default) / sizeof(*french_default); i++)
		if (strcmp(french_default[i].country, hq->code) == 0 &&
		    rng_below(r, 100) < french_default[i].percent)
			v.lang = SEED_FR;
	if (hq->french && hq->lang && rng_below(r, 100) < 70)
		v.lang = SEED_FR;

	const char *name = index == 0 ? arena_printf(a, "%s", c->legal)
	                              : arena_printf(a, "%s %s", c->brand, seed_area_name[v.areas[0]]);
	const char *description = seed_describe(a, &s->text, r, &v, false);
	struct profile_location *locs = arena_alloc(a, sizeof(*locs) * nloc);
	for (unsigned i = 0; i < nloc; i++) {
		locs[i].country = loc[i]->code;
		locs[i].description = "";
		/* A French text for a French-speaking country (not repeated where
		 * the default text is French already, except now and then). */
		if (loc[i]->french && (v.lang == SEED_EN || (i > 0 && rng_below(r, 2)))) {
			struct voice fr = v;
			fr.lang = SEED_FR;
			locs[i].description = seed_describe(a, &s->text, r, &fr, true);
		}
	}

	/* Sell markets: sometimes a whole region, and up to ten countries. */
	const char **markets = arena_alloc(a, sizeof(*markets) * (w->n + MAX_MARKETS));
	const char *regions[1];
	size_t nmarkets = 0, nregions = 0;
	if (rng_below(r, 100) < 10) {
		regions[nregions++] = rng_below(r, 10) < 7 ? hq->region
		                                            : w->regions[rng_below(r, (unsigned)w->nregions)];
		for (size_t i = 0; i < w->n; i++) {
			bool publish = false;
			for (unsigned k = 0; k < nloc; k++)
				publish = publish || loc[k] == &w->c[i];
			if (!publish && strcmp(w->c[i].region, regions[0]) == 0)
				markets[nmarkets++] = w->c[i].code;
		}
	}
	unsigned extra = rng_below(r, 100) < 30 ? 0 : 1 + rng_below(r, MAX_MARKETS);
	for (unsigned tries = 0, added = 0; added < extra && tries < 3 * MAX_MARKETS; tries++) {
		const struct country *x = rng_below(r, 2) ? draw_in_region(r, w, hq->region)
		                                          : draw_country(r, w);
		bool publish = false;
		for (unsigned k = 0; k < nloc; k++)
			publish = publish || loc[k] == x;
		if (publish || in_list(markets, nmarkets, x->code))
			continue;
		markets[nmarkets++] = x->code;
		added++;
	}

	/* Facets. */
	const char *areas[3], *industries[3], *languages[4];
	for (unsigned i = 0; i < v.nareas; i++)
		areas[i] = seed_area_codes[v.areas[i]];
	for (unsigned i = 0; i < v.nindustries; i++)
		industries[i] = seed_industry_codes[v.industries[i]];
	size_t nlang = 0;
	languages[nlang++] = v.lang == SEED_FR ? "fr" : "en";
	if (v.lang == SEED_FR || rng_below(r, 100) < 80) {
		if (!in_list(languages, nlang, "en"))
			languages[nlang++] = "en";
	}
	if (hq->lang && !in_list(languages, nlang, hq->lang))
		languages[nlang++] = hq->lang;
	for (unsigned more = rng_below(r, 3); more > 0 && nlang < 4; more--) {
		const char *x = other_languages[rng_below(r, sizeof(other_languages) / sizeof(*other_languages))];
		if (!in_list(languages, nlang, x))
			languages[nlang++] = x;
	}

	/* The slug's suffix: the id in letters (a slug never looks like a
	 * partner ID), so seeded slugs never collide. */
	char suffix[16], slug[140];
	size_t n = 0;
	for (long long x = id; n == 0 || (x > 0 && n < sizeof(suffix) - 1); x /= 26)
		suffix[n++] = (char)('a' + x % 26);
	while (n < 4)
		suffix[n++] = 'a';
	suffix[n] = '\0';
	profile_slug(name, suffix, slug, sizeof(slug));

	struct db_seed_profile p = {
	    .id = id, .tenant_id = c->tenant_id, .account_id = account, .slug = slug, .name = name,
	    .description = description,
	    .website = arena_printf(a, "https://www.%s", c->domain),
	    .lead_email = arena_printf(a, "leads@%s", c->domain),
	    .lang = v.lang == SEED_FR ? "fr" : "en", .locations = locs, .nlocations = nloc,
	    .markets = markets, .nmarkets = nmarkets, .regions = regions, .nregions = nregions,
	    .industries = industries, .nindustries = v.nindustries, .solution_areas = areas,
	    .nsolution_areas = v.nareas, .languages = languages, .nlanguages = nlang};
	db_seed_profile(s->out, &p);
}

static const char *
legal_suffix(const char *country)
{
	if (in_codes("FR BE LU MC", country))
		return "SAS";
	if (in_codes("DE AT CH", country))
		return "GmbH";
	if (in_codes("US CA", country))
		return "Inc.";
	if (in_codes("GB IE AU NZ IN SG ZA", country))
		return "Ltd";
	if (in_codes("ES MX AR CL CO", country))
		return "S.L.";
	if (in_codes("NL", country))
		return "B.V.";
	return "Ltd";
}

/* Company number k of the seed, with up to max profiles; returns how many. */
static unsigned
make_company(struct seeder *s, long long k, unsigned max)
{
	struct rng r = rng_stream(s->seed, (unsigned long long)k);
	struct arena *a = s->a;
	struct company c = {.tenant_id = s->next_tenant++};
	char brand[40];
	snprintf(brand, sizeof(brand), "%s%s", pick(&r, &seed_syllable_a), pick(&r, &seed_syllable_b));
	c.brand = arena_strdup(a, brand);
	c.country = draw_country(&r, &s->w)->code;
	c.legal = arena_printf(a, "%s %s %s", brand, pick(&r, &seed_company_kind),
	                       legal_suffix(c.country));
	char lower[40];
	size_t n = 0;
	for (const char *p = brand; *p && n < sizeof(lower) - 1; p++)
		lower[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	lower[n] = '\0';
	c.domain = arena_printf(a, "%s-%lld.s%llu.seed.example", lower, k, s->seed);
	db_seed_tenant(s->out, c.tenant_id, c.legal, c.country, c.domain);

	c.pga_id = s->next_account++;
	const char *first = pick(&r, &seed_first_names), *last = pick(&r, &seed_last_names);
	struct db_seed_account pga = {
	    .id = c.pga_id, .tenant_id = c.tenant_id, .partner_id = id_draw(&s->ids, a),
	    .name = c.legal, .country = c.country,
	    .address_line1 = arena_printf(a, "%u %s", 1 + rng_below(&r, 199), pick(&r, &seed_streets)),
	    .city = pick(&r, &seed_cities), .postal_code = arena_printf(a, "%05u", rng_below(&r, 99999)),
	    .website = arena_printf(a, "https://www.%s", c.domain),
	    .contact_name = arena_printf(a, "%s %s", first, last),
	    .contact_email = arena_printf(a, "partners@%s", c.domain)};
	db_seed_account(s->out, &pga);

	/* Most companies have one profile, some several. */
	unsigned want = 1;
	while (want < MAX_PROFILES && rng_below(&r, 100) < 45)
		want++;
	if (want > max)
		want = max;
	for (unsigned i = 0; i < want; i++)
		make_profile(s, &c, &r, i);
	return want;
}

/* True when the seed's codes are the profile's (domain/profile_content);
 * prints the first one that is not. */
static bool
codes_known(void)
{
	size_t n;
	const struct profile_choice *areas = profile_solution_areas(&n);
	for (size_t i = 0; i < SEED_AREAS; i++)
		if (profile_choice_label(areas, n, seed_area_codes[i]) == NULL) {
			fprintf(stderr, "directory seed: unknown solution area %s\n", seed_area_codes[i]);
			return false;
		}
	const struct profile_choice *industries = profile_industries(&n);
	for (size_t i = 0; i < SEED_INDUSTRIES; i++)
		if (profile_choice_label(industries, n, seed_industry_codes[i]) == NULL) {
			fprintf(stderr, "directory seed: unknown industry %s\n", seed_industry_codes[i]);
			return false;
		}
	for (size_t i = 0; i < sizeof(other_languages) / sizeof(*other_languages); i++)
		if (!profile_language_valid(other_languages[i])) {
			fprintf(stderr, "directory seed: unknown language %s\n", other_languages[i]);
			return false;
		}
	return true;
}

static const char *
domain_suffix(struct arena *a, unsigned long long seed)
{
	return arena_printf(a, ".s%llu.seed.example", seed);
}

long long
seed_companies(unsigned long long seed)
{
	struct arena a;
	arena_init(&a, 4096);
	long long n = 0;
	enum db_err rc = db_seed_count_domains(&a, domain_suffix(&a, seed), &n);
	arena_free(&a);
	return rc == DB_OK ? n : -1;
}

int
seed_directory(long long count, unsigned long long seed, FILE *progress)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct arena keep, chunk;
	arena_init(&keep, 1 << 16);
	arena_init(&chunk, 1 << 20);
	struct seeder s = {.a = &chunk, .out = db_seed_new(), .seed = seed};
	s.ids.bits = calloc(PARTNER_ID_SPAN / 8 + 1, 1);
	s.ids.rng = rng_stream(seed, ~0ull);
	int ret = -1;
	struct seed_writer writer = {.pid = -1, .fd = -1};
	enum db_err rc = DB_OK;
	long long k = seed_companies(seed);
	if (s.ids.bits == NULL || k < 0 || !codes_known() || world_load(&keep, &s.w) != 0)
		goto done;
	/* Partner IDs come from the seed's own stream, skipping every number
	 * already issued (by an earlier run too). */
	if ((rc = db_seed_issued_ids(&chunk, id_mark, &s.ids)) != DB_OK)
		goto done;
	arena_reset(&chunk);
	/* The profiles are written here, a chunk a transaction; the directory's
	 * rows of each chunk by the writer, at the same time as the next chunk. */
	if (seed_writer_start(&writer, count, &t0, progress) != 0)
		goto done;
	long long done_profiles = 0;
	while (done_profiles < count) {
		if ((rc = db_begin()) != DB_OK)
			goto done;
		if ((rc = db_seed_next_ids(&chunk, &s.next_tenant, &s.next_account, &s.next_profile)) !=
		    DB_OK) {
			db_rollback();
			goto done;
		}
		long long first = s.next_profile, in_chunk = 0;
		while (in_chunk < SEED_CHUNK && done_profiles + in_chunk < count) {
			long long left = count - done_profiles - in_chunk;
			in_chunk += make_company(&s, k++, left < MAX_PROFILES ? (unsigned)left : MAX_PROFILES);
			if (db_seed_pending(s.out) > SEED_FLUSH_BYTES && (rc = db_seed_flush(s.out)) != DB_OK)
				break;
		}
		if (rc == DB_OK)
			rc = db_seed_flush(s.out);
		if ((rc = db_finish(rc)) != DB_OK)
			goto done;
		done_profiles += in_chunk;
		arena_reset(&chunk);
		if (seed_writer_send(&writer, first, s.next_profile - 1, done_profiles) != 0)
			goto done;
	}
	ret = 0;
done:
	if (seed_writer_finish(&writer) != 0)
		ret = -1;
	if (ret != 0 && rc != DB_OK)
		fprintf(stderr, "directory seed: %s\n", db_strerror(rc));
	free(s.ids.bits);
	sbuf_free(&s.text);
	db_seed_free(s.out);
	arena_free(&chunk);
	arena_free(&keep);
	return ret;
}
