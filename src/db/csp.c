#include "db/csp.h"

#include <string.h>

#define APP_COLS                                                                                \
	"c.id, c.tenant_id, COALESCE(c.partner_account_id,0), c.status, c.step, "                \
	"COALESCE(c.company_source,''), COALESCE(c.duns,''), COALESCE(c.dnb_name,''), "          \
	"COALESCE(c.dnb_match_grade,''), COALESCE(c.dnb_status,''), COALESCE(c.dnb_confidence,0), " \
	"c.legal_name, c.address_line1, c.address_line2, c.city, c.region, c.postal_code, "      \
	"c.country, c.address_verdict, COALESCE(c.address_choice,''), "                          \
	"COALESCE(c.entered_address,''), COALESCE(c.suggested_address,''), c.contact_name, "     \
	"c.contact_email, c.contact_phone, c.support_email, c.support_phone, c.model, "          \
	"COALESCE(c.billing_day,''), COALESCE(c.tax_id,''), c.lang, COALESCE(c.request_kind,''), " \
	"COALESCE(c.request_note,''), COALESCE(c.decision_reason,''), "                          \
	"COALESCE(DATE_FORMAT(c.submitted_at,'%Y-%m-%d %H:%i'),''), "                            \
	"COALESCE(DATE_FORMAT(c.decided_at,'%Y-%m-%d %H:%i'),''), "                              \
	"DATE_FORMAT(c.created_at,'%Y-%m-%d %H:%i'), "                                           \
	"TIMESTAMPDIFF(DAY, COALESCE(c.submitted_at, c.created_at), NOW(3)), "                    \
	"t.name, t.country, COALESCE(p.partner_id,''), "                                        \
	"COALESCE(c.entered_name,''), COALESCE(c.dnb_line1,''), COALESCE(c.dnb_line2,''), "       \
	"COALESCE(c.dnb_city,''), COALESCE(c.dnb_region,''), COALESCE(c.dnb_postal_code,''), "    \
	"COALESCE(c.dnb_country,''), c.entered_line1 IS NOT NULL, COALESCE(c.entered_line1,''), " \
	"COALESCE(c.entered_line2,''), COALESCE(c.entered_city,''), "                             \
	"COALESCE(c.entered_region,''), COALESCE(c.entered_postal_code,''), "                     \
	"c.std_line1 IS NOT NULL, COALESCE(c.std_line1,''), COALESCE(c.std_line2,''), "           \
	"COALESCE(c.std_city,''), COALESCE(c.std_region,''), COALESCE(c.std_postal_code,'') "     \
	"FROM csp_applications c JOIN tenants t ON t.id=c.tenant_id "                            \
	"LEFT JOIN partner_accounts p ON p.id=c.partner_account_id "

/* A stored code's enum, or fallback for a code this build does not know. */
static int
enum_cell(int parsed, int fallback)
{
	return parsed < 0 ? fallback : parsed;
}

static const char *
choice_code(enum csp_address_use u)
{
	return u == CSP_USE_SUGGESTED ? "suggested" : u == CSP_USE_ENTERED ? "entered" : "";
}

