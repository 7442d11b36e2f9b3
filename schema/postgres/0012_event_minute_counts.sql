-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0012_event_minute_counts.sql: the timeline's events counted per minute, for its chart (PostgreSQL).
--
-- As on SQLite (see sqlite/0012_event_minute_counts.sql): one row per
-- project, minute since the epoch (rounded down), event type and discipline
-- ('' for none), kept by the store in the append's transaction; n counts
-- every event, n_rolled_back those of rolled-back batches.

CREATE TABLE event_minute_counts (
  project_id    TEXT COLLATE "C" NOT NULL,
  minute        BIGINT NOT NULL,
  event_type    TEXT COLLATE "C" NOT NULL,
  discipline    TEXT COLLATE "C" NOT NULL,
  n             BIGINT NOT NULL,
  n_rolled_back BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, minute, event_type, discipline)
);

-- The events written before this migration.
INSERT INTO event_minute_counts (project_id, minute, event_type, discipline, n, n_rolled_back)
SELECT project_id, floor(extract(epoch FROM "timestamp") / 60)::bigint, event_type, COALESCE(discipline, ''),
       count(*), count(*) FILTER (WHERE is_rolled_back)
FROM workflow_events
GROUP BY 1, 2, 3, 4;
