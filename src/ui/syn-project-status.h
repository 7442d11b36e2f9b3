/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project-status.h: SynProjectStatus, whether a project is up to date with its rules, checked off the main loop. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "backend/syn-backend.h"

G_BEGIN_DECLS

typedef enum {
  SYN_PROJECT_STATE_NONE,          /* no project to check */
  SYN_PROJECT_STATE_CHECKING,
  SYN_PROJECT_STATE_UP_TO_DATE,
  SYN_PROJECT_STATE_OUT_OF_DATE,
  SYN_PROJECT_STATE_FAILED,
} SynProjectState;

#define SYN_TYPE_PROJECT_STATE (syn_project_state_get_type ())
GType syn_project_state_get_type (void);

#define SYN_TYPE_PROJECT_STATUS (syn_project_status_get_type ())

G_DECLARE_FINAL_TYPE (SynProjectStatus, syn_project_status, SYN, PROJECT_STATUS, GObject)

SynProjectStatus *syn_project_status_new       (void);
void              syn_project_status_check     (SynProjectStatus *self,
                                                SynBackend       *backend,
                                                const char       *project_id);
SynProjectState   syn_project_status_get_state  (SynProjectStatus *self);
JsonObject       *syn_project_status_get_report (SynProjectStatus *self);
const char       *syn_project_status_get_error  (SynProjectStatus *self);
JsonObject       *syn_project_status_get_rule   (SynProjectStatus *self,
                                                 const char       *rule_id);
gint64            syn_project_status_get_total  (SynProjectStatus *self,
                                                 const char       *member);
gboolean          syn_project_status_is_out_of_date (SynProjectStatus *self,
                                                     const char       *id);

G_END_DECLS
