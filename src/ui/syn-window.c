/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-window.c: SynWindow: the project selector, the view switcher and the connection state in the
 * header bar; the execution panel, the timeline, the assets and cables and the asset history bound to one
 * SynSession.
 *
 * Where the header bar has no room for the view switcher, it moves to a bar
 * at the bottom (AdwViewSwitcherTitle); narrower than NARROW_WIDTH (a phone,
 * half a small screen) the views lay themselves out for it (the execution
 * panel shows its filters or its run, one at a time). Nothing of that
 * changes how narrow the window may be made (360 pixels), so the switch
 * cannot swing back and forth. */
#include "config.h"

#include <glib/gi18n.h>

#include "backend/syn-local-backend.h"
#include "syn-window-private.h"

#define INFO_TOAST_SECONDS  10
#define NARROW_WIDTH        720

G_DEFINE_FINAL_TYPE (SynWindow, syn_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------- */
/* Messages: toasts, the newest replacing the one shown                      */

static void
on_toast_dismissed (AdwToast *toast, SynWindow *self)
{
  if (self->toast != toast)
    return;
  self->toast = NULL;
  g_clear_pointer (&self->toast_text, g_free);
  g_clear_pointer (&self->toast_button, g_free);
}

void
_syn_window_dismiss_message (SynWindow *self)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

/* Errors stay until dismissed; news goes away by itself. A toast's title is
 * Pango markup in libadwaita 1.2: the text is escaped. */
static AdwToast *
show_toast (SynWindow *self, const char *text, gboolean is_error, gboolean stays)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  _syn_window_dismiss_message (self);
  adw_toast_set_timeout (toast, is_error || stays ? 0 : self->news_seconds);
  if (is_error)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  self->toast = toast;
  self->toast_text = g_strdup (text);
  return toast;
}

void
_syn_window_show_message (SynWindow *self, const char *text, gboolean is_error)
{
  adw_toast_overlay_add_toast (self->toast_overlay, show_toast (self, text, is_error, FALSE));
}

static void
on_session_message (SynSession *session, const char *text, gboolean is_error, SynWindow *self)
{
  _syn_window_show_message (self, text, is_error);
}

/* News with a button (Undo after a rollback): it stays until dismissed or
 * replaced, so that the offer does not vanish under the pointer. */
static void
on_session_message_with_action (SynSession *session, const char *text, const char *label,
                                const char *detailed_action, SynWindow *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!g_action_parse_detailed_name (detailed_action, &name, &target, &error))
    {
      g_critical ("%s: %s", detailed_action, error->message);
      _syn_window_show_message (self, text, FALSE);
      return;
    }
  toast = show_toast (self, text, FALSE, TRUE);
  adw_toast_set_button_label (toast, label);
  adw_toast_set_action_name (toast, name);
  if (target != NULL)
    adw_toast_set_action_target_value (toast, target);
  self->toast_button = g_strdup (label);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ------------------------------------------------------------------------- */
/* Projects and connection                                                   */

static char *
project_name (SynProject *project)
{
  return g_strdup (project ? project->name : "");
}

/* The project's name; in the button (@in_button) it gives way to the
 * window's width, ellipsized. */
static void
project_item_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer in_button)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (in_button))
    {
      /* a few letters even in a narrow window, a long name never holds it wide */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
    }
  gtk_list_item_set_child (item, label);
}

static void
project_item_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer in_button)
{
  SynProject *project = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), project ? project->name : "");
}

static GtkListItemFactory *
project_factory (gboolean in_button)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (project_item_setup), GINT_TO_POINTER (in_button));
  g_signal_connect (factory, "bind", G_CALLBACK (project_item_bind), GINT_TO_POINTER (in_button));
  return factory;
}

