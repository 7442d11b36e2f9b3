-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0003_living_model.sql: derivation records on entities and the rule findings log (SQLite).
--
-- derivation (compact JSON, NULL when there is nothing to record) says how a
-- rule derived an entity (rule, source asset, fingerprint of the inputs it
-- read, the property keys it wrote), which property values SET_PROPERTY rules
-- laid over an asset's own (with the value beneath), and what a person holds
-- against the rules. Its format is in src/engine/syn-derivation.h. It travels
-- in the entities' events and snapshots, so rollback restores it exactly.
ALTER TABLE assets ADD COLUMN derivation TEXT;
ALTER TABLE cables ADD COLUMN derivation TEXT;
ALTER TABLE edges ADD COLUMN derivation TEXT;

-- The cables of one asset (explain, a manual delete): to_asset_id has its
-- index since 0001; from_asset_id gets one.
CREATE INDEX ix_cables_from_asset ON cables(from_asset_id);

-- The rule findings log: one row each time the findings of a (rule, source)
-- pair change (skipped as exists, overridden, not applicable or held by a
-- person; an error; all resolved: digest NULL), naming the event that records
-- it. A pair's current findings are those of its newest row whose event is
-- not rolled back, so a rollback needs no change here. Append-only.
CREATE TABLE rule_findings (
  event_id        TEXT PRIMARY KEY,
  project_id      TEXT NOT NULL REFERENCES projects(id),
  rule_id         TEXT NOT NULL,
  source_asset_id TEXT NOT NULL,
  digest          TEXT
);
CREATE INDEX ix_rule_findings_project ON rule_findings(project_id);

CREATE TRIGGER rule_findings_no_delete
BEFORE DELETE ON rule_findings
BEGIN
  SELECT RAISE(ABORT, 'rule_findings is append-only: DELETE is not allowed');
END;

CREATE TRIGGER rule_findings_no_update
BEFORE UPDATE ON rule_findings
BEGIN
  SELECT RAISE(ABORT, 'rule_findings is append-only: UPDATE is not allowed');
END;

-- Where a project was last known to be up to date with its rules: its newest
-- event then, a digest of its rules (library ones included) and country, and
-- the summary of the run that found or made it so. While all three still
-- hold, a run or a status answers "up to date" without deriving. A cache of
-- the engine's (written with or right after its run), never state.
CREATE TABLE derive_marks (
  project_id   TEXT PRIMARY KEY REFERENCES projects(id),
  position     INTEGER NOT NULL,
  rules_digest TEXT NOT NULL,
  summary      TEXT
);

-- Projects written before derivation records existed: the engine infers the
-- records of their rule outputs from the graph and the events once, then
-- removes the project from this list. New projects never enter it.
CREATE TABLE legacy_derivations (
  project_id TEXT PRIMARY KEY REFERENCES projects(id)
);
INSERT INTO legacy_derivations (project_id) SELECT id FROM projects;

-- The rule library's stream: changes of library rules (shared by every
-- project) are batches of events like any other, recorded under this
-- reserved project, which project lists leave out (see syn-project.h).
INSERT INTO projects (id, name, description, country, created_at)
SELECT 'library', 'Rule library', 'Changes of the rules every project shares', NULL, 0
WHERE NOT EXISTS (SELECT 1 FROM projects WHERE id = 'library' OR name = 'Rule library');
