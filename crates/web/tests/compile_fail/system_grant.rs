// `Principal::System` needs a `SystemGrant`, whose field is private to the store.
fn main() {
    let _p = store::Principal::System(store::SystemGrant(()));
}
