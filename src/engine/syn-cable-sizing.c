/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cable-sizing.c: motor full-load current, conductor choice and voltage drop (CEC tables). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/syn-cable-sizing.h"
#include "engine/syn-engine-error.h"

/* Three-phase motor full-load current at 575-600 V (CEC Table 44). */
typedef struct
{
  double hp;
  double flc_a;
} FlcRow;

static const FlcRow flc_table[] = {
  {   1.0,   1.4 },
  {   1.5,   2.0 },
  {   2.0,   2.7 },
  {   3.0,   3.9 },
  {   5.0,   6.1 },
  {   7.5,   9.0 },
  {  10.0,  11.0 },
  {  15.0,  17.0 },
  {  20.0,  22.0 },
  {  25.0,  27.0 },
  {  30.0,  32.0 },
  {  40.0,  41.0 },
  {  50.0,  52.0 },
  {  60.0,  62.0 },
  {  75.0,  77.0 },
  { 100.0,  99.0 },
  { 125.0, 125.0 },
  { 150.0, 144.0 },
  { 200.0, 192.0 },
};

/* Beyond the last row of the table the current grows linearly. */
static const double flc_a_per_hp_above_table = 0.96;

/* The FLC table is written for 575-600 V systems; elsewhere it scales by
 * flc_reference_voltage / V. */
static const double flc_table_voltage_min = 575.0;
static const double flc_table_voltage_max = 600.0;
static const double flc_reference_voltage = 575.0;

/* CEC 28-106: a motor's conductors carry 125 % of its full-load current. */
static const double motor_ampacity_factor = 1.25;

/* Copper, 75 °C column, not more than 3 conductors (CEC Table 2), and AC
 * resistance at 75 °C; smallest first, which is the order sizes are tried. */
typedef struct
{
  const char *size;
  double ampacity_a;
  double resistance_ohm_per_km;
} ConductorRow;

static const ConductorRow conductor_table[] = {
  { "14 AWG",     20.0, 10.5  },
  { "12 AWG",     25.0,  6.6  },
  { "10 AWG",     35.0,  4.1  },
  { "8 AWG",      50.0,  2.6  },
  { "6 AWG",      65.0,  1.6  },
  { "4 AWG",      85.0,  1.0  },
  { "3 AWG",     100.0,  0.8  },
  { "2 AWG",     115.0,  0.6  },
  { "1 AWG",     130.0,  0.5  },
  { "1/0 AWG",   150.0,  0.4  },
  { "2/0 AWG",   175.0,  0.3  },
  { "3/0 AWG",   200.0,  0.25 },
  { "4/0 AWG",   230.0,  0.2  },
  { "250 kcmil", 255.0,  0.17 },
  { "350 kcmil", 310.0,  0.12 },
  { "500 kcmil", 380.0,  0.09 },
  { "750 kcmil", 475.0,  0.06 },
};

/* Products like 52 x 1.25 or 52 x 575 / 460 may land a hair beside a value
 * that is exact on paper; comparisons forgive that much so that a limit met
 * exactly counts as met. */
static const double comparison_slack = 1e-9;

double
syn_cable_sizing_motor_flc (double hp, double voltage)
{
  double flc = NAN;

  if (!isfinite (hp) || hp <= 0 || !isfinite (voltage) || voltage <= 0)
    return NAN;

  /* Round up to the next listed size: a 42 HP motor draws like a 50 HP one. */
  for (gsize i = 0; i < G_N_ELEMENTS (flc_table); i++)
    {
      if (hp <= flc_table[i].hp)
        {
          flc = flc_table[i].flc_a;
          break;
        }
    }
  if (isnan (flc))
    flc = flc_a_per_hp_above_table * hp;

  if (voltage < flc_table_voltage_min || voltage > flc_table_voltage_max)
    flc *= flc_reference_voltage / voltage;

  return flc;
}

static double
three_phase_voltage_drop (double current_a, double resistance_ohm_per_km, double length_m)
{
  return sqrt (3.0) * current_a * resistance_ohm_per_km * length_m / 1000.0;
}

static gboolean
set_bad_input (GError **error, const char *what, double value, const char *expected)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_SIZING,
               "Cannot size a cable: %s is %g, it must be %s", what, value, expected);
  return FALSE;
}

gboolean
syn_cable_sizing_compute (double          hp,
                          double          voltage,
                          double          length_m,
                          double          limit_pct,
                          gboolean        is_motor,
                          SynCableSizing *out,
                          GError        **error)
{
  SynCableSizing result = { 0 };
  gboolean ampacity_met = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (hp) || hp <= 0)
    return set_bad_input (error, "the horsepower", hp, "a positive number");
  if (!isfinite (voltage) || voltage <= 0)
    return set_bad_input (error, "the voltage", voltage, "a positive number");
  if (!isfinite (length_m) || length_m < 0)
    return set_bad_input (error, "the length", length_m, "zero or more metres");
  if (!isfinite (limit_pct) || limit_pct <= 0)
    return set_bad_input (error, "the voltage drop limit", limit_pct, "a positive percentage");

  result.flc_a = syn_cable_sizing_motor_flc (hp, voltage);
  result.min_ampacity_a = result.flc_a * (is_motor ? motor_ampacity_factor : 1.0);

  for (gsize i = 0; i < G_N_ELEMENTS (conductor_table); i++)
    {
      const ConductorRow *row = &conductor_table[i];
      double drop_v, drop_pct;

      if (row->ampacity_a + comparison_slack < result.min_ampacity_a)
        continue;
      ampacity_met = TRUE;

      drop_v = three_phase_voltage_drop (result.flc_a, row->resistance_ohm_per_km, length_m);
      drop_pct = 100.0 * drop_v / voltage;
      /* Only a drop strictly above the limit sends us one size up. */
      if (drop_pct > limit_pct + comparison_slack)
        continue;

      result.conductor_size = row->size;
      result.ampacity_a = row->ampacity_a;
      result.resistance_ohm_per_km = row->resistance_ohm_per_km;
      result.voltage_drop_v = drop_v;
      result.voltage_drop_pct = drop_pct;
      result.over_limit = FALSE;
      result.over_limit_reason = NULL;
      *out = result;
      return TRUE;
    }

  /* Past the table: say so rather than invent a size; the engine turns this
   * into an error message naming the load. */
  result.conductor_size = SYN_CABLE_SIZING_OVER_LIMIT;
  result.ampacity_a = NAN;
  result.resistance_ohm_per_km = NAN;
  result.voltage_drop_v = NAN;
  result.voltage_drop_pct = NAN;
  result.over_limit = TRUE;
  result.over_limit_reason = ampacity_met
    ? "the voltage drop exceeds the limit even with the largest conductor (750 kcmil)"
    : "the minimum ampacity exceeds that of the largest conductor (750 kcmil)";
  *out = result;
  return TRUE;
}
