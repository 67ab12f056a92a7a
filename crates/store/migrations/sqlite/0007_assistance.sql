-- Assistance (issue 11): needs assessments, the individual plan of services,
-- shelter stays with their extensions, the one-time payment with its
-- versioned tables and its append-only register; the audit vocabulary grows
-- by their actions and subjects.
-- Civil dates are TEXT 'YYYY-MM-DD'; money BIGINT kopiykas; flags BIGINT 0/1.

-- The kinds of need an assessment chooses from (reference data, loaded from
-- data/reference/need_kinds.csv at start-up).
CREATE TABLE need_kinds (
    code TEXT NOT NULL PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL
);

-- A needs assessment of a case; a reassessment is a new row, the earlier ones stay.
CREATE TABLE need_assessments (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    assessed_on TEXT NOT NULL,
    assessed_by BIGINT NOT NULL REFERENCES users(id),
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX need_assessments_case ON need_assessments (case_id, id);

CREATE TABLE assessed_needs (
    assessment_id BIGINT NOT NULL REFERENCES need_assessments(id),
    need_code TEXT NOT NULL REFERENCES need_kinds(code),
    urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'routine')),
    note TEXT,
    PRIMARY KEY (assessment_id, need_code)
);

-- The services of the individual plan: each answers a need; a service by
-- another organisation goes as a referral (referral_id), whose receiver
-- accepts it and records the delivery.
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    need_code TEXT NOT NULL REFERENCES need_kinds(code),
    provider_org_id BIGINT NOT NULL REFERENCES organisations(id),
    planned_from TEXT NOT NULL,
    planned_to TEXT,
    state TEXT NOT NULL CHECK (state IN ('planned', 'referred', 'in_progress', 'delivered', 'refused',
        'not_available')),
    ended_on TEXT,
    end_reason TEXT,
    referral_id BIGINT UNIQUE REFERENCES referrals(id),
    note TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX services_case ON services (case_id, id);
-- The unit's services past their planned date: open ones only.
CREATE INDEX services_open_due ON services (unit_org_id, planned_to, id)
    WHERE state IN ('planned', 'referred', 'in_progress');

-- The needs of each case's latest assessment, and whether a service answers
-- each (kept current on every assessment and service change), so the unit's
-- list of needs with nothing planned is one indexed query.
CREATE TABLE current_needs (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    need_code TEXT NOT NULL REFERENCES need_kinds(code),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    assessment_id BIGINT NOT NULL REFERENCES need_assessments(id),
    urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'routine')),
    answered BIGINT NOT NULL,
    met BIGINT NOT NULL,
    PRIMARY KEY (case_id, need_code)
);
CREATE INDEX current_needs_unanswered ON current_needs (unit_org_id, case_id, need_code) WHERE answered = 0;

