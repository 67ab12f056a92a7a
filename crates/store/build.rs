fn main() {
    // Embedded migrations: rebuild when they change.
    println!("cargo:rerun-if-changed=migrations");
}
