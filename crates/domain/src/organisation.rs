//! Organisations (суб'єкти взаємодії) and the named bodies they form
//! (coordination councils, multidisciplinary groups).

use crate::edrpou::{Edrpou, EdrpouError};
use crate::validation::{FieldErrors, looks_like_email, looks_like_phone, max_chars, optional, required};
use std::fmt;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// What kind of body an organisation is. Stored as its string; shown through i18n (`org-kind-…`).
    OrgKind {
        Ministry => "ministry",
        OblastAdministration => "oblast_administration",
        SocialProtectionDepartment => "social_protection_department",
        EducationDepartment => "education_department",
        HealthDepartment => "health_department",
        CultureDepartment => "culture_department",
        InformationDepartment => "information_department",
        RaionAdministration => "raion_administration",
        Police => "police",
        ChildrenService => "children_service",
        SocialServicesCentre => "social_services_centre",
        LegalAidCentre => "legal_aid_centre",
        EmploymentCentre => "employment_centre",
        TrainingCentre => "training_centre",
        LabourInspectorate => "labour_inspectorate",
        MigrationService => "migration_service",
        HromadaCouncil => "hromada_council",
        Ngo => "ngo",
        InternationalOrganisation => "international_organisation",
    }
}

string_enum! {
    /// Named bodies with member organisations.
    BodyKind {
        CoordinationCouncil => "coordination_council",
        MultidisciplinaryGroup => "multidisciplinary_group",
    }
}

/// What a person typed into the organisation form, as text.
#[derive(Debug, Clone, Default)]
pub struct OrganisationForm {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub territory_id: String,
    pub edrpou: String,
    pub by_consent: bool,
    pub email: String,
    pub phone: String,
    pub address: String,
    /// Shown in the public directory of help (`/help/directory`).
    pub public_listing: bool,
    /// What the organisation offers people, as the public directory says it.
    pub public_offer: String,
}

/// The longest text of what an organisation offers in the public directory.
pub const PUBLIC_OFFER_MAX: usize = 1000;

/// A validated organisation, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInput {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub territory_id: i64,
    pub edrpou: Option<Edrpou>,
    pub by_consent: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub public_listing: bool,
    pub public_offer: Option<String>,
}

impl OrganisationForm {
    /// Parses the form; every problem is reported against its field.
    pub fn validate(&self) -> Result<OrganisationInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required(&mut e, "name", &self.name);
        max_chars(&mut e, "name", &name, 300);
        let short_name = optional(&self.short_name);
        if let Some(s) = &short_name {
            max_chars(&mut e, "short_name", s, 100);
        }
        let kind = match optional(&self.kind) {
            None => {
                e.add("kind", "err-required");
                None
            }
            Some(k) => OrgKind::parse(&k).or_else(|| {
                e.add("kind", "err-invalid-choice");
                None
            }),
        };
        let territory_id = match optional(&self.territory_id) {
            None => {
                e.add("territory_id", "err-required");
                None
            }
            Some(t) => t.parse::<i64>().ok().or_else(|| {
                e.add("territory_id", "err-invalid-choice");
                None
            }),
        };
        let edrpou = optional(&self.edrpou).and_then(|code| match Edrpou::parse(&code) {
            Ok(v) => Some(v),
            Err(EdrpouError::Shape) => {
                e.add("edrpou", "err-edrpou-shape");
                None
            }
            Err(EdrpouError::CheckDigit) => {
                e.add("edrpou", "err-edrpou-check");
                None
            }
        });
        let email = optional(&self.email);
        if let Some(m) = &email {
            if !looks_like_email(m) {
                e.add("email", "err-email");
            }
            max_chars(&mut e, "email", m, 200);
        }
        let phone = optional(&self.phone);
        if phone.as_deref().is_some_and(|p| !looks_like_phone(p)) {
            e.add("phone", "err-phone");
        }
        let address = optional(&self.address);
        if let Some(a) = &address {
            max_chars(&mut e, "address", a, 500);
        }
        let public_offer = optional(&self.public_offer);
        if let Some(o) = &public_offer {
            max_chars(&mut e, "public_offer", o, PUBLIC_OFFER_MAX);
        }
        // A listing with nothing to say, or with no way to reach anyone, helps nobody.
        if self.public_listing {
            if public_offer.is_none() {
                e.add("public_offer", "err-public-offer-required");
            }
            if phone.is_none() && email.is_none() && address.is_none() {
                e.add("public_listing", "err-public-contact-required");
            }
        }
        match (kind, territory_id) {
            (Some(kind), Some(territory_id)) if e.is_empty() => Ok(OrganisationInput {
                name,
                short_name,
                kind,
                territory_id,
                edrpou,
                by_consent: self.by_consent,
                email,
                phone,
                address,
                public_listing: self.public_listing,
                public_offer,
            }),
            _ => Err(e),
        }
    }
}

