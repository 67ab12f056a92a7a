//! Reference data: the territory tree (`territories`, KATOTTG-coded, a
//! materialised path per territory) and the forms of exploitation (`forms`,
//! loaded at migration from `data/reference/exploitation_forms.csv`) and the
//! hotlines (`hotlines`, compiled in for the public pages). It sits
//! below every aggregate; the reads a page makes of it without a check are in
//! `lookups`.

pub mod forms;
pub mod hotlines;
sql_mod!(territories);

pub use forms::ExploitationForm;
pub use hotlines::{Hotline, hotlines};
pub use territories::Territory;
