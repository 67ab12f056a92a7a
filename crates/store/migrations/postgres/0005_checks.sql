-- CHECK constraints on every enumerated column (issue 10): a state, kind,
-- role, step or action column holds the code of a domain enum and nothing
-- else. The lists come from the enums' `as_str` (store::codes::enumerated_columns);
-- a test compares them with this schema, and with SQLite's. The columns that
-- had a CHECK since 0001–0003 (territories.level, bodies.kind,
-- reporting_periods.state, reports.state, report_reminders.kind) keep theirs.
-- Each constraint is named as PostgreSQL names an inline one: <table>_<column>_check.

ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check
    CHECK (kind IN (
        'ministry', 'oblast_administration', 'social_protection_department',
        'education_department', 'health_department', 'culture_department',
        'information_department', 'raion_administration', 'police', 'children_service',
        'social_services_centre', 'legal_aid_centre', 'employment_centre',
        'training_centre', 'labour_inspectorate', 'migration_service', 'hromada_council',
        'ngo', 'international_organisation'));
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN (
        'national_coordinator', 'regional_coordinator', 'executor', 'case_officer',
        'partner', 'hotline_operator', 'analyst', 'administrator', 'auditor'));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN (
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
        'rulebook_created', 'calendar_changed', 'template_replaced', 'template_reset'));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject_kind_check
    CHECK (subject_kind IN (
        'user', 'organisation', 'body', 'session', 'page', 'login', 'plan', 'measure',
        'period', 'report', 'case', 'referral', 'rulebook', 'calendar', 'template'));
ALTER TABLE report_events ADD CONSTRAINT report_events_action_check
    CHECK (action IN (
        'save', 'submit', 'return', 'accept'));
ALTER TABLE cases ADD CONSTRAINT cases_state_check
    CHECK (state IN (
        'notice', 'open', 'closed'));
ALTER TABLE cases ADD CONSTRAINT cases_sex_check
    CHECK (sex IN (
        'female', 'male', 'unknown'));
ALTER TABLE cases ADD CONSTRAINT cases_came_to_attention_check
    CHECK (came_to_attention IN (
        'police', 'hotline', 'ngo', 'employment_centre', 'border', 'self_referral',
        'other'));
ALTER TABLE cases ADD CONSTRAINT cases_place_kind_check
    CHECK (place_kind IN (
        'ukraine', 'abroad', 'both'));
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
    CHECK (kind IN (
        'recorded', 'redirected', 'accepted', 'referred', 'open', 'closed',
        'referral_accepted', 'referral_declined', 'referral_answered', 'referral_closed'));
ALTER TABLE referrals ADD CONSTRAINT referrals_purpose_check
    CHECK (purpose IN (
        'police_request', 'children_service', 'social_services', 'legal_aid', 'employment',
        'shelter', 'medical', 'psychological', 'other'));
ALTER TABLE referrals ADD CONSTRAINT referrals_state_check
    CHECK (state IN (
        'sent', 'accepted', 'declined', 'answered', 'closed'));
ALTER TABLE procedures ADD CONSTRAINT procedures_state_check
    CHECK (state IN (
        'registered', 'interviewed', 'police_requested', 'police_answered', 'concluded',
        'granted', 'refused', 'notified', 'terminated'));
ALTER TABLE procedures ADD CONSTRAINT procedures_no_interview_reason_check
    CHECK (no_interview_reason IN (
        'already_identified', 'mental_state', 'young_age'));
ALTER TABLE procedures ADD CONSTRAINT procedures_decision_check
    CHECK (decision IN (
        'granted', 'refused'));
ALTER TABLE procedures ADD CONSTRAINT procedures_appeal_outcome_check
    CHECK (appeal_outcome IN (
        'upheld', 'overturned'));
ALTER TABLE procedures ADD CONSTRAINT procedures_next_step_check
    CHECK (next_step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification'));
ALTER TABLE procedure_events ADD CONSTRAINT procedure_events_action_check
    CHECK (action IN (
        'interview', 'no_interview', 'police_request', 'police_reply', 'conclusion',
        'grant', 'refuse', 'notify', 'extend', 'terminate', 'appeal', 'appeal_outcome',
        'registered'));
ALTER TABLE rulebook_rules ADD CONSTRAINT rulebook_rules_step_check
    CHECK (step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification'));
ALTER TABLE calendar_days ADD CONSTRAINT calendar_days_kind_check
    CHECK (kind IN (
        'holiday', 'working'));
ALTER TABLE document_templates ADD CONSTRAINT document_templates_kind_check
    CHECK (kind IN (
        'certificate', 'refusal'));
ALTER TABLE procedure_reminders ADD CONSTRAINT procedure_reminders_step_check
    CHECK (step IN (
        'interview', 'police_request', 'police_reply', 'decision', 'notification'));
ALTER TABLE procedure_reminders ADD CONSTRAINT procedure_reminders_kind_check
    CHECK (kind IN (
        'at_risk', 'overdue'));
