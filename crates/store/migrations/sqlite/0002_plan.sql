-- The plan of measures and its semiannual reporting cycle (issue 3).
-- Civil dates are TEXT 'YYYY-MM-DD'; instants BIGINT unix seconds; flags BIGINT 0/1.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories(id),
    territory_path TEXT NOT NULL,
    -- The coordinating organisation: receives the reports, signs the consolidated one.
    owner_org_id BIGINT NOT NULL REFERENCES organisations(id),
    year_from BIGINT NOT NULL,
    year_to BIGINT NOT NULL,
    act_number TEXT,
    act_date TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX plans_path ON plans (territory_path);

CREATE TABLE plan_goals (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    number BIGINT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE plan_tasks (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    goal_id BIGINT NOT NULL REFERENCES plan_goals(id),
    number BIGINT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (goal_id, number)
);
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id);

-- A measure's number is its rank among the task's measures in force, by position;
-- a retired measure keeps its reports and drops out of the numbering.
CREATE TABLE plan_measures (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    task_id BIGINT NOT NULL REFERENCES plan_tasks(id),
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    term TEXT NOT NULL DEFAULT '',
    retired_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX plan_measures_task ON plan_measures (task_id, position);
CREATE INDEX plan_measures_plan ON plan_measures (plan_id);

CREATE TABLE measure_executors (
    measure_id BIGINT NOT NULL REFERENCES plan_measures(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    position BIGINT NOT NULL,
    by_consent BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (measure_id, org_id)
);
CREATE INDEX measure_executors_org ON measure_executors (org_id);

CREATE TABLE measure_indicators (
    id INTEGER PRIMARY KEY,
    measure_id BIGINT NOT NULL REFERENCES plan_measures(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    target TEXT
);
CREATE INDEX measure_indicators_measure ON measure_indicators (measure_id, position);

CREATE TABLE reporting_periods (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    year BIGINT NOT NULL,
    half BIGINT NOT NULL CHECK (half IN (1, 2)),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    executor_due TEXT NOT NULL,
    consolidation_due TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    UNIQUE (plan_id, year, half)
);

-- One report per (measure, executor, period); the rows are created when the period opens,
-- so "expected" is the number of rows.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES reporting_periods(id),
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    measure_id BIGINT NOT NULL REFERENCES plan_measures(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'accepted')),
    body TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '',
    first_submitted_at BIGINT,
    submitted_at BIGINT,
    late BIGINT NOT NULL DEFAULT 0,
    reviewed_at BIGINT,
    accepted_at BIGINT,
    return_comment TEXT,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (period_id, measure_id, org_id)
);
CREATE INDEX reports_org_period ON reports (org_id, period_id);
CREATE INDEX reports_period_state ON reports (period_id, state);

CREATE TABLE report_figures (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    indicator_id BIGINT NOT NULL REFERENCES measure_indicators(id),
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (report_id, indicator_id)
);

-- What happened to a report and who said what (the return comments stay readable).
CREATE TABLE report_events (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id),
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX report_events_report ON report_events (report_id, id);

CREATE TABLE report_attachments (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments (report_id);

-- Reminders already sent, so each goes out once.
CREATE TABLE report_reminders (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    kind TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    sent_at BIGINT NOT NULL,
    emailed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (report_id, kind)
);

-- An uploaded plan file waiting for its unknown executors to be mapped.
CREATE TABLE plan_uploads (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
