/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ui-format.c: how the GUI words and formats events, times and counts. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "syn-ui-format.h"

/* "2026-11-26T11:42:04.595346+00:00" -> "2026-11-26 12:42:04" in local time. */
char *
syn_format_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("—");
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

char *
syn_format_time_usec (gint64 usec, gboolean with_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
}

/* The last eight hex digits: ids are UUIDv7, whose first ones are the time
 * and the same for every batch of the same minute. */
char *
syn_format_short_id (const char *uuid)
{
  gsize length;

  if (uuid == NULL)
    return g_strdup ("—");
  length = strlen (uuid);
  return g_strdup (length > 8 ? uuid + length - 8 : uuid);
}

/* Thousands grouped as the locale does it. */
char *
syn_format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

typedef struct
{
  const char *key;
  const char *label;    /* N_() */
} LabelEntry;

/* The translated label of @key in @labels, or NULL. */
static const char *
label_of (const LabelEntry *labels, gsize n, const char *key)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (labels[i].key, key) == 0)
      return _(labels[i].label);
  return NULL;
}

const char *
syn_format_event_type (const char *event_type)
{
  static const LabelEntry labels[] = {
    { SYN_EVENT_ASSET_CREATED, N_("Asset created") },
    { SYN_EVENT_ASSET_UPDATED, N_("Asset updated") },
    { SYN_EVENT_ASSET_DELETED, N_("Asset deleted") },
    { SYN_EVENT_CABLE_CREATED, N_("Cable created") },
    { SYN_EVENT_CABLE_UPDATED, N_("Cable updated") },
    { SYN_EVENT_CABLE_DELETED, N_("Cable deleted") },
    { SYN_EVENT_RELATIONSHIP_CREATED, N_("Relationship created") },
    { SYN_EVENT_RELATIONSHIP_DELETED, N_("Relationship deleted") },
    { SYN_EVENT_RULE_EXECUTION_STARTED, N_("Rule started") },
    { SYN_EVENT_RULE_EXECUTED, N_("Rule executed") },
    { SYN_EVENT_RULE_SKIPPED, N_("Rule skipped") },
    { SYN_EVENT_RULE_ERROR, N_("Rule error") },
    { SYN_EVENT_RULE_EXECUTION_COMPLETED, N_("Rule completed") },
    { SYN_EVENT_BATCH_STARTED, N_("Batch started") },
    { SYN_EVENT_BATCH_COMPLETED, N_("Batch completed") },
    { SYN_EVENT_BATCH_ROLLED_BACK, N_("Batch rolled back") },
    { SYN_EVENT_CSV_IMPORTED, N_("CSV imported") },
    { SYN_EVENT_ROLLBACK, N_("Rollback") },
    { SYN_EVENT_RULE_DEFINITION_CREATED, N_("Rule added") },
    { SYN_EVENT_RULE_DEFINITION_UPDATED, N_("Rule changed") },
    { SYN_EVENT_RULE_DEFINITION_DELETED, N_("Rule deleted") },
    { SYN_EVENT_BATCH_REDONE, N_("Batch redone") },
    { SYN_EVENT_INTEGRITY_REPAIRED, N_("Dangling references repaired") },
  };
  const char *label = label_of (labels, G_N_ELEMENTS (labels), event_type);

  return label ? label : event_type ? event_type : "—";
}

const char *
syn_format_discipline (const char *discipline)
{
  static const LabelEntry labels[] = {
    { "ELECTRICAL", N_("Electrical") },
    { "AUTOMATION", N_("Automation") },
    { "MECHANICAL", N_("Mechanical") },
    { "PROCESS", N_("Process") },
    { "PIPING", N_("Piping") },
    { "INSTRUMENTATION", N_("Instrumentation") },
  };
  const char *label = label_of (labels, G_N_ELEMENTS (labels), discipline);

  return label ? label : discipline ? discipline : "—";
}

