-- Cases: identification notices, referrals (NRM), the status procedure and its
-- journal, the rulebook of deadlines and the calendar of days off (issue 4).
-- Civil dates are TEXT 'YYYY-MM-DD'; instants BIGINT unix seconds; flags BIGINT 0/1.

-- Forms of exploitation (reference data, loaded from data/reference/exploitation_forms.csv).
CREATE TABLE exploitation_forms (
    code TEXT PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL
);

-- The person's own data, apart from the case facts: only the responsible unit
-- and partners whose open referral shares a field ever read it.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    birth_date TEXT,
    -- Transliteration-folded surname + given name, for possible-duplicate warnings.
    name_key TEXT NOT NULL,
    document TEXT,
    phone TEXT,
    email TEXT,
    address TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX persons_birth ON persons (birth_date);

-- The last sequence number of references per territory prefix and year.
CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    -- notice (waiting for the unit), open, closed
    state TEXT NOT NULL,
    -- The responsible unit: the notice is routed to it, it owns the case.
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    -- The person's place of stay (raion or oblast).
    territory_id BIGINT NOT NULL REFERENCES territories(id),
    -- NULL for an adult's notice without consent: nothing that identifies.
    person_id BIGINT REFERENCES persons(id),
    reported_by_org_id BIGINT NOT NULL REFERENCES organisations(id),
    reported_by_user_id BIGINT NOT NULL REFERENCES users(id),
    identified_on TEXT NOT NULL,
    came_to_attention TEXT NOT NULL,
    consent BIGINT NOT NULL,
    sex TEXT NOT NULL,
    age BIGINT,
    is_child BIGINT NOT NULL,
    citizenship TEXT,
    language TEXT,
    interpreter BIGINT NOT NULL DEFAULT 0,
    idp BIGINT NOT NULL DEFAULT 0,
    legal_representative TEXT,
    place_kind TEXT,
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
CREATE INDEX cases_unit ON cases (unit_org_id, id);
CREATE INDEX cases_unit_state ON cases (unit_org_id, state, id);
CREATE INDEX cases_unit_child ON cases (unit_org_id, is_child, id);
CREATE INDEX cases_reporter ON cases (reported_by_org_id, id);
CREATE INDEX cases_person ON cases (person_id);

CREATE TABLE case_forms (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    form_code TEXT NOT NULL REFERENCES exploitation_forms(code),
    -- The case's unit, kept in step with cases.unit_org_id: the unit's list
    -- filtered by a form walks (unit, form) newest first, however rare the form.
    unit_org_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (case_id, form_code)
);
CREATE INDEX case_forms_form ON case_forms (form_code, case_id);
CREATE INDEX case_forms_unit ON case_forms (unit_org_id, form_code, case_id);

-- What happened to a notice and a case: recorded, routed, redirected, accepted, closed.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    org_id BIGINT REFERENCES organisations(id),
    kind TEXT NOT NULL,
    to_org_id BIGINT REFERENCES organisations(id),
    note TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    from_org_id BIGINT NOT NULL REFERENCES organisations(id),
    to_org_id BIGINT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL,
    -- The shared fields, comma-separated (domain::case::SharedField).
    fields TEXT NOT NULL,
    consent_ref TEXT,
    due_on TEXT,
    message TEXT,
    -- sent, accepted, declined, answered, closed
    state TEXT NOT NULL,
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
CREATE INDEX referrals_to ON referrals (to_org_id, state, id);
CREATE INDEX referrals_to_all ON referrals (to_org_id, id);
CREATE INDEX referrals_case ON referrals (case_id, id);

-- The status procedure; one row per application, numbered in the unit's journal.
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
    state TEXT NOT NULL,
    interview_on TEXT,
    interview_account TEXT,
    interview_consent BIGINT,
    non_disclosure BIGINT,
    no_interview_reason TEXT,
    police_request_on TEXT,
    police_referral_id BIGINT REFERENCES referrals(id),
    police_reply_on TEXT,
    proceedings_found BIGINT,
    proceedings_ref TEXT,
    conclusion_on TEXT,
    conclusion TEXT,
    decision TEXT,
    decided_on TEXT,
    certificate_no TEXT,
    valid_until TEXT,
    refusal_grounds TEXT,
    notified_on TEXT,
    appeal_on TEXT,
    appeal_outcome TEXT,
    appeal_outcome_on TEXT,
    terminated_on TEXT,
    termination_reason TEXT,
    -- The date of the latest step: the next deadline counts from it.
    last_step_on TEXT NOT NULL,
    -- The next step and its due date, kept current whenever the procedure,
    -- the rulebook or the calendar changes (so the deadline list is one indexed query).
    next_step TEXT,
    next_due_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (unit_org_id, journal_year, journal_no)
);
CREATE INDEX procedures_case ON procedures (case_id, id);
CREATE INDEX procedures_due ON procedures (unit_org_id, next_due_on, id);
CREATE INDEX procedures_journal ON procedures (unit_org_id, registered_on, journal_no);

-- Every step of a procedure: who, when, what.
CREATE TABLE procedure_events (
    id INTEGER PRIMARY KEY,
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    action TEXT NOT NULL,
    on_date TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    note TEXT
);
CREATE INDEX procedure_events_proc ON procedure_events (procedure_id, id);

-- The rulebook of deadlines, versioned: the version in force on an
-- application's registration date applies to it.
CREATE TABLE rulebooks (
    id INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    skip_police_if_identified BIGINT NOT NULL,
    certificate_months BIGINT NOT NULL,
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE rulebook_rules (
    rulebook_id BIGINT NOT NULL REFERENCES rulebooks(id),
    step TEXT NOT NULL,
    days BIGINT NOT NULL,
    PRIMARY KEY (rulebook_id, step)
);

-- Days off beyond Saturdays and Sundays (holiday), and weekend days that are working days (working).
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE case_documents (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);

-- DOCX templates an administrator has put in place of the shipped ones.
CREATE TABLE document_templates (
    kind TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);

-- Reminders to the unit about a step's deadline: once per step, due date and
-- kind (at_risk, overdue).
CREATE TABLE procedure_reminders (
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    step TEXT NOT NULL,
    due_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    emailed BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (procedure_id, step, due_on, kind)
);
