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
    }
}
