//! Every string a person reads goes through Fluent: Ukrainian first, English second.
//!
//! The message files live in `crates/web/i18n/{uk,en}/*.ftl` (main, plan, reporting, cases, procedure, settings, assistance, public) and are compiled
//! into the binary. A test checks that both languages define the same messages.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::Arc;
use unic_langid::langid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Uk,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "uk" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Uk => Lang::En,
            Lang::En => Lang::Uk,
        }
    }
}

pub const UK_FTL: &str = concat!(
    include_str!("../i18n/uk/main.ftl"),
    "\n",
    include_str!("../i18n/uk/plan.ftl"),
    "\n",
    include_str!("../i18n/uk/reporting.ftl"),
    "\n",
    include_str!("../i18n/uk/cases.ftl"),
    "\n",
    include_str!("../i18n/uk/procedure.ftl"),
    "\n",
    include_str!("../i18n/uk/settings.ftl"),
    "\n",
    include_str!("../i18n/uk/assistance.ftl"),
    "\n",
    include_str!("../i18n/uk/public.ftl")
);
pub const EN_FTL: &str = concat!(
    include_str!("../i18n/en/main.ftl"),
    "\n",
    include_str!("../i18n/en/plan.ftl"),
    "\n",
    include_str!("../i18n/en/reporting.ftl"),
    "\n",
    include_str!("../i18n/en/cases.ftl"),
    "\n",
    include_str!("../i18n/en/procedure.ftl"),
    "\n",
    include_str!("../i18n/en/settings.ftl"),
    "\n",
    include_str!("../i18n/en/assistance.ftl"),
    "\n",
    include_str!("../i18n/en/public.ftl")
);

pub struct I18n {
    uk: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, src: &str) -> anyhow::Result<FluentBundle<FluentResource>> {
    let res = FluentResource::try_new(src.to_string()).map_err(|(_, errs)| {
        anyhow::anyhow!(
            "{lang}: {} Fluent syntax errors, first: {:?}",
            errs.len(),
            errs.first()
        )
    })?;
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: they show up in plain-text exports and titles.
    b.set_use_isolating(false);
    b.add_resource(res)
        .map_err(|e| anyhow::anyhow!("duplicate Fluent messages: {e:?}"))?;
    Ok(b)
}

impl I18n {
    pub fn load() -> anyhow::Result<Self> {
        Ok(Self {
            uk: bundle(langid!("uk"), UK_FTL)?,
            en: bundle(langid!("en"), EN_FTL)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Uk => &self.uk,
            Lang::En => &self.en,
        }
    }

    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let b = self.bundle(lang);
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(message_id = id, lang = lang.code(), "missing translation");
            return id.to_string();
        };
        let mut errors = Vec::new();
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }
}

/// The translator a page uses: the shared bundles plus this request's language.
#[derive(Clone)]
pub struct Tr {
    pub lang: Lang,
    i18n: Arc<I18n>,
}

impl Tr {
    pub fn new(i18n: Arc<I18n>, lang: Lang) -> Self {
        Self { lang, i18n }
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.i18n.format(self.lang, id, None)
    }

    /// A message with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl ToString) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.i18n.format(self.lang, id, Some(&args))
    }

    /// A message with several arguments.
    pub fn args(&self, id: &str, args: &FluentArgs<'_>) -> String {
        self.i18n.format(self.lang, id, Some(args))
    }

    /// A message with one numeric argument (for plurals).
    pub fn tn(&self, id: &str, name: &str, value: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value));
        self.i18n.format(self.lang, id, Some(&args))
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(|s| s.trim().to_string()))
            .collect()
    }

    #[test]
    fn both_languages_load_and_define_the_same_messages() {
        assert!(I18n::load().is_ok());
        let uk = ids(UK_FTL);
        let en = ids(EN_FTL);
        let only_uk: Vec<_> = uk.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&uk).collect();
        assert!(
            only_uk.is_empty() && only_en.is_empty(),
            "uk only: {only_uk:?}; en only: {only_en:?}"
        );
    }

    #[test]
    fn every_role_kind_and_audit_action_has_a_name_in_both_languages() {
        let i = I18n::load().expect("bundles load");
        let mut ids: Vec<String> = Vec::new();
        ids.extend(
            domain::role::Role::ALL
                .iter()
                .map(|r| format!("role-{}", r.as_str())),
        );
        ids.extend(
            domain::organisation::OrgKind::ALL
                .iter()
                .map(|k| format!("org-kind-{}", k.as_str())),
        );
        ids.extend(
            domain::audit::AuditAction::ALL
                .iter()
                .map(|a| format!("audit-action-{}", a.as_str())),
        );
        for lang in [Lang::Uk, Lang::En] {
            for id in &ids {
                assert_ne!(i.format(lang, id, None), *id, "{id} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn ukrainian_is_the_default() {
        assert_eq!(Lang::default(), Lang::Uk);
    }
}
