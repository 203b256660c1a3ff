-- Users, scans, their correction history and the audit log.
-- SQLite: times are fixed-width UTC ISO text; AUTOINCREMENT never reuses a deleted scan number.
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    language TEXT,
    role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
    allowed INTEGER NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'processing', 'done', 'failed', 'cancelled')),
    language TEXT NOT NULL,
    type_hint TEXT,
    -- Derived by the bot from the Telegram update; UNIQUE makes re-deliveries idempotent.
    idempotency_key TEXT NOT NULL UNIQUE,
    files TEXT NOT NULL,
    ack_message_id INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    document_type TEXT,
    provider TEXT,
    duration_ms INTEGER,
    cost_eur REAL,
    result_json TEXT,
    reviewed INTEGER NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    purged_at TEXT
);

CREATE INDEX scans_by_user ON scans (user_id, id);
CREATE INDEX scans_by_status ON scans (status, id);
CREATE INDEX scans_by_created ON scans (created_at);

CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    user_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX corrections_by_scan ON corrections (scan_id, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