static void
app_from(const struct db_result *res, size_t row, struct csp_app *c)
{
	size_t k = 0;
	c->id = db_cell_ll(res, row, k++);
	c->tenant_id = db_cell_ll(res, row, k++);
	c->partner_account_id = db_cell_ll(res, row, k++);
	c->status = enum_cell(csp_status_parse(db_cell(res, row, k++)), CSP_DRAFT);
	c->step = (int)db_cell_ll(res, row, k++);
	c->company_source = enum_cell(csp_source_parse(db_cell(res, row, k++)), CSP_SOURCE_MANUAL);
	c->duns = db_cell(res, row, k++);
	c->dnb_name = db_cell(res, row, k++);
	c->dnb_match_grade = db_cell(res, row, k++);
	c->dnb_status = db_cell(res, row, k++);
	c->dnb_confidence = (int)db_cell_ll(res, row, k++);
	c->legal_name = db_cell(res, row, k++);
	c->address_line1 = db_cell(res, row, k++);
	c->address_line2 = db_cell(res, row, k++);
	c->city = db_cell(res, row, k++);
	c->region = db_cell(res, row, k++);
	c->postal_code = db_cell(res, row, k++);
	c->country = db_cell(res, row, k++);
	c->address_verdict =
	    enum_cell(csp_verdict_parse(db_cell(res, row, k++)), CSP_VERDICT_NOT_CHECKED);
	const char *choice = db_cell(res, row, k++);
	c->address_choice = strcmp(choice, "suggested") == 0 ? CSP_USE_SUGGESTED
	                    : strcmp(choice, "entered") == 0 ? CSP_USE_ENTERED
	                                                     : CSP_USE_UNSAID;
	c->entered_address = db_cell(res, row, k++);
	c->suggested_address = db_cell(res, row, k++);
	c->contact_name = db_cell(res, row, k++);
	c->contact_email = db_cell(res, row, k++);
	c->contact_phone = db_cell(res, row, k++);
	c->support_email = db_cell(res, row, k++);
	c->support_phone = db_cell(res, row, k++);
	c->model = enum_cell(csp_model_parse(db_cell(res, row, k++)), CSP_MODEL_INDIRECT_RESELLER);
	c->billing_day = db_cell(res, row, k++);
	c->tax_id = db_cell(res, row, k++);
	c->lang = db_cell(res, row, k++);
	c->request_kind = enum_cell(csp_request_parse(db_cell(res, row, k++)), CSP_ASKS_NONE);
	c->request_note = db_cell(res, row, k++);
	c->decision_reason = db_cell(res, row, k++);
	c->submitted_at = db_cell(res, row, k++);
	c->decided_at = db_cell(res, row, k++);
	c->created_at = db_cell(res, row, k++);
	c->age_days = db_cell_ll(res, row, k++);
	c->tenant_name = db_cell(res, row, k++);
	c->tenant_country = db_cell(res, row, k++);
	c->partner_id = db_cell(res, row, k++);
	c->entered_name = db_cell(res, row, k++);
	const char **dnb[] = {&c->dnb_address.line1,  &c->dnb_address.line2,
	                      &c->dnb_address.city,   &c->dnb_address.region,
	                      &c->dnb_address.postal_code, &c->dnb_address.country};
	for (size_t i = 0; i < sizeof(dnb) / sizeof(*dnb); i++)
		*dnb[i] = db_cell(res, row, k++);
	struct csp_address *parts[] = {&c->entered_parts, &c->std_parts};
	bool *has[] = {&c->has_entered_parts, &c->has_std_parts};
	for (size_t p = 0; p < 2; p++) {
		*has[p] = db_cell_ll(res, row, k++) != 0;
		parts[p]->line1 = db_cell(res, row, k++);
		parts[p]->line2 = db_cell(res, row, k++);
		parts[p]->city = db_cell(res, row, k++);
		parts[p]->region = db_cell(res, row, k++);
		parts[p]->postal_code = db_cell(res, row, k++);
		parts[p]->country = c->country;
	}
}

static enum db_err
one_app(struct arena *a, struct db_stmt *st, long long key, struct csp_app *out, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, st, &res, "i", key);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	app_from(&res, 0, out);
	*found = true;
	return DB_OK;
}

DB_STMT(st_by_tenant, "SELECT " APP_COLS "WHERE c.tenant_id=?");
enum db_err
db_csp_get(struct arena *a, long long tenant_id, struct csp_app *out, bool *found)
{
	return one_app(a, &st_by_tenant, tenant_id, out, found);
}

DB_STMT(st_by_id, "SELECT " APP_COLS "WHERE c.id=?");
enum db_err
db_csp_get_by_id(struct arena *a, long long id, struct csp_app *out, bool *found)
{
	return one_app(a, &st_by_id, id, out, found);
}

DB_STMT(st_ensure, "INSERT INTO csp_applications (tenant_id, lang) VALUES (?,?) "
                  "ON DUPLICATE KEY UPDATE id=LAST_INSERT_ID(id)");
enum db_err
db_csp_ensure(struct arena *a, long long tenant_id, const char *lang, long long *id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_ensure, &res, "is", tenant_id, lang);
	if (rc == DB_OK)
		*id = (long long)res.insert_id;
	return rc;
}

/* Wizard steps: the step reached never goes back, except that a new
 * company means its address must be checked again (step 2). */
DB_STMT(st_set_location,
        "UPDATE csp_applications SET partner_account_id=?, step=GREATEST(step,1), "
        "updated_at=NOW(3) WHERE id=? AND status=?");
