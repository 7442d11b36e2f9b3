-- A database of Synapse 0.1.0 before derivation records (schema 2), made with its CLI:
-- project Legacy (CA), rules motor/volts/cable, pumps 210-PP-001..003 (25/50/75 hp), one
-- execute, then: 210-M-001 enclosure=XP, 210-M-002 voltage=480, 210-M-003 deleted, 210-PP-001 hp=75.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version ( version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO schema_version VALUES(1,1796522167783483);
INSERT INTO schema_version VALUES(2,1796522167783669);
CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  country     TEXT,
  created_at  INTEGER NOT NULL
);
INSERT INTO projects VALUES('01a24910-cdea-7378-99ff-0835cd3bf252','Legacy',NULL,'CA',1796522167786616);
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'engineer', 'viewer')),
  password_hash TEXT,
  created_at    INTEGER NOT NULL
);
CREATE TABLE assets (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  tag                TEXT NOT NULL,
  type               TEXT NOT NULL,
  description        TEXT,
  discipline         TEXT,
  area               TEXT,
  properties         TEXT NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
INSERT INTO assets VALUES('01a24910-ce62-7068-b6c3-0fad99fdb544','01a24910-cdea-7378-99ff-0835cd3bf252','210-PP-001','PUMP',NULL,NULL,'210','{"length_m":100,"pump_type":"CENTRIFUGAL","hp":75}',NULL);
INSERT INTO assets VALUES('01a24910-ce98-704b-bf70-6b2e21a69c1a','01a24910-cdea-7378-99ff-0835cd3bf252','210-PP-002','PUMP',NULL,NULL,'210','{"length_m":100,"pump_type":"CENTRIFUGAL","hp":50}',NULL);
INSERT INTO assets VALUES('01a24910-ced2-7169-81bd-b745565e6495','01a24910-cdea-7378-99ff-0835cd3bf252','210-PP-003','PUMP',NULL,NULL,'210','{"length_m":100,"pump_type":"CENTRIFUGAL","hp":75}',NULL);
INSERT INTO assets VALUES('01a24910-cf0d-7211-8816-256ce2a20fd0','01a24910-cdea-7378-99ff-0835cd3bf252','210-M-001','MOTOR','MOTOR for 210-PP-001','ELECTRICAL','210','{"length_m":100,"voltage":600,"enclosure":"XP","hp":25}','motor');
INSERT INTO assets VALUES('01a24910-cf0d-7216-aba4-d59dfb71cbef','01a24910-cdea-7378-99ff-0835cd3bf252','210-M-002','MOTOR','MOTOR for 210-PP-002','ELECTRICAL','210','{"length_m":100,"voltage":480,"enclosure":"TEFC","hp":50}','motor');
CREATE TABLE cables (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  tag                TEXT NOT NULL,
  from_asset_id      TEXT,
  to_asset_id        TEXT,
  cable_type         TEXT,
  voltage            REAL,
  length_m           REAL,
  conductor_size     TEXT,
  flc_a              REAL,
  ampacity_a         REAL,
  voltage_drop_pct   REAL,
  properties         TEXT NOT NULL DEFAULT '{}',
  created_by_rule_id TEXT,
  UNIQUE (project_id, tag)
);
INSERT INTO cables VALUES('01a24910-cf0e-7200-8c54-914527716883','01a24910-cdea-7378-99ff-0835cd3bf252','210-M-001-PWR',NULL,'01a24910-cf0d-7211-8816-256ce2a20fd0','TECK90',600.0,100.0,'8 AWG',27.0,50.0,2.025999999999999801,'{"sizing":"auto","min_ampacity_a":33.75,"voltage_drop_limit_pct":3}','cable');
INSERT INTO cables VALUES('01a24910-cf0e-7203-a3ef-eaae392dcd5e','01a24910-cdea-7378-99ff-0835cd3bf252','210-M-002-PWR',NULL,'01a24910-cf0d-7216-aba4-d59dfb71cbef','TECK90',600.0,100.0,'6 AWG',52.0,65.0,2.402000000000000135,'{"sizing":"auto","min_ampacity_a":65,"voltage_drop_limit_pct":3}','cable');
CREATE TABLE edges (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  source_asset_id    TEXT NOT NULL,
  target_asset_id    TEXT NOT NULL,
  relation           TEXT NOT NULL,
  created_by_rule_id TEXT,
  UNIQUE (project_id, source_asset_id, target_asset_id, relation)
);
INSERT INTO edges VALUES('01a24910-cf0d-7213-b18d-b804274ceddd','01a24910-cdea-7378-99ff-0835cd3bf252','01a24910-cf0d-7211-8816-256ce2a20fd0','01a24910-ce62-7068-b6c3-0fad99fdb544','powers','motor');
INSERT INTO edges VALUES('01a24910-cf0d-7218-bdab-5e461740520a','01a24910-cdea-7378-99ff-0835cd3bf252','01a24910-cf0d-7216-aba4-d59dfb71cbef','01a24910-ce98-704b-bf70-6b2e21a69c1a','powers','motor');
CREATE TABLE rule_definitions (
  id          TEXT PRIMARY KEY,
  project_id  TEXT REFERENCES projects(id),
  name        TEXT NOT NULL,
  description TEXT,
  source      TEXT,
  priority    INTEGER NOT NULL DEFAULT 50,
  discipline  TEXT,
  is_enforced INTEGER NOT NULL DEFAULT 0,
  is_active   INTEGER NOT NULL DEFAULT 1,
  action_type TEXT NOT NULL,
  condition   TEXT NOT NULL DEFAULT '{}',
  action      TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
INSERT INTO rule_definitions VALUES('motor','01a24910-cdea-7378-99ff-0835cd3bf252','FIRM: Pumps require Motor',NULL,'FIRM',10,'ELECTRICAL',0,1,'CREATE_CHILD','{"asset_type":"PUMP","all":[{"key":"pump_type","op":"==","value":"CENTRIFUGAL"}]}','{"properties":{"enclosure":"TEFC"},"type":"MOTOR","naming":"{area}-M-{tag_number}","relation":"powers","inherit_properties":["hp","length_m"]}',1796522167844727,1796522167844727);
INSERT INTO rule_definitions VALUES('volts','01a24910-cdea-7378-99ff-0835cd3bf252','COUNTRY: Motors are 600 V',NULL,'COUNTRY',30,NULL,1,1,'SET_PROPERTY','{"project_country":"CA","asset_type":"MOTOR"}','{"properties":{"voltage":600},"mode":"set"}',1796522167846582,1796522167846582);
INSERT INTO rule_definitions VALUES('cable','01a24910-cdea-7378-99ff-0835cd3bf252','FIRM: Motors require Cable',NULL,'FIRM',10,NULL,0,1,'CREATE_CABLE','{"asset_type":"MOTOR","all":[{"key":"hp","op":"exists"}]}','{"to":"source","sizing":"auto","naming":"{tag}-PWR","cable_type":"TECK90"}',1796522167850703,1796522167850703);
CREATE TABLE workflow_events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT NOT NULL UNIQUE,
  event_type     TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  rule_id        TEXT,
  discipline     TEXT,
  payload        TEXT NOT NULL DEFAULT '{}',
  metadata       TEXT DEFAULT '{}',
  correlation_id TEXT NOT NULL,
  causation_id   TEXT,
  sequence_num   INTEGER NOT NULL DEFAULT 0,
  user_id        TEXT,
  timestamp      INTEGER NOT NULL,
  is_rolled_back INTEGER NOT NULL DEFAULT 0 CHECK (is_rolled_back IN (0, 1))
);
INSERT INTO workflow_events VALUES(1,'01a24910-ce62-7069-a81a-a026985394ee','ASSET_CREATED','ASSET','01a24910-ce62-7068-b6c3-0fad99fdb544','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"id":"01a24910-ce62-7068-b6c3-0fad99fdb544","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-001","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":25},"created_by_rule_id":null}','{}','01a24910-ce62-7067-b567-28e4ae0ba53f',NULL,0,NULL,1796522167906992,0);
INSERT INTO workflow_events VALUES(2,'01a24910-ce99-72a6-a0ba-1829068fdb6f','ASSET_CREATED','ASSET','01a24910-ce98-704b-bf70-6b2e21a69c1a','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"id":"01a24910-ce98-704b-bf70-6b2e21a69c1a","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-002","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":50},"created_by_rule_id":null}','{}','01a24910-ce98-704a-a3c9-8e0e83c676a2',NULL,0,NULL,1796522167961067,0);
INSERT INTO workflow_events VALUES(3,'01a24910-ced2-716a-85e4-d4340f4faaa6','ASSET_CREATED','ASSET','01a24910-ced2-7169-81bd-b745565e6495','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"id":"01a24910-ced2-7169-81bd-b745565e6495","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-003","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":75},"created_by_rule_id":null}','{}','01a24910-ced2-7168-82fa-d4017c71e2cb',NULL,0,NULL,1796522168018615,0);
INSERT INTO workflow_events VALUES(4,'01a24910-cf0d-720e-bfc3-9a34f6dec6cd','BATCH_STARTED','BATCH','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"execution_id":"01a24910-cf0b-716d-aef9-07466eba4462","mode":"execute","filters":{"rule_ids":null,"disciplines":null,"action_types":null,"asset_ids":null,"asset_types":null},"total_rules":3,"total_assets":3}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,0,NULL,1796522168077189,0);
INSERT INTO workflow_events VALUES(5,'01a24910-cf0d-720f-8520-ac2cf00a9611','RULE_EXECUTION_STARTED','RULE','motor','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"candidates":3,"rule_id":"motor","rule_name":"FIRM: Pumps require Motor","pass":1}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,1,NULL,1796522168077228,0);
INSERT INTO workflow_events VALUES(6,'01a24910-cf0d-7210-9f84-afbbef499e0f','RULE_EXECUTED','RULE','motor','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"rule_id":"motor","rule_name":"FIRM: Pumps require Motor","source_asset_id":"01a24910-ce62-7068-b6c3-0fad99fdb544","source_tag":"210-PP-001","reason":"matched","pass":1}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,2,NULL,1796522168077248,0);
INSERT INTO workflow_events VALUES(7,'01a24910-cf0d-7212-a4fd-2873874a9d79','ASSET_CREATED','ASSET','01a24910-cf0d-7211-8816-256ce2a20fd0','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":25},"created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-7210-9f84-afbbef499e0f',3,NULL,1796522168077360,0);
INSERT INTO workflow_events VALUES(8,'01a24910-cf0d-7214-ba6b-9772684f1e00','RELATIONSHIP_CREATED','EDGE','01a24910-cf0d-7213-b18d-b804274ceddd','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-7213-b18d-b804274ceddd","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","source_asset_id":"01a24910-cf0d-7211-8816-256ce2a20fd0","target_asset_id":"01a24910-ce62-7068-b6c3-0fad99fdb544","relation":"powers","created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-7210-9f84-afbbef499e0f',4,NULL,1796522168077447,0);
INSERT INTO workflow_events VALUES(9,'01a24910-cf0d-7215-b732-6ddbd02c7e92','RULE_EXECUTED','RULE','motor','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"rule_id":"motor","rule_name":"FIRM: Pumps require Motor","source_asset_id":"01a24910-ce98-704b-bf70-6b2e21a69c1a","source_tag":"210-PP-002","reason":"matched","pass":1}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,5,NULL,1796522168077508,0);
INSERT INTO workflow_events VALUES(10,'01a24910-cf0d-7217-8888-ebf2222121a4','ASSET_CREATED','ASSET','01a24910-cf0d-7216-aba4-d59dfb71cbef','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-7215-b732-6ddbd02c7e92',6,NULL,1796522168077535,0);
INSERT INTO workflow_events VALUES(11,'01a24910-cf0d-7219-8228-4cb224e13bc3','RELATIONSHIP_CREATED','EDGE','01a24910-cf0d-7218-bdab-5e461740520a','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-7218-bdab-5e461740520a","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","source_asset_id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","target_asset_id":"01a24910-ce98-704b-bf70-6b2e21a69c1a","relation":"powers","created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-7215-b732-6ddbd02c7e92',7,NULL,1796522168077559,0);
INSERT INTO workflow_events VALUES(12,'01a24910-cf0d-721a-913e-1ef155c2123a','RULE_EXECUTED','RULE','motor','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"rule_id":"motor","rule_name":"FIRM: Pumps require Motor","source_asset_id":"01a24910-ced2-7169-81bd-b745565e6495","source_tag":"210-PP-003","reason":"matched","pass":1}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,8,NULL,1796522168077614,0);
INSERT INTO workflow_events VALUES(13,'01a24910-cf0d-721c-aa96-1bcddc639ed2','ASSET_CREATED','ASSET','01a24910-cf0d-721b-945b-82716a712c57','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-721b-945b-82716a712c57","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003","type":"MOTOR","description":"MOTOR for 210-PP-003","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":75},"created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-721a-913e-1ef155c2123a',9,NULL,1796522168077635,0);
INSERT INTO workflow_events VALUES(14,'01a24910-cf0d-721e-b1a6-34a0dc57170c','RELATIONSHIP_CREATED','EDGE','01a24910-cf0d-721d-bac1-4e8379d7c83d','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"id":"01a24910-cf0d-721d-bac1-4e8379d7c83d","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","source_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","target_asset_id":"01a24910-ced2-7169-81bd-b745565e6495","relation":"powers","created_by_rule_id":"motor"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-721a-913e-1ef155c2123a',10,NULL,1796522168077655,0);
INSERT INTO workflow_events VALUES(15,'01a24910-cf0d-721f-9175-2c29e5e9d4eb','RULE_EXECUTION_COMPLETED','RULE','motor','01a24910-cdea-7378-99ff-0835cd3bf252','motor','ELECTRICAL','{"assets_processed":3,"actions_taken":3,"skipped":0,"errors":0,"rule_id":"motor","rule_name":"FIRM: Pumps require Motor","pass":1}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,11,NULL,1796522168077691,0);
INSERT INTO workflow_events VALUES(16,'01a24910-cf0d-7220-88c4-f3b45f781400','RULE_EXECUTION_STARTED','RULE','volts','01a24910-cdea-7378-99ff-0835cd3bf252','volts',NULL,'{"candidates":3,"rule_id":"volts","rule_name":"COUNTRY: Motors are 600 V","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,12,NULL,1796522168077748,0);
INSERT INTO workflow_events VALUES(17,'01a24910-cf0d-7221-a0f5-4cc6cdc6ab92','RULE_EXECUTED','RULE','volts','01a24910-cdea-7378-99ff-0835cd3bf252','volts',NULL,'{"changed":{"voltage":600},"rule_id":"volts","rule_name":"COUNTRY: Motors are 600 V","source_asset_id":"01a24910-cf0d-7211-8816-256ce2a20fd0","source_tag":"210-M-001","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,13,NULL,1796522168077790,0);
INSERT INTO workflow_events VALUES(18,'01a24910-cf0d-7222-a7d1-4abc93de0dc8','ASSET_UPDATED','ASSET','01a24910-cf0d-7211-8816-256ce2a20fd0','01a24910-cdea-7378-99ff-0835cd3bf252','volts','ELECTRICAL','{"before":{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":25},"created_by_rule_id":"motor"},"after":{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":25},"created_by_rule_id":"motor"},"diff":{"properties":{"voltage":600}}}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0d-7221-a0f5-4cc6cdc6ab92',14,NULL,1796522168077977,0);
INSERT INTO workflow_events VALUES(19,'01a24910-cf0e-71f9-aa68-04e2e60a18d1','RULE_EXECUTED','RULE','volts','01a24910-cdea-7378-99ff-0835cd3bf252','volts',NULL,'{"changed":{"voltage":600},"rule_id":"volts","rule_name":"COUNTRY: Motors are 600 V","source_asset_id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","source_tag":"210-M-002","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,15,NULL,1796522168078079,0);
INSERT INTO workflow_events VALUES(20,'01a24910-cf0e-71fa-9df1-de861c6bb00b','ASSET_UPDATED','ASSET','01a24910-cf0d-7216-aba4-d59dfb71cbef','01a24910-cdea-7378-99ff-0835cd3bf252','volts','ELECTRICAL','{"before":{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"},"after":{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"},"diff":{"properties":{"voltage":600}}}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0e-71f9-aa68-04e2e60a18d1',16,NULL,1796522168078192,0);
INSERT INTO workflow_events VALUES(21,'01a24910-cf0e-71fb-a6cc-baf365ad5275','RULE_EXECUTED','RULE','volts','01a24910-cdea-7378-99ff-0835cd3bf252','volts',NULL,'{"changed":{"voltage":600},"rule_id":"volts","rule_name":"COUNTRY: Motors are 600 V","source_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","source_tag":"210-M-003","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,17,NULL,1796522168078225,0);
INSERT INTO workflow_events VALUES(22,'01a24910-cf0e-71fc-b892-73a090d7f1d6','ASSET_UPDATED','ASSET','01a24910-cf0d-721b-945b-82716a712c57','01a24910-cdea-7378-99ff-0835cd3bf252','volts','ELECTRICAL','{"before":{"id":"01a24910-cf0d-721b-945b-82716a712c57","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003","type":"MOTOR","description":"MOTOR for 210-PP-003","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"enclosure":"TEFC","hp":75},"created_by_rule_id":"motor"},"after":{"id":"01a24910-cf0d-721b-945b-82716a712c57","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003","type":"MOTOR","description":"MOTOR for 210-PP-003","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":75},"created_by_rule_id":"motor"},"diff":{"properties":{"voltage":600}}}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0e-71fb-a6cc-baf365ad5275',18,NULL,1796522168078299,0);
INSERT INTO workflow_events VALUES(23,'01a24910-cf0e-71fd-bb94-49fa90a45b88','RULE_EXECUTION_COMPLETED','RULE','volts','01a24910-cdea-7378-99ff-0835cd3bf252','volts',NULL,'{"assets_processed":3,"actions_taken":3,"skipped":0,"errors":0,"rule_id":"volts","rule_name":"COUNTRY: Motors are 600 V","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,19,NULL,1796522168078312,0);
INSERT INTO workflow_events VALUES(24,'01a24910-cf0e-71fe-a66a-54412df74010','RULE_EXECUTION_STARTED','RULE','cable','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"candidates":3,"rule_id":"cable","rule_name":"FIRM: Motors require Cable","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,20,NULL,1796522168078316,0);
INSERT INTO workflow_events VALUES(25,'01a24910-cf0e-71ff-a79e-fb69e2ac2325','RULE_EXECUTED','RULE','cable','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"rule_id":"cable","rule_name":"FIRM: Motors require Cable","source_asset_id":"01a24910-cf0d-7211-8816-256ce2a20fd0","source_tag":"210-M-001","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,21,NULL,1796522168078362,0);
INSERT INTO workflow_events VALUES(26,'01a24910-cf0e-7201-9fcd-4e018125e6fa','CABLE_CREATED','CABLE','01a24910-cf0e-7200-8c54-914527716883','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"id":"01a24910-cf0e-7200-8c54-914527716883","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001-PWR","from_asset_id":null,"to_asset_id":"01a24910-cf0d-7211-8816-256ce2a20fd0","cable_type":"TECK90","voltage":600,"length_m":100,"conductor_size":"8 AWG","flc_a":27,"ampacity_a":50,"voltage_drop_pct":2.026,"properties":{"min_ampacity_a":33.75,"sizing":"auto","voltage_drop_limit_pct":3},"created_by_rule_id":"cable"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0e-71ff-a79e-fb69e2ac2325',22,NULL,1796522168078510,0);
INSERT INTO workflow_events VALUES(27,'01a24910-cf0e-7202-bdcb-56672a12c92c','RULE_EXECUTED','RULE','cable','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"rule_id":"cable","rule_name":"FIRM: Motors require Cable","source_asset_id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","source_tag":"210-M-002","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,23,NULL,1796522168078542,0);
INSERT INTO workflow_events VALUES(28,'01a24910-cf0e-7204-bc22-0ab22d6a8b93','CABLE_CREATED','CABLE','01a24910-cf0e-7203-a3ef-eaae392dcd5e','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"id":"01a24910-cf0e-7203-a3ef-eaae392dcd5e","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002-PWR","from_asset_id":null,"to_asset_id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","cable_type":"TECK90","voltage":600,"length_m":100,"conductor_size":"6 AWG","flc_a":52,"ampacity_a":65,"voltage_drop_pct":2.402,"properties":{"min_ampacity_a":65,"sizing":"auto","voltage_drop_limit_pct":3},"created_by_rule_id":"cable"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0e-7202-bdcb-56672a12c92c',24,NULL,1796522168078563,0);
INSERT INTO workflow_events VALUES(29,'01a24910-cf0e-7205-b137-4a7e58708da6','RULE_EXECUTED','RULE','cable','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"rule_id":"cable","rule_name":"FIRM: Motors require Cable","source_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","source_tag":"210-M-003","reason":"matched","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,25,NULL,1796522168078602,0);
INSERT INTO workflow_events VALUES(30,'01a24910-cf0e-7207-b5d4-ac2395dbf29a','CABLE_CREATED','CABLE','01a24910-cf0e-7206-a339-157c71a4a650','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"id":"01a24910-cf0e-7206-a339-157c71a4a650","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003-PWR","from_asset_id":null,"to_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","cable_type":"TECK90","voltage":600,"length_m":100,"conductor_size":"3 AWG","flc_a":77,"ampacity_a":100,"voltage_drop_pct":1.778,"properties":{"min_ampacity_a":96.25,"sizing":"auto","voltage_drop_limit_pct":3},"created_by_rule_id":"cable"}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cf0e-7205-b137-4a7e58708da6',26,NULL,1796522168078628,0);
INSERT INTO workflow_events VALUES(31,'01a24910-cf0e-7208-a63c-6906f6baf855','RULE_EXECUTION_COMPLETED','RULE','cable','01a24910-cdea-7378-99ff-0835cd3bf252','cable',NULL,'{"assets_processed":3,"actions_taken":3,"skipped":0,"errors":0,"rule_id":"cable","rule_name":"FIRM: Motors require Cable","pass":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,27,NULL,1796522168078641,0);
INSERT INTO workflow_events VALUES(32,'01a24910-cf0e-7209-9364-9aae935f9a22','BATCH_COMPLETED','BATCH','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"execution_id":"01a24910-cf0b-716d-aef9-07466eba4462","summary":{"rules_executed":3,"assets_processed":6,"actions_taken":9,"skipped":0,"errors":0,"created":{"assets":3,"cables":3,"edges":3}},"passes":2,"duration_ms":2}','{}','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7',NULL,28,NULL,1796522168078690,0);
INSERT INTO workflow_events VALUES(33,'01a24910-cf49-72a9-bb31-fe27eddf2bd1','ASSET_UPDATED','ASSET','01a24910-cf0d-7211-8816-256ce2a20fd0','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,'ELECTRICAL','{"before":{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":25},"created_by_rule_id":"motor"},"after":{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"XP","hp":25},"created_by_rule_id":"motor"},"diff":{"properties":{"enclosure":"XP"}}}','{}','01a24910-cf49-72a8-8e89-db945476d3b2',NULL,0,NULL,1796522168137209,0);
INSERT INTO workflow_events VALUES(34,'01a24910-cf89-729b-b7c9-b9d72feff53a','ASSET_UPDATED','ASSET','01a24910-cf0d-7216-aba4-d59dfb71cbef','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,'ELECTRICAL','{"before":{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"},"after":{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":480,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"},"diff":{"properties":{"voltage":480}}}','{}','01a24910-cf88-73ee-82a9-285a5c9a0384',NULL,0,NULL,1796522168201096,0);
INSERT INTO workflow_events VALUES(35,'01a24910-cfc9-7098-bf02-9ea5aa305b62','RELATIONSHIP_DELETED','EDGE','01a24910-cf0d-721d-bac1-4e8379d7c83d','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"id":"01a24910-cf0d-721d-bac1-4e8379d7c83d","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","source_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","target_asset_id":"01a24910-ced2-7169-81bd-b745565e6495","relation":"powers","created_by_rule_id":"motor"}','{}','01a24910-cfc9-7097-ae33-b88ac3bc802b',NULL,0,NULL,1796522168265494,0);
INSERT INTO workflow_events VALUES(36,'01a24910-cfc9-7099-b386-fedf5eb92b76','CABLE_DELETED','CABLE','01a24910-cf0e-7206-a339-157c71a4a650','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"id":"01a24910-cf0e-7206-a339-157c71a4a650","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003-PWR","from_asset_id":null,"to_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","cable_type":"TECK90","voltage":600,"length_m":100,"conductor_size":"3 AWG","flc_a":77,"ampacity_a":100,"voltage_drop_pct":1.778,"properties":{"min_ampacity_a":96.25,"sizing":"auto","voltage_drop_limit_pct":3},"created_by_rule_id":"cable"}','{}','01a24910-cfc9-7097-ae33-b88ac3bc802b',NULL,1,NULL,1796522168265535,0);
INSERT INTO workflow_events VALUES(37,'01a24910-cfc9-709a-a9b5-c7733400974b','ASSET_DELETED','ASSET','01a24910-cf0d-721b-945b-82716a712c57','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,'ELECTRICAL','{"id":"01a24910-cf0d-721b-945b-82716a712c57","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003","type":"MOTOR","description":"MOTOR for 210-PP-003","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":75},"created_by_rule_id":"motor"}','{}','01a24910-cfc9-7097-ae33-b88ac3bc802b',NULL,2,NULL,1796522168265559,0);
INSERT INTO workflow_events VALUES(38,'01a24910-d006-714b-b1b8-393f4ce54283','ASSET_UPDATED','ASSET','01a24910-ce62-7068-b6c3-0fad99fdb544','01a24910-cdea-7378-99ff-0835cd3bf252',NULL,NULL,'{"before":{"id":"01a24910-ce62-7068-b6c3-0fad99fdb544","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-001","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":25},"created_by_rule_id":null},"after":{"id":"01a24910-ce62-7068-b6c3-0fad99fdb544","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-001","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":75},"created_by_rule_id":null},"diff":{"properties":{"hp":75}}}','{}','01a24910-d006-714a-805d-5b42db611868',NULL,0,NULL,1796522168326306,0);
CREATE TABLE execution_snapshots (
  id             TEXT PRIMARY KEY,
  correlation_id TEXT NOT NULL UNIQUE,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  snapshot_data  TEXT NOT NULL,
  events_count   INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ROLLED_BACK')),
  executed_at    INTEGER NOT NULL,
  rolled_back_at INTEGER,
  rolled_back_by TEXT
);
INSERT INTO execution_snapshots VALUES('01a24910-ce63-70c5-af35-09fa6850d336','01a24910-ce62-7067-b567-28e4ae0ba53f','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[],"cables":[],"edges":[],"created":{"assets":["01a24910-ce62-7068-b6c3-0fad99fdb544"],"cables":[],"edges":[]}}',1,'ACTIVE',1796522167907025,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-ce99-72a7-b96f-d9fc4b9e396c','01a24910-ce98-704a-a3c9-8e0e83c676a2','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[],"cables":[],"edges":[],"created":{"assets":["01a24910-ce98-704b-bf70-6b2e21a69c1a"],"cables":[],"edges":[]}}',1,'ACTIVE',1796522167961085,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-ced2-716b-a256-11e7adbcf01c','01a24910-ced2-7168-82fa-d4017c71e2cb','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[],"cables":[],"edges":[],"created":{"assets":["01a24910-ced2-7169-81bd-b745565e6495"],"cables":[],"edges":[]}}',1,'ACTIVE',1796522168018648,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-cf0e-720a-a0bd-ddabb104f6f0','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[],"cables":[],"edges":[],"created":{"assets":["01a24910-cf0d-7211-8816-256ce2a20fd0","01a24910-cf0d-7216-aba4-d59dfb71cbef","01a24910-cf0d-721b-945b-82716a712c57"],"cables":["01a24910-cf0e-7200-8c54-914527716883","01a24910-cf0e-7203-a3ef-eaae392dcd5e","01a24910-cf0e-7206-a339-157c71a4a650"],"edges":["01a24910-cf0d-7213-b18d-b804274ceddd","01a24910-cf0d-7218-bdab-5e461740520a","01a24910-cf0d-721d-bac1-4e8379d7c83d"]}}',29,'ACTIVE',1796522168078903,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-cf49-72aa-a555-5aa9bcc0f0c7','01a24910-cf49-72a8-8e89-db945476d3b2','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[{"id":"01a24910-cf0d-7211-8816-256ce2a20fd0","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-001","type":"MOTOR","description":"MOTOR for 210-PP-001","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":25},"created_by_rule_id":"motor"}],"cables":[],"edges":[],"created":{"assets":[],"cables":[],"edges":[]}}',1,'ACTIVE',1796522168137240,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-cf89-729c-b1e9-fc695598f01e','01a24910-cf88-73ee-82a9-285a5c9a0384','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[{"id":"01a24910-cf0d-7216-aba4-d59dfb71cbef","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-002","type":"MOTOR","description":"MOTOR for 210-PP-002","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":50},"created_by_rule_id":"motor"}],"cables":[],"edges":[],"created":{"assets":[],"cables":[],"edges":[]}}',1,'ACTIVE',1796522168201116,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-cfc9-709b-9281-80d56174232f','01a24910-cfc9-7097-ae33-b88ac3bc802b','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[{"id":"01a24910-cf0d-721b-945b-82716a712c57","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003","type":"MOTOR","description":"MOTOR for 210-PP-003","discipline":"ELECTRICAL","area":"210","properties":{"length_m":100,"voltage":600,"enclosure":"TEFC","hp":75},"created_by_rule_id":"motor"}],"cables":[{"id":"01a24910-cf0e-7206-a339-157c71a4a650","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-M-003-PWR","from_asset_id":null,"to_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","cable_type":"TECK90","voltage":600,"length_m":100,"conductor_size":"3 AWG","flc_a":77,"ampacity_a":100,"voltage_drop_pct":1.778,"properties":{"min_ampacity_a":96.25,"sizing":"auto","voltage_drop_limit_pct":3},"created_by_rule_id":"cable"}],"edges":[{"id":"01a24910-cf0d-721d-bac1-4e8379d7c83d","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","source_asset_id":"01a24910-cf0d-721b-945b-82716a712c57","target_asset_id":"01a24910-ced2-7169-81bd-b745565e6495","relation":"powers","created_by_rule_id":"motor"}],"created":{"assets":[],"cables":[],"edges":[]}}',3,'ACTIVE',1796522168265574,NULL,NULL);
INSERT INTO execution_snapshots VALUES('01a24910-d006-714c-9b7e-8d82922e5f4d','01a24910-d006-714a-805d-5b42db611868','01a24910-cdea-7378-99ff-0835cd3bf252','{"assets":[{"id":"01a24910-ce62-7068-b6c3-0fad99fdb544","project_id":"01a24910-cdea-7378-99ff-0835cd3bf252","tag":"210-PP-001","type":"PUMP","description":null,"discipline":null,"area":"210","properties":{"length_m":100,"pump_type":"CENTRIFUGAL","hp":25},"created_by_rule_id":null}],"cables":[],"edges":[],"created":{"assets":[],"cables":[],"edges":[]}}',1,'ACTIVE',1796522168326323,NULL,NULL);
CREATE TABLE executions (
  execution_id   TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  correlation_id TEXT,
  mode           TEXT NOT NULL DEFAULT 'execute',
  filters        TEXT,
  status         TEXT NOT NULL,
  user_id        TEXT,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  summary        TEXT,
  error          TEXT
);
INSERT INTO executions VALUES('01a24910-cf0b-716d-aef9-07466eba4462','01a24910-cdea-7378-99ff-0835cd3bf252','01a24910-cf0c-71f6-aa0c-0e2e6a94b1e7','execute','{}','completed',NULL,1796522168076370,1796522168078707,'{"rules_executed":3,"assets_processed":6,"actions_taken":9,"skipped":0,"errors":0,"created":{"assets":3,"cables":3,"edges":3}}',NULL);
CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE project_members (
  project_id TEXT NOT NULL REFERENCES projects(id),
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('workflow_events',38);
CREATE INDEX ix_assets_project_type ON assets(project_id, type);
CREATE INDEX ix_cables_to_asset ON cables(to_asset_id);
CREATE INDEX ix_edges_target ON edges(target_asset_id);
CREATE INDEX ix_rule_definitions_project ON rule_definitions(project_id);
CREATE UNIQUE INDEX ix_workflow_events_correlation_seq
  ON workflow_events(correlation_id, sequence_num);
CREATE INDEX ix_workflow_events_project_time
  ON workflow_events(project_id, timestamp, is_rolled_back);
CREATE INDEX ix_workflow_events_aggregate_lookup
  ON workflow_events(aggregate_type, aggregate_id, position);
CREATE INDEX ix_workflow_events_project_position
  ON workflow_events(project_id, position, is_rolled_back);
CREATE INDEX ix_workflow_events_project_type
  ON workflow_events(project_id, event_type, discipline, is_rolled_back);
CREATE INDEX ix_workflow_events_project_discipline
  ON workflow_events(project_id, discipline, event_type, is_rolled_back);
CREATE INDEX ix_workflow_events_project_rule
  ON workflow_events(project_id, rule_id, is_rolled_back);
CREATE TRIGGER workflow_events_no_delete
BEFORE DELETE ON workflow_events
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: DELETE is not allowed');
END;
CREATE TRIGGER workflow_events_no_update
BEFORE UPDATE ON workflow_events
WHEN NOT (OLD.is_rolled_back = 0 AND NEW.is_rolled_back = 1
          AND NEW.position IS OLD.position AND NEW.id IS OLD.id
          AND NEW.event_type IS OLD.event_type AND NEW.aggregate_type IS OLD.aggregate_type
          AND NEW.aggregate_id IS OLD.aggregate_id AND NEW.project_id IS OLD.project_id
          AND NEW.rule_id IS OLD.rule_id AND NEW.discipline IS OLD.discipline
          AND NEW.payload IS OLD.payload AND NEW.metadata IS OLD.metadata
          AND NEW.correlation_id IS OLD.correlation_id AND NEW.causation_id IS OLD.causation_id
          AND NEW.sequence_num IS OLD.sequence_num AND NEW.user_id IS OLD.user_id
          AND NEW.timestamp IS OLD.timestamp)
BEGIN
  SELECT RAISE(ABORT, 'workflow_events is append-only: only is_rolled_back may change, from false to true');
END;
CREATE INDEX ix_execution_snapshots_project_status
  ON execution_snapshots(project_id, status, executed_at);
CREATE TRIGGER execution_snapshots_no_delete
BEFORE DELETE ON execution_snapshots
BEGIN
  SELECT RAISE(ABORT, 'execution_snapshots is append-only: DELETE is not allowed');
END;
CREATE TRIGGER execution_snapshots_no_update
BEFORE UPDATE ON execution_snapshots
WHEN NOT (NEW.id IS OLD.id AND NEW.correlation_id IS OLD.correlation_id
          AND NEW.project_id IS OLD.project_id AND NEW.snapshot_data IS OLD.snapshot_data
          AND NEW.executed_at IS OLD.executed_at AND OLD.status = 'ACTIVE'
          AND ((NEW.status = 'ACTIVE' AND NEW.rolled_back_at IS NULL AND NEW.rolled_back_by IS NULL)
               OR (NEW.status = 'ROLLED_BACK' AND NEW.events_count IS OLD.events_count
                   AND NEW.rolled_back_at IS NOT NULL)))
BEGIN
  SELECT RAISE(ABORT, 'execution_snapshots is append-only: only the event count of an active snapshot and its move to ROLLED_BACK may change');
END;
CREATE INDEX ix_executions_project_started ON executions(project_id, started_at);
CREATE INDEX ix_user_tokens_expires ON user_tokens(expires_at);
CREATE INDEX ix_project_members_user ON project_members(user_id);
COMMIT;
