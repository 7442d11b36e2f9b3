/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-audit.c: the audit trail file: a project's events with their hashes, checkable without the database. */
#include "config.h"

#include <string.h>

#include "syn-audit.h"
#include "syn-engine-error.h"

#define PAGE 5000

/* The header: known once the events before the exported part were read. */
static void
append_header (GString *out, SynProject *project, gint64 from_position, gint64 to_position, const char *previous)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *now = syn_time_to_iso8601 (syn_time_now_usec ());

  json_object_set_string_member (header, "format", SYN_AUDIT_FORMAT);
  json_object_set_int_member (header, "version", SYN_AUDIT_VERSION);
  json_object_set_string_member (header, "project_id", project->id);
  json_object_set_string_member (header, "project_name", project->name);
  json_object_set_string_member (header, "exported_at", now);
  json_object_set_int_member (header, "from_position", from_position);
  if (to_position >= 0)
    json_object_set_int_member (header, "to_position", to_position);
  else
    json_object_set_null_member (header, "to_position");
  json_object_set_string_member (header, "previous_hash", previous);
  node = syn_json_node_new_object (g_steal_pointer (&header));
  syn_json_compact_append (out, node);
  g_string_append_c (out, '\n');
}

/* Writes what @out holds to @stream and empties it. */
static gboolean
flush (GOutputStream *stream, GString *out, GError **error)
{
  gboolean ok = g_output_stream_write_all (stream, out->str, out->len, NULL, NULL, error);

  g_string_truncate (out, 0);
  return ok;
}

gboolean
syn_audit_write (SynStore *store, const char *project_id, gint64 from_position, gint64 to_position,
                 GOutputStream *stream, guint64 *n_events, char **head_hash, GError **error)
{
  g_autoptr(GString) out = g_string_sized_new (PAGE * 1024);
  g_autoptr(SynProject) project = NULL;
  g_autofree char *previous = g_strdup (SYN_EVENT_GENESIS_HASH);
  g_autofree char *head = NULL;
  g_autoptr(JsonObject) trailer = json_object_new ();
  g_autoptr(JsonNode) t = NULL;
  gint64 after = 0, head_position = -1;
  guint64 n = 0;
  gboolean done = FALSE, header_written = FALSE;

  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!(project = syn_store_get_project (store, project_id, error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project %s", project_id);
      return FALSE;
    }
  if (to_position >= 0 && to_position < from_position)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                   "The audit's end (position %" G_GINT64_FORMAT ") is before its start (position %" G_GINT64_FORMAT ")",
                   to_position, from_position);
      return FALSE;
    }
  /* from the first event: the hash the exported part follows is the one
   * of the last event before it, which the reader cannot recompute; each
   * page is written as it is read, so memory stays one page whatever the
   * project's size */
  while (!done)
    {
      g_autoptr(GPtrArray) page = syn_store_list_events_after (store, project_id, after, PAGE, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len && !done; i++)
        {
          SynEvent *e = g_ptr_array_index (page, i);
          g_autoptr(JsonNode) node = NULL;

          after = e->position;
          if (to_position >= 0 && e->position > to_position)
            {
              done = TRUE;
              break;
            }
          if (e->position <= from_position)
            {
              g_free (previous);
              previous = g_strdup (e->hash);
              continue;
            }
          if (!header_written)
            {
              append_header (out, project, from_position, to_position, previous);
              header_written = TRUE;
            }
          node = syn_event_to_json (e);
          syn_json_compact_append (out, node);
          g_string_append_c (out, '\n');
          n++;
          g_free (head);
          head = g_strdup (e->hash);
          head_position = e->position;
        }
      if (page->len < PAGE)
        done = TRUE;
      if (!flush (stream, out, error))
        return FALSE;
    }

  if (!header_written)
    append_header (out, project, from_position, to_position, previous);
  json_object_set_boolean_member (trailer, "end", TRUE);
  json_object_set_int_member (trailer, "events", (gint64) n);
  json_object_set_string_member (trailer, "head_hash", head ? head : previous);
  json_object_set_int_member (trailer, "head_position", head_position);
  t = syn_json_node_new_object (g_steal_pointer (&trailer));
  syn_json_compact_append (out, t);
  g_string_append_c (out, '\n');
  if (!flush (stream, out, error))
    return FALSE;
  if (n_events)
    *n_events = n;
  if (head_hash)
    *head_hash = g_strdup (head ? head : previous);
  return TRUE;
}

GString *
syn_audit_export (SynStore *store, const char *project_id, gint64 from_position, gint64 to_position,
                  guint64 *n_events, char **head_hash, GError **error)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  GString *out;
  gsize size;
  char *data;

  if (!syn_audit_write (store, project_id, from_position, to_position, stream, n_events, head_hash, error) ||
      !g_output_stream_close (stream, NULL, error))
    return NULL;
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  data = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  out = g_string_new_len (data, (gssize) size);
  g_free (data);
  return out;
}

/* ------------------------------------------------------------------------- */

static gboolean
bad_line (GError **error, const char *path, guint line, const char *what)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, "%s, line %u: %s", path, line, what);
  return FALSE;
}

static void
finding (JsonArray *findings, const char *check, const char *kind, SynEvent *e, char *message)
{
  JsonObject *f = json_object_new ();

  json_object_set_string_member (f, "check", check);
  json_object_set_string_member (f, "kind", kind);
  json_object_set_string_member (f, "message", message);
  if (e != NULL)
    {
      json_object_set_string_member (f, "event_id", e->id);
      json_object_set_int_member (f, "position", e->position);
      json_object_set_string_member (f, "batch", e->correlation_id);
    }
  g_free (message);
  json_array_add_object_element (findings, f);
}

