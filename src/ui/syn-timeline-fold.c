/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-fold.c: SynTimelineFold, the timeline's events with collapsed batches left out.
 *
 * A batch's events follow each other in the list (newest first, one batch
 * written at a time), so a collapsed batch is one range of positions of the
 * model below: its first row stays, the others are skipped. Nothing is
 * fetched or walked: a position maps through the few ranges collapsed. */
#include "config.h"

#include "syn-timeline-fold.h"

typedef struct
{
  guint first;   /* the header row, in the model's positions */
  guint n;       /* rows left out after it */
} Fold;

struct _SynTimelineFold
{
  GObject     parent_instance;

  GListModel *model;
  GArray     *folds;    /* Fold, sorted by first, not overlapping */
  guint       hidden;   /* the sum of their n */
};

enum {
  PROP_0,
  PROP_N_FOLDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void syn_timeline_fold_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynTimelineFold, syn_timeline_fold, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, syn_timeline_fold_list_model_init))

static GType
fold_get_item_type (GListModel *list)
{
  return g_list_model_get_item_type (SYN_TIMELINE_FOLD (list)->model);
}

static guint
fold_get_n_items (GListModel *list)
{
  SynTimelineFold *self = SYN_TIMELINE_FOLD (list);
  guint n = g_list_model_get_n_items (self->model);

  return n > self->hidden ? n - self->hidden : 0;
}

/* Shown position -> the model's: past each fold that starts at or before it. */
static guint
to_model (SynTimelineFold *self, guint position)
{
  for (guint i = 0; i < self->folds->len; i++)
    {
      Fold *fold = &g_array_index (self->folds, Fold, i);

      if (fold->first >= position)
        break;
      position += fold->n;
    }
  return position;
}

/* The model's position of a header -> where it is shown. */
static guint
to_shown (SynTimelineFold *self, guint first)
{
  guint position = first;

  for (guint i = 0; i < self->folds->len; i++)
    {
      Fold *fold = &g_array_index (self->folds, Fold, i);

      if (fold->first >= first)
        break;
      position -= fold->n;
    }
  return position;
}

static gpointer
fold_get_item (GListModel *list, guint position)
{
  SynTimelineFold *self = SYN_TIMELINE_FOLD (list);

  if (position >= fold_get_n_items (list))
    return NULL;
  return g_list_model_get_item (self->model, to_model (self, position));
}

static void
syn_timeline_fold_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fold_get_item_type;
  iface->get_n_items = fold_get_n_items;
  iface->get_item = fold_get_item;
}

static void
unfold_all (SynTimelineFold *self, guint old_model_n)
{
  guint old_shown = old_model_n - self->hidden;

  g_array_set_size (self->folds, 0);
  self->hidden = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_shown, g_list_model_get_n_items (self->model));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FOLDS]);
}

/* The list below changed: what was folded means nothing now (a new query,
 * new events on top), so everything shows again. */
static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, SynTimelineFold *self)
{
  if (self->folds->len == 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }
  unfold_all (self, g_list_model_get_n_items (model) - added + removed);
}

