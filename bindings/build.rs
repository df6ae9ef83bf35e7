// The glue is generated from every file in ../idl (`idl!`); the macro's
// include_bytes! notices edits to them, this notices a file added or removed.
fn main() {
    println!("cargo:rerun-if-changed=../idl");
}
