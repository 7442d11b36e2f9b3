/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-login-throttle.c: SynLoginThrottle: failed sign-ins wait longer and longer, per key. */
#include "config.h"

#include "syn-login-throttle.h"

#define THROTTLE_FORGET_USEC (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)
#define THROTTLE_MAX_WAIT_S  300
#define THROTTLE_MAX_KEYS    10000

typedef struct
{
  guint  failures;
  gint64 last_failure;
  gint64 blocked_until;
} ThrottleEntry;

struct _SynLoginThrottle
{
  GHashTable *entries;   /* key -> ThrottleEntry */
  guint       free_failures;
};

SynLoginThrottle *
syn_login_throttle_new (guint free_failures)
{
  SynLoginThrottle *self = g_new0 (SynLoginThrottle, 1);

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->free_failures = MAX (free_failures, 1);
  return self;
}

void
syn_login_throttle_free (SynLoginThrottle *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_free (self);
}

static void
prune (SynLoginThrottle *self, gint64 now)
{
  GHashTableIter iter;
  ThrottleEntry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (now - entry->last_failure > THROTTLE_FORGET_USEC && now >= entry->blocked_until)
      g_hash_table_iter_remove (&iter);
}

/* 0 when @key may try now, otherwise the whole seconds left to wait. */
guint
syn_login_throttle_wait (SynLoginThrottle *self, const char *key, gint64 now_usec)
{
  ThrottleEntry *entry;

  g_return_val_if_fail (self != NULL, 0);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL || now_usec >= entry->blocked_until)
    return 0;
  return (guint) ((entry->blocked_until - now_usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* After the free failures, each further one doubles the wait: 1 s, 2 s,
 * 4 s... up to five minutes; a quiet quarter of an hour forgets them. */
void
syn_login_throttle_failed (SynLoginThrottle *self, const char *key, gint64 now_usec)
{
  ThrottleEntry *entry;

  g_return_if_fail (self != NULL);

  if (g_hash_table_size (self->entries) >= THROTTLE_MAX_KEYS)
    prune (self, now_usec);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    {
      entry = g_new0 (ThrottleEntry, 1);
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }
  else if (now_usec - entry->last_failure > THROTTLE_FORGET_USEC)
    entry->failures = 0;
  entry->failures++;
  entry->last_failure = now_usec;
  if (entry->failures >= self->free_failures)
    {
      guint shift = MIN (entry->failures - self->free_failures, 9);
      gint64 wait_s = MIN ((gint64) 1 << shift, THROTTLE_MAX_WAIT_S);

      entry->blocked_until = now_usec + wait_s * G_USEC_PER_SEC;
    }
}

void
syn_login_throttle_succeeded (SynLoginThrottle *self, const char *key)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove (self->entries, key);
}
