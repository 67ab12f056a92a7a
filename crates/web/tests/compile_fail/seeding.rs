// Demo and benchmark seeding act as the system: not for web code.
fn main() {
    let _ = store::demo::load;
    let _ = store::bench::seed;
}