static void
sync_dropdown (SynWindow *self)
{
  GListModel *projects = syn_session_get_projects (self->session);
  const char *id = syn_session_get_project_id (self->session);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; id != NULL && i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(SynProject) project = g_list_model_get_item (projects, i);

      if (g_strcmp0 (project->id, id) == 0)
        selected = i;
    }
  self->syncing_dropdown = TRUE;
  gtk_drop_down_set_selected (self->project_dropdown, selected);
  self->syncing_dropdown = FALSE;
}

static void
on_project_changed (SynWindow *self)
{
  SynProject *project = syn_session_get_project (self->session);
  g_autofree char *title = NULL;

  sync_dropdown (self);
  if (project != NULL)
    {
      title = g_strdup_printf ("%s — Synapse", project->name);
      if (self->settings != NULL && !syn_session_get_remote (self->session))
        g_settings_set_string (self->settings, "last-project", project->id);
    }
  gtk_window_set_title (GTK_WINDOW (self), title ? title : "Synapse");
  _syn_window_update_actions (self);
}

static void
on_dropdown_selected (SynWindow *self)
{
  g_autoptr(SynProject) project = NULL;

  if (self->syncing_dropdown)
    return;
  project = gtk_drop_down_get_selected_item (self->project_dropdown)
            ? g_object_ref (gtk_drop_down_get_selected_item (self->project_dropdown)) : NULL;
  if (project != NULL)
    syn_session_set_project (self->session, project);
}

/* Narrow, "Local" gives its room to the project's name: only a server is
 * worth saying there. */
static void
update_connection_visible (SynWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), !self->narrow || syn_session_get_remote (self->session));
}

static void
on_connection_changed (SynWindow *self)
{
  SynBackend *backend;

  gtk_label_set_text (self->connection_label, syn_session_get_connection_label (self->session));
  if (syn_session_get_remote (self->session))
    gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "remote");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "remote");
  backend = syn_session_get_backend (self->session);
  /* a local database's path: the default one's, or a clone's */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->connection_label),
                               syn_session_get_remote (self->session)
                               ? _("Connected to a team server")
                               : backend && SYN_IS_LOCAL_BACKEND (backend)
                               ? syn_local_backend_get_uri (SYN_LOCAL_BACKEND (backend))
                               : self->local_db);
  update_connection_visible (self);
  _syn_window_update_actions (self);
}

static void
on_loading_changed (SynWindow *self)
{
  gtk_spinner_set_spinning (self->spinner, syn_session_get_loading (self->session));
}

/* Opens (or creates) the local database and shows its projects; on first
 * start, the demo project is created and selected. */
gboolean
syn_window_open_local (SynWindow *self, const char *db_uri, GError **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (SYN_IS_WINDOW (self), FALSE);

  /* the default database's folder is made; a given path's must exist */
  if (db_uri == NULL)
    {
      db_uri = default_path = syn_store_default_path ();
      if (!syn_store_make_default_folder (error))
        return FALSE;
    }
  if (self->settings != NULL)
    last = g_settings_get_string (self->settings, "last-project");
  /* events and executions record who made them: here, the person logged in */
  if (syn_session_open_local (self->session, db_uri, SYN_STORE_OPEN_DEFAULT, g_get_user_name (), _("Local"),
                              last && *last ? last : NULL, TRUE, error) == NULL)
    return FALSE;
  g_free (self->local_db);
  self->local_db = g_strdup (db_uri);
  return TRUE;
}

SynSession *
syn_window_get_session (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->session;
}

