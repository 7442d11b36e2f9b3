/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event.h: SynEvent, one immutable workflow event, as the specification defines it. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_EVENT (syn_event_get_type ())

G_DECLARE_FINAL_TYPE (SynEvent, syn_event, SYN, EVENT, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynEvent
{
  GObject parent_instance;

  char *id;
  char *event_type;
  char *aggregate_type;
  char *aggregate_id;
  char *project_id;
  char *rule_id;
  char *discipline;
  JsonNode *payload;
  JsonNode *metadata;
  char *correlation_id;
  char *causation_id;
  gint64 sequence_num;
  char *user_id;
  gint64 timestamp;
  gboolean is_rolled_back;
  gint64 position;
  char *hash;          /* the chain hash (hex SHA-256), set by the store on append */
};

/* The hash before a project's first event. */
#define SYN_EVENT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* SHA-256 of @data in lowercase hex, with the chain's implementation
 * (the processor's SHA instructions where nettle has them). */
char     *syn_sha256_hex      (const char *data,
                               gsize       length);
/* The same, fed piece by piece; finish() frees it. */
typedef struct _SynSha256 SynSha256;
SynSha256 *syn_sha256_new     (void);
void       syn_sha256_update  (SynSha256  *self,
                               const char *data,
                               gsize       length);
char      *syn_sha256_finish  (SynSha256  *self);

SynEvent *syn_event_new       (void);
SynEvent *syn_event_copy      (SynEvent   *self);
JsonNode  *syn_event_to_json   (SynEvent   *self);
SynEvent *syn_event_from_json (JsonObject *object,
                                GError    **error);
/* The event's chain hash after @previous (the project's previous event's,
 * or SYN_EVENT_GENESIS_HASH): lowercase hex SHA-256 of @previous, a newline
 * and the event's canonical content (docs/design-notes.md, "Hash chain").
 * Neither position nor is_rolled_back is covered. */
char      *syn_event_compute_hash (SynEvent  *self,
                                   const char *previous);
/* The same hash from @payload and @metadata already in canonical form
 * (syn_event_canonical_json()): the stores write those very bytes in the
 * row, so an append serializes each once. */
char      *syn_event_compute_hash_serialized (SynEvent   *self,
                                              const char *previous,
                                              const char *payload,
                                              const char *metadata);
/* A payload or metadata as the chain covers it: canonical JSON, "{}" when
 * unset or null. */
char      *syn_event_canonical_json (JsonNode *node);
/* The canonical content syn_event_compute_hash() covers, appended to @out. */
void       syn_event_canonical_append (SynEvent *self,
                                       GString  *out);

G_END_DECLS