static void
syn_timeline_fold_dispose (GObject *object)
{
  SynTimelineFold *self = SYN_TIMELINE_FOLD (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (syn_timeline_fold_parent_class)->dispose (object);
}

static void
syn_timeline_fold_finalize (GObject *object)
{
  SynTimelineFold *self = SYN_TIMELINE_FOLD (object);

  g_clear_pointer (&self->folds, g_array_unref);

  G_OBJECT_CLASS (syn_timeline_fold_parent_class)->finalize (object);
}

static void
syn_timeline_fold_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_FOLDS:
      g_value_set_uint (value, SYN_TIMELINE_FOLD (object)->folds->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_timeline_fold_class_init (SynTimelineFoldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_timeline_fold_dispose;
  object_class->finalize = syn_timeline_fold_finalize;
  object_class->get_property = syn_timeline_fold_get_property;

  /* headers follow it to show their batch collapsed or not */
  properties[PROP_N_FOLDS] =
    g_param_spec_uint ("n-folds", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_timeline_fold_init (SynTimelineFold *self)
{
  self->folds = g_array_new (FALSE, FALSE, sizeof (Fold));
}

SynTimelineFold *
syn_timeline_fold_new (GListModel *model)
{
  SynTimelineFold *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (SYN_TYPE_TIMELINE_FOLD, NULL);
  self->model = g_object_ref (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}

static int
find (SynTimelineFold *self, guint first)
{
  for (guint i = 0; i < self->folds->len; i++)
    if (g_array_index (self->folds, Fold, i).first == first)
      return (int) i;
  return -1;
}

/* Leaves out the @n_rows - 1 rows after @first (the model's position of a
 * batch's first row); FALSE when there is nothing to leave out or they
 * overlap a fold already made. */
gboolean
syn_timeline_fold_collapse (SynTimelineFold *self, guint first, guint n_rows)
{
  guint n_model, index = 0;
  Fold fold;

  g_return_val_if_fail (SYN_IS_TIMELINE_FOLD (self), FALSE);

  n_model = g_list_model_get_n_items (self->model);
  if (first >= n_model || n_rows < 2 || find (self, first) >= 0)
    return FALSE;
  fold.first = first;
  fold.n = MIN (n_rows - 1, n_model - first - 1);
  if (fold.n == 0)
    return FALSE;
  for (; index < self->folds->len; index++)
    {
      Fold *other = &g_array_index (self->folds, Fold, index);

      if (other->first > first)
        {
          if (first + fold.n >= other->first)
            return FALSE;
          break;
        }
      if (other->first + other->n >= first)
        return FALSE;
    }
  g_array_insert_val (self->folds, index, fold);
  self->hidden += fold.n;
  g_list_model_items_changed (G_LIST_MODEL (self), to_shown (self, first) + 1, fold.n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FOLDS]);
  return TRUE;
}

gboolean
syn_timeline_fold_expand (SynTimelineFold *self, guint first)
{
  int index;
  guint n;

  g_return_val_if_fail (SYN_IS_TIMELINE_FOLD (self), FALSE);

  index = find (self, first);
  if (index < 0)
    return FALSE;
  n = g_array_index (self->folds, Fold, index).n;
  g_array_remove_index (self->folds, (guint) index);
  self->hidden -= n;
  g_list_model_items_changed (G_LIST_MODEL (self), to_shown (self, first) + 1, 0, n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FOLDS]);
  return TRUE;
}

gboolean
syn_timeline_fold_is_collapsed (SynTimelineFold *self, guint first)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_FOLD (self), FALSE);
  return find (self, first) >= 0;
}

guint
syn_timeline_fold_get_n_folds (SynTimelineFold *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_FOLD (self), 0);
  return self->folds->len;
}

/* Where the model's @index is shown, or GTK_INVALID_LIST_POSITION (G_MAXUINT)
 * when it is in a collapsed batch. */
guint
syn_timeline_fold_get_shown_position (SynTimelineFold *self, guint index)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_FOLD (self), G_MAXUINT);

  for (guint i = 0; i < self->folds->len; i++)
    {
      Fold *fold = &g_array_index (self->folds, Fold, i);

      if (index > fold->first && index <= fold->first + fold->n)
        return G_MAXUINT;
    }
  return index < g_list_model_get_n_items (self->model) ? to_shown (self, index) : G_MAXUINT;
}

/* Everything shown again: the list below was refilled in place (its rows
 * moved without a change of length being told). */
void
syn_timeline_fold_expand_all (SynTimelineFold *self)
{
  g_return_if_fail (SYN_IS_TIMELINE_FOLD (self));

  if (self->folds->len > 0)
    unfold_all (self, g_list_model_get_n_items (self->model));
}