const char *
syn_format_action_type (const char *action_type)
{
  static const LabelEntry labels[] = {
    { "CREATE_CHILD", N_("Create child") },
    { "CREATE_CABLE", N_("Create cable") },
    { "CREATE_RELATIONSHIP", N_("Create relationship") },
    { "SET_PROPERTY", N_("Set property") },
    { "VALIDATE", N_("Validate") },
  };
  const char *label = label_of (labels, G_N_ELEMENTS (labels), action_type);

  return label ? label : action_type ? action_type : "—";
}

/* An asset's field as a person reads its name: "Tag", "Description"... */
const char *
syn_format_field (const char *field)
{
  static const LabelEntry labels[] = {
    { "tag", N_("Tag") },
    { "type", N_("Type") },
    { "description", N_("Description") },
    { "discipline", N_("Discipline") },
    { "area", N_("Area") },
  };
  const char *label = label_of (labels, G_N_ELEMENTS (labels), field);

  return label ? label : field ? field : "—";
}

/* @member of @object when it is an object (NULL: missing, null, or
 * something else; @object may be NULL too). */
JsonObject *
syn_ui_json_object (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* @member of @object when it is an array, as syn_ui_json_object(). */
JsonArray *
syn_ui_json_array (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
payload_of (JsonObject *event)
{
  return syn_ui_json_object (event, "payload");
}

/* Counts shown in sentences: int, so that translators see plain "%d". */
static int
int_member (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) ? (int) CLAMP (json_node_get_int (node), G_MININT, G_MAXINT) : 0;
}

/* What the event is about, in the words an engineer uses: a tag, or a rule. */
/* A relationship's end: its tag (the backend adds it) or its short id. */
static char *
end_name (JsonObject *event, JsonObject *payload, const char *end)
{
  g_autofree char *tag_member = g_strdup_printf ("%s_tag", end);
  g_autofree char *id_member = g_strdup_printf ("%s_asset_id", end);
  const char *tag = syn_json_get_string (event, tag_member);

  return tag ? g_strdup (tag) : syn_format_short_id (syn_json_get_string (payload, id_member));
}

char *
syn_format_event_subject (JsonObject *event)
{
  JsonObject *payload = payload_of (event);
  JsonObject *after = syn_ui_json_object (payload, "after");
  const char *tag;

  if ((tag = syn_json_get_string (after, "tag")) != NULL ||
      (tag = syn_json_get_string (payload, "tag")) != NULL ||
      (tag = syn_json_get_string (payload, "source_tag")) != NULL ||
      (tag = syn_json_get_string (event, "source_tag")) != NULL)
    return g_strdup (tag);
  if ((tag = syn_json_get_string (payload, "rule_name")) != NULL)
    return g_strdup (tag);
  if ((tag = syn_json_get_string (payload, "relation")) != NULL)
    return g_strdup (tag);
  return syn_format_short_id (syn_json_get_string (event, "aggregate_id"));
}

static void
collect_changed_keys (JsonObject *diff, const char *prefix, GString *out)
{
  g_autoptr(GList) members = json_object_get_members (diff);

  for (GList *l = members; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (diff, l->data);

      if (node && JSON_NODE_HOLDS_OBJECT (node) && g_strcmp0 (l->data, "properties") == 0)
        collect_changed_keys (json_node_get_object (node), NULL, out);
      else
        {
          if (out->len > 0)
            g_string_append (out, ", ");
          if (prefix)
            g_string_append_printf (out, "%s.", prefix);
          g_string_append (out, l->data);
        }
    }
}

/* "26 actions, 4 skipped, 1 error": each count in its plural form. */
static char *
run_counts (JsonObject *summary, const char *actions_member)
{
  int actions = int_member (summary, actions_member);
  int skipped = int_member (summary, "skipped");
  int errors = int_member (summary, "errors");
  g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d action", "%d actions", actions), actions);
  /* Translators: rule actions skipped (an existing child, a value a person holds...) */
  g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d skipped", "%d skipped", skipped), skipped);
  g_autofree char *e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d error", "%d errors", errors), errors);

  /* Translators: three counts of a run: actions, skipped, errors */
  return g_strdup_printf (_("%s, %s, %s"), a, s, e);
}

char *
syn_format_batch_summary (JsonObject *summary)
{
  JsonObject *created = syn_ui_json_object (summary, "created");
  g_autofree char *counts = NULL;
  g_autofree char *outputs = NULL;

  if (summary == NULL)
    return g_strdup ("");
  counts = run_counts (summary, "actions_taken");
  outputs = syn_format_outputs (int_member (created, "assets"), int_member (created, "cables"),
                                int_member (created, "edges"));
  if (outputs == NULL)
    /* Translators: the summary of a run of the rules that made nothing new */
    return g_strdup_printf (_("%s; created nothing"), counts);
  /* Translators: the summary of a run of the rules: its counts, then what it made ("26 assets and 19 cables") */
  return g_strdup_printf (_("%s; created %s"), counts, outputs);
}

/* "26 rules executed on 67 assets: 83 actions taken, 4 skipped, 2 errors". */
char *
syn_format_run_summary (JsonObject *summary)
{
  int rules = int_member (summary, "rules_executed");
  int assets = int_member (summary, "assets_processed");
  int actions = int_member (summary, "actions_taken");
  int skipped = int_member (summary, "skipped");
  int errors = int_member (summary, "errors");
  g_autofree char *r = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d rule executed", "%d rules executed", rules),
                                        rules);
  g_autofree char *on = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "on %d asset", "on %d assets", assets), assets);
  g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d action taken", "%d actions taken", actions),
                                        actions);
  g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d skipped", "%d skipped", skipped), skipped);
  g_autofree char *e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d error", "%d errors", errors), errors);

  /* Translators: "10 rules executed" "on 67 assets": "83 actions taken", "4 skipped", "2 errors" */
  return g_strdup_printf (_("%s %s: %s, %s, %s"), r, on, a, s, e);
}

