/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-config.c: SynServerConfig: the [server] group of a config file, flags over it, every problem by key and line. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "store/syn-pg-store.h"
#include "store/syn-store.h"
#include "syn-server-config.h"
#include "syn-run-relay.h"
#include "syn-server.h"

typedef enum
{
  KEY_STRING,
  KEY_PATH,       /* relative to the config file's folder */
  KEY_DATABASE,   /* a path as KEY_PATH, or a PostgreSQL URI as it is */
  KEY_INT,
  KEY_BOOL,
} KeyType;

typedef struct
{
  const char *name;
  KeyType     type;
  gsize       offset;
  int         min;
  int         max;
} KeySpec;

static const KeySpec keys[] = {
  { "listen", KEY_STRING, G_STRUCT_OFFSET (SynServerConfig, listen), 0, 0 },
  { "port", KEY_INT, G_STRUCT_OFFSET (SynServerConfig, port), 0, 65535 },
  { "database", KEY_DATABASE, G_STRUCT_OFFSET (SynServerConfig, database), 0, 0 },
  { "password-file", KEY_PATH, G_STRUCT_OFFSET (SynServerConfig, password_file), 0, 0 },
  { "tls-cert", KEY_PATH, G_STRUCT_OFFSET (SynServerConfig, tls_cert), 0, 0 },
  { "tls-key", KEY_PATH, G_STRUCT_OFFSET (SynServerConfig, tls_key), 0, 0 },
  { "max-body-mb", KEY_INT, G_STRUCT_OFFSET (SynServerConfig, max_body_mb), 1, 4096 },
  { "quiet", KEY_BOOL, G_STRUCT_OFFSET (SynServerConfig, quiet), 0, 0 },
  { "shutdown-timeout", KEY_INT, G_STRUCT_OFFSET (SynServerConfig, shutdown_timeout), 1, 3600 },
  { "run-lost-after", KEY_INT, G_STRUCT_OFFSET (SynServerConfig, run_lost_after), 2, 86400 },
  { "run-retention-hours", KEY_INT, G_STRUCT_OFFSET (SynServerConfig, run_retention_hours), 0, 8760 },
};

#define FIELD(self, spec, type) ((type *) G_STRUCT_MEMBER_P ((self), (spec)->offset))

static const KeySpec *
find_key (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_strcmp0 (keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

SynServerConfig *
syn_server_config_new (void)
{
  SynServerConfig *self = g_new0 (SynServerConfig, 1);

  self->port = SYN_SERVER_DEFAULT_PORT;
  self->max_body_mb = (int) (SYN_SERVER_DEFAULT_MAX_BODY / (1024 * 1024));
  self->shutdown_timeout = SYN_SERVER_DEFAULT_SHUTDOWN_TIMEOUT;
  self->run_lost_after = SYN_RUN_RELAY_DEFAULT_LOST_AFTER;
  self->run_retention_hours = SYN_RUN_RELAY_DEFAULT_RETENTION / 3600;
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
syn_server_config_free (SynServerConfig *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].type == KEY_STRING || keys[i].type == KEY_PATH || keys[i].type == KEY_DATABASE)
      g_free (*FIELD (self, &keys[i], char *));
  g_free (self->path);
  g_hash_table_unref (self->lines);
  g_free (self);
}

static void
add_problem (GPtrArray *problems, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray *problems, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* "FILE:LINE: key" for a key the file set, "--key" for a flag's. */
char *
syn_server_config_where (SynServerConfig *self, const char *key)
{
  gpointer line;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->path != NULL && g_hash_table_lookup_extended (self->lines, key, NULL, &line))
    return g_strdup_printf ("%s:%d: %s", self->path, GPOINTER_TO_INT (line), key);
  /* the one flag named otherwise: --db, as for every command */
  return g_strdup_printf ("--%s", g_strcmp0 (key, "database") == 0 ? "db" : key);
}

/* The value now comes from the command line, not the file. */
void
syn_server_config_set_by_flag (SynServerConfig *self, const char *key)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (find_key (key) != NULL);

  g_hash_table_remove (self->lines, key);
}

