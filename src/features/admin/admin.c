/* admin.c — the administrator's user list, where roles are given and
 * taken (participant, organiser, admin). An admin cannot take away their
 * own admin role, so a site always keeps one.
 */
#include <string.h>

#include "admin.h"

static void admin_users(app_req *q);

static const char *const role_codes[] = { "participant", "organiser", "admin", NULL };
static const form_field role_fields[] = {
	{ "role", F_CHOICE, true, 20, role_codes, .label = "Role",
	  .message = "Choose one of the roles: participant, organiser or admin." },
};
/* A bad role shows the list again with the message. */
static const form_def role_form = FORM_DEF("role", role_fields, NULL, admin_users);

static void admin_users(app_req *q)
{
	user *users;
	size_t n;
	store_rc rc = store_user_list(q->app->db, q->a, &users, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; q->want_json && i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)users[i].id,
		                                   "name", users[i].name, "email", users[i].email,
		                                   "role", role_name(users[i].role)));
	if (q->want_json && !form_failed(q)) {
		app_json(q, 200, json_pack("{s:o}", "users", a));
		return;
	}
	for (size_t i = 0; !q->want_json && i < n; i++) {
		json_t *roles = json_array();
		for (int r = 0; r < 3; r++)
			json_array_append_new(roles, json_pack("{s:s,s:b}", "value", role_name((role)r),
			                                       "selected", users[i].role == (role)r));
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:o,s:b}", "id",
		                                   (json_int_t)users[i].id, "name", users[i].name,
		                                   "email", users[i].email, "role",
		                                   role_name(users[i].role), "roles", roles, "self",
		                                   users[i].id == q->me->id));
	}
	json_t *m = json_pack("{s:s,s:o}", "title", app_t(q, "Users and roles"), "users", a);
	if (form_failed(q))
		json_object_set_new(m, "error", json_string(form_str(q->form->errors, "role")));
	app_page(q, form_failed(q) ? 422 : 200, "admin_users", m);
}

static void admin_user_role(app_req *q)
{
	int64_t id = app_param_id(q, "id");
	role r = ROLE_PARTICIPANT;
	role_parse(form_text(q, "role"), &r);
	if (id == q->me->id && r != ROLE_ADMIN) {
		app_error(q, 409, "You cannot take away your own admin role. Ask another admin.");
		return;
	}
	store_rc rc = id ? store_user_set_role(q->app->db, id, r) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	app_redirect(q, "/admin/users", "admin_role");
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/admin/users", admin_users, ROLE_ADMIN, false, 0 },
	{ HTTP_POST, "/admin/users/{id}/role", admin_user_role, ROLE_ADMIN, false, R_CSRF, &role_form },
};

/* What happened, said on the list of users. */
static const app_flash flashes[] = {
	{ "admin_role", "The role is changed: it counts from the person's next page." },
};

const app_feature admin_feature = {
	.name = "admin",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
};
