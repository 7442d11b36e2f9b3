/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project.h: SynProject, one engineering project. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_PROJECT (syn_project_get_type ())

/* The reserved project whose stream records the changes of library rules
 * (the rules every project shares). It has no assets; project lists leave
 * it out; its name is "Rule library". */
#define SYN_LIBRARY_PROJECT_ID "library"

G_DECLARE_FINAL_TYPE (SynProject, syn_project, SYN, PROJECT, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynProject
{
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  char *country;
  gint64 created_at;
};

SynProject *syn_project_new       (void);
SynProject *syn_project_copy      (SynProject   *self);
JsonNode  *syn_project_to_json   (SynProject   *self);
SynProject *syn_project_from_json (JsonObject *object,
                                    GError    **error);

G_END_DECLS
