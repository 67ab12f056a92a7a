//! Cases of possible victims of trafficking (SPEC §3): the identification
//! notice, the case facts, the person's own data kept apart from them, and
//! referrals between organisations.
//!
//! Security role: the pseudonymous [`CaseRef`] is what statistics, partners,
//! URLs, exports and audit rows use; a person's name, birth date, documents and
//! contacts live in [`PersonInput`] and are stored in their own table.

use crate::organisation::string_enum;
use crate::plan::parse_date;
use crate::validation::{FieldErrors, max_chars, optional, required};
use jiff::civil::Date;
use std::fmt;

/// A case's pseudonymous reference: territory prefix, year, sequence, e.g. `UA53-2026-00017`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseRef(String);

impl CaseRef {
    /// `prefix` is `UA` and the oblast's two-digit code (`UA53` for Poltava), `UA00` when unknown.
    pub fn new(prefix: &str, year: i16, sequence: i64) -> Self {
        Self(format!("{prefix}-{year}-{sequence:05}"))
    }

    /// Accepts only the shape `UAnn-yyyy-nnnnn` (five or more digits), so a
    /// search box can never be used to look up anything but a reference.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.split('-');
        let (p, y, n) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = parts.next().is_none()
            && p.len() == 4
            && p.starts_with("UA")
            && p[2..].bytes().all(|b| b.is_ascii_digit())
            && y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && n.len() >= 5
            && n.bytes().all(|b| b.is_ascii_digit());
        ok.then_some(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_enum! {
    /// Where a case is in its life: a notice waiting for the responsible unit, an open case, a closed one.
    CaseState {
        Notice => "notice",
        Open => "open",
        Closed => "closed",
    }
}

string_enum! {
    Sex {
        Female => "female",
        Male => "male",
        Unknown => "unknown",
    }
}

string_enum! {
    /// How the person came to attention (SPEC §3).
    CameToAttention {
        Police => "police",
        Hotline => "hotline",
        Ngo => "ngo",
        EmploymentCentre => "employment_centre",
        Border => "border",
        SelfReferral => "self_referral",
        Other => "other",
    }
}

string_enum! {
    /// Where the exploitation took place.
    PlaceKind {
        Ukraine => "ukraine",
        Abroad => "abroad",
        Both => "both",
    }
}

string_enum! {
    /// Age groups of the statistics (children in two groups, adults in three).
    AgeGroup {
        Under6 => "0_5",
        Child6to13 => "6_13",
        Child14to17 => "14_17",
        Adult18to34 => "18_34",
        Adult35to59 => "35_59",
        Adult60Plus => "60_plus",
    }
}

impl AgeGroup {
    pub fn of(age: i32) -> AgeGroup {
        match age {
            ..=5 => AgeGroup::Under6,
            6..=13 => AgeGroup::Child6to13,
            14..=17 => AgeGroup::Child14to17,
            18..=34 => AgeGroup::Adult18to34,
            35..=59 => AgeGroup::Adult35to59,
            _ => AgeGroup::Adult60Plus,
        }
    }
}

/// Full years between a birth date and a day.
pub fn age_on(birth: Date, day: Date) -> i32 {
    let mut years = i32::from(day.year()) - i32::from(birth.year());
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0)
}

/// The oldest age this system accepts (a guard against typing errors).
const MAX_AGE: i32 = 110;

fn date_field(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let d = parse_date(v);
    if d.is_none() {
        errors.add(field, "err-date");
    }
    d
}

fn one_of<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "err-required");
        return None;
    }
    let t = parse(v);
    if t.is_none() {
        errors.add(field, "err-choice");
    }
    t
}

fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> Option<String> {
    max_chars(errors, field, value.trim(), max);
    optional(value)
}

/// The person's own data: kept in its own table, shown only to the unit and to
/// partners whose open referral shares it. Its form sends this very type.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub document: String,
    pub phone: String,
    pub email: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<Date>,
    pub document: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl PersonInput {
    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.surname, self.given_name);
        if let Some(p) = &self.patronymic {
            s.push(' ');
            s.push_str(p);
        }
        s
    }
}

