/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-fixture.h: shared test fixture: a throwaway database with one project. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef struct
{
  char       *tmpdir;
  char       *uri;
  SynStore   *store;
  SynProject *project;
} SynTestFixture;

void      syn_test_fixture_setup      (SynTestFixture *fixture,
                                       gconstpointer   user_data);
void      syn_test_fixture_teardown   (SynTestFixture *fixture,
                                       gconstpointer   user_data);
SynStore *syn_test_fixture_open_again (SynTestFixture *fixture);
SynProject *syn_test_create_project   (SynStore       *store,
                                       const char     *name,
                                       const char     *country);
void      syn_test_rm_rf              (const char     *path);

#define SYN_TEST_ADD(path, func) \
  g_test_add (path, SynTestFixture, NULL, syn_test_fixture_setup, func, syn_test_fixture_teardown)

G_END_DECLS
