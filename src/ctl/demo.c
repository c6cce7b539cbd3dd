/* partnerdesk-ctl demo: demo users, companies, profiles, legacy profiles,
 * leads and a populated directory (ctl/ctl.h). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "domain/limits.h"
#include "core/config.h"
#include "core/secret.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/claims.h"
#include "db/leads.h"
#include "db/profiles.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "domain/leads.h"
#include "view/template.h"
#include "db/db.h"
#include "db/partners.h"
#include "db/migrate.h"
#include "db/twofactor.h"
#include "db/legacy.h"
#include "core/i18n.h"
#include "domain/migration.h"
#include "domain/profiles.h"
#include <ctype.h>
#include <time.h>
#include "domain/twofactor.h"
#include "domain/email_rules.h"
#include "ctl/ctl.h"
#include "ctl/seed.h"

/* The demo companies: a verified global admin each, enrolled in the partner
 * program, and a published bilingual profile (a French text for the
 * French-speaking country where each is published). */
struct demo_company {
	const char *company, *country, *email, *name;
	const char *street, *city, *region, *postal_code, *phone, *website;
	const char *second_country, *second_city, *second_postal_code; /* a second location ID */
	const char *profile_name, *description, *description_fr;
	const char *markets[6];
	const char *industries[3], *areas[3], *languages[4];
};
static const struct demo_company demo_companies[] = {
    {"Contoso SARL", "FR", "camille.martin@contoso-demo.example", "Camille Martin",
     "12 rue de la Paix", "Paris", "", "75002", "+33 1 23 45 67 89", "https://contoso-demo.example",
     NULL, NULL, NULL, "Contoso SARL",
     "Contoso is a Paris consultancy that brings ERP, CRM and analytics to mid-sized "
     "manufacturers and retailers. Our consultants move finance, supply chain and sales to the "
     "cloud with a fixed-milestone method, then build the dashboards that managers use every "
     "morning. We train your teams, stay for the first closing of the books, and support you "
     "afterwards in French and English.",
     "Contoso est un cabinet parisien qui met en œuvre ERP, CRM et outils d'analyse pour les "
     "industriels et les enseignes de distribution de taille intermédiaire. Nos consultants "
     "migrent la finance, la chaîne logistique et les ventes vers le cloud avec une méthode à "
     "jalons fixes, puis construisent les tableaux de bord que les managers consultent chaque "
     "matin. Nous formons vos équipes, restons à vos côtés pour la première clôture et vous "
     "accompagnons ensuite en français et en anglais.",
     {"BE", "LU", "CH", "MC", "MA"},
     {"manufacturing", "retail"}, {"business_applications", "data_ai"}, {"fr", "en"}},
    {"Fabrikam Inc.", "US", "jordan.lee@fabrikam-demo.example", "Jordan Lee", "400 Pine Street",
     "Seattle", "WA", "98101", "+1 206 555 0100", "https://fabrikam-demo.example", "CA",
     "Montreal", "H2Y 1C6", "Fabrikam Cloud Security",
     "Fabrikam protects hospitals, clinics, banks and insurers as they move to the cloud. Our "
     "security operations centre watches identities, devices and cloud workloads day and night, "
     "and our engineers design landing zones, backup and disaster recovery that pass an "
     "auditor's review. Every engagement starts with a two-week assessment and ends with a "
     "plan your own team can run.",
     "Fabrikam protège les hôpitaux, les cliniques, les banques et les assureurs dans leur "
     "passage au cloud. Notre centre opérationnel de sécurité surveille identités, appareils et "
     "charges cloud jour et nuit, et nos ingénieurs conçoivent zones d'accueil, sauvegardes et "
     "plans de reprise qui satisfont les auditeurs. Notre équipe de Montréal vous accompagne en "
     "français, de l'évaluation initiale au plan que votre équipe pourra exploiter seule.",
     {"MX", "GB"},
     {"healthcare", "financial_services"}, {"security", "infrastructure"}, {"en", "fr", "es"}},
};
#define DEMO_SEED     2026 /* the generator's seed of the demo directory */
#define DEMO_PROFILES 300  /* seeded profiles beside the two demo companies' */

