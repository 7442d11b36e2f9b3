-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0006_hash_chain.sql: each event's hash chains it to the one before it in its project (PostgreSQL).
--
-- The same column, rules and fill as schema/sqlite/0006_hash_chain.sql: the
-- store fills the hashes of the events written before this migration once,
-- in the same transaction; the chain proves nothing about changes made
-- before. The append-only trigger now covers event_hash too: it may be set
-- once, from NULL (that fill), never changed.

ALTER TABLE workflow_events ADD COLUMN event_hash TEXT COLLATE "C";

DROP TRIGGER workflow_events_no_update ON workflow_events;
CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
FOR EACH ROW
WHEN (NOT ((NEW.position, NEW.id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id,
            NEW.project_id, NEW.rule_id, NEW.discipline, NEW.payload, NEW.metadata,
            NEW.correlation_id, NEW.causation_id, NEW.sequence_num, NEW.user_id, NEW."timestamp")
           IS NOT DISTINCT FROM
           (OLD.position, OLD.id, OLD.event_type, OLD.aggregate_type, OLD.aggregate_id,
            OLD.project_id, OLD.rule_id, OLD.discipline, OLD.payload, OLD.metadata,
            OLD.correlation_id, OLD.causation_id, OLD.sequence_num, OLD.user_id, OLD."timestamp")
           AND ((OLD.is_rolled_back = false AND NEW.is_rolled_back = true
                 AND NEW.event_hash IS NOT DISTINCT FROM OLD.event_hash)
                OR (NEW.is_rolled_back = OLD.is_rolled_back AND OLD.event_hash IS NULL
                    AND NEW.event_hash IS NOT NULL))))
EXECUTE FUNCTION synapse_refuse_change('workflow_events is append-only: only is_rolled_back may change, from false to true');

-- Where the server's check on start last found the chain whole: the next
-- start checks only the events after it (the fast path).
CREATE TABLE chain_marks (
  project_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES projects(id),
  position    BIGINT NOT NULL,
  head_hash   TEXT COLLATE "C" NOT NULL,
  verified_at TIMESTAMPTZ NOT NULL
);
