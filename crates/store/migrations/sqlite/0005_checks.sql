-- CHECK constraints on every enumerated column (issue 10): a state, kind,
-- role, step or action column holds the code of a domain enum and nothing
-- else. The lists come from the enums' `as_str` (store::codes::enumerated_columns);
-- a test compares them with this schema, and with PostgreSQL's. The columns
-- that had a CHECK since 0001–0003 (territories.level, bodies.kind,
-- reporting_periods.state, reports.state, report_reminders.kind) keep theirs.
--
-- SQLite cannot add a constraint to a table, so each table is rebuilt
-- (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
-- Schema Changes"), keeping every column, default, foreign key, unique
-- constraint, index and trigger as it was. The same rebuild gives the text
-- primary keys the NOT NULL that PostgreSQL's primary keys have (SQLite lets a
-- non-integer primary key hold NULL): sessions, exploitation_forms,
-- calendar_days, document_templates and audit_chain_head.
--
-- sqlx runs a migration inside a transaction, where `PRAGMA foreign_keys`
-- cannot be switched off; it stays on. Instead every foreign key is deferred
-- to the commit (`defer_foreign_keys`, reset at the commit), and each table is
-- rebuilt in place, never renamed (renaming a table that others reference
-- would rewrite their REFERENCES clauses):
--   1. its rows are copied to a temporary table;
--   2. the table is dropped: with foreign keys on this deletes its rows (no
--      trigger fires, no foreign key has an ON DELETE action), and each row of
--      another table that referenced one of them counts as a deferred violation;
--   3. the table is created again, with the same name and its CHECKs;
--   4. the rows are copied back with their ids: each row that references one
--      of them is satisfied again and its violation uncounted;
--   5. its indexes and triggers are created again.
-- At the commit no violation is left, or the commit fails and nothing changes.
PRAGMA defer_foreign_keys = ON;


-- organisations
CREATE TEMP TABLE rebuild_organisations AS SELECT * FROM main.organisations;
DROP TABLE main.organisations;
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    search_key TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL CHECK (kind IN (
        'ministry', 'oblast_administration', 'social_protection_department',
        'education_department', 'health_department', 'culture_department',
        'information_department', 'raion_administration', 'police', 'children_service',
        'social_services_centre', 'legal_aid_centre', 'employment_centre',
        'training_centre', 'labour_inspectorate', 'migration_service', 'hromada_council',
        'ngo', 'international_organisation')),
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
INSERT INTO main.organisations (id, name, name_key, search_key, short_name, kind, territory_id, territory_path, edrpou, by_consent, email, phone, address, created_at, updated_at, version)
SELECT id, name, name_key, search_key, short_name, kind, territory_id, territory_path, edrpou, by_consent, email, phone, address, created_at, updated_at, version FROM temp.rebuild_organisations;
DROP TABLE temp.rebuild_organisations;
CREATE INDEX organisations_kind_name ON organisations (kind, name_key);
CREATE INDEX organisations_path_name ON organisations (territory_path, name_key);

-- user_roles
CREATE TEMP TABLE rebuild_user_roles AS SELECT * FROM main.user_roles;
DROP TABLE main.user_roles;
CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN (
        'national_coordinator', 'regional_coordinator', 'executor', 'case_officer',
        'partner', 'hotline_operator', 'analyst', 'administrator', 'auditor')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO main.user_roles (user_id, role)
SELECT user_id, role FROM temp.rebuild_user_roles;
DROP TABLE temp.rebuild_user_roles;

-- sessions
CREATE TEMP TABLE rebuild_sessions AS SELECT * FROM main.sessions;
DROP TABLE main.sessions;
CREATE TABLE sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT
);
INSERT INTO main.sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip)
SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ip FROM temp.rebuild_sessions;
DROP TABLE temp.rebuild_sessions;
CREATE INDEX sessions_user ON sessions (user_id);

