/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-login-throttle.h: SynLoginThrottle: failed sign-ins wait longer and longer, per key (the server's). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Slows down repeated failed logins, per key (the server uses "IP" and
 * "IP username"). Main thread only. */
typedef struct _SynLoginThrottle SynLoginThrottle;

SynLoginThrottle *syn_login_throttle_new       (guint             free_failures);
void              syn_login_throttle_free      (SynLoginThrottle *self);
guint             syn_login_throttle_wait      (SynLoginThrottle *self,
                                                const char       *key,
                                                gint64            now_usec);
void              syn_login_throttle_failed    (SynLoginThrottle *self,
                                                const char       *key,
                                                gint64            now_usec);
void              syn_login_throttle_succeeded (SynLoginThrottle *self,
                                                const char       *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynLoginThrottle, syn_login_throttle_free)

G_END_DECLS
