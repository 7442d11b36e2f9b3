-- SPDX-License-Identifier: GPL-3.0-or-later
-- 0007_timeline_paths.sql: an event-type index in position order, for deep and keyset timeline pages (SQLite).
--
-- ix_workflow_events_project_type was (project_id, event_type, discipline,
-- is_rolled_back): a filter on event types alone found its matches there,
-- but not in position order (discipline comes between), so every page sorted
-- all of them first: 108 ms for one page of 500,000 ASSET_CREATED events.
-- Without discipline, the matches of one type come in position (rowid) order:
-- a page is read newest first straight from the index, and a keyset page
-- ("before" a position) starts at that position. Type and discipline together
-- are served by ix_workflow_events_project_discipline (discipline, event_type,
-- is_rolled_back, then the rowid: also in position order). Same number of
-- indexes, so appends cost the same.
DROP INDEX ix_workflow_events_project_type;
CREATE INDEX ix_workflow_events_project_type
  ON workflow_events(project_id, event_type, is_rolled_back);
