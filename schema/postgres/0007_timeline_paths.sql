-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0007_timeline_paths.sql: an event-type index in position order, for deep and keyset timeline pages (PostgreSQL).
--
-- As on SQLite: ix_workflow_events_project_type had discipline between the
-- event type and the position, so a filter on event types alone sorted all
-- its matches for every page. Without it, one type's matches are read newest
-- first from the index, and a keyset page ("before" a position) starts at
-- that position. Type and discipline together are served by
-- ix_workflow_events_project_discipline. Same number of indexes.
DROP INDEX ix_workflow_events_project_type;
CREATE INDEX ix_workflow_events_project_type
  ON workflow_events(project_id, event_type, is_rolled_back, position);
