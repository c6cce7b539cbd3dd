/* CSP market (DOMAIN §4): a CSP company's customers, the offers catalog,
 * and the facts of the eligibility check about a partner (its CSP
 * location, its status, its tenant's domains). Customers are scoped to
 * their tenant: another company's customer is "not found". */
#ifndef PD_DB_MARKET_H
#define PD_DB_MARKET_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/csp.h"
#include "domain/eligibility.h"

struct csp_customer {
	long long   id, tenant_id;
	const char *name, *tenant_domain, *country;
	enum customer_relationship relationship;
	const char *created_at; /* YYYY-MM-DD */
};
/* Records a customer of the tenant; DB_DUPLICATE when the tenant already
 * has a customer with that tenant domain. */
enum db_err db_customer_add(struct arena *a, const struct csp_customer *c, long long user_id,
                            long long *id);
/* The tenant's customers by name. */
enum db_err db_customers(struct arena *a, long long tenant_id, struct csp_customer **rows,
                         size_t *n);
/* The tenant's customer id; *found false for another company's or none. */
enum db_err db_customer_get(struct arena *a, long long tenant_id, long long id,
                            struct csp_customer *out, bool *found);

struct offer {
	const char *offer_id, *name;
	const char *countries; /* "*" or the comma-separated codes, as stored */
	struct offer_countries where;
};
/* The catalog by name. */
enum db_err db_offers(struct arena *a, struct offer **rows, size_t *n);
enum db_err db_offer_get(struct arena *a, const char *offer_id, struct offer *out, bool *found);
/* Inside the caller's transaction: inserts or updates an offer by its ID,
 * stamped with batch ("YYYY-MM-DD HH:MM:SS.mmm"). */
enum db_err db_offer_upsert(struct arena *a, const char *offer_id, const char *name,
                            const char *countries, const char *batch);
/* Inside the caller's transaction: removes the offers not stamped with
 * batch (absent from the file imported); *n how many. */
enum db_err db_offers_prune(struct arena *a, const char *batch, long long *n);

/* The countries of a CSP region as data/csp-regions.tsv lists them (some,
 * like XK, are not in the ISO table), by code. */
enum db_err db_region_countries(struct arena *a, const char *region, const char ***codes,
                                size_t *n);

/* What the eligibility check knows of a partner. */
struct csp_partner {
	long long   tenant_id;
	const char *tenant_name, *tenant_country;
	const char *partner_id;  /* the CSP location ID ("" when none is linked) */
	const char *country;     /* its country (the tenant country when none) */
	bool        id_active;   /* the ID's status is active */
	bool        is_location; /* partner_id is a location ID (not the PGA) */
	bool        csp_linked;  /* the tenant's CSP application names this ID */
	enum csp_status csp;     /* the tenant's CSP application (CSP_NONE: none) */
	const char **domains;    /* the tenant's domains */
	size_t      ndomains;
};
/* The partner of a tenant: its CSP application's location ID when there
 * is one. */
enum db_err db_csp_partner_of_tenant(struct arena *a, long long tenant_id, struct csp_partner *p);
/* The partner of a live partner ID (any company: staff); *found false when
 * the ID is unknown or deleted. */
enum db_err db_csp_partner_by_id(struct arena *a, const char *partner_id, struct csp_partner *p,
                                 bool *found);

/* Demo data only (partnerdesk-ctl demo): makes the tenant an active CSP
 * tenant whose CSP location is account_id, as if it had enrolled, been
 * approved and accepted the agreement; nothing when the tenant already has
 * a CSP application (*created false). */
enum db_err db_csp_demo_activate(struct arena *a, long long tenant_id, long long account_id,
                                 const char *legal_name, bool *created);
#endif
