-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0006_hash_chain.sql: each event's hash chains it to the one before it in its project (SQLite).
--
-- event_hash: lowercase hex SHA-256 of the previous event's hash (of the same
-- project, in position order; 64 zeros before the first) and the event's
-- canonical content (docs/design-notes.md, "Hash chain"). Neither position
-- nor is_rolled_back is covered: rollback flags may change, and each
-- BATCH_ROLLED_BACK names what it rolled back. The store fills the hashes of
-- the events written before this migration once, right after it, in the
-- same transaction: the chain then proves nothing about changes made before.
--
-- The append-only trigger is rebuilt to cover the new column: it may be set
-- once, from NULL (that fill), never changed.

ALTER TABLE workflow_events ADD COLUMN event_hash TEXT;

DROP TRIGGER workflow_events_no_update;
CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
WHEN NOT (NEW.position IS OLD.position AND NEW.id IS OLD.id
          AND NEW.event_type IS OLD.event_type AND NEW.aggregate_type IS OLD.aggregate_type
          AND NEW.aggregate_id IS OLD.aggregate_id AND NEW.project_id IS OLD.project_id
          AND NEW.rule_id IS OLD.rule_id AND NEW.discipline IS OLD.discipline
          AND NEW.payload IS OLD.payload AND NEW.metadata IS OLD.metadata
          AND NEW.correlation_id IS OLD.correlation_id AND NEW.causation_id IS OLD.causation_id
          AND NEW.sequence_num IS OLD.sequence_num AND NEW.user_id IS OLD.user_id
          AND NEW.timestamp IS OLD.timestamp
          AND ((OLD.is_rolled_back = 0 AND NEW.is_rolled_back = 1 AND NEW.event_hash IS OLD.event_hash)
               OR (NEW.is_rolled_back IS OLD.is_rolled_back AND OLD.event_hash IS NULL
                   AND NEW.event_hash IS NOT NULL)))
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: only is_rolled_back may change, from false to true');
END;

-- Where the server's check on start last found the chain whole: the next
-- start checks only the events after it (the fast path).
CREATE TABLE chain_marks (
  project_id  TEXT PRIMARY KEY REFERENCES projects(id),
  position    INTEGER NOT NULL,
  head_hash   TEXT NOT NULL,
  verified_at INTEGER NOT NULL
);
