/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: what the fuzz targets share: a scratch directory per process, the libFuzzer entry point. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stddef.h>

G_BEGIN_DECLS

/* The directory of this process's scratch files (databases), on /dev/shm
 * when there is one so that SQLite's syncs cost nothing; removed at exit. */
const char *syn_fuzz_scratch_dir  (void);
char       *syn_fuzz_scratch_path (const char *name);
void        syn_fuzz_rm_rf        (const char *path);

/* Quiet: the targets feed bad input on purpose, so the library's warnings
 * are expected; a critical or an error is a bug, so it aborts (a crash). */
void        syn_fuzz_init_logging (void);

G_END_DECLS

/* Each target defines this (tests/fuzz/fuzz-driver.c renames them so one
 * program can replay every target's inputs). */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#include "backend/syn-local-backend.h"

G_BEGIN_DECLS

/* A SynLocalBackend on a scratch SQLite database with an admin and the
 * gold-mine demo project (assets, rules, the import's events), made once per
 * process: the server's operations then run for real. */
typedef struct
{
  SynLocalBackend *backend;
  char            *user_id;      /* the admin */
  char            *project_id;   /* the demo project */
  char            *asset_id;     /* one of its assets */
  char            *correlation_id; /* its import's batch */
  char            *execution_id; /* a completed run of its rules */
} SynFuzzWorld;

SynFuzzWorld *syn_fuzz_world   (void);
/* An execution request as the server passes it on, run to its end (the
 * default main context is iterated meanwhile); the backend's answer. */
JsonNode     *syn_fuzz_execute (JsonObject *request,
                                GError    **error);

G_END_DECLS
