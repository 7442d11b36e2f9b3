/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cable-sizing.h: automatic motor power cable sizing (CEC), and parsing of its inputs. */
#pragma once

#include <glib.h>

#include "syn-quantity.h"

G_BEGIN_DECLS

/* The conductor_size of a load no listed conductor can serve. */
#define SYN_CABLE_SIZING_OVER_LIMIT "OVER_LIMIT"

/* The default voltage drop limit, in percent of the system voltage. */
#define SYN_CABLE_SIZING_DEFAULT_LIMIT_PCT 3.0

/* The result of one sizing. Strings are static: they live as long as the
 * program. When over_limit is TRUE, conductor_size is
 * SYN_CABLE_SIZING_OVER_LIMIT and ampacity_a, resistance_ohm_per_km,
 * voltage_drop_v and voltage_drop_pct are NAN: no size is invented. */
typedef struct
{
  double flc_a;                 /* full-load current */
  double min_ampacity_a;        /* 1.25 x FLC for motors, 1.0 x otherwise */
  const char *conductor_size;   /* e.g. "6 AWG", "250 kcmil", or "OVER_LIMIT" */
  double ampacity_a;            /* of the chosen size */
  double resistance_ohm_per_km; /* of the chosen size, at 75 °C */
  double voltage_drop_v;        /* 3-phase, at FLC */
  double voltage_drop_pct;      /* of the system voltage */
  gboolean over_limit;
  const char *over_limit_reason; /* NULL unless over_limit; English, for messages */
} SynCableSizing;

gboolean syn_cable_sizing_compute   (double          hp,
                                     double          voltage,
                                     double          length_m,
                                     double          limit_pct,
                                     gboolean        is_motor,
                                     SynCableSizing *out,
                                     GError        **error);
double   syn_cable_sizing_motor_flc (double          hp,
                                     double          voltage);


G_END_DECLS
