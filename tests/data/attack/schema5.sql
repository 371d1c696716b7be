-- A database as kepu wrote it at schema version 5 (before the audit log's hash chain):
-- two posts of tests/data/featured.ndjson and three review decisions.  tests/attack_test.sh
-- loads it with sqlite3 to check that opening it with kepu upgrades its guards.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE posts (  id INTEGER PRIMARY KEY,  platform TEXT NOT NULL, post_id TEXT NOT NULL,  url TEXT, author_id TEXT, author_name TEXT, author_location TEXT, ip_location TEXT,  created_at INTEGER NOT NULL,  title TEXT, text TEXT, topics TEXT,  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,  lower_bounds INTEGER NOT NULL DEFAULT 0,  district TEXT, district_code TEXT, in_chongqing INTEGER,  attribution_method TEXT NOT NULL DEFAULT 'none', attribution_confidence REAL,  attribution_evidence TEXT,  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,  UNIQUE (platform, post_id));
INSERT INTO posts VALUES(1,'douyin','A1','https://www.douyin.com/video/A1',NULL,'作者A1',NULL,NULL,1756778400,'作品A1','#千万IP创科普# 江津区科技馆 ','[]',500000,50000,5000,5000,5000,0,'江津区','500116',1,'text',0.8000000000000000444,'江津区科技馆',1757469600,1757469600);
INSERT INTO posts VALUES(2,'douyin','A2','https://www.douyin.com/video/A2',NULL,'作者A2',NULL,NULL,1756778400,'作品A2','#千万IP创科普# 江津区科技馆 ','[]',400000,40000,4000,4000,4000,0,'江津区','500116',1,'text',0.8000000000000000444,'江津区科技馆',1757469600,1757469600);
CREATE TABLE post_tags (post INTEGER NOT NULL, kind INTEGER NOT NULL,  pos INTEGER NOT NULL, tag TEXT NOT NULL,  PRIMARY KEY (post, kind, pos)) WITHOUT ROWID;
INSERT INTO post_tags VALUES(1,0,0,'千万IP创科普');
INSERT INTO post_tags VALUES(1,1,0,'千万IP创科普');
INSERT INTO post_tags VALUES(2,0,0,'千万IP创科普');
INSERT INTO post_tags VALUES(2,1,0,'千万IP创科普');
CREATE TABLE snapshots (post INTEGER NOT NULL, observed_at INTEGER NOT NULL,  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,  lower_bounds INTEGER NOT NULL DEFAULT 0,  PRIMARY KEY (post, observed_at)) WITHOUT ROWID;
INSERT INTO snapshots VALUES(1,1757469600,500000,50000,5000,5000,5000,0);
INSERT INTO snapshots VALUES(2,1757469600,400000,40000,4000,4000,4000,0);
CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, source TEXT,  started_at INTEGER NOT NULL, finished_at INTEGER, status TEXT NOT NULL DEFAULT 'running',  read INTEGER NOT NULL DEFAULT 0, kept INTEGER NOT NULL DEFAULT 0,  skipped INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,  errors INTEGER NOT NULL DEFAULT 0, message TEXT);
INSERT INTO runs VALUES(1,'import','two.ndjson',1757469600,1757469600,'ok',2,2,0,2,0,0,0,NULL);
CREATE TABLE district_overrides (platform TEXT NOT NULL, post_id TEXT NOT NULL,  district_code TEXT NOT NULL, district TEXT NOT NULL, note TEXT,  set_at INTEGER NOT NULL, PRIMARY KEY (platform, post_id)) WITHOUT ROWID;
CREATE TABLE cursors (source TEXT PRIMARY KEY, high_water INTEGER NOT NULL DEFAULT 0,  pass_active INTEGER NOT NULL DEFAULT 0, pass_mode TEXT, pass_next TEXT,  pass_floor INTEGER NOT NULL DEFAULT 0, pass_max_seen INTEGER NOT NULL DEFAULT 0,  updated_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE run_sources (run INTEGER NOT NULL, source TEXT NOT NULL,  started_at INTEGER NOT NULL, finished_at INTEGER, status TEXT NOT NULL DEFAULT 'running',  pages INTEGER NOT NULL DEFAULT 0, fetched INTEGER NOT NULL DEFAULT 0,  matched INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,  errors INTEGER NOT NULL DEFAULT 0, message TEXT, PRIMARY KEY (run, source));
CREATE TABLE review_log (id INTEGER PRIMARY KEY, platform TEXT NOT NULL,  post_id TEXT NOT NULL, at INTEGER NOT NULL, "by" TEXT NOT NULL,  from_state TEXT NOT NULL, to_state TEXT NOT NULL, note TEXT);
INSERT INTO review_log VALUES(1,'douyin','A1',1757469600,'张三','pending','approved','初审');
INSERT INTO review_log VALUES(2,'douyin','A1',1757469600,'李四','approved','featured','优秀');
INSERT INTO review_log VALUES(3,'douyin','A2',1757469600,'张三','pending','rejected','重复');
CREATE TABLE post_flags (platform TEXT NOT NULL, post_id TEXT NOT NULL,  rule TEXT NOT NULL, reason TEXT, match TEXT NOT NULL, set_at INTEGER NOT NULL,  PRIMARY KEY (platform, post_id, rule, match)) WITHOUT ROWID;
CREATE INDEX posts_by_created ON posts(created_at);
CREATE INDEX runs_by_start ON runs(started_at);
CREATE INDEX posts_by_district ON posts(district_code, created_at);
CREATE INDEX review_log_by_post ON review_log(platform, post_id, id);
CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never edited'); END;
CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never deleted'); END;
PRAGMA user_version=5;
COMMIT;
