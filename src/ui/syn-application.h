/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-application.h: SynApplication, the GtkApplication of the synapse binary's GUI. */
#pragma once

#include <adwaita.h>

#include "syn-window.h"

G_BEGIN_DECLS

#define SYN_TYPE_APPLICATION (syn_application_get_type ())

G_DECLARE_FINAL_TYPE (SynApplication, syn_application, SYN, APPLICATION, AdwApplication)

SynApplication *syn_application_new          (GApplicationFlags  flags);
GSettings      *syn_application_get_settings (SynApplication    *self);
SynWindow      *syn_application_open_window  (SynApplication    *self,
                                              const char        *db_uri,
                                              const char        *connect_url);
int             syn_application_run_main     (int                argc,
                                              char             **argv);

G_END_DECLS
