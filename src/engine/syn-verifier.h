/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-verifier.h: `synapse verify`: the checks a project's database must pass, each adding its findings to one list. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

/* Runs every check on the project, read-only: {project_id, ok, checks:
 * [{name, ok, findings (how many)}], findings: [{check, kind, message,
 * entity_type?, entity_id?, batch?, ...}]}. ok is true when no check found
 * anything. A check that cannot read the database fails the call. */
JsonNode *syn_verifier_verify (SynStore    *store,
                               const char  *project_id,
                               GError     **error);
/* The same, and the "expect" check when @expect (a head hash someone wrote
 * down) is given: it must be in the project's chain, whole up to it. The
 * answer also carries events, head_position, head_hash (the newest event's
 * stored hash) and, with @expect, expected and expected_position. */
JsonNode *syn_verifier_verify_full (SynStore    *store,
                                    const char  *project_id,
                                    const char  *expect,
                                    GError     **error);

G_END_DECLS
