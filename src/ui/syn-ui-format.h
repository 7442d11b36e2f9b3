/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ui-format.h: how the GUI words and formats events, times and counts. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *syn_ui_json_object        (JsonObject *object,
                                       const char *member);
JsonArray  *syn_ui_json_array         (JsonObject *object,
                                       const char *member);

char       *syn_format_time           (const char *iso8601);
char       *syn_format_time_usec      (gint64      usec,
                                       gboolean    with_time);
char       *syn_format_short_id       (const char *uuid);
char       *syn_format_count          (gint64      count);
const char *syn_format_event_type     (const char *event_type);
const char *syn_format_event_kind     (const char *event_type);
const char *syn_format_discipline     (const char *discipline);
const char *syn_format_action_type    (const char *action_type);
char       *syn_format_event_subject  (JsonObject *event);
char       *syn_format_event_summary  (JsonObject *event);
char       *syn_format_batch_summary  (JsonObject *summary);
char       *syn_format_run_summary    (JsonObject *summary);
char       *syn_format_rollback_summary (JsonObject *summary);
char       *syn_format_value          (JsonNode   *value);
const char *syn_format_field          (const char *field);
char       *syn_format_list           (const char * const *parts,
                                       guint       n);
char       *syn_format_outputs        (gint64      assets,
                                       gint64      cables,
                                       gint64      edges);
char       *syn_format_rule_status    (JsonObject *line);
gboolean    syn_parse_date_field      (const char *text,
                                       gboolean    end,
                                       gint64     *out_usec,
                                       GError    **error);

G_END_DECLS