-- audit_log
CREATE TEMP TABLE rebuild_audit_log AS SELECT * FROM main.audit_log;
DROP TABLE main.audit_log;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_org_id BIGINT,
    action TEXT NOT NULL CHECK (action IN (
        'sign_in', 'sign_in_failed', 'sign_in_locked', 'sign_out', 'sign_out_everywhere',
        'password_changed', 'password_reset', 'user_created', 'user_updated',
        'user_roles_changed', 'user_disabled', 'user_enabled', 'organisation_created',
        'organisation_updated', 'organisations_imported', 'body_created',
        'body_members_changed', 'permission_denied', 'request_refused',
        'audit_log_exported', 'audit_chain_verified', 'plan_created', 'plan_updated',
        'plan_imported', 'plan_exported', 'goal_saved', 'task_saved', 'measure_created',
        'measure_updated', 'measure_moved', 'measure_retired', 'measure_restored',
        'period_opened', 'period_closed', 'period_reopened', 'report_viewed',
        'report_saved', 'report_submitted', 'report_returned', 'report_accepted',
        'attachment_added', 'attachment_removed', 'attachment_downloaded',
        'consolidated_report_downloaded', 'reminder_sent', 'notice_recorded',
        'notice_accepted', 'notice_redirected', 'case_viewed', 'case_updated',
        'person_updated', 'case_closed', 'case_reopened', 'duplicate_warning',
        'referral_sent', 'referral_viewed', 'referral_accepted', 'referral_declined',
        'referral_answered', 'referral_closed', 'application_registered', 'procedure_step',
        'case_document_added', 'case_document_downloaded', 'certificate_downloaded',
        'refusal_letter_downloaded', 'journal_viewed', 'journal_downloaded',
        'rulebook_created', 'calendar_changed', 'template_replaced', 'template_reset')),
    subject_kind TEXT CHECK (subject_kind IN (
        'user', 'organisation', 'body', 'session', 'page', 'login', 'plan', 'measure',
        'period', 'report', 'case', 'referral', 'rulebook', 'calendar', 'template')),
    subject_id TEXT,
    ip TEXT,
    request_id TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO main.audit_log (id, at, actor_user_id, actor_org_id, action, subject_kind, subject_id, ip, request_id, details)
SELECT id, at, actor_user_id, actor_org_id, action, subject_kind, subject_id, ip, request_id, details FROM temp.rebuild_audit_log;
DROP TABLE temp.rebuild_audit_log;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are append-only');
END;

-- audit_chain_head
CREATE TEMP TABLE rebuild_audit_chain_head AS SELECT * FROM main.audit_chain_head;
DROP TABLE main.audit_chain_head;
CREATE TABLE audit_chain_head (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    last_audit_id BIGINT NOT NULL,
    sealed_at BIGINT
);
INSERT INTO main.audit_chain_head (id, seq, hash, last_audit_id, sealed_at)
SELECT id, seq, hash, last_audit_id, sealed_at FROM temp.rebuild_audit_chain_head;
DROP TABLE temp.rebuild_audit_chain_head;

-- report_events
CREATE TEMP TABLE rebuild_report_events AS SELECT * FROM main.report_events;
DROP TABLE main.report_events;
CREATE TABLE report_events (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id),
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL CHECK (action IN (
        'save', 'submit', 'return', 'accept')),
    comment TEXT
);
INSERT INTO main.report_events (id, report_id, at, user_id, action, comment)
SELECT id, report_id, at, user_id, action, comment FROM temp.rebuild_report_events;
DROP TABLE temp.rebuild_report_events;
CREATE INDEX report_events_report ON report_events (report_id, id);

-- exploitation_forms
CREATE TEMP TABLE rebuild_exploitation_forms AS SELECT * FROM main.exploitation_forms;
DROP TABLE main.exploitation_forms;
CREATE TABLE exploitation_forms (
    code TEXT NOT NULL PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO main.exploitation_forms (code, name_uk, name_en, position)
SELECT code, name_uk, name_en, position FROM temp.rebuild_exploitation_forms;
DROP TABLE temp.rebuild_exploitation_forms;

-- cases
CREATE TEMP TABLE rebuild_cases AS SELECT * FROM main.cases;
DROP TABLE main.cases;
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN (
        'notice', 'open', 'closed')),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    territory_id BIGINT NOT NULL REFERENCES territories(id),
    person_id BIGINT REFERENCES persons(id),
    reported_by_org_id BIGINT NOT NULL REFERENCES organisations(id),
    reported_by_user_id BIGINT NOT NULL REFERENCES users(id),
    identified_on TEXT NOT NULL,
    came_to_attention TEXT NOT NULL CHECK (came_to_attention IN (
        'police', 'hotline', 'ngo', 'employment_centre', 'border', 'self_referral',
        'other')),
    consent BIGINT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN (
        'female', 'male', 'unknown')),
    age BIGINT,
    is_child BIGINT NOT NULL,
    citizenship TEXT,
    language TEXT,
    interpreter BIGINT NOT NULL DEFAULT 0,
    idp BIGINT NOT NULL DEFAULT 0,
    legal_representative TEXT,
    place_kind TEXT CHECK (place_kind IN (
        'ukraine', 'abroad', 'both')),
    country TEXT,
    period_from TEXT,
    period_to TEXT,
    recruitment TEXT,
    proceedings_ref TEXT,
    circumstances TEXT,
    notes TEXT,
    opened_at BIGINT,
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO main.cases (id, reference, state, unit_org_id, territory_id, person_id, reported_by_org_id, reported_by_user_id, identified_on, came_to_attention, consent, sex, age, is_child, citizenship, language, interpreter, idp, legal_representative, place_kind, country, period_from, period_to, recruitment, proceedings_ref, circumstances, notes, opened_at, closed_at, created_at, updated_at, version)
SELECT id, reference, state, unit_org_id, territory_id, person_id, reported_by_org_id, reported_by_user_id, identified_on, came_to_attention, consent, sex, age, is_child, citizenship, language, interpreter, idp, legal_representative, place_kind, country, period_from, period_to, recruitment, proceedings_ref, circumstances, notes, opened_at, closed_at, created_at, updated_at, version FROM temp.rebuild_cases;
DROP TABLE temp.rebuild_cases;
CREATE INDEX cases_unit ON cases (unit_org_id, id);
CREATE INDEX cases_unit_state ON cases (unit_org_id, state, id);
CREATE INDEX cases_unit_child ON cases (unit_org_id, is_child, id);
CREATE INDEX cases_reporter ON cases (reported_by_org_id, id);
CREATE INDEX cases_person ON cases (person_id);

