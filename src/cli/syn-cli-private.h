/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-private.h: what the subcommand files share: options, the backend, output. */
#pragma once

#include "backend/syn-backend.h"
#include "core/syn-core.h"
#include "syn-cli.h"

G_BEGIN_DECLS

/* "1 event", "2 events": a new string with @n in the plural form ngettext
 * picks (xgettext knows SYN_CLI_COUNT as a keyword, po/meson.build). */
#define SYN_CLI_COUNT(n, singular, plural) \
  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, singular, plural, (gulong) MAX ((n), 0)), (int) (n))

/* Options every subcommand accepts. */
typedef struct
{
  char     *db;
  char     *connect;
  char     *user;
  char     *ca_file;   /* --ca-file: the server's certificate, trusted */
  gboolean  json;
  /* set by a command that may make the database (project create, demo...);
   * every other command refuses a missing one and creates nothing */
  gboolean  creates;
} SynCliCommon;

typedef int (*SynCliCommand) (int argc, char **argv);

typedef struct
{
  const char    *name;
  const char    *summary;
  SynCliCommand  run;
} SynCliEntry;

/* Parses @entries plus the common options; prints usage on a bad option. */
gboolean    _syn_cli_parse        (int            *argc,
                                   char         ***argv,
                                   const char     *usage,
                                   const char     *summary,
                                   GOptionEntry   *entries,
                                   SynCliCommon   *common,
                                   GError        **error);
SynBackend *_syn_cli_backend      (SynCliCommon   *common,
                                   GError        **error);
JsonNode   *_syn_cli_call         (SynBackend     *backend,
                                   const char     *op,
                                   JsonObject     *params,
                                   GError        **error);
int         _syn_cli_fail         (GError         *error);
int         _syn_cli_usage_error  (const char     *message);
void        _syn_cli_print_json   (JsonNode       *node);
void        _syn_cli_common_clear (SynCliCommon   *common);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynCliCommon, _syn_cli_common_clear)
char       *_syn_cli_short_id     (const char     *uuid);
char       *_syn_cli_local_time   (const char     *iso);

/* Shared lookups: --project (id or name) to an id, a tag to its asset. */
char       *_syn_cli_resolve_project (SynBackend *backend, const char *project, GError **error);
JsonObject *_syn_cli_resolve_asset   (SynBackend *backend, const char *project_id, const char *tag,
                                      GError **error);
/* The prelude of a command on one project, once its options are checked:
 * the backend (--db or --connect) and the id of @project (--project, an
 * id or a name) in *@project_id. */
SynBackend *_syn_cli_open_project    (SynCliCommon *common, const char *project, char **project_id,
                                      GError **error);

int         _syn_cli_asset_op        (int *argc, char ***argv, const char *command, const char *summary,
                                      const char *op, JsonObject **out_asset, JsonNode **out_answer);

/* The filters of `synapse timeline` (syn-cli-events.c), shared with `synapse export timeline`. */
typedef struct
{
  char     *asset;
  char     *rule;
  char     *discipline;
  char     *event_types;
  char     *batch;
  char     *from;
  char     *to;
  gboolean  include_rolled_back;
} SynCliTimelineFilters;

void          _syn_cli_timeline_filters_clear  (SynCliTimelineFilters *filters);
GOptionEntry *_syn_cli_timeline_filter_entries (SynCliTimelineFilters *filters);
gboolean      _syn_cli_timeline_filter_params  (SynCliTimelineFilters *filters,
                                                SynBackend            *backend,
                                                const char            *project_id,
                                                JsonObject            *params,
                                                GError               **error);
GOptionEntry *_syn_cli_join_entries            (const GOptionEntry    *a,
                                                const GOptionEntry    *b);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynCliTimelineFilters, _syn_cli_timeline_filters_clear)

int _syn_cli_project    (int argc, char **argv);  /* syn-cli-project.c */
int _syn_cli_timeline   (int argc, char **argv);  /* syn-cli-events.c */
int _syn_cli_history    (int argc, char **argv);
int _syn_cli_state_hash (int argc, char **argv);
int _syn_cli_import     (int argc, char **argv);  /* syn-cli-assets.c */
int _syn_cli_asset      (int argc, char **argv);
int _syn_cli_rollback   (int argc, char **argv);  /* syn-cli-rollback.c */
int _syn_cli_redo       (int argc, char **argv);
int _syn_cli_verify     (int argc, char **argv);  /* syn-cli-integrity.c */
int _syn_cli_repair     (int argc, char **argv);
int _syn_cli_execute    (int argc, char **argv);  /* syn-cli-execute.c */
int _syn_cli_rules      (int argc, char **argv);  /* syn-cli-rules.c */
int _syn_cli_demo       (int argc, char **argv);  /* syn-cli-demo.c */
int _syn_cli_explain    (int argc, char **argv);  /* syn-cli-explain.c */
int _syn_cli_status     (int argc, char **argv);  /* syn-cli-status.c */
int _syn_cli_export     (int argc, char **argv);  /* syn-cli-export.c */
int _syn_cli_state      (int argc, char **argv);  /* syn-cli-history.c */
int _syn_cli_diff       (int argc, char **argv);
int _syn_cli_export_audit (int argc, char **argv);
int _syn_cli_serve      (int argc, char **argv);  /* syn-cli-serve.c */
int _syn_cli_user       (int argc, char **argv);
int _syn_cli_member     (int argc, char **argv);
int _syn_cli_clone      (int argc, char **argv);  /* syn-cli-sync.c */
int _syn_cli_sync       (int argc, char **argv);

/* --connect URL (syn-cli-connect.c) */
SynBackend *_syn_cli_connect       (SynCliCommon *common, GError **error);
char       *_syn_cli_read_password (const char   *prompt, GError **error);

G_END_DECLS
