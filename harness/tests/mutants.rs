//! `cosim mutants` end to end: a deliberately wrong RTL is built as a variant and a
//! check kills it, after the kill suite passed on the unmutated RTL.

mod common;

use common::*;

#[test]
fn the_catalogue_is_listed_and_an_unknown_mutant_is_refused() {
    let out = cosim(&["mutants", "--list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A header row and one row per mutant.
    let rows = stdout(&out).lines().filter(|l| l.starts_with("| ")).count();
    assert!(rows > 30, "{}", stdout(&out));

    let dir = scratch("mutants-unknown");
    let out = cosim(&[
        "mutants",
        "--only",
        "no-such-bug",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no mutant is called \"no-such-bug\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_arithmetic_shift_that_shifts_in_zeros_is_killed_by_the_lockstep() {
    let dir = scratch("mutants-sra");
    let out = cosim(&[
        "mutants",
        "--only",
        "sra-as-srl",
        "--out",
        dir.to_str().unwrap(),
        "--jobs",
        "2",
        "--quiet",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("mutants.json")).unwrap()).unwrap();
    let m = &json["mutants"][0];
    assert_eq!(m["mutant"], "sra-as-srl");
    assert_eq!(m["killed"], true);
    assert_eq!(m["killed_by"], "lockstep", "{m}");
    assert!(m["cycle"].as_u64().unwrap() > 0, "{m}");
    assert!(
        stdout(&out).contains("| sra-as-srl | lockstep |"),
        "{}",
        stdout(&out)
    );
}
