/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-driver.c: replays every fuzz target's seed corpus and regression inputs without libFuzzer (gcc builds, CI). */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each target's LLVMFuzzerTestOneInput, renamed at compile time
 * (tests/fuzz/meson.build) so that one program links them all. */
#define SYN_FUZZ_TARGETS \
  X (rest_body, "rest-body") \
  X (rule, "rule") \
  X (csv, "csv") \
  X (timeline_query, "timeline-query") \
  X (ws_message, "ws-message") \
  X (db_uri, "db-uri") \
  X (db_file, "db-file")

#define X(c_name, name) int syn_fuzz_##c_name##_one_input (const uint8_t *data, size_t size);
SYN_FUZZ_TARGETS
#undef X

typedef int (*SynFuzzFunc) (const uint8_t *data, size_t size);

typedef struct
{
  const char  *name;
  SynFuzzFunc  func;
} SynFuzzTarget;

static const SynFuzzTarget targets[] = {
#define X(c_name, name) { name, syn_fuzz_##c_name##_one_input },
  SYN_FUZZ_TARGETS
#undef X
};

typedef struct
{
  const SynFuzzTarget *target;
  char                *path;
} SynFuzzInput;

static void
input_free (gpointer data)
{
  SynFuzzInput *input = data;

  g_free (input->path);
  g_free (input);
}

static void
replay (gconstpointer data)
{
  const SynFuzzInput *input = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autofree uint8_t *copy = NULL;

  g_assert_true (g_file_get_contents (input->path, &contents, &length, &error));
  g_assert_no_error (error);
  /* an exact-size copy, as libFuzzer hands it over: ASan sees any overread
   * (never NULL, even when empty, as libFuzzer's) */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  g_assert_cmpint (input->target->func (copy, length), ==, 0);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
add_input (const SynFuzzTarget *target, const char *kind, const char *path)
{
  SynFuzzInput *input = g_new0 (SynFuzzInput, 1);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *test_path = g_strdup_printf ("/synapse/fuzz/%s/%s/%s", target->name, kind, base);

  input->target = target;
  input->path = g_strdup (path);
  g_test_add_data_func_full (test_path, input, replay, input_free);
}

/* Every regular file of @dir (sorted), one test case each; @dir may be a
 * file too. */
static guint
add_dir (const SynFuzzTarget *target, const char *kind, const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint n = 0;

  if (g_file_test (dir, G_FILE_TEST_IS_REGULAR))
    {
      add_input (target, kind, dir);
      return 1;
    }
  handle = g_dir_open (dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (name[0] != '.' && !g_str_has_prefix (name, "README"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          add_input (target, kind, path);
          n++;
        }
    }
  return n;
}

/* fuzz-regressions [TARGET FILE-OR-DIR...]: without arguments, every
 * target's corpus/ and regressions/ under SYN_FUZZ_SRCDIR (tests/fuzz). */
int
main (int argc, char **argv)
{
  const char *srcdir;

  g_test_init (&argc, &argv, NULL);
  /* the targets feed bad input on purpose: warnings are expected, criticals not */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  if (argc > 1)
    {
      const SynFuzzTarget *target = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        if (g_str_equal (targets[i].name, argv[1]))
          target = &targets[i];
      if (target == NULL || argc < 3)
        {
          g_printerr ("Usage: %s [TARGET FILE-OR-DIR...]\n", argv[0]);
          return 2;
        }
      for (int i = 2; i < argc; i++)
        add_dir (target, "given", argv[i]);
      return g_test_run ();
    }

  srcdir = g_getenv ("SYN_FUZZ_SRCDIR");
  if (srcdir == NULL)
    srcdir = SYN_FUZZ_SRCDIR;
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *corpus = g_build_filename (srcdir, "corpus", targets[i].name, NULL);
      g_autofree char *regressions = g_build_filename (srcdir, "regressions", targets[i].name, NULL);

      /* a target without seeds is a mistake of this folder */
      if (add_dir (&targets[i], "corpus", corpus) == 0)
        g_error ("No seed corpus in %s", corpus);
      add_dir (&targets[i], "regressions", regressions);
    }
  return g_test_run ();
}
