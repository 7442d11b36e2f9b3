/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-config.h: SynServerConfig: what `synapse serve` runs with, from its config file (GKeyFile) and flags. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Read when it exists and --config names no other file. */
#define SYN_SERVER_CONFIG_DEFAULT_PATH "/etc/synapse/server.conf"
#define SYN_SERVER_CONFIG_GROUP        "server"
/* Seconds a graceful stop waits for the running executions to roll back. */
#define SYN_SERVER_DEFAULT_SHUTDOWN_TIMEOUT 30

typedef struct
{
  char     *path;               /* the file read; NULL: none */
  char     *listen;             /* NULL: 127.0.0.1 */
  int       port;
  char     *database;           /* SQLite path or PostgreSQL URI; NULL: $SYNAPSE_DB, else the default file */
  char     *password_file;      /* the database password, alone in a file */
  char     *tls_cert;
  char     *tls_key;
  int       max_body_mb;
  gboolean  quiet;
  int       shutdown_timeout;   /* seconds */
  int       run_lost_after;     /* PostgreSQL: seconds without heartbeat before a run is failed */
  int       run_retention_hours; /* PostgreSQL: hours a finished run's messages are kept */

  /*< private >*/
  GHashTable *lines;            /* key -> line in @path (GINT_TO_POINTER); absent: a flag's or the default */
} SynServerConfig;

SynServerConfig *syn_server_config_new              (void);
void             syn_server_config_free             (SynServerConfig  *self);
gboolean         syn_server_config_load             (SynServerConfig  *self,
                                                     const char       *path,
                                                     GPtrArray        *problems);
void             syn_server_config_set_by_flag      (SynServerConfig  *self,
                                                     const char       *key);
char            *syn_server_config_where            (SynServerConfig  *self,
                                                     const char       *key);
gboolean         syn_server_config_check            (SynServerConfig  *self,
                                                     gboolean          reach_database,
                                                     GPtrArray        *problems);
GTlsCertificate *syn_server_config_load_certificate (SynServerConfig  *self,
                                                     GError          **error);
char            *syn_server_config_read_password    (SynServerConfig  *self,
                                                     GError          **error);
char            *syn_server_config_database_uri     (SynServerConfig  *self,
                                                     GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynServerConfig, syn_server_config_free)

G_END_DECLS