void
syn_window_show_view (SynWindow *self, const char *name)
{
  g_return_if_fail (SYN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
syn_window_get_view (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

SynExecutionPanel *
syn_window_get_execution_panel (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->execution_panel;
}

SynTimelineView *
syn_window_get_timeline_view (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->timeline_view;
}

SynAssetHistoryView *
syn_window_get_history_view (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->history_view;
}

SynAssetsView *
syn_window_get_assets_view (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->assets_view;
}

/* The message shown (a toast), if any. */
const char *
syn_window_get_banner (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->toast_text;
}

/* How long news (not errors, not offers) stays shown; 0: until dismissed or
 * replaced. Tests that read a message after slow work set 0, so that a
 * loaded machine's clock does not take the message away first. */
void
syn_window_set_news_timeout (SynWindow *self, guint seconds)
{
  g_return_if_fail (SYN_IS_WINDOW (self));
  self->news_seconds = seconds;
}

/* The label of the button the message offers (Undo), or NULL. */
const char *
syn_window_get_banner_action (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), NULL);
  return self->toast_button;
}

/* Does what the message's button does, as a click would; FALSE without one. */
gboolean
syn_window_activate_banner_action (SynWindow *self)
{
  const char *name;
  GVariant *target;
  gboolean done;

  g_return_val_if_fail (SYN_IS_WINDOW (self), FALSE);
  if (self->toast == NULL || self->toast_button == NULL)
    return FALSE;
  name = adw_toast_get_action_name (self->toast);
  target = adw_toast_get_action_target_value (self->toast);
  done = gtk_widget_activate_action_variant (GTK_WIDGET (self), name, target);
  _syn_window_dismiss_message (self);
  return done;
}

static void
on_show_batch (SynSession *session, const char *correlation_id, SynWindow *self)
{
  syn_window_show_view (self, "timeline");
}

static void
on_show_asset (SynSession *session, const char *asset_id, const char *tag, SynWindow *self)
{
  syn_window_show_view (self, "history");
}

/* ------------------------------------------------------------------------- */
/* Narrow windows                                                            */

static gboolean
apply_narrow (gpointer data)
{
  SynWindow *self = data;

  self->narrow_idle = 0;
  update_connection_visible (self);
  syn_execution_panel_set_narrow (self->execution_panel, self->narrow);
  syn_asset_history_view_set_narrow (self->history_view, self->narrow);
  syn_assets_view_set_narrow (self->assets_view, self->narrow);
  syn_as_of_banner_set_narrow (self->as_of_banner, self->narrow);
  syn_sync_bar_set_narrow (self->sync_bar, self->narrow);
  return G_SOURCE_REMOVE;
}

/* The layout follows the width once it is known, never during the
 * allocation itself. */
static void
syn_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  SynWindow *self = SYN_WINDOW (widget);
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (syn_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_idle == 0)
        self->narrow_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_narrow, self, NULL);
    }
}

/* Whether the window is laid out for a narrow width. */
gboolean
syn_window_get_narrow (SynWindow *self)
{
  g_return_val_if_fail (SYN_IS_WINDOW (self), FALSE);
  return self->narrow;
}

static gboolean
syn_window_close_request (GtkWindow *window)
{
  SynWindow *self = SYN_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", MAX (width, 360));
          g_settings_set_int (self->settings, "window-height", MAX (height, 360));
        }
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }
  return GTK_WINDOW_CLASS (syn_window_parent_class)->close_request (window);
}

static void
syn_window_dispose (GObject *object)
{
  SynWindow *self = SYN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  if (self->sign_in_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
  self->sign_in_dialog = NULL;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->project_dropdown != NULL)
    g_signal_handlers_disconnect_by_data (self->project_dropdown, self);
  /* the views let go of the session before it is emptied */
  if (self->execution_panel != NULL)
    syn_execution_panel_set_session (self->execution_panel, NULL);
  if (self->timeline_view != NULL)
    syn_timeline_view_set_session (self->timeline_view, NULL);
  if (self->history_view != NULL)
    syn_asset_history_view_set_session (self->history_view, NULL);
  if (self->assets_view != NULL)
    syn_assets_view_set_session (self->assets_view, NULL);
  if (self->as_of_banner != NULL)
    syn_as_of_banner_set_session (self->as_of_banner, NULL);
  if (self->sync_bar != NULL)
    syn_sync_bar_set_session (self->sync_bar, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_WINDOW);
  if (self->session != NULL)
    syn_session_set_backend (self->session, NULL, FALSE, NULL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_window_parent_class)->dispose (object);
}