enum db_err
db_csp_set_location(struct arena *a, long long id, enum csp_status expected,
                    long long partner_account_id, bool *changed)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_set_location, &res, "iis", partner_account_id, id,
	                         csp_status_code(expected));
	*changed = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_set_company,
        "UPDATE csp_applications SET company_source=?, duns=NULLIF(?,''), dnb_name=NULLIF(?,''), "
        "dnb_confidence=NULLIF(?,0), dnb_match_grade=NULLIF(?,''), dnb_status=NULLIF(?,''), "
        "dnb_line1=NULLIF(?,''), dnb_line2=NULLIF(?,''), dnb_city=NULLIF(?,''), "
        "dnb_region=NULLIF(?,''), dnb_postal_code=NULLIF(?,''), dnb_country=NULLIF(?,''), "
        "entered_name=NULLIF(?,''), entered_line1=NULL, entered_line2=NULL, entered_city=NULL, "
        "entered_region=NULL, entered_postal_code=NULL, std_line1=NULL, std_line2=NULL, "
        "std_city=NULL, std_region=NULL, std_postal_code=NULL, legal_name=?, address_line1=?, address_line2=?, city=?, region=?, postal_code=?, "
        "country=?, address_verdict='not_checked', address_choice=NULL, entered_address=NULL, "
        "suggested_address=NULL, step=2, updated_at=NOW(3) WHERE id=? AND status=?");
enum db_err
db_csp_set_company(struct arena *a, long long id, enum csp_status expected,
                   const struct csp_app *c, bool *changed)
{
	struct db_result res;
	enum db_err rc = db_exec(
	    a, &st_set_company, &res, "sssissssssssssssssssis", csp_source_code(c->company_source),
	    c->duns, c->dnb_name, (long long)c->dnb_confidence, c->dnb_match_grade, c->dnb_status,
	    c->dnb_address.line1, c->dnb_address.line2, c->dnb_address.city, c->dnb_address.region,
	    c->dnb_address.postal_code, c->dnb_address.country, c->entered_name, c->legal_name, c->address_line1, c->address_line2, c->city, c->region, c->postal_code,
	    c->country, id, csp_status_code(expected));
	*changed = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_set_address,
        "UPDATE csp_applications SET address_line1=?, address_line2=?, city=?, region=?, "
        "postal_code=?, address_verdict=?, address_choice=NULLIF(?,''), "
        "entered_address=NULLIF(?,''), suggested_address=NULLIF(?,''), entered_line1=?, "
        "entered_line2=?, entered_city=?, entered_region=?, entered_postal_code=?, "
        "std_line1=IF(?, ?, NULL), std_line2=IF(?, ?, NULL), std_city=IF(?, ?, NULL), "
        "std_region=IF(?, ?, NULL), std_postal_code=IF(?, ?, NULL), step=GREATEST(step,3), "
        "updated_at=NOW(3) WHERE id=? AND status=?");
enum db_err
db_csp_set_address(struct arena *a, long long id, enum csp_status expected,
                   const struct csp_app *c, bool *changed)
{
	struct db_result res;
	const struct csp_address *e = &c->entered_parts, *s = &c->std_parts;
	long long std = c->has_std_parts;
	enum db_err rc = db_exec(
	    a, &st_set_address, &res, "ssssssssssssssisisisisisis", c->address_line1,
	    c->address_line2, c->city, c->region, c->postal_code,
	    csp_verdict_code(c->address_verdict), choice_code(c->address_choice),
	    c->entered_address, c->suggested_address, e->line1, e->line2, e->city, e->region,
	    e->postal_code, std, s->line1, std, s->line2, std, s->city, std, s->region, std,
	    s->postal_code, id, csp_status_code(expected));
	*changed = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_set_contact,
        "UPDATE csp_applications SET contact_name=?, contact_email=?, contact_phone=?, "
        "support_email=?, support_phone=?, model=?, billing_day=NULLIF(?,''), "
        "tax_id=NULLIF(?,''), step=GREATEST(step,4), updated_at=NOW(3) WHERE id=? AND status=?");
enum db_err
db_csp_set_contact(struct arena *a, long long id, enum csp_status expected,
                   const struct csp_app *c, bool *changed)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_set_contact, &res, "ssssssssis", c->contact_name,
	                         c->contact_email, c->contact_phone, c->support_email,
	                         c->support_phone, csp_model_code(c->model), c->billing_day,
	                         c->tax_id, id, csp_status_code(expected));
	*changed = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_transition,
        "UPDATE csp_applications SET submitted_at=IF(?, NOW(3), submitted_at), status=?, "
        "request_kind=NULLIF(?,''), request_note=?, decision_reason=COALESCE(?, decision_reason), "
        "decided_at=IF(?, NOW(3), decided_at), updated_at=NOW(3) WHERE id=? AND status=?");