static void
add_check (JsonArray *checks, const char *name, guint before, JsonArray *findings)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "name", name);
  json_object_set_boolean_member (c, "ok", json_array_get_length (findings) == before);
  json_object_set_int_member (c, "findings", json_array_get_length (findings) - before);
  json_array_add_object_element (checks, c);
}

JsonNode *
syn_audit_verify_file (const char *path, const char *expect, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) trailer = NULL;
  g_autoptr(JsonArray) findings = json_array_new ();
  g_autoptr(JsonArray) checks = json_array_new ();
  g_autofree char *previous = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(SynEvent) broken_event = NULL;
  gint64 last_position = -1, expect_position = -1;
  guint64 n = 0;
  guint line_no = 0;
  JsonObject *answer;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  if (!(raw = g_file_read (file, NULL, error)))
    return NULL;
  in = g_data_input_stream_new (G_INPUT_STREAM (raw));
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &local_error);
      g_autoptr(JsonObject) object = NULL;

      if (local_error != NULL)
        {
          bad_line (error, path, line_no + 1, local_error->message);
          return NULL;
        }
      if (line == NULL)
        break;
      line_no++;
      if (*line == '\0')
        continue;
      if (trailer != NULL)
        {
          bad_line (error, path, line_no, "text after the trailer (the file was appended to)");
          return NULL;
        }
      if (!(object = syn_json_parse_object (line, -1, &local_error)))
        {
          bad_line (error, path, line_no, local_error->message);
          return NULL;
        }
      if (header == NULL)
        {
          if (g_strcmp0 (syn_json_get_string (object, "format"), SYN_AUDIT_FORMAT) != 0 ||
              json_object_get_int_member_with_default (object, "version", 0) != SYN_AUDIT_VERSION ||
              syn_json_get_string (object, "previous_hash") == NULL)
            {
              bad_line (error, path, line_no, "not the header of a Synapse audit file (version 1)");
              return NULL;
            }
          header = g_steal_pointer (&object);
          previous = g_strdup (syn_json_get_string (header, "previous_hash"));
          if (expect != NULL && g_ascii_strcasecmp (expect, previous) == 0)
            expect_position = json_object_get_int_member_with_default (header, "from_position", 0);
          continue;
        }
      if (json_object_get_boolean_member_with_default (object, "end", FALSE))
        {
          trailer = g_steal_pointer (&object);
          continue;
        }
      {
        g_autoptr(SynEvent) e = syn_event_from_json (object, &local_error);
        g_autofree char *expected = NULL;

        if (e == NULL)
          {
            bad_line (error, path, line_no, local_error->message);
            return NULL;
          }
        expected = syn_event_compute_hash (e, previous);
        if (broken == NULL && g_strcmp0 (expected, e->hash) != 0)
          {
            broken = g_strdup_printf ("the hash chain breaks at event %s (line %u, position %" G_GINT64_FORMAT
                                      "): its hash does not match its content after the event before it",
                                      e->id, line_no, e->position);
            broken_event = g_object_ref (e);
          }
        if (e->position <= last_position)
          finding (findings, "sequences", "position_order", e,
                   g_strdup_printf ("line %u: position %" G_GINT64_FORMAT " does not follow %" G_GINT64_FORMAT,
                                    line_no, e->position, last_position));
        last_position = e->position;
        g_free (previous);
        previous = g_strdup (e->hash ? e->hash : expected);
        if (expect != NULL && broken == NULL && g_ascii_strcasecmp (expect, previous) == 0)
          expect_position = e->position;
        n++;
      }
    }
  if (header == NULL)
    {
      bad_line (error, path, line_no, "empty: no header");
      return NULL;
    }

  {
    guint before = 0;

    if (broken != NULL)
      finding (findings, "chain", "broken_chain", broken_event, g_steal_pointer (&broken));
    add_check (checks, "chain", before, findings);
    before = json_array_get_length (findings);
    if (trailer == NULL)
      finding (findings, "trailer", "truncated", NULL,
               g_strdup ("the file ends without its trailer: events at its end may be missing"));
    else if (g_strcmp0 (syn_json_get_string (trailer, "head_hash"), previous) != 0 ||
             json_object_get_int_member_with_default (trailer, "events", -1) != (gint64) n)
      finding (findings, "trailer", "trailer_differs", NULL,
               g_strdup_printf ("the trailer says %" G_GINT64_FORMAT " events ending in %s; the file holds %"
                                G_GUINT64_FORMAT " ending in %s",
                                json_object_get_int_member_with_default (trailer, "events", -1),
                                syn_json_get_string (trailer, "head_hash"), n, previous));
    add_check (checks, "trailer", before, findings);
    if (expect != NULL)
      {
        before = json_array_get_length (findings);
        if (expect_position < 0)
          finding (findings, "expect", "unexpected_head", NULL,
                   g_strdup_printf ("the hash %s is not in this file's chain (its head is %s)", expect, previous));
        add_check (checks, "expect", before, findings);
      }
  }

  answer = json_object_new ();
  json_object_set_string_member (answer, "file", path);
  json_object_set_string_member (answer, "project_id", syn_json_get_string (header, "project_id"));
  json_object_set_boolean_member (answer, "ok", json_array_get_length (findings) == 0);
  json_object_set_int_member (answer, "events", (gint64) n);
  json_object_set_int_member (answer, "head_position", last_position);
  json_object_set_string_member (answer, "head_hash", previous);
  if (expect != NULL)
    {
      json_object_set_string_member (answer, "expected", expect);
      if (expect_position >= 0)
        json_object_set_int_member (answer, "expected_position", expect_position);
    }
  json_object_set_array_member (answer, "checks", g_steal_pointer (&checks));
  json_object_set_array_member (answer, "findings", g_steal_pointer (&findings));
  return syn_json_node_new_object (answer);
}
