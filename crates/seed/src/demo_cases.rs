//! Demonstration cases: synthetic people (invented surnames, clearly
//! fictional) across the four Poltava raions, with the status procedure in
//! every state — one step overdue, one at risk, a child's case with its
//! children's-service referral, a foreigner with an interpreter.
//!
//! Everything is written through the same service functions the pages use,
//! by the demo accounts, so the audit trail and the deadlines are real.
//! Dates are relative to `now`. Loading is idempotent: it does nothing when
//! any case exists.

use domain::case::{CaseForm, NoticeForm, PersonForm, ReferralAction};
use domain::policy::Actor;
use domain::procedure::{ApplicationForm, ProcAction, ProcState, StepForm};
use domain::role::RoleSet;
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult};
use jiff::ToSpan;
use jiff::civil::Date;
use store::error::OrInternal;
use store::{Ctx, Db, cases, procedures};

/// The demo people: invented surnames (no such Ukrainian surnames are in
/// use). The browser-test runner scans the server's log for every one of them.
pub const DEMO_PEOPLE_CSV: &str = include_str!("../../../data/demo_people.csv");

fn demo_people() -> DomainResult<Vec<(String, String, String, String)>> {
    csv::Reader::from_reader(DEMO_PEOPLE_CSV.as_bytes())
        .records()
        .map(|r| {
            let r = r.map_err(|e| DomainError::Internal(format!("demo people: {e}")))?;
            let f = |i: usize| r.get(i).unwrap_or("").trim().to_string();
            Ok((f(0), f(1), f(2), f(3)))
        })
        .collect()
}

pub(crate) async fn actor(db: &Db, login: &str) -> DomainResult<Actor> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT u.id, u.org_id, o.territory_path FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.login = $1",
    )
    .bind(login)
    .fetch_optional(db.raw_pool())
    .await
    .or_internal()?;
    let (user_id, org_id, path) = row.ok_or_else(|| DomainError::Internal(format!("demo user {login}")))?;
    let roles: RoleSet = store::users::rows::roles_of(db.raw_pool(), user_id).await?;
    Ok(Actor {
        user_id,
        org_id,
        territory: TerritoryPath::parse(&path).ok_or_else(|| DomainError::Internal("demo path".into()))?,
        roles,
    })
}

pub(crate) fn ctx(a: &Actor, now: i64) -> Ctx {
    Ctx::user(a.clone(), None, "demo".into(), now)
}

async fn territory(db: &Db, name: &str) -> DomainResult<i64> {
    Ok(store::reference::territories::find(db.raw_pool(), name)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("demo territory {name}")))?
        .id)
}

/// How far one demo case goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Notice,
    Open,
    Registered,
    Interviewed,
    PoliceRequested,
    PoliceAnswered,
    Concluded,
    Granted,
    Notified,
    Refused,
    Terminated,
}

struct Spec {
    person: usize,
    raion: &'static str,
    reporter: &'static str,
    officer: &'static str,
    came: &'static str,
    forms: &'static [&'static str],
    birth: &'static str,
    child: bool,
    foreigner: bool,
    stage: Stage,
    /// Days ago the application was registered (steps follow a day or two apart).
    registered_days_ago: i64,
}

