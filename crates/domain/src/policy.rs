//! The access policy: who may do what, where.
//!
//! Security role: every service function in `store::service` calls one of
//! these before it reads or changes anything, so no page can forget a check.
//! Each answer combines the actor's roles (what kind of action) with their
//! organisation and territory (where).

use crate::case::{ReferralState, Side};
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

/// A referral as the policy sees it: who sent it, to whom, and its state.
#[derive(Debug, Clone, Copy)]
pub struct ReferralFacts {
    pub from_org_id: i64,
    pub to_org_id: i64,
    pub state: ReferralState,
}

/// Reading a record, or changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Change,
}

/// A record with the facts every decision about it is made on: its
/// organisation, territory, unit or referral state — never the actor's own ids.
#[derive(Debug, Clone)]
pub enum Record<'a> {
    Organisation(Placement<'a>),
    User {
        user_id: i64,
        at: Placement<'a>,
    },
    Plan {
        territory: &'a TerritoryPath,
    },
    /// A reporting period of a plan.
    Period {
        plan_territory: &'a TerritoryPath,
    },
    /// One executor's report in a period.
    Report {
        executor_org_id: i64,
        plan_territory: &'a TerritoryPath,
    },
    /// A case still waiting for its unit to accept it.
    Notice {
        unit_org_id: i64,
    },
    Case {
        unit_org_id: i64,
    },
    /// The person of a case (kept apart from its facts).
    Person {
        unit_org_id: i64,
    },
    Referral(ReferralFacts),
    /// The status procedure of a case.
    Procedure {
        unit_org_id: i64,
    },
    /// A document attached to a case.
    Document {
        unit_org_id: i64,
    },
    /// The assistance of a case: its needs assessments, individual plan and shelter stays.
    Assistance {
        unit_org_id: i64,
    },
    /// A one-time payment of a case, and the unit's payment register.
    Payment {
        unit_org_id: i64,
    },
    /// The rulebook of deadlines and the calendar of days off.
    Setting,
    /// A replaceable document template.
    Template,
    /// The audit log (append-only: nobody changes it).
    Audit,
}

impl Actor {
    /// The one decision for `access` to `record`, made on the record's facts.
    /// Services ask the narrower predicates below; this is the table of them
    /// all, tested for every role and kind of record.
    pub fn may(&self, access: Access, record: &Record<'_>) -> bool {
        use Access::{Change, Read};
        match (record, access) {
            (Record::Organisation(_), Read) => self.may_view_directory(),
            (Record::Organisation(at), Change) => self.may_manage_organisation(at),
            (Record::User { at, .. }, Read) => self.may_view_user(at),
            (Record::User { user_id, at }, Change) => self.may_manage_user(Some(*user_id), at),
            (Record::Plan { .. }, Read) => self.may_view_directory(),
            (Record::Plan { territory }, Change) => self.may_manage_plan(territory),
            (Record::Period { plan_territory }, Read) => {
                self.may_manage_plan(plan_territory) || self.may_review_reports(plan_territory)
            }
            (Record::Period { plan_territory }, Change) => self.may_manage_plan(plan_territory),
            (
                Record::Report {
                    executor_org_id,
                    plan_territory,
                },
                Read,
            ) => self.may_view_report(*executor_org_id, plan_territory),
            (Record::Report { executor_org_id, .. }, Change) => self.may_write_report(*executor_org_id),
            (
                Record::Notice { unit_org_id }
                | Record::Case { unit_org_id }
                | Record::Person { unit_org_id }
                | Record::Document { unit_org_id }
                | Record::Assistance { unit_org_id },
                _,
            ) => self.may_work_case(*unit_org_id),
            (Record::Referral(r), _) => self.referral_side(r).is_some(),
            (Record::Procedure { unit_org_id } | Record::Payment { unit_org_id }, _) => {
                self.may_run_procedure(*unit_org_id)
            }
            (Record::Setting | Record::Template, _) => self.may_manage_settings(),
            (Record::Audit, Read) => self.may_read_audit_log(),
            (Record::Audit, Change) => false,
        }
    }

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

    /// Whether the actor works the cases of their own unit at all (the unit's
    /// lists); each case is then decided by [`Actor::may_work_case`].
    pub fn works_cases(&self) -> bool {
        self.has(Permission::ReadCaseContent)
    }

    /// Whether the actor runs status procedures at all (the unit's journal).
    pub fn runs_procedures(&self) -> bool {
        self.has(Permission::RunStatusProcedure)
    }

    /// Whether the actor's organisation receives referrals (the inbox).
    pub fn receives_referrals(&self) -> bool {
        self.has(Permission::ViewReferredCases)
    }

