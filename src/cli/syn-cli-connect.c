/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-connect.c: --connect URL: signing in (--user, SYNAPSE_PASSWORD or stdin), saved tokens, passwords. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "backend/syn-remote-backend.h"
#include "syn-cli-private.h"

#define TOKENS_FILE "tokens.json"

/* ~/.config/synapse/tokens.json: {URL: {"token", "username"}}, mode 0600. */
static char *
tokens_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "synapse", TOKENS_FILE, NULL);
}

static JsonObject *
load_tokens (void)
{
  g_autofree char *path = tokens_path ();
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonObject *tokens;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return json_object_new ();
  /* a damaged file is as good as none: the next sign-in rewrites it */
  tokens = syn_json_parse_object (contents, (gssize) length, NULL);
  return tokens ? tokens : json_object_new ();
}

static gboolean
save_token (const char *url, const char *username, const char *token, GError **error)
{
  g_autoptr(JsonObject) tokens = load_tokens ();
  g_autofree char *path = tokens_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "token", token);
  json_object_set_string_member (entry, "username", username);
  json_object_set_object_member (tokens, url, entry);
  text = syn_json_object_to_string (tokens);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * _syn_cli_read_password:
 * @prompt: shown when stdin is a terminal (which then does not echo)
 *
 * One line of stdin, without its line end. Successive calls read
 * successive lines, so a script can give two passwords.
 */
char *
_syn_cli_read_password (const char *prompt, GError **error)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char *line = NULL;
  size_t size = 0;
  ssize_t n;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }
  n = getline (&line, &size, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  if (n < 0)
    {
      free (line);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "No password on standard input");
      return NULL;
    }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  {
    char *password = g_strdup (line);

    explicit_bzero (line, size);
    free (line);
    if (*password == '\0')
      {
        g_free (password);
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "The password is empty");
        return NULL;
      }
    return password;
  }
}

/**
 * _syn_cli_connect:
 *
 * A SynRemoteBackend for --connect URL, signed in: with --user NAME (the
 * password from $SYNAPSE_PASSWORD, else stdin; the token is then saved),
 * else with $SYNAPSE_TOKEN or the token saved for URL.
 */
SynBackend *
_syn_cli_connect (SynCliCommon *common, GError **error)
{
  g_autoptr(SynRemoteBackend) remote = syn_remote_backend_new (common->connect, error);
  const char *url;

  if (remote == NULL)
    return NULL;
  if (common->ca_file != NULL && !syn_remote_backend_set_ca_file (remote, common->ca_file, error))
    return NULL;
  url = syn_remote_backend_get_url (remote);

  if (common->user != NULL)
    {
      g_autofree char *password = NULL;
      g_autoptr(GError) save_error = NULL;
      gboolean signed_in;

      if (g_getenv ("SYNAPSE_PASSWORD") != NULL)
        password = g_strdup (g_getenv ("SYNAPSE_PASSWORD"));
      else
        {
          g_autofree char *prompt = g_strdup_printf ("Password for %s at %s: ", common->user, url);

          if (!(password = _syn_cli_read_password (prompt, error)))
            return NULL;
        }
      signed_in = syn_remote_backend_login (remote, common->user, password, NULL, error);
      explicit_bzero (password, strlen (password));
      if (!signed_in)
        return NULL;
      /* not fatal: this command goes on, the next one signs in again */
      if (!save_token (url, common->user, syn_remote_backend_get_token (remote), &save_error))
        g_printerr ("synapse: warning: the session token is not saved: %s\n", save_error->message);
      return SYN_BACKEND (g_steal_pointer (&remote));
    }

  if (g_getenv ("SYNAPSE_TOKEN") != NULL)
    syn_remote_backend_set_token (remote, g_getenv ("SYNAPSE_TOKEN"));
  else
    {
      g_autoptr(JsonObject) tokens = load_tokens ();
      JsonNode *node = json_object_get_member (tokens, url);
      JsonObject *entry = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (entry == NULL || syn_json_get_string (entry, "token") == NULL)
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED,
                       "Not signed in to %s: add --user NAME (password from stdin or SYNAPSE_PASSWORD)", url);
          return NULL;
        }
      syn_remote_backend_set_token (remote, syn_json_get_string (entry, "token"));
    }
  return SYN_BACKEND (g_steal_pointer (&remote));
}