static size_t
count_set(const char *const *list, size_t max)
{
	size_t n = 0;
	while (n < max && list[n])
		n++;
	return n;
}

/* The demo company's profile, unless the company has one already. */
static enum db_err
demo_profile(struct arena *a, const struct demo_company *c)
{
	struct user_row u;
	bool found = false;
	enum db_err rc = db_user_by_email(a, c->email, &u, &found);
	if (rc != DB_OK || !found)
		return rc;
	struct profile *list;
	size_t n;
	if ((rc = db_profiles_list(a, u.tenant_id, &list, &n)) != DB_OK || n > 0)
		return rc;
	struct partner_account *ids;
	size_t nids;
	if ((rc = db_partner_accounts(a, u.tenant_id, false, false, &ids, &nids)) != DB_OK)
		return rc;
	long long pga = 0, home = 0;
	bool has_second = false;
	for (size_t i = 0; i < nids; i++) {
		if (partner_is_global(&ids[i]))
			pga = ids[i].id;
		else if (strcmp(ids[i].country, c->country) == 0 && home == 0)
			home = ids[i].id;
		else if (c->second_country && strcmp(ids[i].country, c->second_country) == 0)
			has_second = true;
	}
	if (pga == 0 || home == 0)
		return DB_OK; /* not enrolled */
	if (c->second_country && !has_second) {
		const char *partner_id;
		struct partner_account loc = {
		    .name = c->company, .country = c->second_country, .address_line1 = c->street,
		    .address_line2 = "", .city = c->second_city, .region = "",
		    .postal_code = c->second_postal_code, .contact_name = c->name,
		    .contact_email = c->email};
		if ((rc = db_partner_location_add(a, u.tenant_id, pga, &loc, &partner_id)) != DB_OK)
			return rc;
	}
	if ((rc = db_begin()) != DB_OK)
		return rc;
	long long id = 0;
	struct profile p;
	found = false;
	rc = db_profile_create(a, u.tenant_id, home, PROFILE_NON_CSP, u.id, "en", &id);
	if (rc == DB_OK)
		rc = db_profile_get(a, u.tenant_id, id, true, &p, &found);
	const char *locations[2] = {c->country, c->second_country};
	size_t nlocations = c->second_country ? 2 : 1;
	if (rc == DB_OK && found)
		rc = db_profile_set_locations(a, &p, locations, nlocations);
	if (rc == DB_OK)
		rc = db_profile_set_markets(a, id, c->markets, count_set(c->markets, 6), NULL, 0);
	/* The French text where the customer's country speaks French. */
	struct profile_location texts[1] = {
	    {.country = strcmp(c->country, "FR") == 0 ? c->country : c->second_country,
	     .description = c->description_fr}};
	struct profile_content content = {
	    .name = c->profile_name, .description = c->description, .website = c->website,
	    .lead_email = c->email, .lang = "en", .industries = c->industries,
	    .nindustries = count_set(c->industries, 3), .solution_areas = c->areas,
	    .nsolution_areas = count_set(c->areas, 3), .languages = c->languages,
	    .nlanguages = count_set(c->languages, 4), .location_texts = texts, .nlocation_texts = 1};
	if (rc == DB_OK)
		rc = db_profile_set_content(a, id, &content);
	char slug[140];
	profile_slug(c->profile_name, "demo", slug, sizeof(slug));
	if (rc == DB_OK)
		rc = db_profile_publish(a, id, slug);
	return db_finish(rc);
}

/* The demo's leads, one or more in every status, on the first published
 * profile of the company of `email` (none without one), once: a company
 * with leads keeps them. Changed by the company's global admin, through the
 * same transitions as the pages. */
