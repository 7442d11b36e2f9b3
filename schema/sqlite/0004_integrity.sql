-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0004_integrity.sql: an edge's or a cable's ends are assets that exist (SQLite).
--
-- Foreign keys from edges (source, target) and cables (from, to) to assets,
-- DEFERRABLE INITIALLY DEFERRED: they are checked when a batch commits, so
-- the order of the writes within a batch (a cascaded rollback restoring one
-- batch after another, say) does not matter, only where the batch ends. No
-- ON DELETE action: nothing is ever deleted without its event, so a delete
-- that would leave an edge or a cable behind fails instead.
--
-- SQLite cannot add a constraint to a table: edges and cables are rebuilt
-- by its documented procedure (https://sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes": new table, copy, drop,
-- rename, indexes again; neither table has a trigger or a view). The store
-- runs this migration with foreign key enforcement off, as the procedure
-- says, so a database that already holds rows pointing at a missing asset
-- (written before this version) still opens: they are copied as they are,
-- `synapse verify` lists them and `synapse repair` deletes them with their
-- events. Enforcement is on for every connection afterwards.

CREATE TABLE new_edges (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  source_asset_id    TEXT NOT NULL REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
  target_asset_id    TEXT NOT NULL REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
  relation           TEXT NOT NULL,
  created_by_rule_id TEXT,
  derivation         TEXT,
  UNIQUE (project_id, source_asset_id, target_asset_id, relation)
);
INSERT INTO new_edges (id, project_id, source_asset_id, target_asset_id, relation, created_by_rule_id, derivation)
  SELECT id, project_id, source_asset_id, target_asset_id, relation, created_by_rule_id, derivation FROM edges;
DROP TABLE edges;
ALTER TABLE new_edges RENAME TO edges;
CREATE INDEX ix_edges_target ON edges(target_asset_id);
-- Deleting an asset looks up the edges that still name it, at either end:
-- without this one, a scan of every edge per asset deleted.
CREATE INDEX ix_edges_source ON edges(source_asset_id);

CREATE TABLE new_cables (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  tag                TEXT NOT NULL,
  from_asset_id      TEXT REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
  to_asset_id        TEXT REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
  cable_type         TEXT,
  voltage            REAL,
  length_m           REAL,
  conductor_size     TEXT,
  flc_a              REAL,
  ampacity_a         REAL,
  voltage_drop_pct   REAL,
  properties         TEXT NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  derivation         TEXT,
  UNIQUE (project_id, tag)
);
INSERT INTO new_cables (id, project_id, tag, from_asset_id, to_asset_id, cable_type, voltage, length_m,
                        conductor_size, flc_a, ampacity_a, voltage_drop_pct, properties, created_by_rule_id,
                        derivation)
  SELECT id, project_id, tag, from_asset_id, to_asset_id, cable_type, voltage, length_m,
         conductor_size, flc_a, ampacity_a, voltage_drop_pct, properties, created_by_rule_id, derivation
  FROM cables;
DROP TABLE cables;
ALTER TABLE new_cables RENAME TO cables;
CREATE INDEX ix_cables_to_asset ON cables(to_asset_id);
CREATE INDEX ix_cables_from_asset ON cables(from_asset_id);
