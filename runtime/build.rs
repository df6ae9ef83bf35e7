// The runtime's tests link V8 with its stack-bound reads routed to
// stack.rs, as bindings/build.rs does for the extension. (The gem copies
// the runtime without its tests, and without this file.)
fn main() {
    if std::path::Path::new("tests").is_dir() {
        for symbol in ["_ZN2v84base5Stack13GetStackStartEv", "_ZN2v84base5Stack21GetReservedStackLimitEv"] {
            println!("cargo:rustc-link-arg-tests=-Wl,--wrap={symbol}");
        }
    }
}
