//! The one-time financial assistance (CMU 660 of 25.07.2012): its category,
//! its amount from versioned tables, its states and its due date.
//!
//! The amount is the multiplier in force on the application date × the
//! subsistence minimum for the person's category in force on that date. Both
//! tables are data the administrator keeps (with effective dates), never
//! constants here; an amount, once determined, is stored with the payment, so
//! a later row changes no earlier payment.

use crate::case::age_on;
use crate::money::Money;
use crate::organisation::string_enum;
use crate::plan::parse_date;
use crate::validation::{FieldErrors, max_chars, optional};
use jiff::ToSpan;
use jiff::civil::Date;
use std::fmt;

/// The longest text of grounds, a basis or a note.
pub const TEXT_MAX: usize = 2000;

string_enum! {
    /// The categories of the subsistence minimum (прожитковий мінімум).
    PaymentCategory {
        Under6 => "under_6",
        Child6to18 => "child_6_18",
        WorkingAge => "working_age",
        LostAbility => "lost_ability",
    }
}

string_enum! {
    PaymentState {
        Applied => "applied",
        Approved => "approved",
        Paid => "paid",
        Refused => "refused",
    }
}

string_enum! {
    PaymentAction {
        Approve => "approve",
        Pay => "pay",
        Refuse => "refuse",
    }
}

string_enum! {
    /// Who applies (and receives): the person, or their legal representative
    /// (for a child separated from the family, or a person without capacity).
    Applicant {
        Person => "person",
        Representative => "representative",
    }
}

string_enum! {
    /// A line of the payment register: the payment, or a reversal of a line.
    RegisterEntryKind {
        Payment => "payment",
        Reversal => "reversal",
    }
}

impl PaymentState {
    pub fn apply(self, action: PaymentAction) -> Option<PaymentState> {
        use PaymentAction as A;
        use PaymentState as S;
        match (self, action) {
            (S::Applied, A::Approve) => Some(S::Approved),
            (S::Applied | S::Approved, A::Refuse) => Some(S::Refused),
            (S::Approved, A::Pay) => Some(S::Paid),
            _ => None,
        }
    }

    pub fn actions(self) -> Vec<PaymentAction> {
        PaymentAction::ALL
            .iter()
            .copied()
            .filter(|a| self.apply(*a).is_some())
            .collect()
    }

    /// Still waiting for a decision or for the money: its due date matters.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Applied | Self::Approved)
    }
}

/// The category on the application date: by age (full years on that day),
/// or "lost the ability to work" when the officer records that with its basis.
/// A child turns 6 on their sixth birthday: on that day they are 6–18.
pub fn category_on(birth: Date, applied_on: Date, lost_ability: bool) -> PaymentCategory {
    let age = age_on(birth, applied_on);
    if age < 6 {
        PaymentCategory::Under6
    } else if age < 18 {
        PaymentCategory::Child6to18
    } else if lost_ability {
        PaymentCategory::LostAbility
    } else {
        PaymentCategory::WorkingAge
    }
}

/// The subsistence minimums in force from a date, per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minimums {
    pub id: i64,
    pub effective_from: Date,
    pub under_6: Money,
    pub child_6_18: Money,
    pub working_age: Money,
    pub lost_ability: Money,
}

impl Minimums {
    pub fn of(&self, c: PaymentCategory) -> Money {
        match c {
            PaymentCategory::Under6 => self.under_6,
            PaymentCategory::Child6to18 => self.child_6_18,
            PaymentCategory::WorkingAge => self.working_age,
            PaymentCategory::LostAbility => self.lost_ability,
        }
    }
}

/// The multiplier of the payment in force from a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multiplier {
    pub id: i64,
    pub effective_from: Date,
    pub factor: i64,
}

/// A row of a versioned table: in force from its date until the next one.
pub trait Versioned {
    fn effective_from(&self) -> Date;
}

impl Versioned for Minimums {
    fn effective_from(&self) -> Date {
        self.effective_from
    }
}

impl Versioned for Multiplier {
    fn effective_from(&self) -> Date {
        self.effective_from
    }
}

/// The row in force on `day`: the latest that took effect on or before it.
pub fn in_force<T: Versioned>(rows: &[T], day: Date) -> Option<&T> {
    rows.iter()
        .filter(|r| r.effective_from() <= day)
        .max_by_key(|r| r.effective_from())
}

/// How an amount was determined: kept with the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Determination {
    pub category: PaymentCategory,
    pub minimum: Money,
    pub minimums_id: i64,
    pub factor: i64,
    pub multiplier_id: i64,
    pub amount: Money,
}

