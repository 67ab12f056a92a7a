//! The demo's assistance (issue 11): needs assessments, services in every
//! state (one delivered by the legal aid centre through its referral, one in
//! progress at the NGO, one late, one refused, one not available), stays in
//! an assistance institution (one near its limit, one extended by a decision,
//! one past three months without an extension), and one-time payments in
//! every state on 2025 and 2026 amounts — a child's through the legal
//! representative — with a reversal line in the register.
//!
//! Everything goes through the permission-checked operations as the demo
//! accounts, on the days it would have happened.

use crate::demo_cases::{actor, ctx, day, noon};
use domain::assistance::{
    AssessmentForm, ExtensionForm, NeedLineForm, OutcomeForm, ServiceAction, ServiceForm, StayForm,
};
use domain::case::ReferralAction;
use domain::payment::{ApplicationForm, PaymentAction, StepForm};
use domain::policy::Actor;
use domain::{DomainError, DomainResult};
use jiff::civil::Date;
use store::error::OrInternal;
use store::{Db, assistance, cases, payments};

async fn case_of(db: &Db, surname: &str) -> DomainResult<i64> {
    sqlx::query_scalar("SELECT c.id FROM cases c JOIN persons p ON p.id = c.person_id WHERE p.surname = $1")
        .bind(surname)
        .fetch_one(db.raw_pool())
        .await
        .or_internal()
}

async fn org(db: &Db, short: &str) -> DomainResult<i64> {
    sqlx::query_scalar("SELECT id FROM organisations WHERE short_name = $1")
        .bind(short)
        .fetch_one(db.raw_pool())
        .await
        .or_internal()
}

struct Demo<'a> {
    db: &'a Db,
    today: Date,
    now: i64,
}

impl Demo<'_> {
    fn at(&self, a: &Actor, days_ago: i64) -> store::Ctx {
        ctx(a, noon(self.today, days_ago, self.now))
    }

    fn day(&self, days_ago: i64) -> String {
        day(self.today, days_ago)
    }

    async fn assess(&self, a: &Actor, case: i64, days_ago: i64, needs: &[(&str, &str)]) -> DomainResult<()> {
        let form = AssessmentForm {
            assessed_on: self.day(days_ago),
            note: "Оцінку проведено під час співбесіди (демо).".into(),
            lines: needs
                .iter()
                .map(|(code, urgency)| NeedLineForm {
                    code: code.to_string(),
                    selected: true,
                    urgency: urgency.to_string(),
                    note: String::new(),
                })
                .collect(),
        };
        assistance::assess(self.db, &self.at(a, days_ago), case, &form).await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn service(
        &self,
        a: &Actor,
        case: i64,
        days_ago: i64,
        need: &str,
        provider: i64,
        to_days_ago: i64,
        note: &str,
    ) -> DomainResult<i64> {
        let form = ServiceForm {
            need: need.into(),
            provider_org_id: provider.to_string(),
            planned_from: self.day(days_ago),
            planned_to: if to_days_ago < 0 {
                self.today
                    .checked_add(jiff::Span::new().days(-to_days_ago))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            } else {
                self.day(to_days_ago)
            },
            note: note.into(),
            fields: vec!["facts".into(), "name".into(), "contacts".into()],
            consent_ref: "Згода на передання даних від дати оцінки (демо)".into(),
            message: "Прошу надати послугу відповідно до індивідуального плану (демо).".into(),
        };
        assistance::plan_service(self.db, &self.at(a, days_ago), case, &form).await
    }

    async fn service_step(
        &self,
        a: &Actor,
        service: i64,
        days_ago: i64,
        action: ServiceAction,
        reason: &str,
    ) -> DomainResult<()> {
        let form = OutcomeForm {
            on: self.day(days_ago),
            reason: reason.into(),
            version: String::new(),
        };
        assistance::service_step(self.db, &self.at(a, days_ago), service, action, &form).await?;
        Ok(())
    }

    async fn referral_of(&self, service: i64) -> DomainResult<i64> {
        sqlx::query_scalar("SELECT referral_id FROM services WHERE id = $1")
            .bind(service)
            .fetch_one(self.db.raw_pool())
            .await
            .or_internal()
    }

    async fn stay(&self, a: &Actor, case: i64, days_ago: i64, institution: i64) -> DomainResult<i64> {
        let form = StayForm {
            institution_org_id: institution.to_string(),
            started_on: self.day(days_ago),
            planned_end_on: String::new(),
            note: "Кімната в соціальному гуртожитку (демо).".into(),
        };
        assistance::record_stay(self.db, &self.at(a, days_ago), case, &form).await
    }

    async fn pay_step(
        &self,
        a: &Actor,
        payment: i64,
        days_ago: i64,
        action: PaymentAction,
    ) -> DomainResult<()> {
        let form = StepForm {
            on: self.day(days_ago),
            payment_ref: if action == PaymentAction::Pay {
                format!("ПІ-{payment:04}")
            } else {
                String::new()
            },
            grounds: if action == PaymentAction::Refuse {
                "Заяву подано без копії довідки про встановлення статусу; повторне звернення не надійшло (демо).".into()
            } else {
                String::new()
            },
            appeal_notice: if action == PaymentAction::Refuse {
                "Рішення може бути оскаржене до Департаменту соціального захисту населення ОВА або до суду."
                    .into()
            } else {
                String::new()
            },
            version: String::new(),
        };
        payments::step(self.db, &self.at(a, days_ago), payment, action, &form).await?;
        Ok(())
    }

    async fn apply(&self, a: &Actor, case: i64, days_ago: i64, form: ApplicationForm) -> DomainResult<i64> {
        let form = ApplicationForm {
            applied_on: self.day(days_ago),
            ..form
        };
        payments::apply(self.db, &self.at(a, days_ago), case, &form)
            .await
            .map_err(|e| {
                DomainError::Internal(format!(
                    "demo payment of case {case} on {}: {e:?}",
                    form.applied_on
                ))
            })
    }
}

