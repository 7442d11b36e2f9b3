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

/* What each entity event does: to which kind, and how ('c'reate, 'u'pdate,
 * 'd'elete; the entity is the payload, an update's "after"). */
static const struct
{
  const char *type;
  EntityKind  kind;
  char        change;
} entity_changes[] = {
  { SYN_EVENT_ASSET_CREATED, KIND_ASSET, 'c' },
  { SYN_EVENT_ASSET_UPDATED, KIND_ASSET, 'u' },
  { SYN_EVENT_ASSET_DELETED, KIND_ASSET, 'd' },
  { SYN_EVENT_CABLE_CREATED, KIND_CABLE, 'c' },
  { SYN_EVENT_CABLE_UPDATED, KIND_CABLE, 'u' },
  { SYN_EVENT_CABLE_DELETED, KIND_CABLE, 'd' },
  { SYN_EVENT_RELATIONSHIP_CREATED, KIND_EDGE, 'c' },
  { SYN_EVENT_RELATIONSHIP_DELETED, KIND_EDGE, 'd' },
};