static enum db_err
demo_leads(struct arena *a, const char *email)
{
	static const struct {
		const char *name, *email, *company, *country, *phone, *message, *reason;
		long days_ago;
		enum lead_action path[2]; /* LEAD_ACTION__MAX: none */
	} leads[] = {
	    {"Élise Moreau", "elise.moreau@fourth-coffee.example", "Fourth Coffee", "FR",
	     "+33 4 72 00 00 00", "We are moving our ERP to the cloud next spring.\nCan you help?",
	     "", 1, {LEAD_ACTION__MAX, LEAD_ACTION__MAX}},
	    {"Ravi Patel", "ravi.patel@tailspin.example", "Tailspin Toys", "BE", "",
	     "We need dashboards for our 40 shops.", "", 12, {LEAD_ACTION__MAX, LEAD_ACTION__MAX}},
	    {"Hanna Berg", "hanna.berg@wingtip.example", "Wingtip Toys", "LU", "+352 20 00 00",
	     "Looking for a partner to run our Dynamics migration.", "", 5,
	     {LEAD_ACCEPT, LEAD_ACTION__MAX}},
	    {"Tom Baker", "tom.baker@adatum.example", "Adatum", "CH", "",
	     "We want a quote for three hundred seats by Friday.",
	     "We do not serve this region yet.", 9, {LEAD_DECLINE, LEAD_ACTION__MAX}},
	    {"Marta Silva", "marta.silva@lucerne.example", "Lucerne Publishing", "FR", "",
	     "Our finance team needs a new closing process.", "", 30, {LEAD_ACCEPT, LEAD_WIN}},
	    {"Omar Haddad", "omar.haddad@litware.example", "Litware", "MA", "+212 5 22 00 00 00",
	     "We compare three partners for a CRM project.",
	     "The customer chose another partner.", 40, {LEAD_ACCEPT, LEAD_LOSE}},
	    {"Nina Keller", "nina.keller@proseware.example", "Proseware", "FR", "",
	     "Please call us about a data platform.", "", 20, {LEAD_EXPIRE, LEAD_ACTION__MAX}},
	};
	struct user_row u;
	bool found = false;
	enum db_err rc = db_user_by_email(a, email, &u, &found);
	long long n = 0;
	if (rc != DB_OK || !found || (rc = db_leads_count(a, u.tenant_id, &n)) != DB_OK || n > 0)
		return rc;
	struct profile *list;
	size_t np = 0;
	if ((rc = db_profiles_list(a, u.tenant_id, &list, &np)) != DB_OK)
		return rc;
	const struct profile *p = NULL;
	for (size_t i = 0; i < np && !p; i++)
		if (list[i].status == PROFILE_PUBLISHED)
			p = &list[i];
	if (p == NULL)
		return DB_OK;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	for (size_t i = 0; i < sizeof(leads) / sizeof(*leads) && rc == DB_OK; i++) {
		struct lead_request l = {.profile_id = p->id, .name = leads[i].name,
		                         .email = leads[i].email, .company = leads[i].company,
		                         .country = leads[i].country, .phone = leads[i].phone,
		                         .message = leads[i].message, .lang = "en"};
		long long id = 0;
		rc = db_lead_create(a, &l, &id);
		if (rc == DB_OK)
			rc = db_lead_backdate(a, id, leads[i].days_ago);
		enum lead_status at = LEAD_RECEIVED;
		for (int k = 0; k < 2 && rc == DB_OK && leads[i].path[k] != LEAD_ACTION__MAX; k++) {
			const struct lead_transition *t = lead_next(at, leads[i].path[k]);
			bool changed = false;
			rc = db_lead_transition(a, id, t, "1970-01-01",
			                        t->who == LEAD_BY_USER ? u.id : 0,
			                        t->reason_required ? leads[i].reason : "", &changed);
			at = t->to;
		}
	}
	return db_finish(rc);
}

/* Demo data: a reviewer, the two demo companies with their profiles, and a
 * directory of DEMO_PROFILES seeded profiles. Existing accounts, profiles and
 * seeded companies are kept, so running it again is harmless. */
