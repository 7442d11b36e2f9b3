/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-as-of-banner.c: SynAsOfBanner: "Showing the project as of <date>, batch <id> — read-only" and
 * Back to Now, revealed while the session shows a past moment (libadwaita 1.2 has no AdwBanner). */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-as-of-banner.h"
#include "syn-ui-format.h"

struct _SynAsOfBanner
{
  GtkWidget    parent_instance;

  SynSession  *session;
  GtkRevealer *revealer;
  GtkWidget   *box;
  GtkWidget   *text_box;
  GtkLabel    *label;
  GtkWidget   *back_button;
};

G_DEFINE_FINAL_TYPE (SynAsOfBanner, syn_as_of_banner, GTK_TYPE_WIDGET)

/* What the banner says of the moment shown. */
static char *
describe (SynSession *session)
{
  const char *moment = syn_session_get_as_of (session);
  JsonObject *info = syn_session_get_as_of_info (session);
  const char *when = info ? syn_json_get_string (info, "timestamp") : NULL;
  const char *batch = info ? syn_json_get_string (info, "correlation_id") : NULL;
  g_autofree char *date = NULL, *short_id = NULL;

  if (info == NULL)
    /* Translators: while the state of a past moment is read; %s is the moment asked (a position, date or batch) */
    return g_strdup_printf (_("Reading the project as of %s…"), moment);
  if (when == NULL)
    return g_strdup (_("Showing the project before its first event — read-only"));
  date = syn_format_time (when);
  short_id = syn_format_short_id (batch);
  /* Translators: the banner of a past moment: its date, then the short id of its batch */
  return g_strdup_printf (_("Showing the project as of %s, batch %s — read-only"), date, short_id);
}

static void
update (SynAsOfBanner *self)
{
  gboolean shown = self->session != NULL && syn_session_get_as_of (self->session) != NULL;
  g_autofree char *text = shown ? describe (self->session) : NULL;

  gtk_label_set_text (self->label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), text);
  gtk_revealer_set_reveal_child (self->revealer, shown);
  /* hidden, not only unrevealed: no empty row in the window */
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
}

static void
on_back (SynAsOfBanner *self)
{
  if (self->session != NULL)
    syn_session_set_as_of (self->session, NULL);
}

void
syn_as_of_banner_set_session (SynAsOfBanner *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_AS_OF_BANNER (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::as-of", G_CALLBACK (update), self);
      g_signal_connect_swapped (session, "notify::data-backend", G_CALLBACK (update), self);
    }
  update (self);
}

/* Narrow, the button goes under the sentence, which keeps the width. */
void
syn_as_of_banner_set_narrow (SynAsOfBanner *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_AS_OF_BANNER (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (self->back_button, narrow ? GTK_ALIGN_END : GTK_ALIGN_FILL);
}

gboolean
syn_as_of_banner_get_shown (SynAsOfBanner *self)
{
  g_return_val_if_fail (SYN_IS_AS_OF_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
syn_as_of_banner_get_text (SynAsOfBanner *self)
{
  g_return_val_if_fail (SYN_IS_AS_OF_BANNER (self), NULL);
  return gtk_label_get_text (self->label);
}

static void
syn_as_of_banner_dispose (GObject *object)
{
  SynAsOfBanner *self = SYN_AS_OF_BANNER (object);
  GtkWidget *child;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (syn_as_of_banner_parent_class)->dispose (object);
}

static void
syn_as_of_banner_class_init (SynAsOfBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_as_of_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "asofbanner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
syn_as_of_banner_init (SynAsOfBanner *self)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("document-open-recent-symbolic");

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->box, "as-of-banner");
  self->text_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_hexpand (self->text_box, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Past moment"), -1);
  gtk_box_append (GTK_BOX (self->text_box), icon);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (self->text_box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (self->box), self->text_box);
  self->back_button = gtk_button_new_with_mnemonic (_("_Back to Now"));
  gtk_widget_set_valign (self->back_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->back_button, _("Show the project as it is now, editable again"));
  gtk_widget_add_css_class (self->back_button, "suggested-action");
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back), self);
  gtk_box_append (GTK_BOX (self->box), self->back_button);
  gtk_revealer_set_child (self->revealer, self->box);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
