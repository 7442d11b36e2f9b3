-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0003_living_model.sql: derivation records on entities and the rule findings log (PostgreSQL).
--
-- The same columns, table and rules as schema/sqlite/0003_living_model.sql.
ALTER TABLE assets ADD COLUMN derivation JSONB;
ALTER TABLE cables ADD COLUMN derivation JSONB;
ALTER TABLE edges ADD COLUMN derivation JSONB;

CREATE TABLE rule_findings (
  event_id        UUID PRIMARY KEY,
  project_id      TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  rule_id         TEXT COLLATE "C" NOT NULL,
  source_asset_id TEXT COLLATE "C" NOT NULL,
  digest          TEXT
);
CREATE INDEX ix_rule_findings_project ON rule_findings(project_id);

CREATE TRIGGER rule_findings_no_change BEFORE UPDATE OR DELETE ON rule_findings
FOR EACH ROW EXECUTE FUNCTION synapse_refuse_change('rule_findings is append-only: UPDATE and DELETE are not allowed');
CREATE TRIGGER rule_findings_no_truncate BEFORE TRUNCATE ON rule_findings
FOR EACH STATEMENT EXECUTE FUNCTION synapse_refuse_change('rule_findings is append-only: TRUNCATE is not allowed');

-- Where a project was last known to be up to date with its rules (see the
-- SQLite file): a cache of the engine's, never state.
CREATE TABLE derive_marks (
  project_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  position     BIGINT NOT NULL,
  rules_digest TEXT NOT NULL,
  summary      JSONB
);

CREATE TABLE legacy_derivations (
  project_id TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id)
);
INSERT INTO legacy_derivations (project_id) SELECT id FROM projects;

-- The rule library's stream: changes of library rules (shared by every
-- project) are batches of events like any other, recorded under this
-- reserved project, which project lists leave out (see syn-project.h).
INSERT INTO projects (id, name, description, country, created_at)
SELECT 'library', 'Rule library', 'Changes of the rules every project shares', NULL, '1970-01-01T00:00:00Z'
WHERE NOT EXISTS (SELECT 1 FROM projects WHERE id = 'library' OR name = 'Rule library');