/* What a rollback did: "3 assets and 2 cables deleted and 1 asset restored". */
char *
syn_format_rollback_summary (JsonObject *summary)
{
  g_autofree char *deleted = syn_format_outputs (int_member (summary, "assets_deleted"),
                                                 int_member (summary, "cables_deleted"),
                                                 int_member (summary, "edges_deleted"));
  int restored = int_member (summary, "assets_restored");
  g_autofree char *deleted_text = NULL;
  g_autofree char *restored_text = NULL;
  const char *parts[2];
  guint n = 0;

  if (deleted != NULL)
    /* Translators: %s is a list such as "3 assets and 2 cables" */
    parts[n++] = deleted_text = g_strdup_printf (_("%s deleted"), deleted);
  if (restored > 0)
    parts[n++] = restored_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d asset restored",
                                                               "%d assets restored", restored), restored);
  if (n == 0)
    return g_strdup (_("nothing changed"));
  return syn_format_list (parts, n);
}

/* One line saying what happened, without repeating the type or the subject. */
char *
syn_format_event_summary (JsonObject *event)
{
  const char *type = syn_json_get_string (event, "event_type");
  JsonObject *payload = payload_of (event);
  const char *s;

  if (payload == NULL || type == NULL)
    return g_strdup ("");

  if (g_str_has_suffix (type, "_UPDATED"))
    {
      g_autoptr(GString) keys = g_string_new (NULL);
      JsonObject *diff = syn_ui_json_object (payload, "diff");

      if (diff != NULL)
        collect_changed_keys (diff, NULL, keys);
      if (syn_ui_json_array (payload, "overwrote_manual") != NULL)
        /* Translators: %s is a list of changed fields; a revised asset list replaced values a person typed */
        return g_strdup_printf (_("changed %s, overwriting a manual edit"), keys->len ? keys->str : "—");
      /* Translators: %s is a list of changed fields */
      return g_strdup_printf (_("changed %s"), keys->len ? keys->str : "—");
    }
  if (g_strcmp0 (type, SYN_EVENT_ASSET_CREATED) == 0 || g_strcmp0 (type, SYN_EVENT_ASSET_DELETED) == 0)
    {
      const char *desc = syn_json_get_string (payload, "description");
      const char *asset_type = syn_json_get_string (payload, "type");

      return g_strdup_printf ("%s%s%s", asset_type ? asset_type : "", desc ? " · " : "", desc ? desc : "");
    }
  if (g_str_has_prefix (type, "CABLE_"))
    {
      const char *size = syn_json_get_string (payload, "conductor_size");
      const char *cable_type = syn_json_get_string (payload, "cable_type");

      /* Translators: a cable: conductor size, cable type, length in metres */
      return g_strdup_printf (_("%s %s, %d m"), size ? size : "", cable_type ? cable_type : "",
                              int_member (payload, "length_m"));
    }
  if (g_str_has_prefix (type, "RELATIONSHIP_"))
    {
      g_autofree char *source = end_name (event, payload, "source");
      g_autofree char *target = end_name (event, payload, "target");

      /* Translators: a relationship: its source, its target, its kind ("drives") */
      return g_strdup_printf (_("%s → %s (%s)"), source, target,
                              (s = syn_json_get_string (payload, "relation")) ? s : "—");
    }
  if (g_strcmp0 (type, SYN_EVENT_RULE_ERROR) == 0)
    return g_strdup ((s = syn_json_get_string (payload, "message")) ? s : "");
  if (g_strcmp0 (type, SYN_EVENT_RULE_EXECUTED) == 0 || g_strcmp0 (type, SYN_EVENT_RULE_SKIPPED) == 0)
    {
      const char *reason = syn_json_get_string (payload, "reason");
      const char *rule = syn_json_get_string (payload, "rule_name");

      return g_strdup_printf ("%s — %s", rule ? rule : syn_json_get_string (event, "rule_id"), reason ? reason : "");
    }
  if (g_strcmp0 (type, SYN_EVENT_RULE_EXECUTION_STARTED) == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d candidate, pass %d",
                                         "%d candidates, pass %d",
                                         int_member (payload, "candidates")),
                            int_member (payload, "candidates"), int_member (payload, "pass"));
  if (g_strcmp0 (type, SYN_EVENT_RULE_EXECUTION_COMPLETED) == 0)
    {
      int assets = int_member (payload, "assets_processed");
      g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d asset", "%d assets", assets), assets);
      g_autofree char *counts = run_counts (payload, "actions_taken");

      /* Translators: the assets a rule went through, then its counts */
      return g_strdup_printf (_("%s, %s"), a, counts);
    }
  if (g_strcmp0 (type, SYN_EVENT_BATCH_STARTED) == 0)
    {
      int rules = int_member (payload, "total_rules");
      int assets = int_member (payload, "total_assets");
      g_autofree char *r = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d rule", "%d rules", rules), rules);
      g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d asset", "%d assets", assets), assets);

      /* Translators: a run's mode ("execute" or "dry_run"), its rules, its assets */
      return g_strdup_printf (_("%s: %s, %s"), (s = syn_json_get_string (payload, "mode")) ? s : "execute", r, a);
    }
  if (g_strcmp0 (type, SYN_EVENT_BATCH_COMPLETED) == 0)
    return syn_format_batch_summary (syn_ui_json_object (payload, "summary"));
  if (g_strcmp0 (type, SYN_EVENT_CSV_IMPORTED) == 0 && g_strcmp0 (syn_json_get_string (payload, "mode"), "revision") == 0)
    /* Translators: the counts of a revised asset list's import */
    return g_strdup_printf (_("revision: %d created, %d updated, %d unchanged, %d missing (%d deleted), %d skipped"),
                            int_member (payload, "created"), int_member (payload, "updated"),
                            int_member (payload, "unchanged"), int_member (payload, "missing"),
                            int_member (payload, "deleted"), int_member (payload, "skipped"));
  if (g_strcmp0 (type, SYN_EVENT_CSV_IMPORTED) == 0)
    {
      int imported = int_member (payload, "imported");
      int skipped = int_member (payload, "skipped");
      g_autofree char *i = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d asset imported", "%d assets imported",
                                                         imported), imported);
      /* Translators: rows of a CSV file left out */
      g_autofree char *k = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d row skipped", "%d rows skipped", skipped),
                                            skipped);

      return g_strdup_printf (_("%s, %s"), i, k);
    }
  if (g_strcmp0 (type, SYN_EVENT_BATCH_ROLLED_BACK) == 0)
    {
      g_autofree char *id = syn_format_short_id (syn_json_get_string (event, "aggregate_id"));

      /* Translators: %s is the short id of a batch */
      return g_strdup_printf (_("undid batch %s"), id);
    }
  if (g_strcmp0 (type, SYN_EVENT_BATCH_REDONE) == 0)
    {
      g_autofree char *id = syn_format_short_id (syn_json_get_string (event, "aggregate_id"));

      /* Translators: %s is the short id of a batch applied again */
      return g_strdup_printf (_("redid batch %s"), id);
    }
  if (g_strcmp0 (type, SYN_EVENT_INTEGRITY_REPAIRED) == 0)
    {
      int n = int_member (payload, "edges") + int_member (payload, "cables");

      /* Translators: rows an old database held that pointed at assets that do not exist */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "deleted %d row that referred to a missing asset",
                                           "deleted %d rows that referred to missing assets", (gulong) n), n);
    }
  return g_strdup ("");
}

