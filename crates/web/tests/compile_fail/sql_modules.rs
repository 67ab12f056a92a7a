// The SQL behind the checked operations is crate-private without the store's
// `system` feature: web code reaches data only through the checked operations.
fn main() {
    let _ = store::organisations::rows::LIST_SELECT;
    let _ = store::cases::rows::CASE_SELECT;
    let _ = store::rules::HOLIDAY;
    let _ = store::reference::territories::path_range;
}
