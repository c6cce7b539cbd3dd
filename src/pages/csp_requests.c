/* The partner's answers to staff requests (DOMAIN §3.7): a document (a PDF
 * whose structure is checked and that holds no script or embedded file, or a
 * PNG or JPEG decoded and stored encoded again; scanned by clamd when
 * [uploads] clamd_socket is set; stored outside the web root under a random name)
 * or the questionnaire; either sends the application back to review. And
 * the download of a document sent, for its tenant only. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/clamd.h"
#include "content/image.h"
#include "content/pdf.h"
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

/* Writes the n bytes at buf to the documents directory (outside the web
 * root) under storage_name; fills sha_hex. 0, or -1 (nothing left behind). */
static int
store_document(struct req *r, const unsigned char *buf, size_t n, const char *storage_name,
               char sha_hex[65])
{
	const char *dir = arena_printf(r->a, "%s/documents", app.state_dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	const char *dst = arena_printf(r->a, "%s/%s", dir, storage_name);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0)
		return -1;
	unsigned char sha[32];
	crypto_hash_sha256(sha, buf, n);
	sodium_bin2hex(sha_hex, 65, sha, sizeof(sha));
	int rc = 0;
	for (size_t off = 0; rc == 0 && off < n;) {
		ssize_t w = write(out, buf + off, n - off);
		if (w <= 0 && errno != EINTR)
			rc = -1;
		else if (w > 0)
			off += (size_t)w;
	}
	if (fsync(out) != 0)
		rc = -1;
	if (close(out) != 0)
		rc = -1;
	if (rc != 0)
		unlink(dst);
	return rc;
}

/* The upload checked by content: *type, and in *out and *outlen the bytes to
 * store (the upload itself for a PDF, the image encoded again for PNG and
 * JPEG, copied into the arena). NULL, or the message for the field. */
static const char *
check_upload(struct req *r, const unsigned char *in, size_t n, const char **type,
             const unsigned char **out, size_t *outlen)
{
	*type = csp_document_sniff(in, n);
	*out = in;
	*outlen = n;
	if (*type == NULL)
		return N_("Send a PDF, PNG or JPEG file.");
	if (strcmp(*type, "application/pdf") == 0) {
		const char *why;
		enum pdf_verdict v = pdf_check(in, n, &why);
		if (v != PDF_OK)
			log_info("upload refused: PDF %s (%s)", pdf_verdict_code(v), why);
		switch (v) {
		case PDF_OK: return NULL;
		case PDF_ACTIVE:
			return N_("This PDF file contains scripts, embedded files or actions: send a plain PDF (print it to PDF).");
		case PDF_ENCRYPTED: return N_("This PDF file is encrypted: send a copy without a password.");
		case PDF_UNSUPPORTED:
			return N_("This PDF file cannot be checked: save it again as a plain PDF and send that.");
		default: return N_("This PDF file is damaged or incomplete.");
		}
	}
	unsigned char *img = NULL;
	size_t len = 0;
	enum image_verdict v = strcmp(*type, "image/png") == 0 ? image_png_reencode(in, n, &img, &len)
	                                                      : image_jpeg_reencode(in, n, &img, &len);
	if (v != IMAGE_OK) {
		log_info("upload refused: %s %s", *type, image_verdict_code(v));
		return v == IMAGE_TOO_LARGE
		           ? N_("This image is too large: at most 40 megapixels and 15,000 pixels a side.")
		           : N_("This image is damaged or incomplete.");
	}
	unsigned char *copy = arena_alloc(r->a, len ? len : 1);
	memcpy(copy, img, len);
	free(img);
	*out = copy;
	*outlen = len;
	return NULL;
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
	const char *type = NULL, *refused = NULL;
	const unsigned char *in = NULL, *bytes = NULL;
	size_t nbytes = 0;
	if (file == NULL || file->path == NULL || file->size == 0)
		form_error(&f, "document_type", N_("Choose the file to send."));
	else if ((in = upload_read(r, file)) == NULL) {
		log_err("cannot read an uploaded document: %s", strerror(errno));
		return page_error(r, 503);
	} else if ((refused = check_upload(r, in, file->size, &type, &bytes, &nbytes)) != NULL)
		form_error(&f, "document_type", refused);
	const char *clamd = config_get(app.cfg, "uploads.clamd_socket", NULL);
	if (!f.nerrors && clamd && *clamd) {
		char sig[128];
		int ms = (int)config_get_long(app.cfg, "uploads.clamd_timeout_ms", CLAMD_TIMEOUT_MS, 100,
		                              600000);
		enum clamd_verdict cv = clamd_scan(clamd, in, file->size, ms, sig, sizeof(sig));
		if (cv == CLAMD_UNAVAILABLE) {
			log_err("clamd at %s did not answer: upload refused", clamd);
			return page_error(r, 503);
		}
		if (cv == CLAMD_INFECTED) {
			log_info("upload refused: clamd found %s", sig);
			form_error(&f, "document_type", N_("This file contains malware."));
		}
	}
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
	if (store_document(r, bytes, nbytes, name, sha) != 0) {
		log_err("cannot store an uploaded document: %s", strerror(errno));
		return page_error(r, 503);
	}
	struct csp_document d = {.application_id = w.app.id, .size = (long long)nbytes,
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