/* A property value as a cell shows it: strings bare, the rest as JSON. */
char *
syn_format_value (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("—");
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  return syn_json_to_string (value);
}

/* "A", "A and B", "A, B and C": the parts of a list, as a sentence says them. */
char *
syn_format_list (const char * const *parts, guint n)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (n == 0)
    return g_strdup ("");
  g_string_append (text, parts[0]);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *joined = NULL;

      if (i + 1 < n)
        /* Translators: joins the items of a list but the last, "motors, cables" */
        joined = g_strdup_printf (_("%s, %s"), text->str, parts[i]);
      else
        /* Translators: joins the last item of a list, "motors, cables and edges" */
        joined = g_strdup_printf (_("%s and %s"), text->str, parts[i]);
      g_string_assign (text, joined);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Appends @format (a translated plural form of @n, with %s for the count)
 * with @n grouped as the locale does it, when @n > 0. A macro, so that the
 * compiler checks the format where gettext marks it. */
#define ADD_COUNT(parts, n, format)                                          \
  G_STMT_START {                                                             \
    if ((n) > 0)                                                             \
      {                                                                      \
        g_autofree char *count_ = syn_format_count (n);                      \
                                                                             \
        g_ptr_array_add ((parts), g_strdup_printf ((format), count_));       \
      }                                                                      \
  } G_STMT_END