enum db_err
db_csp_transition(struct arena *a, long long id, const struct csp_transition *t,
                  const char *note, bool *changed)
{
	struct db_result res;
	enum db_err rc = db_exec(
	    a, &st_transition, &res, "issssiis", (long long)(t->stamp == CSP_STAMP_SUBMITTED),
	    csp_status_code(t->to), csp_request_code(t->request),
	    t->request != CSP_ASKS_NONE ? note : NULL, t->to == CSP_REJECTED ? note : NULL,
	    (long long)(t->stamp == CSP_STAMP_DECIDED), id, csp_status_code(t->from));
	*changed = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_count, "SELECT COUNT(*) FROM csp_applications WHERE status=?");
enum db_err
db_csp_count(struct arena *a, enum csp_status status, long long *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_count, &res, "s", csp_status_code(status));
	if (rc == DB_OK && res.nrows == 1)
		*n = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_queue,
        "SELECT " APP_COLS "WHERE c.status<>'draft' AND (?='' OR c.status=?) "
        "AND (?='' OR t.country=?) AND (?='' OR c.legal_name LIKE ? OR t.name LIKE ?) "
        "AND TIMESTAMPDIFF(DAY, COALESCE(c.submitted_at, c.created_at), NOW(3)) BETWEEN ? AND ? "
        "ORDER BY c.submitted_at IS NULL, c.submitted_at, c.id LIMIT 500");
enum db_err
db_csp_queue(struct arena *a, const struct csp_queue_filter *f, struct csp_app **rows,
             size_t *n)
{
	struct db_result res;
	const char *code = f->status == CSP_NONE ? "" : csp_status_code(f->status);
	const char *text = f->text ? f->text : "";
	/* The text anywhere in the name, its LIKE wildcards taken literally. */
	size_t len = strlen(text);
	char *like = arena_alloc(a, 2 * len + 3), *o = like;
	*o++ = '%';
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '%';
	*o = '\0';
	const char *country = f->country ? f->country : "";
	enum db_err rc = db_exec(a, &st_queue, &res, "sssssssii", code, code, country, country, text,
	                         like, like, f->min_days, f->max_days);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		app_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_queue_countries,
        "SELECT DISTINCT t.country FROM csp_applications c JOIN tenants t ON t.id=c.tenant_id "
        "WHERE c.status<>'draft' ORDER BY t.country");
enum db_err
db_csp_queue_countries(struct arena *a, const char ***codes, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_queue_countries, &res, "");
	if (rc != DB_OK)
		return rc;
	*codes = arena_alloc(a, sizeof(**codes) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		(*codes)[i] = db_cell(&res, i, 0);
	*n = res.nrows;
	return DB_OK;
}

#define DOC_COLS                                                                          \
	"id, application_id, size, document_type, filename, content_type, sha256, storage_name, " \
	"DATE_FORMAT(uploaded_at,'%Y-%m-%d %H:%i') FROM csp_documents "

static void
doc_from(const struct db_result *res, size_t row, struct csp_document *d)
{
	d->id = db_cell_ll(res, row, 0);
	d->application_id = db_cell_ll(res, row, 1);
	d->size = db_cell_ll(res, row, 2);
	d->document_type = enum_cell(csp_document_type_parse(db_cell(res, row, 3)), CSP_DOC_OTHER);
	d->filename = db_cell(res, row, 4);
	d->content_type = db_cell(res, row, 5);
	d->sha256 = db_cell(res, row, 6);
	d->storage_name = db_cell(res, row, 7);
	d->uploaded_at = db_cell(res, row, 8);
}

DB_STMT(st_doc_add,
        "INSERT INTO csp_documents (application_id, document_type, filename, content_type, size, "
        "sha256, storage_name, uploaded_by) VALUES (?,?,?,?,?,?,?,?)");
enum db_err
db_csp_document_add(struct arena *a, const struct csp_document *d, long long user_id,
                    long long *id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_doc_add, &res, "isssissi", d->application_id,
	                         csp_document_type_code(d->document_type), d->filename, d->content_type, d->size, d->sha256,
	                         d->storage_name, user_id);
	if (rc == DB_OK)
		*id = (long long)res.insert_id;
	return rc;
}