impl PersonForm {
    /// `today` bounds the birth date: nobody is born in the future or more than 110 years ago.
    pub fn validate_into(&self, errors: &mut FieldErrors, today: Date) -> PersonInput {
        let surname = required(errors, "surname", &self.surname);
        max_chars(errors, "surname", &surname, 100);
        let given_name = required(errors, "given_name", &self.given_name);
        max_chars(errors, "given_name", &given_name, 100);
        let patronymic = text(errors, "patronymic", &self.patronymic, 100);
        let birth_date = date_field(errors, "birth_date", &self.birth_date);
        if let Some(b) = birth_date
            && (b > today || age_on(b, today) > MAX_AGE)
        {
            errors.add("birth_date", "err-birth-date");
        }
        let document = text(errors, "document", &self.document, 200);
        let phone = text(errors, "phone", &self.phone, 40);
        if phone
            .as_deref()
            .is_some_and(|p| !crate::validation::looks_like_phone(p))
        {
            errors.add("phone", "err-phone");
        }
        let email = text(errors, "email", &self.email, 200);
        if email
            .as_deref()
            .is_some_and(|e| !crate::validation::looks_like_email(e))
        {
            errors.add("email", "err-email");
        }
        let address = text(errors, "address", &self.address, 500);
        PersonInput {
            surname,
            given_name,
            patronymic,
            birth_date,
            document,
            phone,
            email,
            address,
        }
    }
}

/// What the identifying organisation records (SPEC §3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeForm {
    pub person: PersonForm,
    pub identified_on: String,
    /// The raion (or oblast) where the person stays: decides the responsible unit.
    pub territory_id: String,
    pub came_to_attention: String,
    pub forms: Vec<String>,
    pub is_child: bool,
    pub sex: String,
    pub age: String,
    pub citizenship: String,
    pub language: String,
    pub interpreter: bool,
    /// "yes" or "no": the person's consent to be referred.
    pub consent: String,
    pub circumstances: String,
}

/// A validated notice. Without consent an adult's notice carries no name,
/// birth date or contacts: the law allows passing on only what does not
/// identify the person, and the notice says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeInput {
    pub person: Option<PersonInput>,
    pub identified_on: Date,
    pub territory_id: i64,
    pub came_to_attention: CameToAttention,
    pub forms: Vec<String>,
    pub is_child: bool,
    pub sex: Sex,
    pub age: Option<i32>,
    pub citizenship: Option<String>,
    pub language: Option<String>,
    pub interpreter: bool,
    pub consent: bool,
    pub circumstances: Option<String>,
}

impl NoticeForm {
    /// `known_forms` is the reference list of forms of exploitation (data, not code).
    pub fn validate(&self, today: Date, known_forms: &[String]) -> Result<NoticeInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let identified_on = match date_field(&mut e, "identified_on", &self.identified_on) {
            Some(d) if d > today => {
                e.add("identified_on", "err-future-date");
                None
            }
            Some(d) => Some(d),
            None => {
                if self.identified_on.trim().is_empty() {
                    e.add("identified_on", "err-required");
                }
                None
            }
        };
        let territory_id = match self.territory_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                e.add("territory_id", "err-required");
                0
            }
        };
        let came = one_of(
            &mut e,
            "came_to_attention",
            &self.came_to_attention,
            CameToAttention::parse,
        );
        let sex = one_of(&mut e, "sex", &self.sex, Sex::parse);
        let forms = validate_forms(&mut e, &self.forms, known_forms);
        let consent = match self.consent.trim() {
            "yes" => true,
            "no" => false,
            "" => {
                e.add("consent", "err-required");
                false
            }
            _ => {
                e.add("consent", "err-choice");
                false
            }
        };
        let age = validate_age(&mut e, &self.age);
        let shares_identity = consent || self.is_child;
        let person = if shares_identity {
            let p = self.person.validate_into(&mut e, today);
            Some(p)
        } else {
            None
        };
        // The age follows from the birth date when there is one.
        let age = match (&person, identified_on) {
            (
                Some(PersonInput {
                    birth_date: Some(b), ..
                }),
                Some(d),
            ) => Some(age_on(*b, d)),
            _ => age,
        };
        if let Some(a) = age
            && self.is_child != (a < 18)
        {
            e.add("is_child", "err-child-age");
        }
        let citizenship = text(&mut e, "citizenship", &self.citizenship, 100);
        let language = text(&mut e, "language", &self.language, 100);
        if self.interpreter && language.is_none() {
            e.add("language", "err-language-for-interpreter");
        }
        let circumstances = text(&mut e, "circumstances", &self.circumstances, 4000);
        let input = NoticeInput {
            person,
            identified_on: identified_on.unwrap_or(today),
            territory_id,
            came_to_attention: came.unwrap_or(CameToAttention::Other),
            forms,
            is_child: self.is_child,
            sex: sex.unwrap_or(Sex::Unknown),
            age,
            citizenship,
            language,
            interpreter: self.interpreter,
            consent,
            circumstances,
        };
        e.into_result(input)
    }
}

