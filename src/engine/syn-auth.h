/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-auth.h: passwords (yescrypt through libcrypt), session tokens (getrandom, stored as SHA-256), roles. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A session token lives a week; a login makes a new one. */
#define SYN_AUTH_TOKEN_LIFETIME_USEC  (G_GINT64_CONSTANT (7) * 24 * 3600 * G_USEC_PER_SEC)
#define SYN_AUTH_MIN_PASSWORD_LENGTH  8
#define SYN_AUTH_MAX_PASSWORD_LENGTH  1024

#define SYN_AUTH_ROLE_ADMIN    "admin"
#define SYN_AUTH_ROLE_ENGINEER "engineer"
#define SYN_AUTH_ROLE_VIEWER   "viewer"

char     *syn_auth_hash_password   (const char  *password,
                                    GError     **error);
gboolean  syn_auth_verify_password (const char  *password,
                                    const char  *hash);
char     *syn_auth_random_token    (GError     **error);
char     *syn_auth_random_password (GError     **error);
char     *syn_auth_token_hash      (const char  *token);
int       syn_auth_role_rank       (const char  *role);

G_END_DECLS
