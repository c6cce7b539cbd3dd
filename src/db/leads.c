#include "db/leads.h"

DB_STMT(st_lead_create,
        "INSERT INTO leads (tenant_id, profile_id, partner_account_id, status, customer_name, "
        "customer_email, customer_company, customer_country, customer_phone, message, lang) "
        "SELECT p.tenant_id, p.id, COALESCE(p.partner_account_id, (SELECT g.id FROM "
        "partner_accounts g WHERE g.live_pga_tenant=p.tenant_id)), 'received', ?, ?, ?, ?, ?, "
        "?, ? FROM profiles p WHERE p.id=? AND p.status='published'");
enum db_err
db_lead_create(struct arena *a, const struct lead_request *l, long long *id)
{
	struct db_result res;
	*id = 0;
	enum db_err rc = db_exec(a, &st_lead_create, &res, "sssssssi", l->name, l->email, l->company,
	                         l->country, l->phone, l->message, l->lang, l->profile_id);
	if (rc == DB_OK && res.affected == 1)
		*id = (long long)res.insert_id;
	return rc;
}
