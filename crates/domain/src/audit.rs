//! The audit vocabulary: every action that leaves a row in the audit trail.

use crate::organisation::string_enum;
use std::fmt;

string_enum! {
    AuditAction {
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
        SignInLocked => "sign_in_locked",
        SignOut => "sign_out",
        SignOutEverywhere => "sign_out_everywhere",
        PasswordChanged => "password_changed",
        PasswordReset => "password_reset",
        UserCreated => "user_created",
        UserUpdated => "user_updated",
        UserRolesChanged => "user_roles_changed",
        UserDisabled => "user_disabled",
        UserEnabled => "user_enabled",
        OrganisationCreated => "organisation_created",
        OrganisationUpdated => "organisation_updated",
        OrganisationsImported => "organisations_imported",
        BodyCreated => "body_created",
        BodyMembersChanged => "body_members_changed",
        PermissionDenied => "permission_denied",
        AuditLogExported => "audit_log_exported",
        PlanCreated => "plan_created",
        PlanUpdated => "plan_updated",
        PlanImported => "plan_imported",
        PlanExported => "plan_exported",
        GoalSaved => "goal_saved",
        TaskSaved => "task_saved",
        MeasureCreated => "measure_created",
        MeasureUpdated => "measure_updated",
        MeasureMoved => "measure_moved",
        MeasureRetired => "measure_retired",
        MeasureRestored => "measure_restored",
        PeriodOpened => "period_opened",
        PeriodClosed => "period_closed",
        PeriodReopened => "period_reopened",
        ReportViewed => "report_viewed",
        ReportSaved => "report_saved",
        ReportSubmitted => "report_submitted",
        ReportReturned => "report_returned",
        ReportAccepted => "report_accepted",
        AttachmentAdded => "attachment_added",
        AttachmentRemoved => "attachment_removed",
        AttachmentDownloaded => "attachment_downloaded",
        ConsolidatedReportDownloaded => "consolidated_report_downloaded",
        ReminderSent => "reminder_sent",
    }
}

string_enum! {
    /// What kind of record an audit row is about.
    SubjectKind {
        User => "user",
        Organisation => "organisation",
        Body => "body",
        Session => "session",
        Page => "page",
        Login => "login",
        Plan => "plan",
        Measure => "measure",
        Period => "period",
        Report => "report",
    }
}
