/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-entity-kind-private.h: the three kinds of project entity, with their snapshot key and aggregate type. */
#pragma once

#include "core/syn-vocabulary.h"

/* Also the order of a snapshot's and a rollback event's sections. */
typedef enum {
  KIND_ASSET,
  KIND_CABLE,
  KIND_EDGE,
  N_KINDS
} EntityKind;

/* Key of each kind's list in a batch snapshot and a rollback event's data. */
static const char * const kind_names[N_KINDS] = { "assets", "cables", "edges" };
/* Each kind's aggregate_type in the event log. */
static const char * const kind_aggregates[N_KINDS] = {
  SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_EDGE,
};