/* GKeyFile says what is wrong but not where: the lines are read here
 * first, each key's line kept, each line GKeyFile would refuse reported. */
static void
scan_lines (SynServerConfig *self, const char *contents, GPtrArray *problems)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *group = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      const char *eq;
      int number = (int) i + 1;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          const char *end = strchr (line, ']');

          g_free (group);
          group = end ? g_strndup (line + 1, (gsize) (end - line - 1)) : g_strdup (line + 1);
          if (end == NULL || end[1] != '\0')
            add_problem (problems, "%s:%d: \"%s\" is not a group header ([server])", self->path, number, line);
          else if (g_strcmp0 (group, SYN_SERVER_CONFIG_GROUP) != 0)
            add_problem (problems, "%s:%d: unknown group [%s] (the settings go in [%s])",
                         self->path, number, group, SYN_SERVER_CONFIG_GROUP);
          continue;
        }
      if ((eq = strchr (line, '=')) == NULL)
        {
          add_problem (problems, "%s:%d: \"%s\" is not a key = value line", self->path, number, line);
          continue;
        }
      if (group == NULL)
        {
          add_problem (problems, "%s:%d: a setting before the [%s] line", self->path, number, SYN_SERVER_CONFIG_GROUP);
          continue;
        }
      if (g_strcmp0 (group, SYN_SERVER_CONFIG_GROUP) == 0)
        {
          g_autofree char *key = g_strstrip (g_strndup (line, (gsize) (eq - line)));

          g_hash_table_insert (self->lines, g_steal_pointer (&key), GINT_TO_POINTER (number));
        }
    }
}

static char *
resolve_path (SynServerConfig *self, const char *value)
{
  g_autofree char *dir = NULL;

  if (g_path_is_absolute (value))
    return g_strdup (value);
  dir = g_path_get_dirname (self->path);
  return g_build_filename (dir, value, NULL);
}

