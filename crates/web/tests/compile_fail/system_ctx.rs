// The system's context exists only with the store's `system` feature.
fn main() {
    let _ctx = store::Ctx::system(0);
}
