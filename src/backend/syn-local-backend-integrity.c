/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-integrity.c: SynLocalBackend operations: verify a project's database, repair what dangles. */
#include "config.h"

#include "engine/syn-integrity.h"
#include "engine/syn-verifier.h"
#include "syn-local-backend-private.h"

/* {project_id} */
static JsonNode *
op_verify (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);

  if (project == NULL)
    return NULL;
  return syn_verifier_verify (ctx->store, project->id, error);
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