/* "26 assets, 19 cables and 32 edges", leaving out what is zero (a
 * negative count is not known: left out too); NULL when all are. */
char *
syn_format_outputs (gint64 assets, gint64 cables, gint64 edges)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  ADD_COUNT (parts, assets, g_dngettext (GETTEXT_PACKAGE, "%s asset", "%s assets", assets));
  ADD_COUNT (parts, cables, g_dngettext (GETTEXT_PACKAGE, "%s cable", "%s cables", cables));
  ADD_COUNT (parts, edges, g_dngettext (GETTEXT_PACKAGE, "%s edge", "%s edges", edges));
  if (parts->len == 0)
    return NULL;
  return syn_format_list ((const char * const *) parts->pdata, parts->len);
}

/* What a run would do to one rule's outputs, from its line of the project
 * status: "3 to create · 2 to update · 1 to retract · 1 held"; NULL when
 * it would leave them as they are and a person holds none. */
char *
syn_format_rule_status (JsonObject *line)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gint64 create, update, retract, held;

  if (line == NULL)
    return NULL;
  create = json_object_get_int_member_with_default (line, "create", 0);
  update = json_object_get_int_member_with_default (line, "update", 0);
  retract = json_object_get_int_member_with_default (line, "retract", 0);
  held = json_object_get_int_member_with_default (line, "held", 0);
  /* Translators: outputs of a rule a run would create */
  ADD_COUNT (parts, create, g_dngettext (GETTEXT_PACKAGE, "%s to create", "%s to create", create));
  /* Translators: outputs of a rule a run would update */
  ADD_COUNT (parts, update, g_dngettext (GETTEXT_PACKAGE, "%s to update", "%s to update", update));
  /* Translators: outputs of a rule a run would retract (the rule no longer applies to them) */
  ADD_COUNT (parts, retract, g_dngettext (GETTEXT_PACKAGE, "%s to retract", "%s to retract", retract));
  /* Translators: outputs of a rule a person changed or deleted against it */
  ADD_COUNT (parts, held, g_dngettext (GETTEXT_PACKAGE, "%s held", "%s held", held));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* What a date field of the GUI takes: YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS]
 * (local time, as syn_format_time_usec() writes it) or a full ISO 8601
 * date-time with its offset. With @end, the last microsecond of the day,
 * minute or second written, so that a "to" field is inclusive. */
