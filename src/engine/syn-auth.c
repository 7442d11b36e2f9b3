/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-auth.c: password hashing and checking, random tokens and their digests, role ranks. */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "syn-auth.h"

#define TOKEN_BYTES          32
#define PASSWORD_BYTES       18

/* Fills @buf from the kernel's random source; never a weaker fallback. */
static gboolean
fill_random (guint8 *buf, gsize len, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot read random bytes: %s", g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* URL- and header-safe base64 without padding. */
static char *
base64url (const guint8 *data, gsize len)
{
  char *text = g_base64_encode (data, len);
  char *end;

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

/* yescrypt ("$y$") with libcrypt's default cost and a salt from the
 * kernel's random source (crypt_gensalt_ra with no random bytes asks it). */
char *
syn_auth_hash_password (const char *password, GError **error)
{
  g_autofree char *setting = NULL;
  g_autofree struct crypt_data *data = NULL;
  const char *hash;

  g_return_val_if_fail (password != NULL, NULL);

  errno = 0;
  setting = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (setting == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot make a password salt: %s", g_strerror (saved_errno));
      return NULL;
    }
  data = g_new0 (struct crypt_data, 1);
  hash = crypt_r (password, setting, data);
  if (hash == NULL || hash[0] == '*')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot hash the password");
      return NULL;
    }
  return g_strdup (hash);
}

/* Compares in constant time so the answer's timing tells nothing. */
gboolean
syn_auth_verify_password (const char *password, const char *hash)
{
  g_autofree struct crypt_data *data = NULL;
  const char *computed;
  gsize len;
  guint8 diff = 0;

  if (password == NULL || hash == NULL || hash[0] != '$')
    return FALSE;
  data = g_new0 (struct crypt_data, 1);
  computed = crypt_r (password, hash, data);
  if (computed == NULL || computed[0] == '*')
    return FALSE;
  len = strlen (hash);
  if (strlen (computed) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (computed[i] ^ hash[i]);
  return diff == 0;
}

char *
syn_auth_random_token (GError **error)
{
  guint8 bytes[TOKEN_BYTES];

  if (!fill_random (bytes, sizeof bytes, error))
    return NULL;
  return base64url (bytes, sizeof bytes);
}

char *
syn_auth_random_password (GError **error)
{
  guint8 bytes[PASSWORD_BYTES];

  if (!fill_random (bytes, sizeof bytes, error))
    return NULL;
  return base64url (bytes, sizeof bytes);
}

/* What the database keeps of a token: a copy of the table grants no session. */
char *
syn_auth_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* viewer < engineer < admin; 0 for anything else. */
int
syn_auth_role_rank (const char *role)
{
  if (g_strcmp0 (role, SYN_AUTH_ROLE_VIEWER) == 0)
    return 1;
  if (g_strcmp0 (role, SYN_AUTH_ROLE_ENGINEER) == 0)
    return 2;
  if (g_strcmp0 (role, SYN_AUTH_ROLE_ADMIN) == 0)
    return 3;
  return 0;
}