const SPECS: &[Spec] = &[
    // Полтавський район — the demo `officer` sees every state of the procedure.
    Spec {
        person: 0,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["labour"],
        birth: "1990-04-02",
        child: false,
        foreigner: false,
        stage: Stage::Notified,
        registered_days_ago: 60,
    },
    Spec {
        person: 1,
        raion: "Полтавський район",
        reporter: "ngo",
        officer: "officer",
        came: "ngo",
        forms: &["sexual"],
        birth: "1995-09-14",
        child: false,
        foreigner: false,
        stage: Stage::Notice,
        registered_days_ago: 0,
    },
    Spec {
        person: 2,
        raion: "Полтавський район",
        reporter: "officer",
        officer: "officer",
        came: "hotline",
        forms: &["labour", "debt_bondage"],
        birth: "1986-01-20",
        child: false,
        foreigner: false,
        stage: Stage::Open,
        registered_days_ago: 0,
    },
    // At risk: registered two days ago, the interview is due tomorrow (or the next working day).
    Spec {
        person: 3,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["labour"],
        birth: "1979-06-30",
        child: false,
        foreigner: false,
        stage: Stage::Registered,
        registered_days_ago: 3,
    },
    Spec {
        person: 4,
        raion: "Полтавський район",
        reporter: "officer",
        officer: "officer",
        came: "self_referral",
        forms: &["criminal_activity"],
        birth: "1999-11-11",
        child: false,
        foreigner: false,
        stage: Stage::Interviewed,
        registered_days_ago: 3,
    },
    // Overdue: the police request went out long ago and no reply has come.
    Spec {
        person: 5,
        raion: "Полтавський район",
        reporter: "ngo",
        officer: "officer",
        came: "ngo",
        forms: &["sexual"],
        birth: "1992-03-08",
        child: false,
        foreigner: false,
        stage: Stage::PoliceRequested,
        registered_days_ago: 25,
    },
    Spec {
        person: 6,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "border",
        forms: &["labour"],
        birth: "1984-08-19",
        child: false,
        foreigner: false,
        stage: Stage::PoliceAnswered,
        registered_days_ago: 12,
    },
    // A foreigner who applied with an interpreter.
    Spec {
        person: 7,
        raion: "Полтавський район",
        reporter: "ngo",
        officer: "officer",
        came: "ngo",
        forms: &["labour", "begging"],
        birth: "1988-12-01",
        child: false,
        foreigner: true,
        stage: Stage::Concluded,
        registered_days_ago: 14,
    },
    Spec {
        person: 8,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["sexual"],
        birth: "1997-05-25",
        child: false,
        foreigner: false,
        stage: Stage::Granted,
        registered_days_ago: 20,
    },
    Spec {
        person: 9,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["labour"],
        birth: "1975-02-14",
        child: false,
        foreigner: false,
        stage: Stage::Refused,
        registered_days_ago: 40,
    },
    Spec {
        person: 10,
        raion: "Полтавський район",
        reporter: "officer",
        officer: "officer",
        came: "employment_centre",
        forms: &["labour"],
        birth: "1981-10-10",
        child: false,
        foreigner: false,
        stage: Stage::Terminated,
        registered_days_ago: 90,
    },
    // A child: the notice also goes to the children's service.
    Spec {
        person: 11,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["begging"],
        birth: "2011-07-07",
        child: true,
        foreigner: false,
        stage: Stage::Open,
        registered_days_ago: 0,
    },
    // Statuses granted in 2025 and earlier this year: their one-time payments
    // are on 2025 and 2026 amounts (crate::demo_assistance).
    Spec {
        person: 15,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["labour"],
        birth: "1985-06-06",
        child: false,
        foreigner: false,
        stage: Stage::Notified,
        registered_days_ago: 420,
    },
    // A child separated from the family: the legal representative applies and receives.
    Spec {
        person: 16,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["begging"],
        birth: "2016-02-20",
        child: true,
        foreigner: false,
        stage: Stage::Notified,
        registered_days_ago: 410,
    },
    Spec {
        person: 17,
        raion: "Полтавський район",
        reporter: "ngo",
        officer: "officer",
        came: "ngo",
        forms: &["labour"],
        birth: "1991-11-03",
        child: false,
        foreigner: false,
        stage: Stage::Notified,
        registered_days_ago: 75,
    },
    Spec {
        person: 18,
        raion: "Полтавський район",
        reporter: "police",
        officer: "officer",
        came: "police",
        forms: &["sexual"],
        birth: "1998-08-08",
        child: false,
        foreigner: false,
        stage: Stage::Notified,
        registered_days_ago: 50,
    },
    // The other raions.
    Spec {
        person: 12,
        raion: "Кременчуцький район",
        reporter: "police",
        officer: "officer2",
        came: "police",
        forms: &["sexual"],
        birth: "1993-04-04",
        child: false,
        foreigner: false,
        stage: Stage::Interviewed,
        registered_days_ago: 4,
    },
    Spec {
        person: 13,
        raion: "Лубенський район",
        reporter: "ngo",
        officer: "officer3",
        came: "ngo",
        forms: &["labour"],
        birth: "1987-09-09",
        child: false,
        foreigner: false,
        stage: Stage::Open,
        registered_days_ago: 0,
    },
    Spec {
        person: 14,
        raion: "Миргородський район",
        reporter: "ngo",
        officer: "officer4",
        came: "hotline",
        forms: &["labour"],
        birth: "1990-01-15",
        child: false,
        foreigner: false,
        stage: Stage::Notice,
        registered_days_ago: 0,
    },
];

/// Noon in Kyiv, `days_ago` days before `today` (not later than `now`): the
/// moment a demo step is recorded, so its history reads as it happened.
pub(crate) fn noon(today: Date, days_ago: i64, now: i64) -> i64 {
    let d = today.checked_sub(days_ago.days()).unwrap_or(today);
    let at = jiff::tz::TimeZone::get("Europe/Kyiv")
        .ok()
        .and_then(|tz| d.at(12, 0, 0, 0).to_zoned(tz).ok())
        .map_or(now, |z| z.timestamp().as_second());
    at.min(now)
}