/// The amount for `category` on `applied_on`, or `None` when either table
/// has no row in force on that day.
pub fn determine(
    minimums: &[Minimums],
    multipliers: &[Multiplier],
    category: PaymentCategory,
    applied_on: Date,
) -> Option<Determination> {
    let m = in_force(minimums, applied_on)?;
    let k = in_force(multipliers, applied_on)?;
    let minimum = m.of(category);
    Some(Determination {
        category,
        minimum,
        minimums_id: m.id,
        factor: k.factor,
        multiplier_id: k.id,
        amount: minimum.times(k.factor)?,
    })
}

/// The payment is due within one month of the application.
pub fn due_on(applied_on: Date) -> Date {
    applied_on.saturating_add(1.month())
}

fn day(e: &mut FieldErrors, field: &'static str, value: &str, today: Date, not_before: Option<Date>) -> Date {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "err-required");
        return today;
    }
    match parse_date(v) {
        None => {
            e.add(field, "err-date");
            today
        }
        Some(d) if d > today => {
            e.add(field, "err-future-date");
            today
        }
        Some(d) if not_before.is_some_and(|nb| d < nb) => {
            e.add(field, "err-before-previous-step");
            d
        }
        Some(d) => d,
    }
}

fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize, required: bool) -> Option<String> {
    let t = value.trim();
    max_chars(e, field, t, max);
    if required && t.is_empty() {
        e.add(field, "err-required");
    }
    optional(t)
}

/// The application as the officer records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub applied_on: String,
    pub applicant: String,
    pub representative_name: String,
    pub representative_document: String,
    #[serde(deserialize_with = "crate::validation::checkbox")]
    pub lost_ability: bool,
    pub lost_ability_basis: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationInput {
    pub applied_on: Date,
    pub applicant: Applicant,
    pub representative_name: Option<String>,
    pub representative_document: Option<String>,
    pub lost_ability_basis: Option<String>,
}

impl ApplicationForm {
    /// `granted_on` is the decision date of the status: nobody applies before it.
    pub fn validate(&self, today: Date, granted_on: Option<Date>) -> Result<ApplicationInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let applied_on = day(&mut e, "applied_on", &self.applied_on, today, None);
        if granted_on.is_some_and(|g| applied_on < g) {
            e.add("applied_on", "err-payment-before-status");
        }
        let applicant = match Applicant::parse(self.applicant.trim()) {
            Some(a) => a,
            None => {
                e.add("applicant", "err-required");
                Applicant::Person
            }
        };
        let rep = applicant == Applicant::Representative;
        let representative_name = text(&mut e, "representative_name", &self.representative_name, 300, rep);
        let representative_document = text(
            &mut e,
            "representative_document",
            &self.representative_document,
            300,
            rep,
        );
        let lost_ability_basis = text(
            &mut e,
            "lost_ability_basis",
            &self.lost_ability_basis,
            TEXT_MAX,
            self.lost_ability,
        );
        e.into_result(ApplicationInput {
            applied_on,
            applicant,
            representative_name: representative_name.filter(|_| rep),
            representative_document: representative_document.filter(|_| rep),
            lost_ability_basis: lost_ability_basis.filter(|_| self.lost_ability),
        })
    }
}

/// A step of a payment: approval, payment (with its reference), refusal (with
/// grounds and the notice of the right to appeal).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub on: String,
    pub payment_ref: String,
    pub grounds: String,
    pub appeal_notice: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    pub on: Date,
    pub payment_ref: Option<String>,
    pub grounds: Option<String>,
    pub appeal_notice: Option<String>,
}

impl StepForm {
    pub fn validate(&self, action: PaymentAction, today: Date, last: Date) -> Result<StepInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let on = day(&mut e, "on", &self.on, today, Some(last));
        let payment_ref = text(
            &mut e,
            "payment_ref",
            &self.payment_ref,
            100,
            action == PaymentAction::Pay,
        );
        let refuse = action == PaymentAction::Refuse;
        let grounds = text(&mut e, "grounds", &self.grounds, TEXT_MAX, refuse);
        let appeal_notice = text(&mut e, "appeal_notice", &self.appeal_notice, TEXT_MAX, refuse);
        e.into_result(StepInput {
            on,
            payment_ref: payment_ref.filter(|_| action == PaymentAction::Pay),
            grounds: grounds.filter(|_| refuse),
            appeal_notice: appeal_notice.filter(|_| refuse),
        })
    }
}

