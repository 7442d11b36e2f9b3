/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sizing.c: tests of automatic motor cable sizing and of its input parsing. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/syn-cable-sizing.h"
#include "engine/syn-engine-error.h"

/* The reference rounds its worked example to two or three decimals. */
#define REFERENCE_EPSILON 0.0051

static void
size_ok (double hp, double voltage, double length_m, double limit_pct, gboolean is_motor,
         SynCableSizing *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (syn_cable_sizing_compute (hp, voltage, length_m, limit_pct, is_motor, out,
                                           &error));
  g_assert_no_error (error);
}

static void
test_worked_example_120m (void)
{
  SynCableSizing s;

  size_ok (50, 600, 120, 3.0, TRUE, &s);
  g_assert_cmpfloat (s.flc_a, ==, 52.0);
  g_assert_cmpfloat (s.min_ampacity_a, ==, 65.0);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
  g_assert_cmpfloat (s.ampacity_a, ==, 65.0);
  g_assert_cmpfloat (s.resistance_ohm_per_km, ==, 1.6);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_v, 17.29, REFERENCE_EPSILON);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 2.88, REFERENCE_EPSILON);
  g_assert_false (s.over_limit);
  g_assert_null (s.over_limit_reason);
}

static void
test_worked_example_200m (void)
{
  SynCableSizing s;

  /* 6 AWG gives 4.80 %, 4 AWG 3.002 %: both above 3 %, so 3 AWG. */
  size_ok (50, 600, 200, 3.0, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "3 AWG");
  g_assert_cmpfloat (s.ampacity_a, ==, 100.0);
  g_assert_cmpfloat (s.resistance_ohm_per_km, ==, 0.8);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_v, 14.41, REFERENCE_EPSILON);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 2.40, REFERENCE_EPSILON);
  g_assert_false (s.over_limit);

  /* The 4 AWG that was rejected, made acceptable by a looser limit. */
  size_ok (50, 600, 200, 3.01, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "4 AWG");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_v, 18.01, REFERENCE_EPSILON);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 3.002, 0.0005);
  g_assert_cmpfloat (s.voltage_drop_pct, >, 3.0);

  /* The 4.80 % of 6 AWG, with a limit loose enough to keep it. */
  size_ok (50, 600, 200, 5.0, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_v, 28.82, REFERENCE_EPSILON);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 4.80, REFERENCE_EPSILON);
}

static void
test_limit_is_strict (void)
{
  SynCableSizing s;
  double drop_pct = 100.0 * sqrt (3.0) * 52.0 * 1.6 * 120.0 / 1000.0 / 600.0;

  /* A drop exactly at the limit holds; only one above it steps up. */
  size_ok (50, 600, 120, drop_pct, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
  size_ok (50, 600, 120, drop_pct - 0.001, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "4 AWG");
}

static void
test_hp_rounds_up (void)
{
  SynCableSizing s;

  g_assert_cmpfloat (syn_cable_sizing_motor_flc (42, 600), ==, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (40, 600), ==, 41.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (40.5, 600), ==, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (0.5, 600), ==, 1.4);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (1, 600), ==, 1.4);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (1.2, 600), ==, 2.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (1.5, 600), ==, 2.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (7.5, 600), ==, 9.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (101, 600), ==, 125.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (200, 600), ==, 192.0);

  size_ok (42, 600, 120, 3.0, TRUE, &s);
  g_assert_cmpfloat (s.flc_a, ==, 52.0);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
}

static void
test_above_200_hp (void)
{
  SynCableSizing s;

  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (250, 600), 240.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (200.5, 600), 192.48, 1e-9);
  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (300, 460), 288.0 * 575.0 / 460.0,
                                  1e-9);

  /* 240 A x 1.25 = 300 A: 250 kcmil carries 255 A, 350 kcmil 310 A. */
  size_ok (250, 600, 0, 3.0, TRUE, &s);
  g_assert_cmpfloat_with_epsilon (s.flc_a, 240.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.min_ampacity_a, 300.0, 1e-9);
  g_assert_cmpstr (s.conductor_size, ==, "350 kcmil");
  g_assert_cmpfloat (s.ampacity_a, ==, 310.0);
  g_assert_cmpfloat (s.voltage_drop_v, ==, 0.0);
  g_assert_cmpfloat (s.voltage_drop_pct, ==, 0.0);
}