pub(crate) fn day(today: Date, days_ago: i64) -> String {
    today.checked_sub(days_ago.days()).unwrap_or(today).to_string()
}

/// Loads the demo cases (once).
pub async fn load(db: &Db, now: i64) -> DomainResult<()> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(db.raw_pool())
        .await
        .or_internal()?;
    if count > 0 {
        return Ok(());
    }
    let today = store::dates::kyiv_date(now);
    let police = actor(db, "police").await?;
    let people = demo_people()?;
    for s in SPECS {
        let reporter = actor(db, s.reporter).await?;
        let officer = actor(db, s.officer).await?;
        let (surname, given, patronymic, sex) = people
            .get(s.person)
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
            .ok_or_else(|| DomainError::Internal("demo person".into()))?;
        let identified_days_ago = s.registered_days_ago + 3;
        let form = NoticeForm {
            person: PersonForm {
                surname: surname.into(),
                given_name: given.into(),
                patronymic: patronymic.into(),
                birth_date: s.birth.into(),
                phone: "+380 00 000 00 00".into(),
                ..Default::default()
            },
            identified_on: day(today, identified_days_ago),
            territory_id: territory(db, s.raion).await?.to_string(),
            came_to_attention: s.came.into(),
            forms: s.forms.iter().map(|f| f.to_string()).collect(),
            is_child: s.child,
            sex: sex.into(),
            citizenship: if s.foreigner {
                "Республіка Молдова"
            } else {
                "Україна"
            }
            .into(),
            language: if s.foreigner { "румунська" } else { "" }.into(),
            interpreter: s.foreigner,
            consent: "yes".into(),
            circumstances: "Демонстраційний запис: вигадана особа, вигадані обставини.".into(),
            ..Default::default()
        };
        let outcome = match cases::record_notice(
            db,
            &ctx(&reporter, noon(today, identified_days_ago, now)),
            &form,
            true,
        )
        .await?
        {
            cases::NoticeResult::Recorded(o) => o,
            cases::NoticeResult::PossibleDuplicates(_) => {
                return Err(DomainError::Internal("demo duplicate".into()));
            }
        };
        if s.stage == Stage::Notice {
            continue;
        }
        let oc = ctx(&officer, noon(today, identified_days_ago, now));
        cases::accept_notice(db, &oc, outcome.case_id).await?;
        if s.child {
            let (version, age): (i64, Option<i64>) =
                sqlx::query_as("SELECT version, age FROM cases WHERE id = $1")
                    .bind(outcome.case_id)
                    .fetch_one(db.raw_pool())
                    .await
                    .or_internal()?;
            let facts = CaseForm {
                sex: sex.into(),
                age: age.map(|a| a.to_string()).unwrap_or_default(),
                is_child: true,
                legal_representative: "Мати (демо)".into(),
                forms: s.forms.iter().map(|f| f.to_string()).collect(),
                place_kind: "ukraine".into(),
                came_to_attention: s.came.into(),
                version: version.to_string(),
                ..Default::default()
            };
            cases::update_case(db, &oc, outcome.case_id, &facts).await?;
        }
        if s.stage == Stage::Open {
            continue;
        }
        let registered = s.registered_days_ago;
        let app = ApplicationForm {
            registered_on: day(today, registered),
            applicant: format!("{surname} {given} {patronymic}"),
            language: if s.foreigner { "румунська" } else { "" }.into(),
            interpreter: if s.foreigner {
                "Перекладач Зразковий (демо)"
            } else {
                ""
            }
            .into(),
            ..Default::default()
        };
        let pid = procedures::register_application(
            db,
            &ctx(&officer, noon(today, registered, now)),
            outcome.case_id,
            &app,
        )
        .await?;
        // Steps a day or two apart after registration, never later than today.
        let mut offset = registered;
        let mut at = |gap: i64| {
            offset = (offset - gap).max(0);
            offset
        };
        let mut steps: Vec<(ProcAction, i64, StepForm)> = Vec::new();
        if s.stage >= Stage::Interviewed {
            let text = "Анкету заповнено; розповідь про події записано (демо).".to_string();
            let form = StepForm {
                text,
                consent: true,
                non_disclosure: true,
                ..Default::default()
            };
            steps.push((ProcAction::RecordInterview, at(1), form));
        }
        if s.stage >= Stage::PoliceRequested {
            steps.push((ProcAction::RequestPolice, at(1), StepForm::default()));
        }
        // The police answer in the system three days after the request.
        let police_reply_days_ago = (s.stage >= Stage::PoliceAnswered).then(|| at(3));
        if s.stage >= Stage::Concluded {
            let text = "Обставини підтверджено відповіддю поліції та співбесідою (демо).".to_string();
            steps.push((
                ProcAction::Conclude,
                at(2),
                StepForm {
                    text,
                    ..Default::default()
                },
            ));
        }
        match s.stage {
            Stage::Granted | Stage::Notified | Stage::Terminated => {
                let form = StepForm {
                    certificate_no: format!("{}", s.person + 1),
                    ..Default::default()
                };
                steps.push((ProcAction::Grant, at(1), form));
            }
            Stage::Refused => {
                let text = "Відомості не підтвердилися (демо).".to_string();
                steps.push((
                    ProcAction::Refuse,
                    at(1),
                    StepForm {
                        text,
                        ..Default::default()
                    },
                ));
            }
            _ => {}
        }
        if matches!(s.stage, Stage::Notified | Stage::Refused | Stage::Terminated) {
            steps.push((ProcAction::Notify, at(1), StepForm::default()));
        }
        if s.stage == Stage::Refused {
            steps.push((ProcAction::RecordAppeal, at(2), StepForm::default()));
        }
        if s.stage == Stage::Terminated {
            let text = "Особа звернулася із заявою про припинення (демо).".to_string();
            steps.push((
                ProcAction::Terminate,
                at(10),
                StepForm {
                    text,
                    ..Default::default()
                },
            ));
        }
        for (action, days_ago, form) in steps {
            if let Some(reply) = police_reply_days_ago
                && action != ProcAction::RecordInterview
                && action != ProcAction::RequestPolice
                && procedures::get(db.raw_pool(), pid)
                    .await?
                    .is_some_and(|p| p.state == ProcState::PoliceRequested)
            {
                police_answers(db, &police, noon(today, reply, now), pid, s.person).await?;
            }
            let version = version_of(db, pid).await?;
            let form = StepForm {
                on: day(today, days_ago),
                ..form
            };
            procedures::record_step(
                db,
                &ctx(&officer, noon(today, days_ago, now)),
                pid,
                action,
                &form,
                version,
            )
            .await?;
        }
        if let Some(reply) = police_reply_days_ago
            && procedures::get(db.raw_pool(), pid)
                .await?
                .is_some_and(|p| p.state == ProcState::PoliceRequested)
        {
            police_answers(db, &police, noon(today, reply, now), pid, s.person).await?;
        }
    }
    Ok(())
}

