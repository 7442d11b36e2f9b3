/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-fields.h: the field tables of the domain types, for what describes them (the OpenAPI schemas). */
#pragma once

#include "syn-json.h"

G_BEGIN_DECLS

/* Each ends with a NULL name; the same tables their from_json/to_json read. */
const SynField *syn_asset_fields     (void);
const SynField *syn_cable_fields     (void);
const SynField *syn_edge_fields      (void);
const SynField *syn_event_fields     (void);
const SynField *syn_execution_fields (void);
const SynField *syn_project_fields   (void);
const SynField *syn_rule_fields      (void);
const SynField *syn_snapshot_fields  (void);
const SynField *syn_user_fields      (void);

/* A JSON Schema (2020-12, as OpenAPI 3.1 takes it) of the objects @fields writes. */
JsonObject     *syn_fields_schema    (const SynField *fields);

G_END_DECLS
