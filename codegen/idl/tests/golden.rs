//! The committed generated files must be what the IDL gives today.
//! `bin/generate` (RR_BLESS=1) rewrites them; review their diff like code.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(&manifest_dir()).join("../..")
}

/// (IDL dir, golden expansion, golden RBS), all relative to the repo root.
const SETS: &[(&str, &str, &str)] = &[
    ("idl", "codegen/tests/expanded/rusty_racer.rs", "gem/sig/rusty_racer.rbs"),
    (
        "codegen/tests/fixture/idl",
        "codegen/tests/expanded/fixture.rs",
        "codegen/tests/fixture/sig/rusty_racer_fixture.rbs",
    ),
];

fn check(path: &str, want: &str, stale: &mut Vec<String>) {
    let full = repo().join(path);
    if std::env::var_os("RR_BLESS").is_some() {
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&full).unwrap_or_default();
    if have != want {
        let first = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(have.lines().count().min(want.lines().count()));
        stale.push(format!(
            "{path} differs from what the IDL gives (first at line {}):\n  committed: {:?}\n  generated: {:?}",
            first + 1,
            have.lines().nth(first).unwrap_or("<end of file>"),
            want.lines().nth(first).unwrap_or("<end of file>"),
        ));
    }
}

#[test]
fn generated_files_match_the_idl() {
    let mut stale = Vec::new();
    for (dir, expanded, rbs) in SETS {
        let api = rr_idl::load_dir(&repo().join(dir), dir).unwrap_or_else(|e| panic!("{e}"));
        check(expanded, &rr_idl::expanded(&api, dir).unwrap(), &mut stale);
        check(rbs, &rr_idl::rbs(&api, dir), &mut stale);
        if *dir == "idl" {
            check("doc/api.md", &rr_idl::docs(&api, dir), &mut stale);
        }
    }
    assert!(stale.is_empty(), "{}\n\nRun bin/generate to regenerate them, then review the diff.", stale.join("\n\n"));
}

/// This package's directory, read when the test runs: a test binary reused
/// from another checkout (a shared target dir) must still read this one.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