fn validate_age(e: &mut FieldErrors, value: &str) -> Option<i32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i32>() {
        Ok(a) if (0..=MAX_AGE).contains(&a) => Some(a),
        _ => {
            e.add("age", "err-age");
            None
        }
    }
}

fn validate_forms(e: &mut FieldErrors, forms: &[String], known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in forms.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
        if !known.iter().any(|k| k == f) {
            e.add("forms", "err-choice");
        } else if !out.iter().any(|o| o == f) {
            out.push(f.to_string());
        }
    }
    out
}

/// The facts of an open case, as the responsible unit edits them — and as its
/// form sends them (the page reads this very type; checkboxes come as any
/// non-blank value, or not at all).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub sex: String,
    pub age: String,
    pub citizenship: String,
    pub language: String,
    #[serde(deserialize_with = "crate::validation::checkbox")]
    pub interpreter: bool,
    #[serde(deserialize_with = "crate::validation::checkbox")]
    pub idp: bool,
    #[serde(deserialize_with = "crate::validation::checkbox")]
    pub is_child: bool,
    pub legal_representative: String,
    pub forms: Vec<String>,
    pub place_kind: String,
    pub country: String,
    pub period_from: String,
    pub period_to: String,
    pub recruitment: String,
    pub came_to_attention: String,
    pub proceedings_ref: String,
    pub notes: String,
    /// The version the form was loaded at (optimistic locking).
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub sex: Sex,
    pub age: Option<i32>,
    pub citizenship: Option<String>,
    pub language: Option<String>,
    pub interpreter: bool,
    pub idp: bool,
    pub is_child: bool,
    pub legal_representative: Option<String>,
    pub forms: Vec<String>,
    pub place_kind: Option<PlaceKind>,
    pub country: Option<String>,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub recruitment: Option<String>,
    pub came_to_attention: CameToAttention,
    pub proceedings_ref: Option<String>,
    pub notes: Option<String>,
}

impl CaseForm {
    pub fn validate(&self, known_forms: &[String]) -> Result<(CaseFacts, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        let sex = one_of(&mut e, "sex", &self.sex, Sex::parse);
        let age = validate_age(&mut e, &self.age);
        if let Some(a) = age
            && self.is_child != (a < 18)
        {
            e.add("is_child", "err-child-age");
        }
        let citizenship = text(&mut e, "citizenship", &self.citizenship, 100);
        let language = text(&mut e, "language", &self.language, 100);
        if self.interpreter && language.is_none() {
            e.add("language", "err-language-for-interpreter");
        }
        let legal_representative = text(&mut e, "legal_representative", &self.legal_representative, 300);
        if self.is_child && legal_representative.is_none() {
            e.add("legal_representative", "err-representative-for-child");
        }
        let forms = validate_forms(&mut e, &self.forms, known_forms);
        let place_kind = match self.place_kind.trim() {
            "" => None,
            v => {
                let p = PlaceKind::parse(v);
                if p.is_none() {
                    e.add("place_kind", "err-choice");
                }
                p
            }
        };
        let country = text(&mut e, "country", &self.country, 100);
        if matches!(place_kind, Some(PlaceKind::Abroad | PlaceKind::Both)) && country.is_none() {
            e.add("country", "err-country-for-abroad");
        }
        let period_from = date_field(&mut e, "period_from", &self.period_from);
        let period_to = date_field(&mut e, "period_to", &self.period_to);
        if let (Some(f), Some(t)) = (period_from, period_to)
            && t < f
        {
            e.add("period_to", "err-date-order");
        }
        let recruitment = text(&mut e, "recruitment", &self.recruitment, 2000);
        let came = one_of(
            &mut e,
            "came_to_attention",
            &self.came_to_attention,
            CameToAttention::parse,
        );
        let proceedings_ref = text(&mut e, "proceedings_ref", &self.proceedings_ref, 100);
        let notes = text(&mut e, "notes", &self.notes, 8000);
        let version = self.version.trim().parse::<i64>().unwrap_or(0);
        let facts = CaseFacts {
            sex: sex.unwrap_or(Sex::Unknown),
            age,
            citizenship,
            language,
            interpreter: self.interpreter,
            idp: self.idp,
            is_child: self.is_child,
            legal_representative,
            forms,
            place_kind,
            country,
            period_from,
            period_to,
            recruitment,
            came_to_attention: came.unwrap_or(CameToAttention::Other),
            proceedings_ref,
            notes,
        };
        e.into_result((facts, version))
    }
}

