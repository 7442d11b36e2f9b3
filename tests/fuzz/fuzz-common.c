/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.c: scratch directory and logging for the fuzz targets. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdlib.h>

#include "fuzz-common.h"

static char *scratch_dir;

void
syn_fuzz_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      syn_fuzz_rm_rf (child);
    }
  g_rmdir (path);
}

static void
remove_scratch_dir (void)
{
  if (scratch_dir != NULL)
    syn_fuzz_rm_rf (scratch_dir);
  g_clear_pointer (&scratch_dir, g_free);
}

const char *
syn_fuzz_scratch_dir (void)
{
  if (scratch_dir == NULL)
    {
      g_autofree char *template = NULL;

      if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
        template = g_strdup ("/dev/shm/synapse-fuzz-XXXXXX");
      else
        template = g_build_filename (g_get_tmp_dir (), "synapse-fuzz-XXXXXX", NULL);
      scratch_dir = g_mkdtemp (g_steal_pointer (&template));
      if (scratch_dir == NULL)
        g_error ("Cannot create a scratch directory: %s", g_strerror (errno));
      atexit (remove_scratch_dir);
    }
  return scratch_dir;
}

char *
syn_fuzz_scratch_path (const char *name)
{
  return g_build_filename (syn_fuzz_scratch_dir (), name, NULL);
}

static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  /* errors and criticals are bugs: reported, and the input is a crash */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_default (level, fields, n_fields, data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

void
syn_fuzz_init_logging (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (quiet_writer, NULL, NULL);
}
