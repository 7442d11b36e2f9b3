-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0013_rolled_back_batches.sql: rollback flags move out of the event rows into one row per rolled-back batch (SQLite).
--
-- Flagging a batch rewrote every one of its event rows and five index
-- entries per event (700,008 rows, 1.1 GB of pages for the 100,000-pump
-- batch: docs/performance.md, section 7). A rollback now writes one row
-- here, and every reader computes an event's is_rolled_back from it
-- (docs/design-notes.md, "Rollback flags"). first/last_position: the
-- batch's position range, which lets a timeline filter skip the look-up
-- for every event outside the rolled-back ranges; events_count: the
-- batch's events, as the rollback counted them.
--
-- workflow_events.is_rolled_back stays (dropping it would rewrite the
-- table) but is no longer written nor read: the rows flagged before are
-- copied here, and from now on no UPDATE of an event is allowed at all.
-- The timeline indexes lose it as their last column (a constant now).

CREATE TABLE rolled_back_batches (
  correlation_id          TEXT PRIMARY KEY,
  project_id              TEXT NOT NULL REFERENCES projects(id),
  rollback_correlation_id TEXT,
  rolled_back_at          INTEGER NOT NULL,
  first_position          INTEGER NOT NULL,
  last_position           INTEGER NOT NULL,
  events_count            INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_rolled_back_batches_project ON rolled_back_batches(project_id, first_position);

INSERT OR IGNORE INTO rolled_back_batches (correlation_id, project_id, rollback_correlation_id, rolled_back_at,
                                           first_position, last_position, events_count)
SELECT f.correlation_id, f.project_id,
       (SELECT r.correlation_id FROM workflow_events r
        WHERE r.aggregate_type = 'BATCH' AND r.aggregate_id = f.correlation_id
          AND r.event_type = 'BATCH_ROLLED_BACK' ORDER BY r.position DESC LIMIT 1),
       COALESCE((SELECT r.timestamp FROM workflow_events r
                 WHERE r.aggregate_type = 'BATCH' AND r.aggregate_id = f.correlation_id
                   AND r.event_type = 'BATCH_ROLLED_BACK' ORDER BY r.position DESC LIMIT 1),
                (SELECT s.rolled_back_at FROM execution_snapshots s WHERE s.correlation_id = f.correlation_id),
                0),
       f.lo, f.hi, f.n
FROM (SELECT correlation_id, project_id, min(position) AS lo, max(position) AS hi, count(*) AS n
      FROM workflow_events WHERE is_rolled_back = 1 GROUP BY correlation_id, project_id) AS f;

-- A rolled-back batch stays rolled back (a redo is a new batch). A row
-- written from copied events (a clone's) grows with the batch's next copied
-- events until it learns its rollback's batch; then it is final.
CREATE TRIGGER rolled_back_batches_no_delete
BEFORE DELETE ON rolled_back_batches
BEGIN
  SELECT RAISE(ABORT, 'rolled_back_batches is append-only: DELETE is not allowed');
END;
CREATE TRIGGER rolled_back_batches_no_update
BEFORE UPDATE ON rolled_back_batches
WHEN NOT (OLD.rollback_correlation_id IS NULL AND NEW.correlation_id IS OLD.correlation_id
          AND NEW.project_id IS OLD.project_id)
BEGIN
  SELECT RAISE(ABORT, 'rolled_back_batches is append-only: only a row copied without its rollback may be completed');
END;

DROP TRIGGER workflow_events_no_update;
CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: UPDATE is not allowed');
END;

DROP INDEX ix_workflow_events_project_time;
CREATE INDEX ix_workflow_events_project_time ON workflow_events(project_id, timestamp);
DROP INDEX ix_workflow_events_project_position;
CREATE INDEX ix_workflow_events_project_position ON workflow_events(project_id, position);
DROP INDEX ix_workflow_events_project_type;
CREATE INDEX ix_workflow_events_project_type ON workflow_events(project_id, event_type);
DROP INDEX ix_workflow_events_project_discipline;
CREATE INDEX ix_workflow_events_project_discipline ON workflow_events(project_id, discipline, event_type);
DROP INDEX ix_workflow_events_project_rule;
CREATE INDEX ix_workflow_events_project_rule ON workflow_events(project_id, rule_id);
