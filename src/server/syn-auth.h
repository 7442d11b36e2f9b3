/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-auth.h: passwords (yescrypt through libcrypt), session tokens (getrandom, stored as SHA-256), login throttling. */
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

/* Slows down repeated failed logins, per key (the server uses "IP" and
 * "IP username"). Main thread only. */
typedef struct _SynAuthThrottle SynAuthThrottle;

SynAuthThrottle *syn_auth_throttle_new       (guint            free_failures);
void             syn_auth_throttle_free      (SynAuthThrottle *self);
guint            syn_auth_throttle_wait      (SynAuthThrottle *self,
                                              const char      *key,
                                              gint64           now_usec);
void             syn_auth_throttle_failed    (SynAuthThrottle *self,
                                              const char      *key,
                                              gint64           now_usec);
void             syn_auth_throttle_succeeded (SynAuthThrottle *self,
                                              const char      *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynAuthThrottle, syn_auth_throttle_free)

G_END_DECLS
