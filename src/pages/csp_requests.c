/* The partner's answers to staff requests (DOMAIN §3.7): a document (PDF,
 * PNG or JPEG by content, stored outside the web root under a random name)
 * or the questionnaire; either sends the application back to review. And
 * the download of a document sent, for its tenant only. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "pages/pages.h"

static const struct form_field document_fields[] = {
    {"document_type", FT_ENUM, true, 1, 30, csp_document_type_codes},
};
static const struct form_field questionnaire_fields[] = {
    {"answer_1", FT_MULTILINE, true, 2, 2000, NULL},
    {"answer_2", FT_MULTILINE, true, 1, 2000, NULL},
    {"answer_3", FT_MULTILINE, true, 2, 2000, NULL},
};

/* The application when it waits for this answer, or the status of the page
 * answered (409 otherwise). *t receives the transition the answer makes. */
static int
answerable(struct req *r, struct csp_wizard *w, enum csp_action action,
           const struct csp_transition **t)
{
	int rc = csp_wizard_load(r, w);
	if (rc)
		return rc;
	*t = csp_next(w->app.status, action, w->app.request_kind);
	if (*t == NULL)
		return csp_wizard_render(r, 409, w, csp_wizard_step(r, &w->app), NULL, NULL);
	return 0;
}

/* Copies the upload to the documents directory (outside the web root) under
 * storage_name; fills sha_hex. 0, or -1 (nothing left behind). */
static int
store_document(struct req *r, const char *src, const char *storage_name, char sha_hex[65])
{
	const char *dir = arena_printf(r->a, "%s/documents", app.state_dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	const char *dst = arena_printf(r->a, "%s/%s", dir, storage_name);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = in >= 0 && out >= 0 ? 0 : -1;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	char buf[65536];
	ssize_t n;
	while (rc == 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, (unsigned char *)buf, (size_t)n);
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && (fsync(out) != 0 || close(out) != 0))
		rc = -1;
	unsigned char sha[32];
	crypto_hash_sha256_final(&st, sha);
	sodium_bin2hex(sha_hex, 65, sha, sizeof(sha));
	if (rc != 0)
		unlink(dst);
	return rc;
}

/* The media type of an uploaded file by its first bytes, or NULL. */
static const char *
sniff_upload(const struct http_field *file)
{
	unsigned char head[8] = {0};
	int fd = open(file->path, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
	if (fd >= 0)
		close(fd);
	return got > 0 ? csp_document_sniff(head, (size_t)got) : NULL;
}

/* The client's file name, for display only, reduced to safe characters. */
static const char *
shown_filename(struct req *r, const char *name)
{
	char shown[101];
	size_t k = 0;
	for (const char *p = name ? name : ""; *p && k < sizeof(shown) - 1; p++)
		shown[k++] = (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20) ? '_' : *p;
	shown[k] = '\0';
	return k ? arena_strdup(r->a, shown) : "document";
}

int
page_csp_document(struct req *r)
{
	struct csp_wizard w;
	const struct csp_transition *t;
	int rc = answerable(r, &w, CSP_SEND_DOCUMENT, &t);
	if (rc)
		return rc;
	struct form f;
	form_read(r, document_fields, NFIELDS(document_fields), &f);
	const struct http_field *file = http_fields_get(&r->form, "document");
	const char *type = NULL;
	if (file == NULL || file->path == NULL || file->size == 0)
		form_error(&f, "document_type", N_("Choose the file to send."));
	else if ((type = sniff_upload(file)) == NULL)
		form_error(&f, "document_type", N_("Send a PDF, PNG or JPEG file."));
	if (f.nerrors) {
		struct tvars *v = csp_wizard_begin(r, &w, csp_wizard_step(r, &w.app), &f);
		tv_set(v, "err_document", tv_get(v, "err_document_type"));
		return csp_wizard_page(r, 422, v);
	}
	unsigned char rnd[16];
	char name[40];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(name, 33, rnd, sizeof(rnd));
	char sha[65];
	if (store_document(r, file->path, name, sha) != 0) {
		log_err("cannot store an uploaded document: %s", strerror(errno));
		return page_error(r, 503);
	}
	struct csp_document d = {.application_id = w.app.id, .size = (long long)file->size,
	                         .document_type = csp_document_type_parse(form_get(&f, "document_type")),
	                         .filename = shown_filename(r, file->filename),
	                         .content_type = type, .sha256 = sha, .storage_name = name};
	long long doc_id = 0;
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_document_add(r->a, &d, r->user->id, &doc_id);
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, t, NULL, &changed);
	if (de == DB_OK && !changed)
		de = DB_DUPLICATE; /* answered meanwhile: keep nothing */
	if (de == DB_OK)
		de = audit_record(r, "csp.document", csp_object(r, w.app.id), NULL,
		                  json_pack("{s:I, s:s, s:s, s:I, s:s}", "document_id", doc_id, "type",
		                            csp_document_type_code(d.document_type), "content_type", type,
		                            "size", (json_int_t)d.size, "sha256", sha));
	de = db_finish(de);
	if (de != DB_OK)
		unlink(arena_printf(r->a, "%s/documents/%s", app.state_dir, name));
	if (de == DB_DUPLICATE)
		return resp_redirect(r, "/csp/enroll");
	if (de != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll?sent=1");
}

int
page_csp_questionnaire(struct req *r)
{
	struct csp_wizard w;
	const struct csp_transition *t;
	int rc = answerable(r, &w, CSP_ANSWER_QUESTIONNAIRE, &t);
	if (rc)
		return rc;
	struct form f;
	form_read(r, questionnaire_fields, NFIELDS(questionnaire_fields), &f);
	if (f.nerrors)
		return csp_wizard_render(r, 422, &w, csp_wizard_step(r, &w.app), &f, NULL);
	json_t *answers = json_array();
	for (size_t i = 0; i < NFIELDS(questionnaire_fields); i++)
		json_array_append_new(answers, json_string(f.values[i]));
	char *json = json_dumps(answers, JSON_COMPACT);
	json_decref(answers);
	bool changed = false;
	enum db_err de = json ? db_begin() : DB_ERROR;
	if (de == DB_OK)
		de = db_csp_answers_add(r->a, w.app.id, json, r->user->id);
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, t, NULL, &changed);
	if (de == DB_OK && !changed)
		de = DB_DUPLICATE;
	if (de == DB_OK)
		de = audit_record(r, "csp.questionnaire", csp_object(r, w.app.id), NULL,
		                  json_pack("{s:s}", "status", csp_status_code(t->to)));
	free(json);
	de = db_finish(de);
	if (de == DB_DUPLICATE)
		return resp_redirect(r, "/csp/enroll");
	if (de != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll?sent=1");
}

int
page_csp_document_download(struct req *r)
{
	long long id = path_id(r->params[0]);
	bool found = false;
	struct csp_app c;
	if (id == 0)
		return page_error(r, 404);
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return page_error(r, 503);
	struct csp_document d;
	if (found && db_csp_document_get(r->a, c.id, id, &d, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	return csp_send_document(r, &d);
}
