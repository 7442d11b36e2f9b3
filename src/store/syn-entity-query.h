/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-entity-query.h: SynEntityQuery, the filters, order and page of an asset list or a cable schedule. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SYN_TYPE_ENTITY_QUERY (syn_entity_query_get_type ())

/* Each test is a parameter or two of one statement: a bounded number. */
#define SYN_ENTITY_QUERY_MAX_TESTS 10

typedef enum {
  SYN_ENTITY_ASSETS,
  SYN_ENTITY_CABLES,
} SynEntityKind;

typedef enum {
  SYN_TEST_EQ,        /* == or = */
  SYN_TEST_NE,        /* != */
  SYN_TEST_GT,
  SYN_TEST_GE,
  SYN_TEST_LT,
  SYN_TEST_LE,
  SYN_TEST_CONTAINS,  /* ~ */
} SynTestOp;

/* "hp > 100": @key names a column of the list ("voltage", "area") or else a
 * property. A value that is a number compares numerically with the number a
 * value starts with ("75 HP" > 50), any other case-insensitively as text. */
typedef struct
{
  char      *key;
  SynTestOp  op;
  char      *value;
  gboolean   numeric;
  double     number;
} SynEntityTest;

/* NULL means "no filter". */
typedef struct _SynEntityQuery
{
  SynEntityKind kind;
  char         *project_id;
  char         *tag;          /* a pattern: '*' any run, '?' one character; without either, a prefix */
  char         *search;       /* assets: in the tag or the description */
  char         *type;         /* assets: type; cables: cable_type */
  char         *area;         /* cables: their load's (to) */
  char         *discipline;   /* cables: their load's (to) */
  GPtrArray    *tests;        /* SynEntityTest, all must hold */
  char         *sort;         /* a column or a property; NULL: tag */
  gboolean      descending;
  gboolean      count;        /* also count every match */
  guint         limit;        /* 0: all */
  guint64       offset;
} SynEntityQuery;

/* One page: the entities (SynAsset or SynCable), the tags of the assets at
 * the ends of the cables, and who created each entity no rule made (the
 * user of its creation event). */
typedef struct
{
  GPtrArray  *items;
  GHashTable *asset_tags;   /* asset id -> tag */
  GHashTable *creators;     /* entity id -> user id */
  guint64     total;        /* when counted */
} SynEntityPage;

GType           syn_entity_query_get_type   (void) G_GNUC_CONST;
SynEntityQuery *syn_entity_query_new        (SynEntityKind         kind,
                                             const char           *project_id);
SynEntityQuery *syn_entity_query_copy       (const SynEntityQuery *self);
void            syn_entity_query_free       (SynEntityQuery       *self);
/* Adds the tests of @text ("hp>100, voltage == 600, tag ~ PP"); errors name
 * the test that cannot be read. */
gboolean        syn_entity_query_add_tests  (SynEntityQuery       *self,
                                             const char           *text,
                                             GError              **error);
/* "voltage" ascending, "-voltage" descending. */
void            syn_entity_query_set_sort   (SynEntityQuery       *self,
                                             const char           *sort);
/* The columns of a kind a key names without being a property: NULL-terminated. */
const char * const *syn_entity_query_columns (SynEntityKind        kind);
gboolean        syn_entity_query_validate   (const SynEntityQuery *self,
                                             GError              **error);

SynEntityPage  *syn_entity_page_new         (void);
void            syn_entity_page_free        (SynEntityPage        *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynEntityQuery, syn_entity_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynEntityPage, syn_entity_page_free)

G_END_DECLS
