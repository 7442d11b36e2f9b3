-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0012_event_minute_counts.sql: the timeline's events counted per minute, for its chart (SQLite).
--
-- A chart of a million events counted them from the timestamp index, every
-- bar a walk of its period (5.7 s at 1,000,000 events with a split). The
-- store keeps these counts as it appends, in the append's transaction:
-- one row per project, minute (timestamp in microseconds divided by
-- 60,000,000, rounded down), event type and discipline ('' for none); n
-- counts every event, n_rolled_back those of rolled-back batches (the
-- store adds a batch's events to it when it marks the batch). A count by
-- period adds whole minutes from here and reads only the edges of periods
-- not on a minute from the events. docs/performance.md, section 10.

CREATE TABLE event_minute_counts (
  project_id    TEXT NOT NULL,
  minute        INTEGER NOT NULL,
  event_type    TEXT NOT NULL,
  discipline    TEXT NOT NULL,
  n             INTEGER NOT NULL,
  n_rolled_back INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, minute, event_type, discipline)
) WITHOUT ROWID;

-- The events written before this migration. Timestamps are after 1970:
-- integer division is the floor here.
INSERT INTO event_minute_counts (project_id, minute, event_type, discipline, n, n_rolled_back)
SELECT project_id, timestamp / 60000000, event_type, COALESCE(discipline, ''), count(*), sum(is_rolled_back)
FROM workflow_events
GROUP BY 1, 2, 3, 4;
