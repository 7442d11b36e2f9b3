/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-quantity.h: numbers with units as engineers write them ("50 HP", "0.6 kV", "400 ft"): one scanner for the engine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SYN_QUANTITY_POWER_HP,     /* "50", "50 HP", "37 kW" (1 hp = 0.7457 kW) -> hp */
  SYN_QUANTITY_VOLTAGE_V,    /* "600", "600V", "0.6 kV", "600/347 V" -> V */
  SYN_QUANTITY_LENGTH_M,     /* "120", "120 m", "0.12 km", "400 ft" -> m */
} SynQuantityKind;

/* Reads an optionally signed decimal number at the start of @text (after
 * blanks), without the locale, hex, "inf" or "nan" that g_ascii_strtod()
 * would also take; "1,200" is refused (a thousands separator to some, a
 * decimal comma to others). Returns where the number ends, or NULL. */
const char *syn_quantity_scan        (const char       *text,
                                      double           *out);
/* A whole quantity: a number and one of the kind's units (none means the
 * kind's own). Errors (SYN_ENGINE_ERROR_SIZING) name what is wrong: "not a
 * number", or the unit and the units accepted. Zero and negative values are
 * the caller's to judge. */
gboolean    syn_quantity_parse       (const char       *text,
                                      SynQuantityKind   kind,
                                      double           *out,
                                      GError          **error);
const char *syn_quantity_units       (SynQuantityKind   kind);

/* A number at the start of @text, whatever follows ("150 PSI" -> 150). */
gboolean    syn_parse_number_prefix  (const char       *text,
                                      double           *out);
/* A positive voltage ("600", "600 V", "4.16kV", "600/347 V"). */
gboolean    syn_parse_voltage        (const char       *text,
                                      double           *out);

G_END_DECLS
