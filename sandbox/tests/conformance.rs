//! Rule: a schemathesis conformance run against the running sandbox, no failures.
//! Runs sandbox/conformance.sh (schemathesis 4.32.5 from target/venv, created by
//! scripts/setup.sh). Fails, with the command to fix it, when the tool is missing.
mod common;
use common::*;
use std::process::Command;

#[test]
fn schemathesis_conformance_run_has_no_failures() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let st = format!("{root}/target/venv/bin/schemathesis");
    assert!(
        std::path::Path::new(&st).exists(),
        "{st} is missing: run scripts/setup.sh, or python3 -m venv target/venv && target/venv/bin/pip install schemathesis==4.32.5"
    );
    let sb = Sandbox::start(); // high --rpm / --ip-rpm
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/conformance.sh"))
        .arg(&sb.url)
        .output()
        .expect("run conformance.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "schemathesis failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("passed"), "{stdout}");
}