fn person() -> ApplicationForm {
    ApplicationForm {
        applicant: "person".into(),
        ..Default::default()
    }
}

/// Loads the demo's assistance (once).
pub async fn load(db: &Db, now: i64) -> DomainResult<()> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM need_assessments")
        .fetch_one(db.raw_pool())
        .await
        .or_internal()?;
    if count > 0 {
        return Ok(());
    }
    let d = Demo {
        db,
        today: store::dates::kyiv_date(now),
        now,
    };
    let officer = actor(db, "officer").await?;
    let legal = actor(db, "legal").await?;
    let ngo = actor(db, "ngo").await?;
    let unit = officer.org_id;
    let (legal_org, ngo_org) = (legal.org_id, ngo.org_id);
    let employment = org(db, "ПОЦЗ").await?;
    let shelter = org(db, "ПОЦСС").await?;
    let missing = |s: &str| DomainError::Internal(format!("demo case of {s}"));

    // Вигаданенко (status granted this year): legal aid delivered by the legal
    // aid centre, psychological help in progress at the NGO, employment late,
    // documents with nothing planned; the payment just applied for.
    let c0 = case_of(db, "Вигаданенко")
        .await
        .map_err(|_| missing("Вигаданенко"))?;
    d.assess(
        &officer,
        c0,
        50,
        &[
            ("legal_aid", "urgent"),
            ("psychological", "soon"),
            ("employment", "routine"),
            ("documents", "routine"),
        ],
    )
    .await?;
    let s = d
        .service(&officer, c0, 49, "legal_aid", legal_org, 20, "")
        .await?;
    let r = d.referral_of(s).await?;
    cases::act_on_referral(
        db,
        &d.at(&legal, 48),
        r,
        ReferralAction::Accept,
        &Default::default(),
    )
    .await?;
    assistance::record_delivery(
        db,
        &d.at(&legal, 40),
        r,
        &OutcomeForm {
            on: d.day(40),
            reason: "Консультацію надано, складено позовну заяву про стягнення заробітної плати (демо)."
                .into(),
            version: String::new(),
        },
    )
    .await?;
    let s = d
        .service(&officer, c0, 45, "psychological", ngo_org, -10, "")
        .await?;
    let r = d.referral_of(s).await?;
    cases::act_on_referral(
        db,
        &d.at(&ngo, 44),
        r,
        ReferralAction::Accept,
        &Default::default(),
    )
    .await?;
    d.service(
        &officer,
        c0,
        30,
        "employment",
        unit,
        5,
        "Направити до центру зайнятості після консультації (демо).",
    )
    .await?;
    d.apply(&officer, c0, 3, person()).await?;

    // Вигадайло (status granted in 2025): accommodation delivered, a stay
    // past three months without an extension, employment referred and late;
    // the payment of 2025 paid.
    let c15 = case_of(db, "Вигадайло").await.map_err(|_| missing("Вигадайло"))?;
    d.assess(
        &officer,
        c15,
        405,
        &[("accommodation", "urgent"), ("employment", "soon")],
    )
    .await?;
    let s = d
        .service(&officer, c15, 404, "accommodation", unit, 400, "")
        .await?;
    d.service_step(
        &officer,
        s,
        130,
        ServiceAction::Deliver,
        "Розміщено в ПОЦСС (демо).",
    )
    .await?;
    d.stay(&officer, c15, 130, shelter).await?;
    d.service(&officer, c15, 100, "employment", employment, 30, "")
        .await?;
    let p = d.apply(&officer, c15, 405, person()).await?;
    d.pay_step(&officer, p, 400, PaymentAction::Approve).await?;
    d.pay_step(&officer, p, 395, PaymentAction::Pay).await?;

    // Небиличенко, a child: medical help delivered, education refused,
    // psychological help not available; a stay extended by a decision; the
    // payment of 2025 through the legal representative, approved, not yet paid.
    let c16 = case_of(db, "Небиличенко")
        .await
        .map_err(|_| missing("Небиличенко"))?;
    d.assess(
        &officer,
        c16,
        400,
        &[
            ("medical", "urgent"),
            ("education", "soon"),
            ("psychological", "soon"),
        ],
    )
    .await?;
    let s = d.service(&officer, c16, 399, "medical", unit, 380, "").await?;
    d.service_step(
        &officer,
        s,
        390,
        ServiceAction::Deliver,
        "Медичний огляд і лікування (демо).",
    )
    .await?;
    let s = d.service(&officer, c16, 399, "education", unit, 300, "").await?;
    d.service_step(
        &officer,
        s,
        350,
        ServiceAction::Refuse,
        "Дитина навчається дистанційно, додаткові заняття не потрібні (демо).",
    )
    .await?;
    let s = d
        .service(&officer, c16, 399, "psychological", unit, 300, "")
        .await?;
    d.service_step(
        &officer,
        s,
        360,
        ServiceAction::Unavailable,
        "Дитячого психолога в громаді немає; шукаємо в області (демо).",
    )
    .await?;
    let stay = d.stay(&officer, c16, 80, shelter).await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM shelter_stays WHERE id = $1")
        .bind(stay)
        .fetch_one(db.raw_pool())
        .await
        .or_internal()?;
    assistance::extend_stay(
        db,
        &d.at(&officer, 5),
        stay,
        &ExtensionForm {
            decided_by: "Начальник управління соціального захисту населення Полтавської РВА".into(),
            decision_no: "47-од".into(),
            decision_on: d.day(5),
            reason: "Дитина є свідком у кримінальному провадженні (демо).".into(),
            new_end_on: d
                .today
                .checked_add(jiff::Span::new().days(70))
                .map(|x| x.to_string())
                .unwrap_or_default(),
            version: version.to_string(),
        },
    )
    .await?;
    let p = d
        .apply(
            &officer,
            c16,
            398,
            ApplicationForm {
                applicant: "representative".into(),
                representative_name: "Небиличенко Олена Миколаївна (мати, демо)".into(),
                representative_document: "Свідоцтво про народження дитини серії І-КИ № 000000 (демо)".into(),
                ..Default::default()
            },
        )
        .await?;
    d.pay_step(&officer, p, 396, PaymentAction::Approve).await?;

    // Дивосвітенко: a stay near its limit; the payment of 2026 refused.
    let c17 = case_of(db, "Дивосвітенко")
        .await
        .map_err(|_| missing("Дивосвітенко"))?;
    d.assess(
        &officer,
        c17,
        77,
        &[("accommodation", "urgent"), ("medical", "soon")],
    )
    .await?;
    let s = d
        .service(&officer, c17, 77, "accommodation", unit, 70, "")
        .await?;
    d.service_step(
        &officer,
        s,
        77,
        ServiceAction::Deliver,
        "Розміщено в ПОЦСС (демо).",
    )
    .await?;
    d.stay(&officer, c17, 78, shelter).await?;
    let p = d.apply(&officer, c17, 60, person()).await?;
    d.pay_step(&officer, p, 50, PaymentAction::Refuse).await?;

    // Леґендарук: legal aid planned by the unit; the payment of 2026 paid and
    // then reversed in the register (returned for wrong bank details).
    let c18 = case_of(db, "Леґендарук")
        .await
        .map_err(|_| missing("Леґендарук"))?;
    d.assess(&officer, c18, 45, &[("legal_aid", "soon")]).await?;
    d.service(&officer, c18, 44, "legal_aid", unit, -20, "").await?;
    let p = d.apply(&officer, c18, 40, person()).await?;
    d.pay_step(&officer, p, 35, PaymentAction::Approve).await?;
    d.pay_step(&officer, p, 30, PaymentAction::Pay).await?;
    let line: i64 = sqlx::query_scalar("SELECT MIN(id) FROM payment_register WHERE payment_id = $1")
        .bind(p)
        .fetch_one(db.raw_pool())
        .await
        .or_internal()?;
    payments::reverse(
        db,
        &d.at(&officer, 20),
        line,
        &payments::ReversalForm {
            reason: "Кошти повернуто банком: помилка в реквізитах рахунку (демо).".into(),
        },
    )
    .await?;
    Ok(())
}
