-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0004_integrity.sql: an edge's or a cable's ends are assets that exist (PostgreSQL).
--
-- The same foreign keys as schema/sqlite/0004_integrity.sql, DEFERRABLE
-- INITIALLY DEFERRED (checked when a batch commits), without ON DELETE
-- action. Each is added NOT VALID, which enforces it on every new or
-- changed row without reading the table, then validated here only when no
-- existing row breaks it: a database that already holds rows pointing at a
-- missing asset (written before this version) still opens, `synapse verify`
-- lists them, and `synapse repair` deletes them with their events and then
-- validates the constraint (SynStore.validate_references).

ALTER TABLE edges ADD CONSTRAINT edges_source_asset_fk FOREIGN KEY (source_asset_id)
  REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE edges ADD CONSTRAINT edges_target_asset_fk FOREIGN KEY (target_asset_id)
  REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE cables ADD CONSTRAINT cables_from_asset_fk FOREIGN KEY (from_asset_id)
  REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE cables ADD CONSTRAINT cables_to_asset_fk FOREIGN KEY (to_asset_id)
  REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED NOT VALID;

-- Deleting an asset looks up the rows that still name it: one index per
-- referencing column (edges' target and cables' destination have theirs).
CREATE INDEX IF NOT EXISTS ix_edges_source ON edges(source_asset_id);
CREATE INDEX IF NOT EXISTS ix_cables_from_asset ON cables(from_asset_id);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM edges e WHERE NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = e.source_asset_id)) THEN
    ALTER TABLE edges VALIDATE CONSTRAINT edges_source_asset_fk;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM edges e WHERE NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = e.target_asset_id)) THEN
    ALTER TABLE edges VALIDATE CONSTRAINT edges_target_asset_fk;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM cables c WHERE c.from_asset_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = c.from_asset_id)) THEN
    ALTER TABLE cables VALIDATE CONSTRAINT cables_from_asset_fk;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM cables c WHERE c.to_asset_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = c.to_asset_id)) THEN
    ALTER TABLE cables VALIDATE CONSTRAINT cables_to_asset_fk;
  END IF;
END
$$;