/// A new row of the subsistence minimums, as the administrator types it (hryvnias).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct MinimumsForm {
    pub effective_from: String,
    pub under_6: String,
    pub child_6_18: String,
    pub working_age: String,
    pub lost_ability: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimumsInput {
    pub effective_from: Date,
    pub amounts: [Money; 4],
    pub source: String,
}

fn amount(e: &mut FieldErrors, field: &'static str, value: &str) -> Money {
    match Money::parse_hryvnias(value) {
        Some(m) if m > Money::ZERO && m <= Money::from_hryvnias(1_000_000) => m,
        _ if value.trim().is_empty() => {
            e.add(field, "err-required");
            Money::ZERO
        }
        _ => {
            e.add(field, "err-amount");
            Money::ZERO
        }
    }
}

fn effective(e: &mut FieldErrors, value: &str) -> Date {
    match parse_date(value.trim()) {
        Some(d) => d,
        None if value.trim().is_empty() => {
            e.add("effective_from", "err-required");
            Date::MIN
        }
        None => {
            e.add("effective_from", "err-date");
            Date::MIN
        }
    }
}

impl MinimumsForm {
    pub fn validate(&self) -> Result<MinimumsInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let effective_from = effective(&mut e, &self.effective_from);
        let amounts = [
            amount(&mut e, "under_6", &self.under_6),
            amount(&mut e, "child_6_18", &self.child_6_18),
            amount(&mut e, "working_age", &self.working_age),
            amount(&mut e, "lost_ability", &self.lost_ability),
        ];
        let source = text(&mut e, "source", &self.source, 300, true).unwrap_or_default();
        e.into_result(MinimumsInput {
            effective_from,
            amounts,
            source,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct MultiplierForm {
    pub effective_from: String,
    pub factor: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiplierInput {
    pub effective_from: Date,
    pub factor: i64,
    pub source: String,
}

impl MultiplierForm {
    pub fn validate(&self) -> Result<MultiplierInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let effective_from = effective(&mut e, &self.effective_from);
        let factor = match self.factor.trim().parse::<i64>() {
            Ok(k) if (1..=100).contains(&k) => k,
            _ if self.factor.trim().is_empty() => {
                e.add("factor", "err-required");
                0
            }
            _ => {
                e.add("factor", "err-factor");
                0
            }
        };
        let source = text(&mut e, "source", &self.source, 300, true).unwrap_or_default();
        e.into_result(MultiplierInput {
            effective_from,
            factor,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn tables() -> (Vec<Minimums>, Vec<Multiplier>) {
        let row = |id, y, a, b, c, d| Minimums {
            id,
            effective_from: date(y, 1, 1),
            under_6: Money::from_hryvnias(a),
            child_6_18: Money::from_hryvnias(b),
            working_age: Money::from_hryvnias(c),
            lost_ability: Money::from_hryvnias(d),
        };
        (
            vec![
                row(1, 2024, 2563, 3196, 3028, 2361),
                row(2, 2025, 2563, 3196, 3028, 2361),
                row(3, 2026, 2817, 3512, 3328, 2595),
            ],
            vec![
                Multiplier {
                    id: 1,
                    effective_from: date(2013, 1, 1),
                    factor: 1,
                },
                Multiplier {
                    id: 2,
                    effective_from: date(2018, 1, 1),
                    factor: 3,
                },
            ],
        )
    }

    fn uah(m: Money) -> String {
        m.uk().replace('\u{a0}', " ")
    }

    #[test]
    fn amounts_in_2025_and_2026() {
        let (mins, mults) = tables();
        let on = date(2025, 6, 1);
        let got: Vec<String> = PaymentCategory::ALL
            .iter()
            .map(|c| uah(determine(&mins, &mults, *c, on).unwrap().amount))
            .collect();
        assert_eq!(
            got,
            ["7 689,00 грн", "9 588,00 грн", "9 084,00 грн", "7 083,00 грн"]
        );
        let on = date(2026, 1, 1);
        let got: Vec<String> = PaymentCategory::ALL
            .iter()
            .map(|c| uah(determine(&mins, &mults, *c, on).unwrap().amount))
            .collect();
        assert_eq!(
            got,
            ["8 451,00 грн", "10 536,00 грн", "9 984,00 грн", "7 785,00 грн"]
        );
        // 31 December 2025 is still under the 2025 row.
        let d = determine(&mins, &mults, PaymentCategory::WorkingAge, date(2025, 12, 31)).unwrap();
        assert_eq!((d.minimums_id, d.factor), (2, 3));
        // Before every row: nothing to determine the amount with.
        assert!(determine(&mins, &mults, PaymentCategory::WorkingAge, date(2023, 5, 1)).is_none());
    }

    #[test]
    fn the_category_follows_the_age_on_the_application_date() {
        let birth = date(2020, 3, 12);
        assert_eq!(
            category_on(birth, date(2026, 3, 12), false),
            PaymentCategory::Child6to18
        );
        assert_eq!(
            category_on(birth, date(2026, 3, 11), false),
            PaymentCategory::Under6
        );
        let birth = date(2008, 3, 12);
        assert_eq!(
            category_on(birth, date(2026, 3, 11), false),
            PaymentCategory::Child6to18
        );
        assert_eq!(
            category_on(birth, date(2026, 3, 12), false),
            PaymentCategory::WorkingAge
        );
        assert_eq!(
            category_on(birth, date(2026, 3, 12), true),
            PaymentCategory::LostAbility
        );
        // A child is in a child's category whatever is ticked.
        assert_eq!(
            category_on(date(2015, 1, 1), date(2026, 3, 12), true),
            PaymentCategory::Child6to18
        );
        // Born on 29 February: 6 on 1 March of a common year.
        let leap = date(2020, 2, 29);
        assert_eq!(
            category_on(leap, date(2026, 2, 28), false),
            PaymentCategory::Under6
        );
        assert_eq!(
            category_on(leap, date(2026, 3, 1), false),
            PaymentCategory::Child6to18
        );
    }

    #[test]
    fn a_later_row_changes_no_earlier_determination() {
        let (mut mins, mults) = tables();
        let before = determine(&mins, &mults, PaymentCategory::Under6, date(2026, 2, 1)).unwrap();
        mins.push(Minimums {
            id: 4,
            effective_from: date(2026, 7, 1),
            under_6: Money::from_hryvnias(3000),
            child_6_18: Money::from_hryvnias(3700),
            working_age: Money::from_hryvnias(3500),
            lost_ability: Money::from_hryvnias(2700),
        });
        assert_eq!(
            determine(&mins, &mults, PaymentCategory::Under6, date(2026, 2, 1)).unwrap(),
            before
        );
        assert_eq!(
            uah(
                determine(&mins, &mults, PaymentCategory::Under6, date(2026, 7, 1))
                    .unwrap()
                    .amount
            ),
            "9 000,00 грн"
        );
    }

    #[test]
    fn states_and_due_date() {
        use PaymentAction as A;
        use PaymentState as S;
        assert_eq!(S::Applied.apply(A::Pay), None);
        assert_eq!(S::Applied.apply(A::Approve), Some(S::Approved));
        assert_eq!(S::Approved.apply(A::Pay), Some(S::Paid));
        assert!(S::Paid.actions().is_empty() && S::Refused.actions().is_empty());
        assert_eq!(due_on(date(2026, 1, 31)), date(2026, 2, 28));
        assert_eq!(due_on(date(2026, 3, 12)), date(2026, 4, 12));
    }

    #[test]
    fn a_representative_is_recorded_with_the_document_of_authority() {
        let today = date(2026, 3, 12);
        let f = ApplicationForm {
            applied_on: "2026-03-12".into(),
            applicant: "representative".into(),
            representative_name: "Петренко Ганна Іванівна".into(),
            ..Default::default()
        };
        let e = f.validate(today, Some(date(2026, 3, 1))).unwrap_err();
        assert_eq!(e.get("representative_document"), Some("err-required"));
        let f = ApplicationForm {
            applied_on: "2026-02-27".into(),
            representative_document: "Рішення органу опіки № 15 від 02.02.2026".into(),
            ..f
        };
        assert_eq!(
            f.validate(today, Some(date(2026, 3, 1)))
                .unwrap_err()
                .get("applied_on"),
            Some("err-payment-before-status")
        );
        let f = ApplicationForm {
            applied_on: "2026-03-02".into(),
            ..f
        };
        assert!(f.validate(today, Some(date(2026, 3, 1))).is_ok());
        let refuse = StepForm {
            on: "2026-03-12".into(),
            grounds: "Подано повторно".into(),
            ..Default::default()
        };
        assert_eq!(
            refuse
                .validate(PaymentAction::Refuse, today, date(2026, 3, 2))
                .unwrap_err()
                .get("appeal_notice"),
            Some("err-required")
        );
    }
}