// ---------------------------------------------------------------- referrals

string_enum! {
    /// Why a case is referred to an organisation.
    ReferralPurpose {
        PoliceRequest => "police_request",
        ChildrenService => "children_service",
        SocialServices => "social_services",
        LegalAid => "legal_aid",
        Employment => "employment",
        Shelter => "shelter",
        Medical => "medical",
        Psychological => "psychological",
        Other => "other",
    }
}

string_enum! {
    /// The parts of a case a referral may share. Everything else stays with the unit.
    SharedField {
        Name => "name",
        BirthDate => "birth_date",
        Contacts => "contacts",
        Address => "address",
        Document => "document",
        Facts => "facts",
        Notes => "notes",
    }
}

string_enum! {
    ReferralState {
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Answered => "answered",
        Closed => "closed",
    }
}

string_enum! {
    ReferralAction {
        Accept => "accept",
        Decline => "decline",
        Answer => "answer",
        Close => "close",
    }
}

string_enum! {
    /// What happened to a notice or a case, as its history (`case_events.kind`)
    /// records it: the notice's life, the case closed or reopened (named by the
    /// state it went to), and each referral step (`referral_` + the state it went to).
    CaseEventKind {
        Recorded => "recorded",
        Redirected => "redirected",
        Accepted => "accepted",
        Referred => "referred",
        Reopened => "open",
        Closed => "closed",
        ReferralAccepted => "referral_accepted",
        ReferralDeclined => "referral_declined",
        ReferralAnswered => "referral_answered",
        ReferralClosed => "referral_closed",
    }
}

/// Which side of a referral acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The responsible unit that sent it.
    Sender,
    /// The organisation it was sent to.
    Receiver,
}

impl ReferralState {
    /// While a referral is open its receiver sees the shared fields of the case.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::Accepted | Self::Answered)
    }

    /// The receiver accepts or declines a sent referral and answers an accepted
    /// one; either side closes an open one (the sender may withdraw it).
    pub fn apply(self, action: ReferralAction, side: Side) -> Option<ReferralState> {
        use ReferralAction as A;
        use ReferralState as S;
        match (self, action, side) {
            (S::Sent, A::Accept, Side::Receiver) => Some(S::Accepted),
            (S::Sent, A::Decline, Side::Receiver) => Some(S::Declined),
            (S::Accepted | S::Answered, A::Answer, Side::Receiver) => Some(S::Answered),
            (S::Sent | S::Accepted | S::Answered, A::Close, _) => Some(S::Closed),
            _ => None,
        }
    }
}

impl ReferralPurpose {
    /// The state after `action` on a referral of this purpose. A police request
    /// is answered once: its answer is the status procedure's police reply, so
    /// a second answer could not reach the procedure and the journal.
    pub fn next_state(
        self,
        state: ReferralState,
        action: ReferralAction,
        side: Side,
    ) -> Option<ReferralState> {
        if self == Self::PoliceRequest && state == ReferralState::Answered && action == ReferralAction::Answer
        {
            return None;
        }
        state.apply(action, side)
    }
}

/// A referral as the sender writes it (and its form sends it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    pub org_id: String,
    pub purpose: String,
    pub fields: Vec<String>,
    pub consent_ref: String,
    pub due_on: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralInput {
    pub org_id: i64,
    pub purpose: ReferralPurpose,
    pub fields: Vec<SharedField>,
    pub consent_ref: Option<String>,
    pub due_on: Option<Date>,
    pub message: Option<String>,
}

