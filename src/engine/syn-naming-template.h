/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-naming-template.h: the tag templates of rule actions ("{area}-M-{tag_number}"): validation and expansion. */
#pragma once

#include <glib.h>

#include "core/syn-asset.h"

G_BEGIN_DECLS

/* Placeholders: {tag}, {type}, {area}, {tag_number}, {parent_tag}, {from_tag},
 * {to_tag} and {prop.NAME}; "{{" and "}}" stand for literal braces.
 * Errors are SYN_ENGINE_ERROR_INVALID_RULE (validation) and
 * SYN_ENGINE_ERROR_FAILED (expansion: a value the asset does not have). */

gboolean  syn_naming_template_validate (const char  *template,
                                        GError     **error);
char     *syn_naming_template_expand   (const char  *template,
                                        SynAsset    *source,
                                        const char  *from_tag,
                                        const char  *to_tag,
                                        GError     **error);

G_END_DECLS
