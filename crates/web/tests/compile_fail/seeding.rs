// Demo and benchmark seeding act as the system and live in their own crate,
// which the web crate does not depend on; the store ships none of it.
fn main() {
    let _ = seed::demo::load;
    let _ = store::demo::load;
}
