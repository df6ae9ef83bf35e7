// The glue is generated from every file in ../idl (`idl!`); the macro's
// include_bytes! notices edits to them, this notices a file added or removed.
// V8's reads of the thread's stack bounds go to runtime/src/stack.rs, which
// answers for the Fiber in use (a Fiber's stack is not the thread's).
fn main() {
    println!("cargo:rerun-if-changed=../idl");
    for symbol in ["_ZN2v84base5Stack13GetStackStartEv", "_ZN2v84base5Stack21GetReservedStackLimitEv"] {
        println!("cargo:rustc-link-arg-cdylib=-Wl,--wrap={symbol}");
    }
}
