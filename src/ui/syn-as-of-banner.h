/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-as-of-banner.h: SynAsOfBanner, the bar across the window that says the project is shown as of a
 * past moment, read-only, with the way back to now. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"

G_BEGIN_DECLS

#define SYN_TYPE_AS_OF_BANNER (syn_as_of_banner_get_type ())

G_DECLARE_FINAL_TYPE (SynAsOfBanner, syn_as_of_banner, SYN, AS_OF_BANNER, GtkWidget)

void        syn_as_of_banner_set_session (SynAsOfBanner *self,
                                          SynSession    *session);
void        syn_as_of_banner_set_narrow  (SynAsOfBanner *self,
                                          gboolean       narrow);
gboolean    syn_as_of_banner_get_shown   (SynAsOfBanner *self);
const char *syn_as_of_banner_get_text    (SynAsOfBanner *self);

G_END_DECLS
