/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-integrity.c: SynLocalBackend operations: verify a project's database, repair what dangles. */
#include "config.h"

#include <string.h>

#include "engine/syn-integrity.h"
#include "engine/syn-verifier.h"
#include "syn-local-backend-private.h"

/* A head hash as people copy it: 64 hex digits, either case. */
static gboolean
is_hash (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* {project_id, expect?} */
static JsonNode *
op_verify (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autofree char *expect = NULL;
  const char *given;

  if (project == NULL)
    return NULL;
  given = syn_json_get_string (params, "expect");
  if (given != NULL && !is_hash (given))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                   "expect: \"%s\" is not a head hash (64 hexadecimal digits, as synapse state-hash prints it)",
                   given);
      return NULL;
    }
  expect = given ? g_ascii_strdown (given, -1) : NULL;
  return syn_verifier_verify_full (ctx->store, project->id, expect, error);
}

/* {project_id, dry_run?: bool or "true"} */
static JsonNode *
op_repair (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  gboolean dry_run = FALSE;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_bool (params, "dry_run", FALSE, &dry_run, error))
    return NULL;
  return syn_integrity_repair (ctx->store, project->id, ctx->user_id, dry_run, error);
}

const SynOpEntry _syn_ops_integrity[] = {
  { SYN_OP_VERIFY, op_verify },
  { SYN_OP_REPAIR, op_repair },
  { NULL, NULL }
};