    /// On which side of a referral the actor stands, if on any: the sending
    /// unit's case officers always; the receiver only while it is open — once
    /// declined or closed, the receiver no longer sees any field of the case.
    pub fn referral_side(&self, r: &ReferralFacts) -> Option<Side> {
        if self.has(Permission::ViewReferredCases) && self.org_id == r.to_org_id {
            r.state.is_open().then_some(Side::Receiver)
        } else if self.may_work_case(r.from_org_id) {
            Some(Side::Sender)
        } else {
            None
        }
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

    /// The kinds of record in the policy table, in its column order.
    const KINDS: &str = "organisation user plan period report notice case person \
        referral-sent referral-received procedure document assistance payment setting template audit";

    /// Each kind of record, placed either with the actor (their organisation,
    /// within their territory; a referral their unit sent, or one sent to
    /// their organisation and still open) or elsewhere (another organisation
    /// in another oblast; the referral closed).
    fn records<'a>(own: bool, here: &'a TerritoryPath, away: &'a TerritoryPath) -> Vec<Record<'a>> {
        let (org, territory) = if own { (5, here) } else { (9, away) };
        let at = Placement {
            org_id: org,
            territory,
        };
        let state = if own {
            ReferralState::Sent
        } else {
            ReferralState::Closed
        };
        vec![
            Record::Organisation(at.clone()),
            Record::User {
                user_id: 77,
                at: at.clone(),
            },
            Record::Plan { territory },
            Record::Period {
                plan_territory: territory,
            },
            Record::Report {
                executor_org_id: org,
                plan_territory: territory,
            },
            Record::Notice { unit_org_id: org },
            Record::Case { unit_org_id: org },
            Record::Person { unit_org_id: org },
            Record::Referral(ReferralFacts {
                from_org_id: org,
                to_org_id: 7,
                state,
            }),
            Record::Referral(ReferralFacts {
                from_org_id: 7,
                to_org_id: org,
                state,
            }),
            Record::Procedure { unit_org_id: org },
            Record::Document { unit_org_id: org },
            Record::Assistance { unit_org_id: org },
            Record::Payment { unit_org_id: org },
            Record::Setting,
            Record::Template,
            Record::Audit,
        ]
    }

    /// "rw" read and change, "r-" read only, "--" neither; one pair per kind in [`KINDS`].
    const WITH_THE_ACTOR: &[(Role, &str)] = &[
        //                          org user plan per rep not cas per rfS rfR pro doc ast pay set tpl aud
        (
            Role::NationalCoordinator,
            "r- r- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::RegionalCoordinator,
            "r- r- rw rw r- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Executor,
            "r- r- r- -- rw -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::CaseOfficer,
            "r- r- r- -- -- rw rw rw rw -- rw rw rw rw -- -- --",
        ),
        (
            Role::Partner,
            "r- r- r- -- -- -- -- -- -- rw -- -- -- -- -- -- --",
        ),
        (
            Role::HotlineOperator,
            "r- r- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Analyst,
            "r- r- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Administrator,
            "rw rw r- -- -- -- -- -- -- -- -- -- -- -- rw rw --",
        ),
        (
            Role::Auditor,
            "r- r- r- -- -- -- -- -- -- -- -- -- -- -- -- -- r-",
        ),
    ];

    /// The same records elsewhere: only the directory and the plans are open to all.
    const ELSEWHERE: &[(Role, &str)] = &[
        (
            Role::NationalCoordinator,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::RegionalCoordinator,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Executor,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::CaseOfficer,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Partner,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::HotlineOperator,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Analyst,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- --",
        ),
        (
            Role::Administrator,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- rw rw --",
        ),
        (
            Role::Auditor,
            "r- -- r- -- -- -- -- -- -- -- -- -- -- -- -- -- r-",
        ),
    ];

    fn check_table(own: bool, table: &[(Role, &str)]) {
        let oblast = TerritoryPath::root(1).child(2);
        let here = oblast.child(3);
        let away = TerritoryPath::root(1).child(9).child(10);
        let kinds: Vec<&str> = KINDS.split_whitespace().collect();
        assert_eq!(table.len(), Role::ALL.len(), "every role has a row");
        let mut wrong = Vec::new();
        for (role, row) in table {
            let a = actor(5, &oblast, &[*role]);
            let cells: Vec<&str> = row.split_whitespace().collect();
            let records = records(own, &here, &away);
            assert_eq!(cells.len(), kinds.len(), "{role}: one answer per kind");
            assert_eq!(records.len(), kinds.len());
            for ((kind, cell), record) in kinds.iter().zip(&cells).zip(&records) {
                let got = format!(
                    "{}{}",
                    if a.may(Access::Read, record) { 'r' } else { '-' },
                    if a.may(Access::Change, record) { 'w' } else { '-' }
                );
                if got != *cell {
                    wrong.push(format!("{role} × {kind}: expected {cell}, got {got}"));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "policy differs from the table:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn every_role_and_kind_of_record_with_the_actor() {
        check_table(true, WITH_THE_ACTOR);
    }

    #[test]
    fn every_role_and_kind_of_record_elsewhere() {
        check_table(false, ELSEWHERE);
    }

    #[test]
    fn a_receiver_loses_the_referral_when_it_closes_and_a_sender_keeps_it() {
        let t = TerritoryPath::root(1).child(2);
        let partner = actor(5, &t, &[Role::Partner]);
        let officer = actor(7, &t, &[Role::CaseOfficer]);
        for state in ReferralState::ALL {
            let r = ReferralFacts {
                from_org_id: 7,
                to_org_id: 5,
                state: *state,
            };
            assert_eq!(partner.referral_side(&r).is_some(), state.is_open(), "{state:?}");
            assert_eq!(officer.referral_side(&r), Some(Side::Sender), "{state:?}");
        }
    }
}
