//! The interfaces that cross into C++ are described once, by the RTL: `soc_top`'s ports
//! (and `mmu_trace_t` behind the MMU ports). The cxx bridge structs
//! (harness/src/model/bridge.rs) and the shim that copies ports into them
//! (harness/src/model/shim_impl.h) must match them exactly: every port copied once,
//! into the field its name gives, of a type of its width; every field filled.

use std::collections::BTreeMap;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The width of a declaration's packed range: `[N-1:0]`, `[NAME-1:0]`, none = 1.
fn width(range: Option<&str>) -> u32 {
    let Some(range) = range else { return 1 };
    let msb = range
        .trim_matches(|c| c == '[' || c == ']')
        .split(':')
        .next()
        .unwrap();
    let msb = msb
        .trim()
        .strip_suffix("-1")
        .map_or_else(|| msb.trim(), str::trim);
    let bits = match msb {
        "XLEN" => 64,
        "AXI_ID_W" => 4,
        "HPM_EVENTS" => 32,
        n => n
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("unknown width {range}")),
    };
    if range.contains("-1") {
        bits
    } else {
        bits + 1
    }
}

/// `name -> (direction, width)` of soc_top's ports.
fn soc_ports() -> BTreeMap<String, (String, u32)> {
    let text = read("rtl/soc/soc_top.sv");
    let body = &text[text.find(") (").expect("port list")..text.find(");").expect("port list end")];
    let mut ports = BTreeMap::new();
    for line in body.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        let dir = match words.next() {
            Some(d @ ("input" | "output")) => d.to_string(),
            _ => continue,
        };
        let rest: Vec<&str> = words.filter(|w| *w != "logic").collect();
        let (range, name) = match rest.as_slice() {
            [name, ..] if !name.starts_with('[') => (None, *name),
            [range, name, ..] => (Some(*range), *name),
            _ => panic!("cannot read port `{line}`"),
        };
        let name = name.trim_end_matches(',').to_string();
        ports.insert(name, (dir, width(range)));
    }
    ports
}

/// `struct name -> field -> rust type` of the bridge's shared structs.
fn bridge_structs() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = read("harness/src/model/bridge.rs");
    let mut structs = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, String>)> = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix("struct ")
            .and_then(|l| l.strip_suffix(" {"))
        {
            current = Some((name.to_string(), BTreeMap::new()));
        } else if line == "}" {
            if let Some((name, fields)) = current.take() {
                structs.insert(name, fields);
            }
        } else if let Some((_, fields)) = &mut current {
            if let Some((field, ty)) = line.split_once(": ") {
                if !field.starts_with("//") {
                    fields.insert(field.to_string(), ty.trim_end_matches(',').to_string());
                }
            }
        }
    }
    structs
}

/// The field a port is copied into: `(struct, field)`.
fn field_of(port: &str) -> Option<(&'static str, String)> {
    let base = port
        .strip_suffix("_o")
        .or_else(|| port.strip_suffix("_i"))?;
    if let Some(axi) = base.strip_prefix("m_axi_") {
        // arvalid -> ar_valid: the channel (ar, aw, w, r, b) then the signal
        let channel = ["ar", "aw", "w", "r", "b"]
            .into_iter()
            .filter(|c| axi.starts_with(c))
            .max_by_key(|c| c.len())?;
        let strukt = if port.ends_with("_o") {
            "AxiMasterPort"
        } else {
            "AxiSlavePort"
        };
        return Some((strukt, format!("{channel}_{}", &axi[channel.len()..])));
    }
    if let Some(f) = base.strip_prefix("rvfi_") {
        return Some(("RetirePort", f.to_string()));
    }
    if let Some(f) = base.strip_prefix("mmu_") {
        return Some(("MmuPort", f.to_string()));
    }
    matches!(base, "events" | "flushed").then(|| ("SocOutputs", base.to_string()))
}

