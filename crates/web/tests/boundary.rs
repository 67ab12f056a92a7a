//! The web crate's boundary, kept by the compiler: code in this crate cannot
//! act as the system, reach the raw database pool, open a transaction of its
//! own, call the SQL modules behind the checked operations or call seeding.
//! Each file in `compile_fail/` is compiled as if it were web code (with the
//! web crate's dependencies and features) and must be refused, with the
//! error recorded beside it.

#[test]
fn web_code_cannot_act_as_the_system_or_reach_the_pool() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
}