DB_STMT(st_docs, "SELECT " DOC_COLS "WHERE application_id=? ORDER BY id");
enum db_err
db_csp_documents(struct arena *a, long long application_id, struct csp_document **rows,
                 size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_docs, &res, "i", application_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		doc_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_doc_get, "SELECT " DOC_COLS "WHERE application_id=? AND id=?");
enum db_err
db_csp_document_get(struct arena *a, long long application_id, long long id,
                    struct csp_document *out, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_doc_get, &res, "ii", application_id, id);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	doc_from(&res, 0, out);
	*found = true;
	return DB_OK;
}

DB_STMT(st_answers_add,
        "INSERT INTO csp_answers (application_id, answers_json, answered_by) VALUES (?,?,?)");
enum db_err
db_csp_answers_add(struct arena *a, long long application_id, const char *json, long long user_id)
{
	return db_exec(a, &st_answers_add, NULL, "isi", application_id, json, user_id);
}

DB_STMT(st_answers,
        "SELECT answers_json, DATE_FORMAT(answered_at,'%Y-%m-%d %H:%i') FROM csp_answers "
        "WHERE application_id=? ORDER BY id");
enum db_err
db_csp_answers(struct arena *a, long long application_id, struct csp_answers **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_answers, &res, "i", application_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		(*rows)[i].answers_json = db_cell(&res, i, 0);
		(*rows)[i].answered_at = db_cell(&res, i, 1);
	}
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_agreement,
        "INSERT INTO agreement_acceptances (application_id, tenant_id, version, language, "
        "text_sha256, signer_name, signer_email, user_id, ip) VALUES (?,?,?,?,?,?,?,?,?)");
enum db_err
db_agreement_add(struct arena *a, long long application_id, long long tenant_id,
                 const struct agreement_acceptance *acc, long long user_id)
{
	return db_exec(a, &st_agreement, NULL, "iisssssis", application_id, tenant_id, acc->version,
	               acc->language, acc->text_sha256, acc->signer_name, acc->signer_email,
	               user_id, acc->ip ? acc->ip : "");
}

DB_STMT(st_agreement_get,
        "SELECT version, language, text_sha256, signer_name, signer_email, ip, "
        "DATE_FORMAT(accepted_at,'%Y-%m-%d %H:%i UTC') FROM agreement_acceptances "
        "WHERE tenant_id=? AND (?=0 OR application_id=?) ORDER BY id DESC LIMIT 1");
enum db_err
db_agreement_get(struct arena *a, long long tenant_id, long long application_id,
                 struct agreement_acceptance *out, bool *found)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_agreement_get, &res, "iii", tenant_id, application_id,
	                         application_id);
	if (rc != DB_OK)
		return rc;
	*found = res.nrows > 0;
	if (*found) {
		const char **f[] = {&out->version,      &out->language,     &out->text_sha256,
		                    &out->signer_name,  &out->signer_email, &out->ip,
		                    &out->accepted_at};
		for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
			*f[i] = db_cell(&res, 0, i);
	}
	return DB_OK;
}

DB_STMT(st_cache_get,
        "SELECT found, body FROM lookup_cache WHERE service=? AND cache_key=? AND expires_at>NOW(3)");
enum db_err
db_cache_get(struct arena *a, const char *service, const unsigned char key[32], bool *hit,
             bool *found, const char **body)
{
	struct db_result res;
	*hit = *found = false;
	enum db_err rc = db_exec(a, &st_cache_get, &res, "sb", service, key, (size_t)32);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	*hit = true;
	*found = db_cell_ll(&res, 0, 0) != 0;
	*body = db_cell(&res, 0, 1);
	return DB_OK;
}

DB_STMT(st_cache_put,
        "REPLACE INTO lookup_cache (service, cache_key, found, body, expires_at) "
        "VALUES (?,?,?,?, NOW(3) + INTERVAL ? SECOND)");
enum db_err
db_cache_put(struct arena *a, const char *service, const unsigned char key[32], bool found,
             const char *body, long ttl_seconds)
{
	return db_exec(a, &st_cache_put, NULL, "sbisi", service, key, (size_t)32, (long long)found,
	               body ? body : "", (long long)ttl_seconds);
}
