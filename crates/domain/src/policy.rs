//! The access policy: who may do what, where.
//!
//! Security role: every service function in `store::service` calls one of
//! these before it reads or changes anything, so no page can forget a check.
//! Each answer combines the actor's roles (what kind of action) with their
//! organisation and territory (where).

use crate::role::{Permission, RoleSet};
use crate::territory::TerritoryPath;

/// The signed-in person on whose behalf something is done.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub org_id: i64,
    /// The territory of the actor's organisation; the reach of territorial permissions.
    pub territory: TerritoryPath,
    pub roles: RoleSet,
}

/// Where a record sits: its organisation and that organisation's territory.
#[derive(Debug, Clone)]
pub struct Placement<'a> {
    pub org_id: i64,
    pub territory: &'a TerritoryPath,
}

impl Actor {
    pub fn has(&self, p: Permission) -> bool {
        self.roles.has(p)
    }

    fn reaches(&self, p: Permission, at: &Placement<'_>) -> bool {
        self.has(p) && self.territory.contains(at.territory)
    }

    /// Members of one's own organisation are visible to everyone in it; an
    /// administrator sees users of organisations within their territory.
    pub fn may_view_user(&self, at: &Placement<'_>) -> bool {
        (self.org_id == at.org_id && self.has(Permission::ViewOwnOrganisation))
            || self.reaches(Permission::ManageUsers, at)
    }

    /// Create, change roles, disable, reset the password of a user.
    /// Nobody manages their own account through this path (no self-granted roles).
    pub fn may_manage_user(&self, target_user_id: Option<i64>, at: &Placement<'_>) -> bool {
        target_user_id != Some(self.user_id) && self.reaches(Permission::ManageUsers, at)
    }

    /// The directory of organisations is open to every signed-in user.
    pub fn may_view_directory(&self) -> bool {
        self.has(Permission::ViewDirectory)
    }

    pub fn may_manage_organisation(&self, at: &Placement<'_>) -> bool {
        self.reaches(Permission::ManageOrganisations, at)
    }

    /// Creating an organisation placed in a territory.
    pub fn may_create_organisation_in(&self, territory: &TerritoryPath) -> bool {
        self.has(Permission::ManageOrganisations) && self.territory.contains(territory)
    }

    pub fn may_read_audit_log(&self) -> bool {
        self.has(Permission::ReadAuditLog)
    }

    /// Changing a plan (its goals, tasks, measures, executors) and its reporting periods:
    /// the coordinator over the plan's territory.
    pub fn may_manage_plan(&self, plan_territory: &TerritoryPath) -> bool {
        self.has(Permission::ManagePlan) && self.territory.contains(plan_territory)
    }

    /// Reviewing (accepting, returning) reports and seeing every executor's report on a plan.
    pub fn may_review_reports(&self, plan_territory: &TerritoryPath) -> bool {
        self.has(Permission::ReviewReports) && self.territory.contains(plan_territory)
    }

    /// Writing and handing in the report of one executor organisation: its own people only.
    pub fn may_write_report(&self, executor_org_id: i64) -> bool {
        self.has(Permission::SubmitReports) && self.org_id == executor_org_id
    }

    /// Reading one report: its executor's people, or the reviewers over the plan.
    pub fn may_view_report(&self, executor_org_id: i64, plan_territory: &TerritoryPath) -> bool {
        self.may_write_report(executor_org_id) || self.may_review_reports(plan_territory)
    }

    /// Recording an identification notice: any organisation whose people identify victims.
    pub fn may_record_notice(&self) -> bool {
        self.has(Permission::RecordIdentification)
    }

    /// Working a case (its person, facts, referrals, documents): the case
    /// officers of the responsible unit, and nobody else.
    pub fn may_work_case(&self, unit_org_id: i64) -> bool {
        self.has(Permission::ReadCaseContent) && self.org_id == unit_org_id
    }

    /// Running the status procedure of a case of one's own unit.
    pub fn may_run_procedure(&self, unit_org_id: i64) -> bool {
        self.has(Permission::RunStatusProcedure) && self.org_id == unit_org_id
    }

    /// Seeing and acting on a referral sent to one's organisation (the service
    /// also requires the referral to be open before it shows any case field).
    pub fn may_handle_referral(&self, to_org_id: i64) -> bool {
        self.has(Permission::ViewReferredCases) && self.org_id == to_org_id
    }

    /// The rulebook of deadlines, the calendar of days off and document templates.
    pub fn may_manage_settings(&self) -> bool {
        self.has(Permission::ManageSettings)
    }

    /// Case content (names, facts, documents). Case-specific checks (own unit,
    /// open referral) come on top of this in the case services.
    pub fn may_read_case_content(&self) -> bool {
        self.has(Permission::ReadCaseContent) || self.has(Permission::ViewReferredCases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::Role;

    fn actor(org_id: i64, territory: &TerritoryPath, roles: &[Role]) -> Actor {
        Actor {
            user_id: 100 + org_id,
            org_id,
            territory: territory.clone(),
            roles: RoleSet::from_stored(roles.iter().copied()),
        }
    }

    #[test]
    fn administrator_manages_users_only_within_territory() {
        let oblast = TerritoryPath::root(1).child(2);
        let raion = oblast.child(3);
        let other_oblast = TerritoryPath::root(1).child(9);
        let admin = actor(1, &oblast, &[Role::Administrator]);
        assert!(admin.may_manage_user(
            Some(7),
            &Placement {
                org_id: 5,
                territory: &raion
            }
        ));
        assert!(!admin.may_manage_user(
            Some(7),
            &Placement {
                org_id: 6,
                territory: &other_oblast
            }
        ));
        assert!(!admin.may_manage_user(
            Some(admin.user_id),
            &Placement {
                org_id: 1,
                territory: &oblast
            }
        ));
        assert!(!admin.may_read_case_content(), "separation of duties");
    }

    #[test]
    fn ordinary_users_see_their_own_organisation_only() {
        let raion = TerritoryPath::root(1).child(2).child(3);
        let exec = actor(5, &raion, &[Role::Executor]);
        assert!(exec.may_view_user(&Placement {
            org_id: 5,
            territory: &raion
        }));
        assert!(!exec.may_view_user(&Placement {
            org_id: 6,
            territory: &raion
        }));
        assert!(!exec.may_manage_user(
            Some(1),
            &Placement {
                org_id: 5,
                territory: &raion
            }
        ));
        assert!(!exec.may_manage_organisation(&Placement {
            org_id: 5,
            territory: &raion
        }));
    }

    #[test]
    fn a_raion_administrator_cannot_create_at_oblast_level() {
        let oblast = TerritoryPath::root(1).child(2);
        let raion = oblast.child(3);
        let admin = actor(5, &raion, &[Role::Administrator]);
        assert!(admin.may_create_organisation_in(&raion.child(40)));
        assert!(!admin.may_create_organisation_in(&oblast));
    }

    #[test]
    fn only_auditor_reads_the_audit_log() {
        let t = TerritoryPath::root(1);
        for r in Role::ALL {
            assert_eq!(
                actor(1, &t, &[*r]).may_read_audit_log(),
                *r == Role::Auditor,
                "{r}"
            );
        }
    }
}
