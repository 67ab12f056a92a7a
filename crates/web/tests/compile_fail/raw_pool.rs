// Neither the raw pool, nor the crate-internal accessor, nor a transaction of
// one's own (which would run the SQL modules' functions) is reachable.
async fn raw(db: &store::Db) {
    let _a = db.raw_pool();
    let _b = db.pool();
    let _c = db.begin().await;
    let _d = db.begin_system().await;
}

fn main() {}