static void
read_key (SynServerConfig *self, GKeyFile *file, const KeySpec *spec, GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *where = syn_server_config_where (self, spec->name);

  switch (spec->type)
    {
    case KEY_INT:
      {
        int value = g_key_file_get_integer (file, SYN_SERVER_CONFIG_GROUP, spec->name, &error);

        if (error != NULL)
          add_problem (problems, "%s: not a whole number", where);
        else
          *FIELD (self, spec, int) = value;
      }
      break;
    case KEY_BOOL:
      {
        gboolean value = g_key_file_get_boolean (file, SYN_SERVER_CONFIG_GROUP, spec->name, &error);

        if (error != NULL)
          add_problem (problems, "%s: not true or false", where);
        else
          *FIELD (self, spec, gboolean) = value;
      }
      break;
    case KEY_STRING:
    case KEY_PATH:
    case KEY_DATABASE:
      {
        g_autofree char *value = g_key_file_get_string (file, SYN_SERVER_CONFIG_GROUP, spec->name, &error);
        char **field = FIELD (self, spec, char *);

        if (error != NULL)
          add_problem (problems, "%s: %s", where, error->message);
        else if (*value == '\0')
          add_problem (problems, "%s: empty (leave the key out for the default)", where);
        else
          {
            g_free (*field);
            if (spec->type == KEY_PATH || (spec->type == KEY_DATABASE && !syn_pg_store_is_uri (value)))
              *field = resolve_path (self, value);
            else
              *field = g_steal_pointer (&value);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * syn_server_config_load:
 * @path: a config file: a [server] group of key = value lines
 * @problems: (element-type utf8): where each problem found is added, as
 *   "FILE:LINE: key: what is wrong"
 *
 * Reads @path over what @self holds. Relative paths in it are relative to
 * its folder.
 *
 * Returns: %TRUE when the file had no problem
 */
gboolean
syn_server_config_load (SynServerConfig *self, const char *path, GPtrArray *problems)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  guint before = problems->len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  g_free (self->path);
  self->path = g_strdup (path);
  g_hash_table_remove_all (self->lines);
  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      add_problem (problems, "%s: cannot read the config file: %s", path, error->message);
      return FALSE;
    }
  scan_lines (self, contents, problems);
  if (!g_key_file_load_from_data (file, contents, (gsize) -1, G_KEY_FILE_NONE, &error))
    {
      /* what the scan did not already say */
      if (problems->len == before)
        add_problem (problems, "%s: %s", path, error->message);
      return FALSE;
    }
  names = g_key_file_get_keys (file, SYN_SERVER_CONFIG_GROUP, NULL, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      const KeySpec *spec = find_key (names[i]);

      if (spec == NULL)
        {
          g_autofree char *where = syn_server_config_where (self, names[i]);
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
            g_string_append_printf (known, "%s%s", k ? ", " : "", keys[k].name);
          add_problem (problems, "%s: unknown key (known: %s)", where, known->str);
          continue;
        }
      read_key (self, file, spec, problems);
    }
  return problems->len == before;
}

/* ------------------------------------------------------------------------- */
/* Secrets and the database                                                  */

/**
 * syn_server_config_read_password:
 *
 * The database password: the file $SYNAPSE_DB_PASSWORD_FILE names, else
 * $SYNAPSE_DB_PASSWORD, else the file password-file names (the environment
 * wins over the config file, as flags do). A file holds the password
 * alone; one trailing line break is not part of it.
 *
 * Returns: (transfer full) (nullable): the password; %NULL with no error
 *   when none is given
 */
char *
syn_server_config_read_password (SynServerConfig *self, GError **error)
{
  const char *file = g_getenv ("SYNAPSE_DB_PASSWORD_FILE");
  const char *value = g_getenv ("SYNAPSE_DB_PASSWORD");
  g_autofree char *where = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (file != NULL && *file != '\0')
    where = g_strdup ("SYNAPSE_DB_PASSWORD_FILE");
  else if (value != NULL && *value != '\0')
    return g_strdup (value);
  else if ((file = self->password_file) != NULL)
    where = syn_server_config_where (self, "password-file");
  else
    return NULL;

  if (!g_file_get_contents (file, &contents, &len, error))
    {
      g_prefix_error (error, "%s: cannot read the database password: ", where);
      return NULL;
    }
  if (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  if (len > 0 && contents[len - 1] == '\r')
    contents[--len] = '\0';
  if (len == 0 || strlen (contents) != len)
    {
      explicit_bzero (contents, len);
      g_free (contents);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s holds no password (one line, no NUL byte)", where, file);
      return NULL;
    }
  return contents;
}

/**
 * syn_server_config_database_uri:
 *
 * The database to serve: database= (or --db), else $SYNAPSE_DB, else the
 * default file; with the password of syn_server_config_read_password() in
 * it for PostgreSQL.
 *
 * Returns: (transfer full): the URI or path, or %NULL with @error set
 */
char *
syn_server_config_database_uri (SynServerConfig *self, GError **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) local = NULL;
  char *with;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->database != NULL)
    uri = g_strdup (self->database);
  else if (g_getenv ("SYNAPSE_DB") != NULL)
    uri = g_strdup (g_getenv ("SYNAPSE_DB"));
  else
    uri = syn_store_default_path ();
  if (!syn_pg_store_is_uri (uri))
    {
      /* read anyway, so a bad password file is reported */
      password = syn_server_config_read_password (self, &local);
      if (local == NULL && password == NULL)
        return g_steal_pointer (&uri);
      if (local == NULL)
        {
          g_autofree char *where = syn_server_config_where (self, "database");

          explicit_bzero (password, strlen (password));
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: a database password was given, but %s is a SQLite file (passwords are for PostgreSQL)",
                       where, uri);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (!(password = syn_server_config_read_password (self, &local)))
    {
      if (local == NULL)
        return g_steal_pointer (&uri);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  with = syn_pg_uri_with_option (uri, "password", password, error);
  explicit_bzero (password, strlen (password));
  return with;
}

/* Whether the database answers: a connection for PostgreSQL; for SQLite a
 * file that can be written, or a folder where it can be made. */
static gboolean
reach_database (const char *uri, GError **error)
{
  if (syn_pg_store_is_uri (uri))
    {
      PGconn *conn = PQconnectdb (uri);
      gboolean ok = PQstatus (conn) == CONNECTION_OK;

      if (!ok)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "cannot connect: %s",
                     g_strchomp (PQerrorMessage (conn)));
      PQfinish (conn);
      return ok;
    }
  if (g_file_test (uri, G_FILE_TEST_EXISTS))
    {
      if (g_access (uri, R_OK | W_OK) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", uri, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  {
    g_autofree char *dir = g_path_get_dirname (uri);

    if (g_access (dir, W_OK) != 0)
      {
        int saved = errno;

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "%s does not exist and cannot be made in %s: %s", uri, dir, g_strerror (saved));
        return FALSE;
      }
  }
  return TRUE;
}

/**
 * syn_server_config_load_certificate:
 *
 * Returns: (transfer full) (nullable): the certificate of tls-cert and
 *   tls-key, or %NULL when neither is given (no error) or on error
 */
GTlsCertificate *
syn_server_config_load_certificate (SynServerConfig *self, GError **error)
{
  GTlsCertificate *certificate;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->tls_cert == NULL && self->tls_key == NULL)
    return NULL;
  if ((self->tls_cert == NULL) != (self->tls_key == NULL))
    {
      g_autofree char *where = syn_server_config_where (self, self->tls_cert ? "tls-cert" : "tls-key");

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: give tls-cert and tls-key together", where);
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "tls-cert" : "tls-key";
      const char *file = i == 0 ? self->tls_cert : self->tls_key;

      if (g_access (file, R_OK) != 0)
        {
          int saved = errno;
          g_autofree char *where = syn_server_config_where (self, key);

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: cannot read %s: %s",
                       where, file, g_strerror (saved));
          return NULL;
        }
    }
  certificate = g_tls_certificate_new_from_files (self->tls_cert, self->tls_key, error);
  if (certificate == NULL)
    {
      g_autofree char *where = syn_server_config_where (self, "tls-cert");

      g_prefix_error (error, "%s: %s with %s: ", where, self->tls_cert, self->tls_key);
    }
  return certificate;
}

