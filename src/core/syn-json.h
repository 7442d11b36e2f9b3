/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-json.h: JSON helpers shared by every layer (parsing, canonical form, field access). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_CORE_ERROR (syn_core_error_quark ())

typedef enum {
  SYN_CORE_ERROR_INVALID_JSON,
  SYN_CORE_ERROR_INVALID_FIELD,
  SYN_CORE_ERROR_INVALID_DATE,
  SYN_CORE_ERROR_INVALID_UUID,
} SynCoreError;

GQuark      syn_core_error_quark            (void);

/* Refuses documents nested deeper than this (json-glib recurses). */
#define SYN_JSON_MAX_DEPTH 256

JsonNode   *syn_json_parse                  (const char   *text,
                                             gssize        length,
                                             GError      **error);
/* For what we wrote ourselves (database columns): a small recursive-descent
 * parser, many times faster than JsonParser; NULL for anything it cannot
 * read (the caller then falls back to syn_json_parse() for the message). */
JsonNode   *syn_json_parse_trusted          (const char   *text,
                                             gsize         length);
JsonObject *syn_json_parse_object           (const char   *text,
                                             gssize        length,
                                             GError      **error);
char       *syn_json_to_string              (JsonNode     *node);
char       *syn_json_object_to_string       (JsonObject   *object);
char       *syn_json_canonical              (JsonNode     *node);
char       *syn_json_to_string_fast         (JsonNode     *node);
char       *syn_json_to_string_pretty       (JsonNode     *node);
/* syn_json_to_string_pretty() of the value whose compact text
 * (syn_json_to_string()) is @compact, without parsing it. */
char       *syn_json_text_pretty            (const char   *compact);
/* The canonical form (syn_json_canonical()) of the JSON text @text, read
 * without building a tree: blanks dropped, keys sorted, numbers written
 * as the canonical form does. For texts from a trusted writer (PostgreSQL's
 * jsonb); NULL when it cannot say for sure (an escaped key, an integer of
 * more than 15 digits, a malformed text): parse those. */
char       *syn_json_text_canonical         (const char   *text,
                                             gsize         length);
void        syn_json_compact_append         (GString      *out,
                                             JsonNode     *node);
void        syn_json_canonical_append       (GString      *out,
                                             JsonNode     *node);
/* A string literal as syn_json_canonical_append() writes one; NULL: null. */
void        syn_json_canonical_append_string (GString     *out,
                                             const char   *s);
gboolean    syn_json_node_equal             (JsonNode     *a,
                                             JsonNode     *b);

const char *syn_json_get_string             (JsonObject   *object,
                                             const char   *member);
gboolean    syn_json_get_optional_string    (JsonObject   *object,
                                             const char   *member,
                                             const char  **out,
                                             GError      **error);
gboolean    syn_json_get_optional_double    (JsonObject   *object,
                                             const char   *member,
                                             double       *out,
                                             GError      **error);
/* A copy of an optional object member in *out (NULL when absent or null). */
gboolean    syn_json_get_optional_object    (JsonObject   *object,
                                             const char   *member,
                                             JsonObject  **out,
                                             GError      **error);
void        syn_json_set_string_or_null     (JsonObject   *object,
                                             const char   *member,
                                             const char   *value);
void        syn_json_set_double_or_null     (JsonObject   *object,
                                             const char   *member,
                                             double        value);
/* The fields of the domain types' JSON form (the from_json/to_json of
 * src/core): errors are SYN_CORE_ERROR_INVALID_FIELD naming the field; a
 * member that is absent or null leaves @out as it was (NULL, 0, FALSE). */
/* The plain members of a domain type, by table (ends with a NULL name). */
typedef enum
{
  SYN_FIELD_STRING,             /* char *, optional */
  SYN_FIELD_REQUIRED_STRING,    /* char *, "Missing required field" without it */
  SYN_FIELD_DOUBLE,             /* double, NAN for null */
  SYN_FIELD_OBJECT,             /* JsonObject *, always there (properties) */
  SYN_FIELD_OPTIONAL_OBJECT,    /* JsonObject * or NULL, absent from JSON when NULL (derivation) */
  SYN_FIELD_INT,                /* gint64 */
  SYN_FIELD_BOOLEAN,            /* gboolean */
  SYN_FIELD_TIME,               /* gint64 microseconds since the epoch, ISO 8601 in JSON, 0 for null */
  SYN_FIELD_NODE,               /* JsonNode * of any kind, or NULL (payloads, summaries) */
} SynFieldKind;

typedef struct
{
  const char   *name;
  SynFieldKind  kind;
  gsize         offset;
} SynField;

gboolean    syn_fields_from_json            (gpointer            instance,
                                             const SynField     *fields,
                                             JsonObject         *object,
                                             GError            **error);
JsonObject *syn_fields_to_json              (gconstpointer       instance,
                                             const SynField     *fields);
void        syn_fields_clear                (gpointer            instance,
                                             const SynField     *fields);
void        syn_fields_copy                 (gpointer            dest,
                                             gconstpointer       src,
                                             const SynField     *fields);

gboolean    syn_json_read_string            (JsonObject   *object,
                                             const char   *member,
                                             gboolean      required,
                                             char        **out,
                                             GError      **error);
gboolean    syn_json_read_int               (JsonObject   *object,
                                             const char   *member,
                                             gint64       *out,
                                             GError      **error);
gboolean    syn_json_read_boolean           (JsonObject   *object,
                                             const char   *member,
                                             gboolean     *out,
                                             GError      **error);
gboolean    syn_json_read_time              (JsonObject   *object,
                                             const char   *member,
                                             gint64       *out,
                                             GError      **error);
JsonNode   *syn_json_dup_member             (JsonObject   *object,
                                             const char   *member);
void        syn_json_set_time_or_null       (JsonObject   *object,
                                             const char   *member,
                                             gint64        usec);
void        syn_json_set_copy_or_null       (JsonObject   *object,
                                             const char   *member,
                                             JsonNode     *node);
JsonNode   *syn_json_node_deep_copy         (JsonNode     *node);
JsonObject *syn_json_object_copy            (JsonObject   *object);
JsonNode   *syn_json_node_new_object        (JsonObject   *object);

gboolean    syn_uuid_is_valid               (const char   *text);
char       *syn_uuid_new                    (void);

G_END_DECLS