/// The police user accepts the request referral and answers it, on the day `at`.
async fn police_answers(db: &Db, police: &Actor, at: i64, pid: i64, n: usize) -> DomainResult<()> {
    let p = procedures::get(db.raw_pool(), pid)
        .await?
        .ok_or_else(|| DomainError::Internal("demo procedure".into()))?;
    let rid = p
        .police_referral_id
        .ok_or_else(|| DomainError::Internal("demo police request".into()))?;
    let pc = ctx(police, at);
    cases::act_on_referral(db, &pc, rid, ReferralAction::Accept, &Default::default()).await?;
    let answer = cases::ReferralActForm {
        answer: "За відомостями ГУНП відкрито кримінальне провадження (демо).".into(),
        proceedings_found: "yes".into(),
        proceedings_ref: format!("1202617000000{n:04}"),
        ..Default::default()
    };
    cases::act_on_referral(db, &pc, rid, ReferralAction::Answer, &answer).await
}

/// How many cases and status procedures there are (printed by `oberih demo`).
pub async fn counts(db: &Db) -> DomainResult<(i64, i64)> {
    sqlx::query_as("SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM procedures)")
        .fetch_one(db.raw_pool())
        .await
        .or_internal()
}

async fn version_of(db: &Db, pid: i64) -> DomainResult<i64> {
    let (v,): (i64,) = sqlx::query_as("SELECT version FROM procedures WHERE id = $1")
        .bind(pid)
        .fetch_one(db.raw_pool())
        .await
        .or_internal()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo must show the procedure in every state, one step overdue and
    /// one at risk, a child's referral to the children's service, and a
    /// foreigner with an interpreter; loading twice adds nothing.
    #[tokio::test]
    async fn the_demo_has_cases_in_every_state_of_the_procedure() {
        let url = match std::env::var("OBERIH_TEST_DATABASE_URL") {
            Ok(u) if u.starts_with("postgres") => return, // covered by the integration suite on PostgreSQL
            _ => format!(
                "sqlite://{}",
                std::env::temp_dir()
                    .join(format!("oberih-demo-cases-{}.sqlite3", std::process::id()))
                    .display()
            ),
        };
        let db = Db::connect(&url, 2).await.unwrap();
        db.migrate().await.unwrap();
        let now = jiff::Timestamp::now().as_second();
        crate::demo::load(&db, now).await.unwrap();
        crate::demo::load(&db, now).await.unwrap();
        let states: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT state FROM procedures ORDER BY state")
            .fetch_all(db.raw_pool())
            .await
            .unwrap();
        let states: Vec<&str> = states.iter().map(|s| s.0.as_str()).collect();
        for s in [
            "concluded",
            "granted",
            "interviewed",
            "notified",
            "police_answered",
            "police_requested",
            "registered",
            "terminated",
        ] {
            assert!(states.contains(&s), "{s} in {states:?}");
        }
        let (cases,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
            .fetch_one(db.raw_pool())
            .await
            .unwrap();
        assert_eq!(cases, SPECS.len() as i64, "loaded once");
        let today = store::dates::kyiv_date(now);
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT next_due_on FROM procedures WHERE next_due_on IS NOT NULL")
                .fetch_all(db.raw_pool())
                .await
                .unwrap();
        let urgencies: Vec<_> = rows
            .iter()
            .map(|r| {
                let due = domain::plan::parse_date(&r.0).unwrap();
                domain::deadline::urgency(due, today, domain::deadline::AT_RISK_DAYS)
            })
            .collect();
        assert!(
            urgencies.contains(&domain::deadline::Urgency::Overdue),
            "{rows:?}"
        );
        assert!(urgencies.contains(&domain::deadline::Urgency::AtRisk), "{rows:?}");
        let (children,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM referrals r JOIN organisations o ON o.id = r.to_org_id \
             WHERE o.kind = 'children_service' AND r.purpose = 'children_service'",
        )
        .fetch_one(db.raw_pool())
        .await
        .unwrap();
        assert_eq!(children, 2, "the two children's cases");
        let (interpreted,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM procedures WHERE interpreter IS NOT NULL AND language IS NOT NULL",
        )
        .fetch_one(db.raw_pool())
        .await
        .unwrap();
        assert_eq!(interpreted, 1);
        let refs: Vec<(String,)> = sqlx::query_as("SELECT reference FROM cases ORDER BY id LIMIT 1")
            .fetch_all(db.raw_pool())
            .await
            .unwrap();
        assert!(refs[0].0.starts_with("UA53-"), "{refs:?}");
        // Assistance: services and payments in every state, a child's payment
        // through the representative, 2025 and 2026 amounts, a reversal line,
        // stays near the limit, extended, and past it.
        let distinct = |sql: &'static str| {
            let db = &db;
            async move {
                let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(db.raw_pool()).await.unwrap();
                rows.into_iter().map(|r| r.0).collect::<Vec<_>>()
            }
        };
        let services = distinct("SELECT DISTINCT state FROM services ORDER BY state").await;
        assert_eq!(
            services,
            [
                "delivered",
                "in_progress",
                "not_available",
                "planned",
                "referred",
                "refused"
            ]
        );
        let payments = distinct("SELECT DISTINCT state FROM payments ORDER BY state").await;
        assert_eq!(payments, ["applied", "approved", "paid", "refused"]);
        let years = distinct("SELECT DISTINCT SUBSTR(applied_on, 1, 4) FROM payments ORDER BY 1").await;
        assert!(years.len() >= 2, "payments on two years' amounts: {years:?}");
        let reps = distinct("SELECT category FROM payments WHERE applicant = 'representative'").await;
        assert_eq!(reps, ["child_6_18"]);
        let kinds = distinct("SELECT DISTINCT kind FROM payment_register ORDER BY kind").await;
        assert_eq!(kinds, ["payment", "reversal"]);
        let officer = actor(&db, "officer").await.unwrap();
        let list = store::assistance::unit_list(&db, &ctx(&officer, now))
            .await
            .unwrap();
        let flags: Vec<_> = list.stays.iter().filter_map(|s| s.flag).collect();
        assert!(
            flags.contains(&domain::assistance::StayFlag::EndingSoon),
            "{flags:?}"
        );
        assert!(
            flags.contains(&domain::assistance::StayFlag::BeyondLimit),
            "{flags:?}"
        );
        assert!(!list.needs.is_empty() && !list.services.is_empty());
        let extended = distinct("SELECT reason FROM shelter_extensions").await;
        assert_eq!(extended.len(), 1);
        db.close().await;
    }
}
