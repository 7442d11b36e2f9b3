/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-session.h: SynSession, what the window's views share: the backend, the projects, the
 * current project and its rules, and a revision that moves when the project's data changes. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-backend.h"
#include "core/syn-project.h"
#include "store/syn-store.h"
#include "syn-project-status.h"

G_BEGIN_DECLS

#define SYN_TYPE_SESSION (syn_session_get_type ())

G_DECLARE_FINAL_TYPE (SynSession, syn_session, SYN, SESSION, GObject)

SynSession *syn_session_new                  (void);
SynBackend *syn_session_get_backend          (SynSession  *self);
void        syn_session_set_backend          (SynSession  *self,
                                              SynBackend  *backend,
                                              gboolean     remote,
                                              const char  *label);
gboolean    syn_session_get_remote           (SynSession  *self);
const char *syn_session_get_connection_label (SynSession  *self);
GListModel *syn_session_get_projects         (SynSession  *self);
SynProject *syn_session_get_project          (SynSession  *self);
const char *syn_session_get_project_id       (SynSession  *self);
void        syn_session_set_project          (SynSession  *self,
                                              SynProject  *project);
SynBackend *syn_session_open_local           (SynSession       *self,
                                              const char       *path,
                                              SynStoreOpenFlags flags,
                                              const char       *user_id,
                                              const char       *label,
                                              const char       *preferred_id,
                                              gboolean          create_demo_if_empty,
                                              GError          **error);
void        syn_session_load_projects        (SynSession  *self,
                                              const char  *preferred_id,
                                              gboolean     create_demo_if_empty);
GListModel *syn_session_get_rules            (SynSession  *self);
const char *syn_session_get_rule_label       (SynSession  *self,
                                              const char  *rule_id);
SynProjectStatus *syn_session_get_status     (SynSession  *self);
guint       syn_session_get_revision         (SynSession  *self);
void        syn_session_data_changed         (SynSession  *self);
gboolean    syn_session_get_external_change  (SynSession  *self);
gboolean    syn_session_get_loading          (SynSession  *self);
void        syn_session_report_error         (SynSession  *self,
                                              const char  *what,
                                              const GError *error);
void        syn_session_report_info          (SynSession  *self,
                                              const char  *message);
void        syn_session_report_info_with_action (SynSession *self,
                                              const char  *message,
                                              const char  *label,
                                              const char  *detailed_action);
void        syn_session_redo                 (SynSession  *self,
                                              const char  *correlation_id);
void        syn_session_show_batch           (SynSession  *self,
                                              const char  *correlation_id);
void        syn_session_show_asset           (SynSession  *self,
                                              const char  *asset_id,
                                              const char  *tag);
void        syn_session_set_as_of            (SynSession  *self,
                                              const char  *moment);
const char *syn_session_get_as_of            (SynSession  *self);
JsonObject *syn_session_get_as_of_info       (SynSession  *self);
SynBackend *syn_session_get_data_backend     (SynSession  *self);

G_END_DECLS