static void
test_voltage_scaling (void)
{
  SynCableSizing s;

  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (50, 460), 52.0 * 575.0 / 460.0,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (50, 480), 62.291666666, 1e-6);
  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (50, 4160), 7.1875, 1e-9);
  g_assert_cmpfloat_with_epsilon (syn_cable_sizing_motor_flc (50, 208), 52.0 * 575.0 / 208.0,
                                  1e-9);

  /* 460 V: 65 A, 81.25 A minimum, 4 AWG (85 A); the drop is of 460 V. */
  size_ok (50, 460, 100, 3.0, TRUE, &s);
  g_assert_cmpfloat_with_epsilon (s.flc_a, 65.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.min_ampacity_a, 81.25, 1e-9);
  g_assert_cmpstr (s.conductor_size, ==, "4 AWG");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_v, 11.2583, 0.0001);
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 2.4475, 0.0001);
}

static void
test_table_voltages (void)
{
  SynCableSizing s;

  /* The table is written for 575-600 V: no scaling anywhere in between. */
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (50, 575), ==, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (50, 590), ==, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (50, 600), ==, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (50, 601), <, 52.0);
  g_assert_cmpfloat (syn_cable_sizing_motor_flc (50, 574), >, 52.0);

  /* The drop is a percentage of 575 V: 14.41 V is 2.51 %, 17.29 V would
   * have been 3.007 % and too much. */
  size_ok (50, 575, 100, 3.0, TRUE, &s);
  g_assert_cmpfloat (s.flc_a, ==, 52.0);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 2.5062, 0.0001);
  size_ok (50, 575, 120, 3.0, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "4 AWG");

  g_assert_true (isnan (syn_cable_sizing_motor_flc (0, 600)));
  g_assert_true (isnan (syn_cable_sizing_motor_flc (50, 0)));
}

static void
test_non_motor (void)
{
  SynCableSizing s;

  /* 41 A: 8 AWG (50 A) for a plain load, 6 AWG for a motor's 51.25 A. */
  size_ok (40, 600, 50, 3.0, FALSE, &s);
  g_assert_cmpfloat (s.flc_a, ==, 41.0);
  g_assert_cmpfloat (s.min_ampacity_a, ==, 41.0);
  g_assert_cmpstr (s.conductor_size, ==, "8 AWG");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 1.5386, 0.0001);

  size_ok (40, 600, 50, 3.0, TRUE, &s);
  g_assert_cmpfloat (s.min_ampacity_a, ==, 51.25);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
}

static void
test_over_limit (void)
{
  SynCableSizing s;

  /* 480 A x 1.25 = 600 A: more than 750 kcmil's 475 A. */
  size_ok (500, 600, 2000, 3.0, TRUE, &s);
  g_assert_true (s.over_limit);
  g_assert_cmpstr (s.conductor_size, ==, "OVER_LIMIT");
  g_assert_cmpstr (s.conductor_size, ==, SYN_CABLE_SIZING_OVER_LIMIT);
  g_assert_cmpfloat_with_epsilon (s.flc_a, 480.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.min_ampacity_a, 600.0, 1e-9);
  g_assert_true (isnan (s.ampacity_a));
  g_assert_true (isnan (s.resistance_ohm_per_km));
  g_assert_true (isnan (s.voltage_drop_v));
  g_assert_true (isnan (s.voltage_drop_pct));
  g_assert_nonnull (strstr (s.over_limit_reason, "ampacity"));

  /* Ampacity met (250 kcmil), but 750 kcmil still drops 6.65 % over 2 km. */
  size_ok (200, 600, 2000, 3.0, TRUE, &s);
  g_assert_true (s.over_limit);
  g_assert_cmpstr (s.conductor_size, ==, "OVER_LIMIT");
  g_assert_cmpfloat (s.flc_a, ==, 192.0);
  g_assert_true (isnan (s.ampacity_a));
  g_assert_nonnull (strstr (s.over_limit_reason, "voltage drop"));

  /* The same motor close by fits at the first size that carries 240 A. */
  size_ok (200, 600, 50, 3.0, TRUE, &s);
  g_assert_false (s.over_limit);
  g_assert_cmpstr (s.conductor_size, ==, "250 kcmil");
  g_assert_cmpfloat_with_epsilon (s.voltage_drop_pct, 0.4711, 0.0001);
}

static void
assert_sizing_error (double hp, double voltage, double length_m, double limit_pct,
                     const char *named)
{
  g_autoptr(GError) error = NULL;
  SynCableSizing s = { .conductor_size = "untouched" };

  g_assert_false (syn_cable_sizing_compute (hp, voltage, length_m, limit_pct, TRUE, &s, &error));
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_SIZING);
  g_assert_nonnull (strstr (error->message, named));
  g_assert_cmpstr (s.conductor_size, ==, "untouched");
}

