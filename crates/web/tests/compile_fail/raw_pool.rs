// Neither the raw pool nor the crate-internal accessor is reachable.
fn raw(db: &store::Db) {
    let _a = db.raw_pool();
    let _b = db.pool();
}

fn main() {}