-- case_events
CREATE TEMP TABLE rebuild_case_events AS SELECT * FROM main.case_events;
DROP TABLE main.case_events;
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    org_id BIGINT REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN (
        'recorded', 'redirected', 'accepted', 'referred', 'open', 'closed',
        'referral_accepted', 'referral_declined', 'referral_answered', 'referral_closed')),
    to_org_id BIGINT REFERENCES organisations(id),
    note TEXT
);
INSERT INTO main.case_events (id, case_id, at, user_id, org_id, kind, to_org_id, note)
SELECT id, case_id, at, user_id, org_id, kind, to_org_id, note FROM temp.rebuild_case_events;
DROP TABLE temp.rebuild_case_events;
CREATE INDEX case_events_case ON case_events (case_id, id);

-- referrals
CREATE TEMP TABLE rebuild_referrals AS SELECT * FROM main.referrals;
DROP TABLE main.referrals;
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    from_org_id BIGINT NOT NULL REFERENCES organisations(id),
    to_org_id BIGINT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL CHECK (purpose IN (
        'police_request', 'children_service', 'social_services', 'legal_aid', 'employment',
        'shelter', 'medical', 'psychological', 'other')),
    fields TEXT NOT NULL,
    consent_ref TEXT,
    due_on TEXT,
    message TEXT,
    state TEXT NOT NULL CHECK (state IN (
        'sent', 'accepted', 'declined', 'answered', 'closed')),
    decline_reason TEXT,
    answer TEXT,
    proceedings_found BIGINT,
    proceedings_ref TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO main.referrals (id, case_id, from_org_id, to_org_id, purpose, fields, consent_ref, due_on, message, state, decline_reason, answer, proceedings_found, proceedings_ref, created_by, created_at, updated_at, closed_at, version)
SELECT id, case_id, from_org_id, to_org_id, purpose, fields, consent_ref, due_on, message, state, decline_reason, answer, proceedings_found, proceedings_ref, created_by, created_at, updated_at, closed_at, version FROM temp.rebuild_referrals;
DROP TABLE temp.rebuild_referrals;
CREATE INDEX referrals_to ON referrals (to_org_id, state, id);
CREATE INDEX referrals_to_all ON referrals (to_org_id, id);
CREATE INDEX referrals_case ON referrals (case_id, id);

-- procedures
CREATE TEMP TABLE rebuild_procedures AS SELECT * FROM main.procedures;
DROP TABLE main.procedures;
CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    journal_year BIGINT NOT NULL,
    journal_no BIGINT NOT NULL,
    registered_on TEXT NOT NULL,
    applicant TEXT NOT NULL,
    representative TEXT,
    language TEXT,
    interpreter TEXT,
    registered_by BIGINT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN (
        'registered', 'interviewed', 'police_requested', 'police_answered', 'concluded',
        'granted', 'refused', 'notified', 'terminated')),
    interview_on TEXT,
    interview_account TEXT,
    interview_consent BIGINT,
    non_disclosure BIGINT,
    no_interview_reason TEXT CHECK (no_interview_reason IN (
        'already_identified', 'mental_state', 'young_age')),
    police_request_on TEXT,
    police_referral_id BIGINT REFERENCES referrals(id),
    police_reply_on TEXT,
    proceedings_found BIGINT,
    proceedings_ref TEXT,
    conclusion_on TEXT,
    conclusion TEXT,
    decision TEXT CHECK (decision IN (
        'granted', 'refused')),
    decided_on TEXT,
    certificate_no TEXT,
    valid_until TEXT,
    refusal_grounds TEXT,
    notified_on TEXT,
    appeal_on TEXT,
    appeal_outcome TEXT CHECK (appeal_outcome IN (
        'upheld', 'overturned')),
    appeal_outcome_on TEXT,
    terminated_on TEXT,
    termination_reason TEXT,
    last_step_on TEXT NOT NULL,
    next_step TEXT CHECK (next_step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification')),
    next_due_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (unit_org_id, journal_year, journal_no)
);
INSERT INTO main.procedures (id, case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, representative, language, interpreter, registered_by, state, interview_on, interview_account, interview_consent, non_disclosure, no_interview_reason, police_request_on, police_referral_id, police_reply_on, proceedings_found, proceedings_ref, conclusion_on, conclusion, decision, decided_on, certificate_no, valid_until, refusal_grounds, notified_on, appeal_on, appeal_outcome, appeal_outcome_on, terminated_on, termination_reason, last_step_on, next_step, next_due_on, created_at, updated_at, version)
SELECT id, case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, representative, language, interpreter, registered_by, state, interview_on, interview_account, interview_consent, non_disclosure, no_interview_reason, police_request_on, police_referral_id, police_reply_on, proceedings_found, proceedings_ref, conclusion_on, conclusion, decision, decided_on, certificate_no, valid_until, refusal_grounds, notified_on, appeal_on, appeal_outcome, appeal_outcome_on, terminated_on, termination_reason, last_step_on, next_step, next_due_on, created_at, updated_at, version FROM temp.rebuild_procedures;
DROP TABLE temp.rebuild_procedures;
CREATE INDEX procedures_case ON procedures (case_id, id);
CREATE INDEX procedures_due ON procedures (unit_org_id, next_due_on, id);
CREATE INDEX procedures_journal ON procedures (unit_org_id, registered_on, journal_no);

