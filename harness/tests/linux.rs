//! Linux 6.12 on the RTL (`cosim linux`): the kernel scripts/setup built boots under
//! OpenSBI with the device tree cosim generates, probes the device-dax namespace,
//! builds its optimized vmemmap with its own code, and init's pattern test passes;
//! the harness then walks the kernel's page tables and struct pages itself. The
//! translation and counter checks are on.

use std::process::Command;

#[test]
fn linux_boots_to_init_and_builds_an_optimized_vmemmap() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("linux.json");
    let out = Command::new(env!("CARGO_BIN_EXE_cosim"))
        .args([
            "linux",
            "--quiet",
            "--check-counters",
            "--align=2M",
            "--map=mem",
        ])
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{stdout}");
    assert!(stdout.contains("Run /init as init process"), "{stdout}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let linux = &v["linux"];
    assert_eq!(linux["init"]["ok"], true, "{linux}");
    assert_eq!(linux["init"]["pages"], 512);
    assert_eq!(linux["init"]["mismatches"], 0);
    // 256 MiB at 2 MiB: 128 compound pages of 8 vmemmap pages each, 2 kept per
    // compound page (the head page and the first tail page's frame).
    let census = &linux["vmemmap"]["census"];
    assert_eq!(census["mappings_4k"], 1024, "{census}");
    assert_eq!(census["mappings_2m"], 0);
    assert_eq!(census["data_frames"], 256);
    assert_eq!(linux["vmemmap"]["struct_pages_checked"], 65536);
    // The milestones come in boot order.
    let milestones = linux["milestones"].as_array().unwrap();
    let names: Vec<&str> = milestones
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for name in [
        "kernel entry",
        "start_kernel",
        "dev_dax_probe",
        "vmemmap_populate_address",
        "memmap_init_zone_device",
        "first user instruction",
        "power-off",
    ] {
        assert!(names.contains(&name), "no milestone {name}: {names:?}");
    }
    let cycles: Vec<u64> = milestones
        .iter()
        .map(|m| m["cycle"].as_u64().unwrap())
        .collect();
    assert!(cycles.windows(2).all(|w| w[0] <= w[1]), "{milestones:?}");
    // The population goes through vmemmap_populate_address once per vmemmap page.
    let functions = linux["functions"].as_array().unwrap();
    let populate = functions
        .iter()
        .find(|f| f["name"] == "vmemmap_populate_address")
        .expect("vmemmap_populate_address ran");
    assert_eq!(populate["calls"], 1024);
    assert!(populate["instret"].as_u64().unwrap() > 0);
    assert_eq!(v["checks"]["counter_check"]["agrees"], true);
    assert!(v["checks"]["translations_checked"].as_u64().unwrap() > 100);
}