fn rust_type_for(bits: u32) -> &'static str {
    match bits {
        1 => "bool",
        2..=8 => "u8",
        9..=16 => "u16",
        17..=32 => "u32",
        _ => "u64",
    }
}

#[test]
fn soc_ports_bridge_structs_and_shim_agree() {
    let ports = soc_ports();
    let structs = bridge_structs();
    let shim = read("harness/src/model/shim_impl.h");
    let mut problems = Vec::new();
    let mut filled: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (port, (dir, bits)) in &ports {
        if matches!(port.as_str(), "clk_i" | "rst_ni" | "boot_addr_i") {
            continue;
        }
        let Some((strukt, field)) = field_of(port) else {
            problems.push(format!("{port}: no bridge struct for this port name"));
            continue;
        };
        let copies = shim.matches(&format!("top_->{port};")).count()
            + shim.matches(&format!("top_->{port} =")).count();
        if copies != 1 {
            problems.push(format!(
                "{port} ({dir}): copied {copies} times in shim_impl.h, not once"
            ));
        }
        let copy = if dir == "output" {
            format!(".{field} = top_->{port};")
        } else {
            format!("top_->{port} = in.{field};")
        };
        if !shim.contains(&copy) {
            problems.push(format!("shim_impl.h lacks `{copy}`"));
        }
        match structs.get(strukt).and_then(|s| s.get(&field)) {
            None => problems.push(format!(
                "{port}: bridge.rs struct {strukt} has no field `{field}`"
            )),
            Some(ty) if ty != rust_type_for(*bits) => problems.push(format!(
                "{port} is {bits} bits: {strukt}.{field} should be {}, is {ty}",
                rust_type_for(*bits)
            )),
            Some(_) => filled.entry(strukt).or_default().push(field),
        }
    }
    for strukt in ["AxiMasterPort", "AxiSlavePort", "RetirePort", "MmuPort"] {
        for field in structs[strukt].keys() {
            if !filled.get(strukt).is_some_and(|f| f.contains(field)) {
                problems.push(format!("bridge.rs {strukt}.{field} has no soc_top port"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "interface mismatches:\n{}",
        problems.join("\n")
    );
}

/// `mmu_trace_t` (cosim_pkg.sv) is what the `mmu_*_o` ports export, field for field.
#[test]
fn mmu_trace_struct_is_the_mmu_ports() {
    let pkg = read("rtl/pkg/cosim_pkg.sv");
    let end = pkg.find("} mmu_trace_t;").expect("mmu_trace_t");
    let start = pkg[..end]
        .rfind("typedef struct packed {")
        .expect("mmu_trace_t's struct");
    let mut fields = BTreeMap::new();
    for line in pkg[start..end].lines().skip(1) {
        let decl = line
            .split("//")
            .next()
            .unwrap()
            .trim()
            .trim_end_matches(';');
        let words: Vec<&str> = decl.split_whitespace().collect();
        let (bits, name) = match words.as_slice() {
            ["logic", name] => (1, *name),
            ["logic", range, name] => (width(Some(range)), *name),
            // the 2-bit enums: access_e, priv_e, xfault_e
            [ty, name] if ty.ends_with("_e") => (2, *name),
            _ => continue,
        };
        fields.insert(name.to_string(), bits);
    }
    let ports: BTreeMap<String, u32> = soc_ports()
        .into_iter()
        .filter_map(|(p, (_, w))| {
            Some((p.strip_prefix("mmu_")?.strip_suffix("_o")?.to_string(), w))
        })
        .collect();
    assert_eq!(fields, ports, "mmu_trace_t fields vs soc_top mmu_*_o ports");
    let top = read("rtl/soc/soc_top.sv");
    for f in fields.keys() {
        assert!(
            top.contains(&format!("assign mmu_{f}_o = mmu_trace.{f};")),
            "soc_top.sv does not export mmu_trace.{f} as mmu_{f}_o"
        );
    }
}