-- procedure_events
CREATE TEMP TABLE rebuild_procedure_events AS SELECT * FROM main.procedure_events;
DROP TABLE main.procedure_events;
CREATE TABLE procedure_events (
    id INTEGER PRIMARY KEY,
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    action TEXT NOT NULL CHECK (action IN (
        'interview', 'no_interview', 'police_request', 'police_reply', 'conclusion',
        'grant', 'refuse', 'notify', 'extend', 'terminate', 'appeal', 'appeal_outcome',
        'registered')),
    on_date TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    note TEXT
);
INSERT INTO main.procedure_events (id, procedure_id, action, on_date, at, user_id, note)
SELECT id, procedure_id, action, on_date, at, user_id, note FROM temp.rebuild_procedure_events;
DROP TABLE temp.rebuild_procedure_events;
CREATE INDEX procedure_events_proc ON procedure_events (procedure_id, id);

-- rulebook_rules
CREATE TEMP TABLE rebuild_rulebook_rules AS SELECT * FROM main.rulebook_rules;
DROP TABLE main.rulebook_rules;
CREATE TABLE rulebook_rules (
    rulebook_id BIGINT NOT NULL REFERENCES rulebooks(id),
    step TEXT NOT NULL CHECK (step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification')),
    days BIGINT NOT NULL,
    PRIMARY KEY (rulebook_id, step)
);
INSERT INTO main.rulebook_rules (rulebook_id, step, days)
SELECT rulebook_id, step, days FROM temp.rebuild_rulebook_rules;
DROP TABLE temp.rebuild_rulebook_rules;

-- calendar_days
CREATE TEMP TABLE rebuild_calendar_days AS SELECT * FROM main.calendar_days;
DROP TABLE main.calendar_days;
CREATE TABLE calendar_days (
    day TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN (
        'holiday', 'working')),
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
INSERT INTO main.calendar_days (day, kind, note, created_by, created_at)
SELECT day, kind, note, created_by, created_at FROM temp.rebuild_calendar_days;
DROP TABLE temp.rebuild_calendar_days;

-- document_templates
CREATE TEMP TABLE rebuild_document_templates AS SELECT * FROM main.document_templates;
DROP TABLE main.document_templates;
CREATE TABLE document_templates (
    kind TEXT NOT NULL PRIMARY KEY CHECK (kind IN (
        'certificate', 'refusal')),
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
INSERT INTO main.document_templates (kind, file_name, bytes, uploaded_by, uploaded_at)
SELECT kind, file_name, bytes, uploaded_by, uploaded_at FROM temp.rebuild_document_templates;
DROP TABLE temp.rebuild_document_templates;

-- procedure_reminders
CREATE TEMP TABLE rebuild_procedure_reminders AS SELECT * FROM main.procedure_reminders;
DROP TABLE main.procedure_reminders;
CREATE TABLE procedure_reminders (
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    step TEXT NOT NULL CHECK (step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification')),
    due_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN (
        'at_risk', 'overdue')),
    emailed BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (procedure_id, step, due_on, kind)
);
INSERT INTO main.procedure_reminders (procedure_id, step, due_on, kind, emailed, sent_at)
SELECT procedure_id, step, due_on, kind, emailed, sent_at FROM temp.rebuild_procedure_reminders;
DROP TABLE temp.rebuild_procedure_reminders;