int
cmd_demo(void)
{
	const char *password = "partnerdesk-demo";
	char hash[128];
	if (password_hash(password, hash) != 0) {
		fprintf(stderr, "demo: cannot hash the password\n");
		return 1;
	}
	struct arena a;
	arena_init(&a, 8192);
	int rc = 0;
	enum db_err e = db_staff_add(&a, "reviewer@partnerdesk-demo.example", "Riley Reviewer", hash,
	                             "reviewer");
	if (e == DB_OK)
		e = db_tfa_due_set(&a, "reviewer@partnerdesk-demo.example",
		                   TFA_STAFF_GRACE_HOURS_DEFAULT * 3600L);
	if (e != DB_OK && e != DB_DUPLICATE)
		rc = 1;
	const size_t ncompanies = sizeof(demo_companies) / sizeof(*demo_companies);
	for (size_t i = 0; i < ncompanies && rc == 0; i++) {
		const struct demo_company *c = &demo_companies[i];
		long long user_id = 0;
		e = db_signup(&a, c->company, c->country, email_domain(c->email), c->email, c->name, hash,
		              "en", &user_id);
		if (e == DB_OK)
			e = db_user_mark_verified(&a, user_id);
		struct user_row u;
		bool found = false;
		if (e == DB_OK)
			e = db_user_by_id(&a, user_id, &u, &found);
		if (e == DB_OK && found) {
			/* Already in the partner program. */
			const char *pga = NULL, *pla = NULL;
			struct partner_account legal = {
			    .name = c->company, .country = c->country, .address_line1 = c->street,
			    .address_line2 = "", .city = c->city, .region = c->region,
			    .postal_code = c->postal_code, .phone = c->phone, .website = c->website,
			    .contact_name = c->name, .contact_email = c->email};
			e = db_partner_enroll(&a, u.tenant_id, &legal, &pga, &pla);
		}
		if (e == DB_OK || e == DB_DUPLICATE)
			e = demo_profile(&a, c);
		if (e != DB_OK && e != DB_DUPLICATE)
			rc = 1;
		arena_reset(&a);
	}
	if (rc == 0 && (e = demo_legacy(&a)) != DB_OK)
		rc = 1;
	/* Last: the companies' profiles exist by now. */
	for (size_t i = 0; i < ncompanies && rc == 0; i++)
		if ((e = demo_leads(&a, demo_companies[i].email)) != DB_OK)
			rc = 1;
	/* The US company is an active CSP, with the offers catalog and customers. */
	if (rc == 0 && (e = demo_csp_market(&a, demo_companies[1].email,
	                                    demo_companies[1].company)) != DB_OK)
		rc = 1;
	if (rc == 0 && (e = demo_programs(&a, demo_companies[0].email, demo_companies[1].email,
	                                  hash)) != DB_OK)
		rc = 1;
	arena_free(&a);
	if (rc != 0) {
		fprintf(stderr, "demo: %s\n", db_strerror(e));
		return 1;
	}
	long long seeded = seed_companies(DEMO_SEED);
	if (seeded < 0 || (seeded == 0 && seed_directory(DEMO_PROFILES, DEMO_SEED, NULL) != 0)) {
		fprintf(stderr, "demo: cannot seed the directory\n");
		return 1;
	}
	printf("demo logins (password: %s)\n", password);
	printf("  %-32s %s\n", "reviewer (staff)", "reviewer@partnerdesk-demo.example");
	for (size_t i = 0; i < ncompanies; i++)
		printf("  global admin of %-16s %s\n", demo_companies[i].company, demo_companies[i].email);
	printf("  global admin of %-16s %s\n", "Tailwind Traders", DEMO_PROGRAMS_LOGIN);
	printf("  %s has legacy profiles to migrate: /profiles/migrate\n", demo_companies[0].company);
	printf("  %s is an active CSP: /csp/market, /customers, /csp/eligibility\n",
	       demo_companies[1].company);
	printf("  designations (/membership/designations): %s qualified and in progress, %s due for "
	       "renewal, Tailwind Traders enrolled\n", demo_companies[0].company,
	       demo_companies[1].company);
	printf("public directory: /partners (%d seeded profiles and the two companies')\n",
	       DEMO_PROFILES);
	return 0;
}
