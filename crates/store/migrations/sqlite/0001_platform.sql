-- Platform: territory, organisations, bodies, users, sessions, audit trail.
-- Instants are BIGINT unix seconds (UTC); civil dates are TEXT 'YYYY-MM-DD';
-- flags are BIGINT 0/1 (the Any driver decodes no SQLite boolean).

CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES territories(id),
    level TEXT NOT NULL CHECK (level IN ('country', 'oblast', 'raion', 'hromada')),
    code TEXT UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX territories_path ON territories (path);
CREATE INDEX territories_parent ON territories (parent_id, name_uk);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    search_key TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories(id),
    territory_path TEXT NOT NULL,
    edrpou TEXT UNIQUE,
    by_consent BIGINT NOT NULL DEFAULT 0,
    email TEXT,
    phone TEXT,
    address TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX organisations_kind_name ON organisations (kind, name_key);
CREATE INDEX organisations_path_name ON organisations (territory_path, name_key);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('coordination_council', 'multidisciplinary_group')),
    name TEXT NOT NULL UNIQUE,
    territory_id BIGINT NOT NULL REFERENCES territories(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE body_members (
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (body_id, org_id)
);
CREATE INDEX body_members_org ON body_members (org_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    last_sign_in_at BIGINT
);
CREATE INDEX users_org_name ON users (org_id, full_name);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_org_id BIGINT,
    action TEXT NOT NULL,
    subject_kind TEXT,
    subject_id TEXT,
    ip TEXT,
    request_id TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);

-- The audit trail is append-only: the database refuses to change or remove a row.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are append-only');
END;
