//! Roles (SPEC §1) and the permissions each carries.
//!
//! A user has one organisation and one or more roles. Roles say *what kind*
//! of thing a person may do; `policy` adds *where* (organisation and territory).

use crate::organisation::string_enum;
use std::collections::BTreeSet;
use std::fmt;

string_enum! {
    Role {
        NationalCoordinator => "national_coordinator",
        RegionalCoordinator => "regional_coordinator",
        Executor => "executor",
        CaseOfficer => "case_officer",
        Partner => "partner",
        HotlineOperator => "hotline_operator",
        Analyst => "analyst",
        Administrator => "administrator",
        Auditor => "auditor",
    }
}

string_enum! {
    /// Kinds of action. Checked by `policy` together with organisation and territory.
    Permission {
        ViewDirectory => "view_directory",
        ViewOwnOrganisation => "view_own_organisation",
        ManageOrganisations => "manage_organisations",
        ManageUsers => "manage_users",
        ManageSettings => "manage_settings",
        ReadAuditLog => "read_audit_log",
        ReadCaseContent => "read_case_content",
        RunStatusProcedure => "run_status_procedure",
        RecordIdentification => "record_identification",
        ViewReferredCases => "view_referred_cases",
        ManagePlan => "manage_plan",
        ReviewReports => "review_reports",
        SubmitReports => "submit_reports",
        LogHotline => "log_hotline",
        ViewStatistics => "view_statistics",
        PublishStatistics => "publish_statistics",
    }
}

impl Role {
    /// The permissions of one role. The administrator's list deliberately has
    /// nothing that reads case content: separation of duties.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::NationalCoordinator => &[ViewDirectory, ViewOwnOrganisation, ViewStatistics],
            Role::RegionalCoordinator => &[
                ViewDirectory,
                ViewOwnOrganisation,
                ManagePlan,
                ReviewReports,
                ViewStatistics,
                PublishStatistics,
            ],
            Role::Executor => &[ViewDirectory, ViewOwnOrganisation, SubmitReports],
            Role::CaseOfficer => &[
                ViewDirectory,
                ViewOwnOrganisation,
                ReadCaseContent,
                RunStatusProcedure,
                RecordIdentification,
            ],
            Role::Partner => &[
                ViewDirectory,
                ViewOwnOrganisation,
                ViewReferredCases,
                RecordIdentification,
            ],
            Role::HotlineOperator => &[ViewDirectory, ViewOwnOrganisation, LogHotline],
            Role::Analyst => &[ViewDirectory, ViewOwnOrganisation, ViewStatistics],
            Role::Administrator => &[
                ViewDirectory,
                ViewOwnOrganisation,
                ManageOrganisations,
                ManageUsers,
                ManageSettings,
            ],
            Role::Auditor => &[ViewDirectory, ViewOwnOrganisation, ReadAuditLog],
        }
    }

    /// Roles whose permissions reach the content of cases.
    pub fn sees_case_content(self) -> bool {
        self.permissions()
            .iter()
            .any(|p| matches!(p, Permission::ReadCaseContent | Permission::ViewReferredCases))
    }
}

/// A non-empty set of roles that respects separation of duties.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleSet(BTreeSet<Role>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoleSetError {
    #[error("a user needs at least one role")]
    Empty,
    #[error("the administrator role cannot be combined with roles that see case content")]
    AdministratorWithCaseContent,
    #[error("the administrator cannot also be the auditor of their own actions")]
    AdministratorWithAuditor,
}

impl RoleSetError {
    /// The i18n message id for this problem.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Empty => "err-roles-empty",
            Self::AdministratorWithCaseContent => "err-roles-admin-cases",
            Self::AdministratorWithAuditor => "err-roles-admin-auditor",
        }
    }
}

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Result<Self, RoleSetError> {
        let set: BTreeSet<Role> = roles.into_iter().collect();
        if set.is_empty() {
            return Err(RoleSetError::Empty);
        }
        if set.contains(&Role::Administrator) {
            if set.iter().any(|r| r.sees_case_content()) {
                return Err(RoleSetError::AdministratorWithCaseContent);
            }
            if set.contains(&Role::Auditor) {
                return Err(RoleSetError::AdministratorWithAuditor);
            }
        }
        Ok(Self(set))
    }

    /// Roles as stored, without re-checking the combination (used when loading
    /// rows written under the rules; an empty set grants nothing).
    pub fn from_stored(roles: impl IntoIterator<Item = Role>) -> Self {
        Self(roles.into_iter().collect())
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, permission: Permission) -> bool {
        self.0.iter().any(|r| r.permissions().contains(&permission))
    }
}

impl fmt::Display for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|r| r.as_str()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrator_has_no_permission_that_reaches_case_content() {
        let admin = Role::Administrator.permissions();
        for p in [
            Permission::ReadCaseContent,
            Permission::ViewReferredCases,
            Permission::RunStatusProcedure,
            Permission::RecordIdentification,
            Permission::ReadAuditLog,
        ] {
            assert!(!admin.contains(&p), "administrator must not have {p}");
        }
        assert!(admin.contains(&Permission::ManageUsers));
    }

    #[test]
    fn only_case_officer_and_partner_see_case_content() {
        let seeing: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.sees_case_content())
            .collect();
        assert_eq!(seeing, vec![Role::CaseOfficer, Role::Partner]);
    }

    #[test]
    fn analyst_and_national_coordinator_get_statistics_only() {
        for r in [Role::Analyst, Role::NationalCoordinator] {
            assert!(r.permissions().contains(&Permission::ViewStatistics));
            assert!(!r.sees_case_content());
        }
    }

    #[test]
    fn separation_of_duties_is_enforced_on_role_sets() {
        assert_eq!(RoleSet::new([]), Err(RoleSetError::Empty));
        assert_eq!(
            RoleSet::new([Role::Administrator, Role::CaseOfficer]),
            Err(RoleSetError::AdministratorWithCaseContent)
        );
        assert_eq!(
            RoleSet::new([Role::Administrator, Role::Partner]),
            Err(RoleSetError::AdministratorWithCaseContent)
        );
        assert_eq!(
            RoleSet::new([Role::Administrator, Role::Auditor]),
            Err(RoleSetError::AdministratorWithAuditor)
        );
        let ok = RoleSet::new([Role::Executor, Role::CaseOfficer]);
        assert!(
            ok.as_ref()
                .is_ok_and(|s| s.has(Permission::SubmitReports) && s.has(Permission::ReadCaseContent))
        );
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
