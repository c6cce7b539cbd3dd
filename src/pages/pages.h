/* Page handlers, one file per area. Each returns the HTTP status it set. */
#ifndef PD_PAGES_H
#define PD_PAGES_H
#include "app/app.h"

int page_home(struct req *r);
int page_healthz(struct req *r);
int page_signup_form(struct req *r);
int page_signup_post(struct req *r);
int page_verify_email(struct req *r);
int page_verify_resend(struct req *r);
int page_signin_form(struct req *r);
int page_signin_post(struct req *r);
int page_signout(struct req *r);
int page_dashboard(struct req *r);
int page_users(struct req *r);
int page_users_invite(struct req *r);
int page_user_role(struct req *r);
int page_set_password_form(struct req *r);
int page_set_password_post(struct req *r);
#endif