gboolean
syn_parse_date_field (const char *text, gboolean end, gint64 *out_usec, GError **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *trimmed = NULL;
  int y, m, d, hh = 0, mm = 0, ss = 0, consumed = 0;
  gint64 span = 0;

  g_return_val_if_fail (out_usec != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text ? text : ""));
  if (sscanf (trimmed, "%4d-%2d-%2d%n", &y, &m, &d, &consumed) == 3 && trimmed[consumed] == '\0' && consumed == 10)
    span = (gint64) 86400 * G_USEC_PER_SEC;
  else if (sscanf (trimmed, "%4d-%2d-%2d %2d:%2d%n", &y, &m, &d, &hh, &mm, &consumed) == 5 &&
           trimmed[consumed] == '\0' && consumed == 16)
    span = (gint64) 60 * G_USEC_PER_SEC;
  else if (sscanf (trimmed, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &m, &d, &hh, &mm, &ss, &consumed) == 6 &&
           trimmed[consumed] == '\0' && consumed == 19)
    span = G_USEC_PER_SEC;

  if (span > 0)
    {
      g_autoptr(GDateTime) start = g_date_time_new_local (y, m, d, hh, mm, ss);

      /* a day of a time change is not 86,400 s: its end is the next day's start */
      if (start != NULL && span == (gint64) 86400 * G_USEC_PER_SEC)
        {
          g_autoptr(GDateTime) next = g_date_time_add_days (start, 1);

          span = next ? g_date_time_difference (next, start) : span;
        }
      if (start != NULL)
        {
          *out_usec = g_date_time_to_unix (start) * G_USEC_PER_SEC + (end ? span - 1 : 0);
          return TRUE;
        }
    }
  else if (strchr (trimmed, 'T') != NULL && (dt = g_date_time_new_from_iso8601 (trimmed, NULL)) != NULL)
    {
      *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: %s is what was typed in a date field of the timeline */
               _("“%s” is not a date: write YYYY-MM-DD, or YYYY-MM-DD HH:MM"), trimmed);
  return FALSE;
}

/* An event type's kind, as the timeline colours it and the chart splits
 * it: "created", "updated", "deleted", "rule", "rule-error" or "batch". */
const char *
syn_format_event_kind (const char *event_type)
{
  g_return_val_if_fail (event_type != NULL, NULL);

  if (g_str_equal (event_type, "RULE_ERROR"))
    return "rule-error";
  if (g_str_has_suffix (event_type, "_CREATED"))
    return "created";
  if (g_str_has_suffix (event_type, "_UPDATED"))
    return "updated";
  if (g_str_has_suffix (event_type, "_DELETED"))
    return "deleted";
  if (g_str_has_prefix (event_type, "RULE_"))
    return "rule";
  return "batch";
}