impl ReferralForm {
    /// A referral that shares identifying fields needs the person's consent
    /// on record (a reference to it), except a child's and a police request.
    pub fn validate(&self, today: Date, needs_consent: bool) -> Result<ReferralInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let org_id = match self.org_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                e.add("org_id", "err-required");
                0
            }
        };
        let purpose = one_of(&mut e, "purpose", &self.purpose, ReferralPurpose::parse);
        let mut fields = Vec::new();
        for f in &self.fields {
            match SharedField::parse(f.trim()) {
                Some(sf) if !fields.contains(&sf) => fields.push(sf),
                Some(_) => {}
                None => e.add("fields", "err-choice"),
            }
        }
        fields.sort();
        let consent_ref = text(&mut e, "consent_ref", &self.consent_ref, 200);
        let identifying = fields.iter().any(|f| *f != SharedField::Facts);
        if needs_consent
            && identifying
            && purpose != Some(ReferralPurpose::PoliceRequest)
            && consent_ref.is_none()
        {
            e.add("consent_ref", "err-consent-needed");
        }
        let due_on = date_field(&mut e, "due_on", &self.due_on);
        if due_on.is_some_and(|d| d < today) {
            e.add("due_on", "err-past-date");
        }
        let message = text(&mut e, "message", &self.message, 4000);
        e.into_result(ReferralInput {
            org_id,
            purpose: purpose.unwrap_or(ReferralPurpose::Other),
            fields,
            consent_ref,
            due_on,
            message,
        })
    }
}

