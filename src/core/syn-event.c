/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event.c: SynEvent, one immutable workflow event, as the specification defines it: construction, copy and JSON form. */
#include "config.h"

#include <string.h>

#ifdef HAVE_NETTLE
#include <nettle/sha2.h>
#endif

#include "syn-json.h"
#include "syn-event.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynEvent, syn_event, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, id) },
  { "event_type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, event_type) },
  { "aggregate_type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, aggregate_type) },
  { "aggregate_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, aggregate_id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, project_id) },
  { "rule_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, rule_id) },
  { "discipline", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, discipline) },
  { "payload", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynEvent, payload) },
  { "metadata", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynEvent, metadata) },
  { "correlation_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, correlation_id) },
  { "causation_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, causation_id) },
  { "sequence_num", SYN_FIELD_INT, G_STRUCT_OFFSET (SynEvent, sequence_num) },
  { "user_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, user_id) },
  { "timestamp", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynEvent, timestamp) },
  { "is_rolled_back", SYN_FIELD_BOOLEAN, G_STRUCT_OFFSET (SynEvent, is_rolled_back) },
  { "position", SYN_FIELD_INT, G_STRUCT_OFFSET (SynEvent, position) },
  { "hash", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, hash) },
  { NULL }
};

const SynField *
syn_event_fields (void)
{
  return fields;
}

static void
syn_event_finalize (GObject *object)
{
  SynEvent *self = SYN_EVENT (object);

  syn_fields_clear (self, fields);

  G_OBJECT_CLASS (syn_event_parent_class)->finalize (object);
}

static void
syn_event_class_init (SynEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_event_finalize;
}

static void
syn_event_init (SynEvent *self)
{
}

SynEvent *
syn_event_new (void)
{
  return g_object_new (SYN_TYPE_EVENT, NULL);
}

SynEvent *
syn_event_copy (SynEvent *self)
{
  SynEvent *copy;

  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);

  copy = syn_event_new ();
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_event_to_json (SynEvent *self)
{
  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynEvent *
syn_event_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEvent) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_event_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* A UUID column: PostgreSQL gives it back in lowercase whatever was written. */
static void
append_id (GString *out, const char *key, const char *id)
{
  g_string_append (out, key);
  if (id == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = id; *p; p++)
    {
      if (*p == '"' || *p == '\\' || (guchar) *p < 0x20)
        {
          /* not a UUID: as any other string */
          g_string_truncate (out, out->len - (p - id) - 1);
          syn_json_canonical_append_string (out, id);
          return;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  g_string_append_c (out, '"');
}

static void
append_node_or_empty (GString *out, JsonNode *node)
{
  /* the stores write an unset payload or metadata as {} */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "{}");
  else
    syn_json_canonical_append (out, node);
}

/* The canonical form up to the value of "metadata" (the members before it). */
static void
canonical_head (SynEvent *self, GString *out)
{
  g_string_append (out, "{\"aggregate_id\":");
  syn_json_canonical_append_string (out, self->aggregate_id);
  g_string_append (out, ",\"aggregate_type\":");
  syn_json_canonical_append_string (out, self->aggregate_type);
  append_id (out, ",\"causation_id\":", self->causation_id);
  append_id (out, ",\"correlation_id\":", self->correlation_id);
  g_string_append (out, ",\"discipline\":");
  syn_json_canonical_append_string (out, self->discipline);
  g_string_append (out, ",\"event_type\":");
  syn_json_canonical_append_string (out, self->event_type);
  append_id (out, ",\"id\":", self->id);
  g_string_append (out, ",\"metadata\":");
}

/* The members after the value of "payload", and the closing brace. */
static void
canonical_tail (SynEvent *self, GString *out)
{
  g_string_append (out, ",\"project_id\":");
  syn_json_canonical_append_string (out, self->project_id);
  g_string_append (out, ",\"rule_id\":");
  syn_json_canonical_append_string (out, self->rule_id);
  g_string_append_printf (out, ",\"sequence_num\":%" G_GINT64_FORMAT ",\"timestamp\":%" G_GINT64_FORMAT,
                          self->sequence_num, self->timestamp);
  g_string_append (out, ",\"user_id\":");
  syn_json_canonical_append_string (out, self->user_id);
  g_string_append_c (out, '}');
}

/* Canonical JSON (keys sorted bytewise, no whitespace; syn_json_canonical_append()
 * for values) of every column the event's meaning depends on. */
void
syn_event_canonical_append (SynEvent *self, GString *out)
{
  g_return_if_fail (SYN_IS_EVENT (self));
  g_return_if_fail (out != NULL);

  canonical_head (self, out);
  append_node_or_empty (out, self->metadata);
  g_string_append (out, ",\"payload\":");
  append_node_or_empty (out, self->payload);
  canonical_tail (self, out);
}

char *
syn_event_canonical_json (JsonNode *node)
{
  GString *out = g_string_sized_new (256);

  append_node_or_empty (out, node);
  return g_string_free (out, FALSE);
}

/* SHA-256: nettle's where the build has it (it uses the processor's SHA
 * instructions: a tenth of GChecksum's time on 1 KB), else GChecksum. */
typedef struct
{
#ifdef HAVE_NETTLE
  struct sha256_ctx ctx;
#else
  GChecksum *sum;
#endif
} Sha256;

static void
sha256_begin (Sha256 *sha)
{
#ifdef HAVE_NETTLE
  sha256_init (&sha->ctx);
#else
  sha->sum = g_checksum_new (G_CHECKSUM_SHA256);
#endif
}

static void
sha256_add (Sha256 *sha, const char *data, gsize length)
{
#ifdef HAVE_NETTLE
  sha256_update (&sha->ctx, length, (const guint8 *) data);
#else
  g_checksum_update (sha->sum, (const guchar *) data, length);
#endif
}

/* Lowercase hex; the state is finished. */
static char *
sha256_end (Sha256 *sha)
{
#ifdef HAVE_NETTLE
  static const char hex[] = "0123456789abcdef";
  guint8 digest[SHA256_DIGEST_SIZE];
  char *out = g_malloc (2 * SHA256_DIGEST_SIZE + 1);

  sha256_digest (&sha->ctx, sizeof digest, digest);
  for (guint i = 0; i < SHA256_DIGEST_SIZE; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[2 * SHA256_DIGEST_SIZE] = '\0';
  return out;
#else
  char *out = g_strdup (g_checksum_get_string (sha->sum));

  g_checksum_free (sha->sum);
  return out;
#endif
}

char *
syn_sha256_hex (const char *data, gsize length)
{
  Sha256 sha;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  sha256_begin (&sha);
  sha256_add (&sha, data, length);
  return sha256_end (&sha);
}

struct _SynSha256
{
  Sha256 sha;
};

SynSha256 *
syn_sha256_new (void)
{
  SynSha256 *self = g_new0 (SynSha256, 1);

  sha256_begin (&self->sha);
  return self;
}

void
syn_sha256_update (SynSha256 *self, const char *data, gsize length)
{
  g_return_if_fail (self != NULL);
  sha256_add (&self->sha, data, length);
}

char *
syn_sha256_finish (SynSha256 *self)
{
  char *out;

  g_return_val_if_fail (self != NULL, NULL);
  out = sha256_end (&self->sha);
  g_free (self);
  return out;
}

char *
syn_event_compute_hash_serialized (SynEvent *self, const char *previous, const char *payload, const char *metadata)
{
  g_autoptr(GString) buf = NULL;
  Sha256 sha;

  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);
  g_return_val_if_fail (previous != NULL && payload != NULL && metadata != NULL, NULL);

  /* the small members go through one buffer, the serialized ones as they are */
  buf = g_string_sized_new (512);
  g_string_append (buf, previous);
  g_string_append_c (buf, '\n');
  canonical_head (self, buf);
  sha256_begin (&sha);
  sha256_add (&sha, buf->str, buf->len);
  sha256_add (&sha, metadata, strlen (metadata));
  sha256_add (&sha, ",\"payload\":", strlen (",\"payload\":"));
  sha256_add (&sha, payload, strlen (payload));
  g_string_truncate (buf, 0);
  canonical_tail (self, buf);
  sha256_add (&sha, buf->str, buf->len);
  return sha256_end (&sha);
}

char *
syn_event_compute_hash (SynEvent *self, const char *previous)
{
  g_autofree char *payload = NULL, *metadata = NULL;

  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);
  g_return_val_if_fail (previous != NULL, NULL);

  payload = syn_event_canonical_json (self->payload);
  metadata = syn_event_canonical_json (self->metadata);
  return syn_event_compute_hash_serialized (self, previous, payload, metadata);
}
