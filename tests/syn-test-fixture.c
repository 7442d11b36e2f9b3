/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-fixture.c: throwaway databases for tests, removed afterwards. */
#include "config.h"

#include <glib/gstdio.h>

#include "syn-test-fixture.h"

void
syn_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            syn_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

SynProject *
syn_test_create_project (SynStore *store, const char *name, const char *country)
{
  g_autoptr(GError) error = NULL;
  SynProject *project = syn_project_new ();

  project->name = g_strdup (name);
  project->country = g_strdup (country);
  project->description = g_strdup ("Test project");
  g_assert_true (syn_store_insert_project (store, project, &error));
  g_assert_no_error (error);
  return project;
}

void
syn_test_fixture_setup (SynTestFixture *fixture, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("synapse-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->uri = g_build_filename (fixture->tmpdir, "test.db", NULL);
  fixture->store = syn_store_open (fixture->uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  fixture->project = syn_test_create_project (fixture->store, "Test", "CA");
}

void
syn_test_fixture_teardown (SynTestFixture *fixture, gconstpointer user_data)
{
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->store);
  syn_test_rm_rf (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->uri, g_free);
}

SynStore *
syn_test_fixture_open_again (SynTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SynStore *store = syn_store_open_another (fixture->store, &error);

  g_assert_no_error (error);
  return store;
}
