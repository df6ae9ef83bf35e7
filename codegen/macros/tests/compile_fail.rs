//! A malformed IDL must be a compile error that names the file, line, class
//! and method: never a panic, never silently accepted. Each case under
//! `codegen/tests/compile_fail/<case>/` is an IDL directory with one
//! mistake and `expected.txt`, the text the error must contain. Each case is
//! compiled as its own binary in a scratch crate that uses the macro.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn malformed_idl_is_a_compile_error() {
    let here = PathBuf::from(manifest_dir());
    let cases_dir = here.join("../tests/compile_fail").canonicalize().unwrap();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compile_fail");
    std::fs::create_dir_all(scratch.join("src/bin")).unwrap();
    let macros = here.canonicalize().unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"rr-compile-fail\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nrr-idl-macros = {{ path = {:?} }}\n\n[workspace]\n",
            macros.to_string_lossy()
        ),
    )
    .unwrap();
    // The workspace's lock file keeps the scratch crate on the same versions, offline.
    let _ = std::fs::copy(here.join("../../Cargo.lock"), scratch.join("Cargo.lock"));

    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&cases_dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 6, "expected the compile-fail cases in {}", cases_dir.display());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        std::fs::write(
            scratch.join(format!("src/bin/{name}.rs")),
            format!("rr_idl_macros::idl!({:?});\nfn main() {{}}\n", case.to_string_lossy()),
        )
        .unwrap();
    }
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let out = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline", "--message-format=short", "--bin", &name])
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        if out.status.success() {
            failures.push(format!("{name}: compiled, but the IDL is malformed"));
        } else if stderr.contains("panicked") {
            failures.push(format!("{name}: the macro panicked:\n{stderr}"));
        } else {
            for line in expected.lines().filter(|l| !l.trim().is_empty()) {
                if !stderr.contains(line.trim()) {
                    failures.push(format!("{name}: the error does not contain\n  {line}\ngot:\n{stderr}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// This package's directory, read when the test runs: a test binary reused
/// from another checkout (a shared target dir) must still read this one.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