static void
syn_window_finalize (GObject *object)
{
  SynWindow *self = SYN_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->local_db, g_free);
  g_clear_pointer (&self->toast_text, g_free);
  g_clear_pointer (&self->toast_button, g_free);

  G_OBJECT_CLASS (syn_window_parent_class)->finalize (object);
}

static void
syn_window_class_init (SynWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = syn_window_dispose;
  object_class->finalize = syn_window_finalize;
  window_class->close_request = syn_window_close_request;
  widget_class->size_allocate = syn_window_size_allocate;

  g_type_ensure (SYN_TYPE_EXECUTION_PANEL);
  g_type_ensure (SYN_TYPE_TIMELINE_VIEW);
  g_type_ensure (SYN_TYPE_ASSET_HISTORY_VIEW);
  g_type_ensure (SYN_TYPE_ASSETS_VIEW);
  g_type_ensure (SYN_TYPE_AS_OF_BANNER);
  g_type_ensure (SYN_TYPE_SYNC_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SynWindow, project_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, execution_panel);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, assets_view);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, as_of_banner);
  gtk_widget_class_bind_template_child (widget_class, SynWindow, sync_bar);

  _syn_window_class_add_actions (widget_class);
}

static void
syn_window_init (SynWindow *self)
{
  g_autoptr(GtkExpression) name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->news_seconds = INFO_TOAST_SECONDS;
  self->cancellable = g_cancellable_new ();
  self->session = syn_session_new ();

  name = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (project_name), NULL, NULL);
  gtk_drop_down_set_expression (self->project_dropdown, name);
  {
    g_autoptr(GtkListItemFactory) button = project_factory (TRUE);
    g_autoptr(GtkListItemFactory) list = project_factory (FALSE);

    gtk_drop_down_set_factory (self->project_dropdown, button);
    gtk_drop_down_set_list_factory (self->project_dropdown, list);
  }
  gtk_drop_down_set_model (self->project_dropdown, syn_session_get_projects (self->session));
  g_signal_connect_swapped (self->project_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self);

  g_signal_connect_swapped (self->session, "notify::project", G_CALLBACK (on_project_changed), self);
  g_signal_connect_swapped (self->session, "notify::connection-label", G_CALLBACK (on_connection_changed), self);
  g_signal_connect_swapped (self->session, "notify::loading", G_CALLBACK (on_loading_changed), self);
  g_signal_connect (self->session, "message", G_CALLBACK (on_session_message), self);
  g_signal_connect (self->session, "message-with-action", G_CALLBACK (on_session_message_with_action), self);
  g_signal_connect (self->session, "show-batch", G_CALLBACK (on_show_batch), self);
  g_signal_connect (self->session, "show-asset", G_CALLBACK (on_show_asset), self);

  syn_execution_panel_set_session (self->execution_panel, self->session);
  syn_timeline_view_set_session (self->timeline_view, self->session);
  syn_asset_history_view_set_session (self->history_view, self->session);
  syn_assets_view_set_session (self->assets_view, self->session);
  syn_as_of_banner_set_session (self->as_of_banner, self->session);
  syn_sync_bar_set_session (self->sync_bar, self->session);
  g_signal_connect_swapped (self->session, "notify::as-of", G_CALLBACK (_syn_window_update_actions), self);
  on_connection_changed (self);
}

/* @settings: (nullable): window state, last project and server; NULL when
 * the schema is not installed (running from a build directory, say). */
SynWindow *
syn_window_new (GtkApplication *application, GSettings *settings)
{
  SynWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SYN_TYPE_WINDOW, "application", application, NULL);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind (settings, "last-view", self->stack, "visible-child-name", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "dry-run", self->execution_panel, "dry-run", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "include-rolled-back", self->timeline_view, "include-rolled-back",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1180, 760);
  _syn_window_update_actions (self);
  return self;
}