/// A reason is required to decline a referral or redirect a notice.
pub fn validate_reason(field: &'static str, reason: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let r = required(&mut e, field, reason);
    max_chars(&mut e, field, &r, 2000);
    e.into_result(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn forms() -> Vec<String> {
        vec!["labour".into(), "sexual".into(), "other".into()]
    }

    fn notice() -> NoticeForm {
        NoticeForm {
            person: PersonForm {
                surname: "Вигаданенко".into(),
                given_name: "Оксана".into(),
                birth_date: "1990-04-02".into(),
                ..Default::default()
            },
            identified_on: "2026-11-20".into(),
            territory_id: "4".into(),
            came_to_attention: "hotline".into(),
            forms: vec!["labour".into()],
            sex: "female".into(),
            consent: "yes".into(),
            ..Default::default()
        }
    }

    #[test]
    fn references_have_one_shape() {
        let r = CaseRef::new("UA53", 2026, 17);
        assert_eq!(r.as_str(), "UA53-2026-00017");
        assert_eq!(CaseRef::parse(" ua53-2026-00017 "), Some(r));
        for bad in [
            "UA53-2026-17",
            "UA5-2026-00017",
            "Іваненко",
            "UA53-2026-00017-1",
            "",
        ] {
            assert_eq!(CaseRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ages_and_groups() {
        assert_eq!(age_on(date(2008, 11, 23), date(2026, 11, 22)), 17);
        assert_eq!(age_on(date(2008, 11, 23), date(2026, 11, 23)), 18);
        assert_eq!(AgeGroup::of(17), AgeGroup::Child14to17);
        assert_eq!(AgeGroup::of(18), AgeGroup::Adult18to34);
        assert_eq!(AgeGroup::of(5), AgeGroup::Under6);
    }

    #[test]
    fn a_notice_with_consent_keeps_the_person() {
        let n = notice().validate(date(2026, 11, 22), &forms()).unwrap();
        let p = n.person.unwrap();
        assert_eq!(p.full_name(), "Вигаданенко Оксана");
        assert_eq!(n.age, Some(36), "the age follows from the birth date");
        assert!(n.consent);
    }

    #[test]
    fn without_consent_an_adults_notice_carries_nothing_that_identifies() {
        let mut f = notice();
        f.consent = "no".into();
        f.person.surname.clear();
        f.age = "36".into();
        let n = f.validate(date(2026, 11, 22), &forms()).unwrap();
        assert_eq!(n.person, None);
        assert_eq!(n.age, Some(36));
    }

    #[test]
    fn a_childs_notice_needs_no_consent_but_keeps_the_child() {
        let mut f = notice();
        f.consent = "no".into();
        f.is_child = true;
        f.person.birth_date = "2012-01-05".into();
        let n = f.validate(date(2026, 11, 22), &forms()).unwrap();
        assert!(n.person.is_some());
        assert_eq!(n.age, Some(14));
    }

    #[test]
    fn notice_problems_are_named_by_field() {
        let mut f = notice();
        f.identified_on = "2026-12-01".into();
        f.forms = vec!["unknown".into()];
        f.person.given_name.clear();
        f.person.birth_date = "31.02.1990".into();
        f.is_child = true;
        f.consent = String::new();
        f.interpreter = true;
        let e = f.validate(date(2026, 11, 22), &forms()).unwrap_err();
        assert_eq!(e.get("identified_on"), Some("err-future-date"));
        assert_eq!(e.get("forms"), Some("err-choice"));
        assert_eq!(e.get("given_name"), Some("err-required"));
        assert_eq!(e.get("birth_date"), Some("err-date"));
        assert_eq!(e.get("consent"), Some("err-required"));
        assert_eq!(e.get("language"), Some("err-language-for-interpreter"));
    }

    #[test]
    fn child_flag_must_agree_with_age() {
        let mut f = notice();
        f.is_child = true;
        let e = f.validate(date(2026, 11, 22), &forms()).unwrap_err();
        assert_eq!(e.get("is_child"), Some("err-child-age"));
    }

    #[test]
    fn case_facts_check_abroad_child_and_period() {
        let f = CaseForm {
            sex: "male".into(),
            age: "15".into(),
            is_child: true,
            place_kind: "abroad".into(),
            period_from: "2026-05-01".into(),
            period_to: "2026-04-01".into(),
            came_to_attention: "police".into(),
            ..Default::default()
        };
        let e = f.validate(&forms()).unwrap_err();
        assert_eq!(e.get("country"), Some("err-country-for-abroad"));
        assert_eq!(
            e.get("legal_representative"),
            Some("err-representative-for-child")
        );
        assert_eq!(e.get("period_to"), Some("err-date-order"));
    }

    #[test]
    fn referral_transitions() {
        use ReferralAction as A;
        use ReferralState as S;
        assert_eq!(S::Sent.apply(A::Accept, Side::Receiver), Some(S::Accepted));
        assert_eq!(
            S::Sent.apply(A::Accept, Side::Sender),
            None,
            "the sender cannot accept for the receiver"
        );
        assert_eq!(S::Sent.apply(A::Answer, Side::Receiver), None, "accept first");
        assert_eq!(S::Accepted.apply(A::Answer, Side::Receiver), Some(S::Answered));
        assert_eq!(S::Declined.apply(A::Close, Side::Sender), None);
        assert_eq!(S::Closed.apply(A::Answer, Side::Receiver), None);
        assert_eq!(S::Answered.apply(A::Close, Side::Sender), Some(S::Closed));
        assert!(!S::Declined.is_open() && !S::Closed.is_open() && S::Answered.is_open());
        let police = ReferralPurpose::PoliceRequest;
        assert_eq!(
            police.next_state(S::Accepted, A::Answer, Side::Receiver),
            Some(S::Answered)
        );
        assert_eq!(
            police.next_state(S::Answered, A::Answer, Side::Receiver),
            None,
            "a police request is answered once"
        );
        assert_eq!(
            ReferralPurpose::Shelter.next_state(S::Answered, A::Answer, Side::Receiver),
            Some(S::Answered),
            "a service provider may add to its answer"
        );
    }

    #[test]
    fn identifying_fields_need_consent_except_for_the_police_request() {
        let mut f = ReferralForm {
            org_id: "9".into(),
            purpose: "legal_aid".into(),
            fields: vec!["name".into(), "facts".into()],
            ..Default::default()
        };
        let e = f.validate(date(2026, 11, 22), true).unwrap_err();
        assert_eq!(e.get("consent_ref"), Some("err-consent-needed"));
        f.purpose = "police_request".into();
        assert!(f.validate(date(2026, 11, 22), true).is_ok());
        f.purpose = "legal_aid".into();
        f.fields = vec!["facts".into()];
        assert!(
            f.validate(date(2026, 11, 22), true).is_ok(),
            "facts alone do not identify"
        );
    }
}
