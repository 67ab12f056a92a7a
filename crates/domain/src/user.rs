//! Staff accounts: logins, names, password rules.

use crate::role::{Role, RoleSet};
use crate::validation::{FieldErrors, looks_like_email, max_chars, optional, required};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A login: 3–64 characters of lower-case Latin letters, digits, `.`, `_`, `-`.
pub fn normalise_login(input: &str) -> Option<String> {
    let s = input.trim().to_ascii_lowercase();
    let ok = (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(s)
}

/// Checks a new password; returns the i18n message id of the first problem.
pub fn check_password(password: &str, login: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err("err-password-short");
    }
    if n > MAX_PASSWORD_CHARS {
        return Err("err-too-long");
    }
    let lower = password.to_lowercase();
    if !login.is_empty() && lower.contains(&login.to_lowercase()) {
        return Err("err-password-login");
    }
    if password.chars().collect::<std::collections::BTreeSet<_>>().len() < 5 {
        return Err("err-password-weak");
    }
    Ok(())
}

/// What an administrator typed into the new-user form.
#[derive(Debug, Clone, Default)]
pub struct UserForm {
    pub login: String,
    pub full_name: String,
    pub email: String,
    pub org_id: String,
    pub roles: Vec<String>,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct UserInput {
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub org_id: i64,
    pub roles: RoleSet,
}

/// Parses the roles ticked on a form, reporting problems against `roles`.
pub fn parse_roles(errors: &mut FieldErrors, raw: &[String]) -> Option<RoleSet> {
    let mut roles = Vec::new();
    for r in raw {
        match Role::parse(r) {
            Some(role) => roles.push(role),
            None => {
                errors.add("roles", "err-invalid-choice");
                return None;
            }
        }
    }
    match RoleSet::new(roles) {
        Ok(set) => Some(set),
        Err(e) => {
            errors.add("roles", e.message_id());
            None
        }
    }
}

impl UserForm {
    /// Validates everything but the password, which `check_password` covers
    /// (it is hashed separately, off the async runtime).
    pub fn validate(&self, with_password: bool) -> Result<UserInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let login = normalise_login(&self.login);
        if self.login.trim().is_empty() {
            e.add("login", "err-required");
        } else if login.is_none() {
            e.add("login", "err-login-shape");
        }
        let full_name = required(&mut e, "full_name", &self.full_name);
        max_chars(&mut e, "full_name", &full_name, 200);
        let email = optional(&self.email);
        if email.as_deref().is_some_and(|m| !looks_like_email(m)) {
            e.add("email", "err-email");
        }
        let org_id = self.org_id.trim().parse::<i64>().ok();
        if self.org_id.trim().is_empty() {
            e.add("org_id", "err-required");
        } else if org_id.is_none() {
            e.add("org_id", "err-invalid-choice");
        }
        let roles = parse_roles(&mut e, &self.roles);
        if let (true, Err(m)) = (
            with_password,
            check_password(&self.password, login.as_deref().unwrap_or("")),
        ) {
            e.add("password", m);
        }
        match (login, org_id, roles) {
            (Some(login), Some(org_id), Some(roles)) if e.is_empty() => Ok(UserInput {
                login,
                full_name,
                email,
                org_id,
                roles,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_lower_case_latin() {
        assert_eq!(normalise_login(" O.Petrenko "), Some("o.petrenko".into()));
        assert_eq!(normalise_login("ab"), None);
        assert_eq!(normalise_login("петренко"), None);
        assert_eq!(normalise_login("a b c"), None);
    }

    #[test]
    fn password_rules() {
        assert_eq!(check_password("short", "x"), Err("err-password-short"));
        assert_eq!(
            check_password("my-login-is-petrenko", "petrenko"),
            Err("err-password-login")
        );
        assert_eq!(check_password("aaaaaaaaaaaaaaaa", "x"), Err("err-password-weak"));
        assert_eq!(check_password("тиха-вода-греблю-рве", "petrenko"), Ok(()));
    }

    #[test]
    fn user_form_reports_each_field() {
        let f = UserForm {
            login: "Я".into(),
            full_name: "".into(),
            email: "x".into(),
            org_id: "".into(),
            roles: vec!["administrator".into(), "case_officer".into()],
            password: "123".into(),
        };
        let e = f.validate(true).err().unwrap_or_default();
        assert_eq!(e.get("login"), Some("err-login-shape"));
        assert_eq!(e.get("full_name"), Some("err-required"));
        assert_eq!(e.get("email"), Some("err-email"));
        assert_eq!(e.get("org_id"), Some("err-required"));
        assert_eq!(e.get("roles"), Some("err-roles-admin-cases"));
        assert_eq!(e.get("password"), Some("err-password-short"));
    }
}