/**
 * syn_server_config_check:
 * @reach_database: also connect to the database (or check its file)
 * @problems: (element-type utf8): where each problem is added
 *
 * Every value in range, the address an IP address, the certificate and
 * key readable and a pair, the password readable.
 *
 * Returns: %TRUE when nothing was found wrong
 */
gboolean
syn_server_config_check (SynServerConfig *self, gboolean reach_database_too, GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *uri = NULL;
  guint before;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  before = problems->len;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].type == KEY_INT)
      {
        int value = *FIELD (self, &keys[i], int);

        if (value < keys[i].min || value > keys[i].max)
          {
            g_autofree char *where = syn_server_config_where (self, keys[i].name);

            add_problem (problems, "%s: %d is not between %d and %d", where, value, keys[i].min, keys[i].max);
          }
      }
  if (self->listen != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->listen);

      if (inet == NULL)
        {
          g_autofree char *where = syn_server_config_where (self, "listen");

          add_problem (problems, "%s: \"%s\" is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::)", where, self->listen);
        }
    }
  if (!(certificate = syn_server_config_load_certificate (self, &error)) && error != NULL)
    add_problem (problems, "%s", error->message);
  g_clear_error (&error);
  if (!(uri = syn_server_config_database_uri (self, &error)))
    add_problem (problems, "%s", error->message);
  else if (reach_database_too && !reach_database (uri, &error))
    {
      g_autofree char *where = syn_server_config_where (self, "database");

      add_problem (problems, "%s: %s", where, error->message);
    }
  if (uri != NULL)
    explicit_bzero (uri, strlen (uri));
  return problems->len == before;
}