/// The text used to sort and search organisation names: lower case, single spaces,
/// apostrophe variants unified (ʼ ’ ' are all written in Ukrainian names).
pub fn sort_key(name: &str) -> String {
    let unified: String = name
        .chars()
        .map(|c| match c {
            'ʼ' | '’' | '`' | '‘' => '\'',
            '«' | '»' | '"' | '“' | '”' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    unified.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> OrganisationForm {
        OrganisationForm {
            name: "  Полтавський обласний центр зайнятості ".into(),
            short_name: "ПОЦЗ".into(),
            kind: "employment_centre".into(),
            territory_id: "2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_public_listing_needs_an_offer_and_a_way_to_reach_it() {
        let mut f = form();
        f.public_listing = true;
        let e = f.validate().err().unwrap_or_default();
        assert!(e.get("public_offer").is_some() && e.get("public_listing").is_some());
        f.public_offer = "Консультації юриста".into();
        f.phone = "+380 53 222 33 44".into();
        let o = f.validate();
        assert!(o.as_ref().is_ok_and(|o| o.public_listing), "{o:?}");
        f.public_offer = "x".repeat(PUBLIC_OFFER_MAX + 1);
        assert!(
            f.validate()
                .err()
                .is_some_and(|e| e.get("public_offer").is_some())
        );
        // Not listed: an offer may be kept without contacts.
        let mut g = form();
        g.public_offer = "Притулок".into();
        assert!(g.validate().is_ok());
    }

    #[test]
    fn a_complete_form_validates_and_trims() {
        let o = form().validate();
        assert_eq!(
            o.as_ref().map(|o| o.name.as_str()),
            Ok("Полтавський обласний центр зайнятості")
        );
        assert_eq!(o.map(|o| o.kind), Ok(OrgKind::EmploymentCentre));
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = OrganisationForm {
            name: " ".into(),
            kind: "bakery".into(),
            territory_id: "".into(),
            edrpou: "1234".into(),
            email: "not-an-email".into(),
            phone: "call me".into(),
            ..Default::default()
        };
        let e = f.validate().err().unwrap_or_default();
        assert_eq!(e.get("name"), Some("err-required"));
        assert_eq!(e.get("kind"), Some("err-invalid-choice"));
        assert_eq!(e.get("territory_id"), Some("err-required"));
        assert_eq!(e.get("edrpou"), Some("err-edrpou-shape"));
        assert_eq!(e.get("email"), Some("err-email"));
        assert_eq!(e.get("phone"), Some("err-phone"));
    }

    #[test]
    fn edrpou_with_wrong_check_digit_has_its_own_message() {
        let f = OrganisationForm {
            edrpou: "14360571".into(),
            ..form()
        };
        assert_eq!(
            f.validate().err().and_then(|e| e.get("edrpou")),
            Some("err-edrpou-check")
        );
    }

    #[test]
    fn sort_key_unifies_case_quotes_and_apostrophes() {
        assert_eq!(sort_key("БО «Світло  надії»"), sort_key("бо світло надії"));
        assert_eq!(
            sort_key("Департамент охорони здоровʼя"),
            sort_key("департамент охорони здоров'я")
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(
            BodyKind::parse("multidisciplinary_group"),
            Some(BodyKind::MultidisciplinaryGroup)
        );
    }
}