-- Stays in an assistance institution: up to three months (limit_on) unless
-- extended; current_end_on is the planned end or the latest extension's.
CREATE TABLE shelter_stays (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    institution_org_id BIGINT NOT NULL REFERENCES organisations(id),
    started_on TEXT NOT NULL,
    planned_end_on TEXT NOT NULL,
    limit_on TEXT NOT NULL,
    current_end_on TEXT NOT NULL,
    extended BIGINT NOT NULL DEFAULT 0,
    ended_on TEXT,
    end_note TEXT,
    note TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX shelter_stays_case ON shelter_stays (case_id, id);
CREATE INDEX shelter_stays_open_end ON shelter_stays (unit_org_id, current_end_on, id) WHERE ended_on IS NULL;

CREATE TABLE shelter_extensions (
    id INTEGER PRIMARY KEY,
    stay_id BIGINT NOT NULL REFERENCES shelter_stays(id),
    decided_by TEXT NOT NULL,
    decision_no TEXT NOT NULL,
    decision_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    previous_end_on TEXT NOT NULL,
    new_end_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX shelter_extensions_stay ON shelter_extensions (stay_id, id);

-- Reminders about stays and payments: once per record, date and kind.
CREATE TABLE assistance_reminders (
    subject TEXT NOT NULL CHECK (subject IN ('stay', 'payment')),
    subject_id BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('at_risk', 'overdue')),
    emailed BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (subject, subject_id, due_on, kind)
);

-- The subsistence minimums per category (kopiykas) and the multiplier of the
-- one-time payment, each in force from its date until the next row's; the
-- administrator adds rows. A payment keeps the rows it was determined with.
CREATE TABLE payment_minimums (
    id INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL UNIQUE,
    under_6 BIGINT NOT NULL,
    child_6_18 BIGINT NOT NULL,
    working_age BIGINT NOT NULL,
    lost_ability BIGINT NOT NULL,
    source TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE payment_multipliers (
    id INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL UNIQUE,
    factor BIGINT NOT NULL,
    source TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

-- The one-time payment: one per granted status across the whole deployment
-- (UNIQUE procedure_id); the amount is determined once, on the application
-- date, and kept with the rows it came from.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    procedure_id BIGINT NOT NULL UNIQUE REFERENCES procedures(id),
    applied_on TEXT NOT NULL,
    applicant TEXT NOT NULL CHECK (applicant IN ('person', 'representative')),
    representative_name TEXT,
    representative_document TEXT,
    category TEXT NOT NULL CHECK (category IN ('under_6', 'child_6_18', 'working_age', 'lost_ability')),
    lost_ability_basis TEXT,
    minimums_id BIGINT NOT NULL REFERENCES payment_minimums(id),
    multiplier_id BIGINT NOT NULL REFERENCES payment_multipliers(id),
    minimum BIGINT NOT NULL,
    factor BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'approved', 'paid', 'refused')),
    approved_on TEXT,
    paid_on TEXT,
    payment_ref TEXT,
    refused_on TEXT,
    refusal_grounds TEXT,
    appeal_notice TEXT,
    last_step_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX payments_case ON payments (case_id, id);
CREATE INDEX payments_pending_due ON payments (unit_org_id, due_on, id) WHERE state IN ('applied', 'approved');

-- The payment register: it only grows. A payment's line is entered when it is
-- approved; a correction is a reversal line (a negative amount) linked to the
-- line it corrects, at most one per line.
CREATE TABLE payment_register (
    id INTEGER PRIMARY KEY,
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    payment_id BIGINT NOT NULL REFERENCES payments(id),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'reversal')),
    reverses_id BIGINT UNIQUE REFERENCES payment_register(id),
    entered_on TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('under_6', 'child_6_18', 'working_age', 'lost_ability')),
    amount BIGINT NOT NULL,
    reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    -- A payment line has a positive amount and reverses nothing; a reversal
    -- line a negative one, the line it corrects and a reason.
    CHECK ((reverses_id IS NULL AND amount > 0) OR (reverses_id IS NOT NULL AND amount < 0 AND reason IS NOT NULL))
);
-- In entry order, and covering the totals by category (no table lookup per line).
CREATE INDEX payment_register_unit ON payment_register (unit_org_id, entered_on, id, category, amount, reverses_id);
CREATE INDEX payment_register_payment ON payment_register (payment_id, id);

CREATE TRIGGER payment_register_no_update BEFORE UPDATE ON payment_register
BEGIN
    SELECT RAISE(ABORT, 'payment_register rows are append-only');
END;
CREATE TRIGGER payment_register_no_delete BEFORE DELETE ON payment_register
BEGIN
    SELECT RAISE(ABORT, 'payment_register rows are append-only');
END;

-- The audit log's CHECK lists grow: SQLite cannot alter a constraint, so the
-- table is rebuilt in place as in 0005 (rows copied out and back with their ids,
-- indexes and triggers created again).
PRAGMA defer_foreign_keys = ON;
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
        'rulebook_created', 'calendar_changed', 'template_replaced', 'template_reset',
        'needs_assessed', 'service_planned', 'service_updated', 'stay_recorded',
        'stay_extended', 'stay_ended', 'assistance_list_viewed', 'payment_applied',
        'payment_step', 'payment_viewed', 'payment_reversed', 'payment_register_viewed',
        'payment_register_downloaded', 'payment_rates_changed')),
    subject_kind TEXT CHECK (subject_kind IN (
        'user', 'organisation', 'body', 'session', 'page', 'login', 'plan', 'measure',
        'period', 'report', 'case', 'referral', 'rulebook', 'calendar', 'template',
        'payment', 'rates')),
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
