-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0013_rolled_back_batches.sql: rollback flags move out of the event rows into one row per rolled-back batch (PostgreSQL).
--
-- The same as on SQLite (see its 0013): a rollback writes one row here
-- instead of updating every event row of its batch, and every reader
-- computes is_rolled_back from it. workflow_events.is_rolled_back stays,
-- like on SQLite, but is no longer written nor read; no UPDATE of an
-- event is allowed any more. The timeline indexes lose it.

CREATE TABLE rolled_back_batches (
  correlation_id          UUID PRIMARY KEY,
  project_id              TEXT COLLATE "C" NOT NULL REFERENCES projects(id),
  rollback_correlation_id UUID,
  rolled_back_at          TIMESTAMPTZ NOT NULL,
  first_position          BIGINT NOT NULL,
  last_position           BIGINT NOT NULL,
  events_count            BIGINT NOT NULL
);
CREATE INDEX ix_rolled_back_batches_project ON rolled_back_batches(project_id, first_position);

INSERT INTO rolled_back_batches (correlation_id, project_id, rollback_correlation_id, rolled_back_at,
                                 first_position, last_position, events_count)
SELECT f.correlation_id, f.project_id, r.correlation_id,
       COALESCE(r."timestamp", s.rolled_back_at, to_timestamp(0)), f.lo, f.hi, f.n
FROM (SELECT correlation_id, project_id, min(position) AS lo, max(position) AS hi, count(*) AS n
      FROM workflow_events WHERE is_rolled_back GROUP BY correlation_id, project_id) AS f
LEFT JOIN LATERAL (SELECT e.correlation_id, e."timestamp" FROM workflow_events e
                   WHERE e.aggregate_type = 'BATCH' AND e.aggregate_id = f.correlation_id::text
                     AND e.event_type = 'BATCH_ROLLED_BACK' ORDER BY e.position DESC LIMIT 1) AS r ON true
LEFT JOIN execution_snapshots s ON s.correlation_id = f.correlation_id
ON CONFLICT (correlation_id) DO NOTHING;

-- A rolled-back batch stays rolled back (a redo is a new batch). A row
-- written from copied events (a clone's) grows with the batch's next copied
-- events until it learns its rollback's batch; then it is final.
CREATE TRIGGER rolled_back_batches_no_delete
BEFORE DELETE ON rolled_back_batches
FOR EACH ROW EXECUTE FUNCTION synapse_refuse_change('rolled_back_batches is append-only: DELETE is not allowed');
CREATE TRIGGER rolled_back_batches_no_truncate
BEFORE TRUNCATE ON rolled_back_batches
FOR EACH STATEMENT EXECUTE FUNCTION synapse_refuse_change('rolled_back_batches is append-only: TRUNCATE is not allowed');
CREATE TRIGGER rolled_back_batches_no_update
BEFORE UPDATE ON rolled_back_batches
FOR EACH ROW
WHEN (NOT (OLD.rollback_correlation_id IS NULL
           AND (NEW.correlation_id, NEW.project_id) IS NOT DISTINCT FROM (OLD.correlation_id, OLD.project_id)))
EXECUTE FUNCTION synapse_refuse_change('rolled_back_batches is append-only: only a row copied without its rollback may be completed');

DROP TRIGGER workflow_events_no_update ON workflow_events;
CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
FOR EACH ROW EXECUTE FUNCTION synapse_refuse_change('workflow_events is append-only: UPDATE is not allowed');

DROP INDEX ix_workflow_events_project_time;
CREATE INDEX ix_workflow_events_project_time ON workflow_events(project_id, "timestamp", position);
DROP INDEX ix_workflow_events_project_position;
CREATE INDEX ix_workflow_events_project_position ON workflow_events(project_id, position);
DROP INDEX ix_workflow_events_project_type;
CREATE INDEX ix_workflow_events_project_type ON workflow_events(project_id, event_type, position);
DROP INDEX ix_workflow_events_project_discipline;
CREATE INDEX ix_workflow_events_project_discipline ON workflow_events(project_id, discipline, event_type, position);
DROP INDEX ix_workflow_events_project_rule;
CREATE INDEX ix_workflow_events_project_rule ON workflow_events(project_id, rule_id, position);