static void
test_invalid_inputs (void)
{
  SynCableSizing s;

  assert_sizing_error (0, 600, 100, 3.0, "horsepower");
  assert_sizing_error (-5, 600, 100, 3.0, "horsepower");
  assert_sizing_error (NAN, 600, 100, 3.0, "horsepower");
  assert_sizing_error (INFINITY, 600, 100, 3.0, "horsepower");
  assert_sizing_error (50, 0, 100, 3.0, "voltage");
  assert_sizing_error (50, -600, 100, 3.0, "voltage");
  assert_sizing_error (50, NAN, 100, 3.0, "voltage");
  assert_sizing_error (50, 600, -1, 3.0, "length");
  assert_sizing_error (50, 600, NAN, 3.0, "length");
  assert_sizing_error (50, 600, 100, 0, "voltage drop limit");
  assert_sizing_error (50, 600, 100, NAN, "voltage drop limit");

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (syn_cable_sizing_compute (-5, 600, 100, 3.0, TRUE, &s, &error));
    g_assert_cmpstr (error->message, ==,
                     "Cannot size a cable: the horsepower is -5, it must be a positive number");
  }

  /* A length of zero is valid: the load sits beside its supply. */
  size_ok (50, 600, 0, 3.0, TRUE, &s);
  g_assert_cmpstr (s.conductor_size, ==, "6 AWG");
}

static void
assert_voltage (const char *text, double expected)
{
  double value = -1;

  g_assert_true (syn_parse_voltage (text, &value));
  g_assert_cmpfloat_with_epsilon (value, expected, 1e-9);
}

static void
assert_no_voltage (const char *text)
{
  double value = -1;

  g_assert_false (syn_parse_voltage (text, &value));
  g_assert_cmpfloat (value, ==, -1);
}

static void
test_parse_voltage (void)
{
  assert_voltage ("600", 600);
  assert_voltage ("600V", 600);
  assert_voltage ("600 V", 600);
  assert_voltage ("600 v", 600);
  assert_voltage ("  600 V  ", 600);
  assert_voltage ("480VAC", 480);
  assert_voltage ("4.16kV", 4160);
  assert_voltage ("4.16 KV", 4160);
  assert_voltage ("13.8 kV", 13800);
  assert_voltage ("600/347 V", 600);
  assert_voltage ("4160/2400V", 4160);

  assert_no_voltage (NULL);
  assert_no_voltage ("");
  assert_no_voltage ("V");
  assert_no_voltage ("high");
  assert_no_voltage ("600 A");
  assert_no_voltage ("600 V 3ph");
  assert_no_voltage ("0 V");
  assert_no_voltage ("-600 V");
  assert_no_voltage ("nan");
  assert_no_voltage ("inf");
  assert_no_voltage ("0x258");
  assert_no_voltage ("1,200 V");
}

static void
assert_number (const char *text, double expected)
{
  double value = -1;

  g_assert_true (syn_parse_number_prefix (text, &value));
  g_assert_cmpfloat_with_epsilon (value, expected, 1e-9);
}

static void
assert_no_number (const char *text)
{
  double value = -1;

  g_assert_false (syn_parse_number_prefix (text, &value));
  g_assert_cmpfloat (value, ==, -1);
}

static void
test_parse_number_prefix (void)
{
  assert_number ("150 PSI", 150);
  assert_number ("50HP", 50);
  assert_number ("50", 50);
  assert_number (" 7.5 hp", 7.5);
  assert_number (".5", 0.5);
  assert_number ("-40 °C", -40);
  assert_number ("+3", 3);
  assert_number ("1e3 m", 1000);
  assert_number ("10EA", 10);
  assert_number ("6\" LINE", 6);
  assert_number ("12.5,", 12.5);

  assert_no_number (NULL);
  assert_no_number ("");
  assert_no_number ("HP 50");
  assert_no_number ("-");
  assert_no_number (".");
  assert_no_number ("nan");
  assert_no_number ("inf");
  assert_no_number ("1,200 m");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/sizing/worked-example-120m", test_worked_example_120m);
  g_test_add_func ("/synapse/sizing/worked-example-200m", test_worked_example_200m);
  g_test_add_func ("/synapse/sizing/limit-is-strict", test_limit_is_strict);
  g_test_add_func ("/synapse/sizing/hp-rounds-up", test_hp_rounds_up);
  g_test_add_func ("/synapse/sizing/above-200-hp", test_above_200_hp);
  g_test_add_func ("/synapse/sizing/voltage-scaling", test_voltage_scaling);
  g_test_add_func ("/synapse/sizing/table-voltages", test_table_voltages);
  g_test_add_func ("/synapse/sizing/non-motor", test_non_motor);
  g_test_add_func ("/synapse/sizing/over-limit", test_over_limit);
  g_test_add_func ("/synapse/sizing/invalid-inputs", test_invalid_inputs);
  g_test_add_func ("/synapse/sizing/parse-voltage", test_parse_voltage);
  g_test_add_func ("/synapse/sizing/parse-number-prefix", test_parse_number_prefix);

  return g_test_run ();
}
