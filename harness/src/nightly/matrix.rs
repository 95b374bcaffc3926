//! The nightly matrix: a TOML file of run groups (directed programs, random-program
//! seeds, vmemmap configurations, power-fail points) over RTL parameter sets, expanded
//! into a list of independent runs in a fixed order.

use crate::mmu::{MmuParams, DEFAULT_MMU_PARAMS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// The matrix that ships with cosim (`harness/nightly/default.toml`).
pub const DEFAULT_MATRIX: &str = include_str!("../../nightly/default.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub name: String,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    #[serde(default = "default_wave_window")]
    pub wave_window: u64,
    pub rtl: Vec<RtlSet>,
    #[serde(default)]
    pub directed: Vec<DirectedGroup>,
    #[serde(default)]
    pub fuzz: Vec<FuzzGroup>,
    #[serde(default)]
    pub vmemmap: Vec<VmemmapGroup>,
    #[serde(default)]
    pub powerfail: Vec<PowerfailGroup>,
    #[serde(default)]
    pub linux: Vec<LinuxGroup>,
    #[serde(default)]
    pub mutants: Vec<MutantsGroup>,
}

fn default_timeout() -> u64 {
    900
}

fn default_wave_window() -> u64 {
    20_000
}

/// One RTL parameter set: a name and `COSIM_MMU`-style overrides of the default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RtlSet {
    pub name: String,
    #[serde(default)]
    pub params: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectedGroup {
    pub rtl: Vec<String>,
    /// Program names (tests/asm without `.S`), or `*` for all.
    pub programs: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Exit codes other than 0 that mean "pass", by program.
    #[serde(default)]
    pub expect_exit: BTreeMap<String, i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzGroup {
    pub rtl: Vec<String>,
    pub seeds: u64,
    #[serde(default = "one")]
    pub first_seed: u64,
    #[serde(default = "default_fuzz_length")]
    pub length: usize,
    /// The generator's modes (`cosim fuzz --mode`); each runs every seed.
    #[serde(default = "base_mode")]
    pub modes: Vec<crate::fuzz::Mode>,
    /// Bus jitter (`cosim run --jitter`, seeded by the program's seed); 0: none.
    #[serde(default)]
    pub jitter: u32,
}

fn base_mode() -> Vec<crate::fuzz::Mode> {
    vec![crate::fuzz::Mode::Base]
}

fn one() -> u64 {
    1
}

fn default_fuzz_length() -> usize {
    crate::fuzz::DEFAULT_LENGTH
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VmemmapGroup {
    pub rtl: Vec<String>,
    pub modes: Vec<String>,
    pub aligns: Vec<String>,
    pub paging: Vec<String>,
    pub profiles: Vec<String>,
    #[serde(default = "default_pmem_size")]
    pub pmem_size: String,
    #[serde(default = "default_iterations")]
    pub iterations: u64,
    /// Run with `--lockstep` (the counter and translation checks are always on).
    #[serde(default)]
    pub lockstep: bool,
    /// Per-run timeout for these runs (default: the matrix's `timeout_seconds`).
    pub timeout_seconds: Option<u64>,
}

fn default_pmem_size() -> String {
    "4G".into()
}

fn default_iterations() -> u64 {
    4096
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerfailGroup {
    pub rtl: Vec<String>,
    pub program: String,
    pub persistence: Vec<String>,
    /// Independent pmem images, each a `cosim crashtest` run.
    pub runs: u64,
    /// Power failures per image.
    pub points: u64,
    /// Run with `--lockstep`.
    #[serde(default)]
    pub lockstep: bool,
}

/// Linux boots (`cosim linux`): alignments × struct page locations × paging modes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinuxGroup {
    pub rtl: Vec<String>,
    pub aligns: Vec<String>,
    pub maps: Vec<String>,
    pub paging: Vec<String>,
    #[serde(default = "default_linux_pmem_size")]
    pub pmem_size: String,
    /// Run with `--lockstep` (the counter and translation checks are always on).
    #[serde(default)]
    pub lockstep: bool,
    /// Known kernel findings by alignment: the start of the console line each run of
    /// that alignment must print (and may: it is not a failure).
    #[serde(default)]
    pub expect_finding: BTreeMap<String, String>,
    /// Per-run timeout for these boots (default: the matrix's `timeout_seconds`).
    pub timeout_seconds: Option<u64>,
}

fn default_linux_pmem_size() -> String {
    "256M".into()
}

/// Mutants of the catalogue (`cosim mutants --only NAME`, one run each): a run passes
/// when the kill suite kills its mutant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutantsGroup {
    /// The RTL set whose `cosim` builds and tries them.
    pub rtl: Vec<String>,
    /// Mutant names, or `*` for the whole catalogue.
    pub names: Vec<String>,
    /// Per-run timeout (a mutant's build included; default: the matrix's).
    pub timeout_seconds: Option<u64>,
}

/// What a run is, for grouping in JUnit and the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Directed,
    Fuzz,
    Vmemmap,
    Powerfail,
    Linux,
    Mutant,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Directed => "directed",
            Kind::Fuzz => "fuzz",
            Kind::Vmemmap => "vmemmap",
            Kind::Powerfail => "powerfail",
            Kind::Linux => "linux",
            Kind::Mutant => "mutant",
        }
    }
}

/// A file a run needs in the output directory before it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `elf/<name>.elf`: a built-in test program.
    Program(String),
    /// `elf/fuzz-<seed>.elf` (`fuzz-<mode>-<seed>.elf` beyond the base mode): a
    /// random program.
    FuzzProgram {
        seed: u64,
        length: usize,
        mode: crate::fuzz::Mode,
    },
}

impl Input {
    /// Its file under `elf/`.
    pub fn file_name(&self) -> String {
        match self {
            Input::Program(name) => format!("{name}.elf"),
            Input::FuzzProgram {
                seed,
                mode: crate::fuzz::Mode::Base,
                ..
            } => format!("fuzz-{seed}.elf"),
            Input::FuzzProgram { seed, mode, .. } => format!("fuzz-{}-{seed}.elf", mode.name()),
        }
    }
}

/// One run of the matrix.
#[derive(Clone, Debug)]
pub struct RunSpec {
    /// `<rtl>/<kind>/<name>`, unique in the matrix.
    pub id: String,
    pub kind: Kind,
    /// Name of the RTL parameter set.
    pub rtl: String,
    /// The cosim arguments (subcommand first), paths relative to the output directory.
    pub args: Vec<String>,
    pub inputs: Vec<Input>,
    /// The exit code that means the run passed.
    pub expect_exit: i32,
    /// Whether the subcommand takes `--trace FILE --trace-from C` (every one takes
    /// `--json FILE`).
    pub traceable: bool,
    pub timeout: Duration,
}

impl RunSpec {
    /// The run's id as a file name.
    pub fn slug(&self) -> String {
        self.id.replace('/', ".")
    }
}

/// Why a matrix file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("matrix: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("matrix: {0}")]
    Invalid(String),
}

impl Matrix {
    pub fn parse(text: &str) -> Result<Matrix, MatrixError> {
        let m: Matrix = toml::from_str(text)?;
        if m.rtl.is_empty() {
            return Err(MatrixError::Invalid("no [[rtl]] parameter set".into()));
        }
        for (i, set) in m.rtl.iter().enumerate() {
            set.params()?;
            if m.rtl[..i].iter().any(|s| s.name == set.name) {
                return Err(MatrixError::Invalid(format!(
                    "RTL set {:?} is defined twice",
                    set.name
                )));
            }
            if !valid_name(&set.name) {
                return Err(MatrixError::Invalid(format!(
                    "RTL set name {:?}: use letters, digits, - and _",
                    set.name
                )));
            }
        }
        if m.timeout_seconds == 0 {
            return Err(MatrixError::Invalid("timeout_seconds must be > 0".into()));
        }
        Ok(m)
    }

    /// The RTL sets a group names (`*`: all), in the matrix's order.
    fn sets(&self, names: &[String]) -> Result<Vec<&RtlSet>, MatrixError> {
        for n in names {
            if n != "*" && !self.rtl.iter().any(|s| &s.name == n) {
                return Err(MatrixError::Invalid(format!(
                    "unknown RTL set {n:?} (defined: {})",
                    self.rtl
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(self
            .rtl
            .iter()
            .filter(|s| names.iter().any(|n| n == "*" || n == &s.name))
            .collect())
    }

    /// Every run, in matrix order. `seeds` replaces every fuzz group's seed count.
    pub fn expand(&self, seeds: Option<u64>) -> Result<Vec<RunSpec>, MatrixError> {
        let timeout = Duration::from_secs(self.timeout_seconds);
        let mut runs = Vec::new();
        let mut push = |rtl: &str, kind: Kind, name: String, spec: Partial| {
            runs.push(RunSpec {
                id: format!("{rtl}/{}/{name}", kind.name()),
                kind,
                rtl: rtl.to_string(),
                args: spec.args,
                inputs: spec.inputs,
                expect_exit: spec.expect_exit,
                traceable: spec.traceable,
                timeout: spec.timeout.unwrap_or(timeout),
            });
        };
        for g in &self.directed {
            let programs = directed_programs(g)?;
            // An expectation for a program the group does not run is a typo that
            // would otherwise pass silently.
            if let Some(stray) = g.expect_exit.keys().find(|p| !programs.contains(p)) {
                return Err(MatrixError::Invalid(format!(
                    "expect_exit names {stray:?}, which is not among the group's programs"
                )));
            }
            for set in self.sets(&g.rtl)? {
                for p in &programs {
                    let expect = g.expect_exit.get(p).copied().unwrap_or(0);
                    push(
                        &set.name,
                        Kind::Directed,
                        p.clone(),
                        directed_run(p, expect),
                    );
                }
            }
        }
        for g in &self.fuzz {
            for set in self.sets(&g.rtl)? {
                for &mode in &g.modes {
                    for seed in g.first_seed..g.first_seed + seeds.unwrap_or(g.seeds) {
                        let name = match (mode, g.jitter) {
                            (crate::fuzz::Mode::Base, 0) => format!("seed-{seed}"),
                            (_, 0) => format!("{}-seed-{seed}", mode.name()),
                            (_, j) => format!("{}-jitter{j}-seed-{seed}", mode.name()),
                        };
                        push(
                            &set.name,
                            Kind::Fuzz,
                            name,
                            fuzz_run(seed, g.length, mode, g.jitter),
                        );
                    }
                }
            }
        }
        for g in &self.vmemmap {
            let configs = vmemmap_configs(g)?;
            for set in self.sets(&g.rtl)? {
                for (name, args) in &configs {
                    push(
                        &set.name,
                        Kind::Vmemmap,
                        name.clone(),
                        Partial {
                            args: args.clone(),
                            inputs: vec![],
                            expect_exit: 0,
                            traceable: true,
                            timeout: g.timeout_seconds.map(Duration::from_secs),
                        },
                    );
                }
            }
        }
        for g in &self.powerfail {
            if crate::programs::find(&g.program).is_none() {
                return Err(MatrixError::Invalid(format!(
                    "powerfail: no test program {:?}",
                    g.program
                )));
            }
            for set in self.sets(&g.rtl)? {
                for persistence in &g.persistence {
                    if !matches!(persistence.as_str(), "adr" | "eadr") {
                        return Err(MatrixError::Invalid(format!(
                            "powerfail: persistence {persistence:?}: adr or eadr"
                        )));
                    }
                    for k in 1..=g.runs {
                        let lockstep = if g.lockstep { "-lockstep" } else { "" };
                        let name = format!("{}-{persistence}-{k}{lockstep}", g.program);
                        let mut run =
                            powerfail_run(set, &name, &g.program, persistence, k, g.points);
                        if g.lockstep {
                            run.args.push("--lockstep".into());
                        }
                        push(&set.name, Kind::Powerfail, name.clone(), run);
                    }
                }
            }
        }
        for g in &self.linux {
            for set in self.sets(&g.rtl)? {
                for (name, args) in linux_configs(g)? {
                    push(
                        &set.name,
                        Kind::Linux,
                        name,
                        Partial {
                            args,
                            inputs: vec![],
                            expect_exit: 0,
                            traceable: true,
                            // Linux boots take minutes: their group may give them a
                            // timeout of their own.
                            timeout: g.timeout_seconds.map(Duration::from_secs),
                        },
                    );
                }
            }
        }
        for g in &self.mutants {
            let catalogue = crate::mutants::CATALOGUE;
            if let Some(n) = g
                .names
                .iter()
                .find(|n| *n != "*" && !catalogue.iter().any(|m| &m.name == n))
            {
                return Err(MatrixError::Invalid(format!("mutants: no mutant {n:?}")));
            }
            for set in self.sets(&g.rtl)? {
                for m in catalogue
                    .iter()
                    .filter(|m| g.names.iter().any(|n| n == "*" || n == m.name))
                {
                    push(
                        &set.name,
                        Kind::Mutant,
                        m.name.to_string(),
                        Partial {
                            args: vec![
                                "mutants".into(),
                                "--quiet".into(),
                                "--jobs=1".into(),
                                format!("--only={}", m.name),
                                format!("--out=work/mutant-{}", m.name),
                            ],
                            inputs: vec![],
                            expect_exit: 0,
                            traceable: false,
                            timeout: g.timeout_seconds.map(Duration::from_secs),
                        },
                    );
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for r in &runs {
            if !seen.insert(r.id.as_str()) {
                return Err(MatrixError::Invalid(format!(
                    "run {} appears twice (two groups overlap)",
                    r.id
                )));
            }
        }
        Ok(runs)
    }
}

impl RtlSet {
    pub fn params(&self) -> Result<MmuParams, MatrixError> {
        DEFAULT_MMU_PARAMS
            .parse_overrides(&self.params)
            .map_err(|e| MatrixError::Invalid(format!("RTL set {:?}: {e}", self.name)))
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A run's arguments and inputs, before it gets its id.
struct Partial {
    args: Vec<String>,
    inputs: Vec<Input>,
    expect_exit: i32,
    traceable: bool,
    /// The group's own per-run timeout, if it gives one.
    timeout: Option<Duration>,
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn directed_programs(g: &DirectedGroup) -> Result<Vec<String>, MatrixError> {
    let all: Vec<String> = crate::programs::IMAGES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    for name in g.programs.iter().chain(&g.exclude) {
        if name != "*" && !all.contains(name) {
            return Err(MatrixError::Invalid(format!(
                "directed: no test program {name:?}"
            )));
        }
    }
    Ok(all
        .into_iter()
        .filter(|n| g.programs.iter().any(|p| p == "*" || p == n) && !g.exclude.contains(n))
        .collect())
}

fn directed_run(program: &str, expect_exit: i32) -> Partial {
    let mut args = strings(&["run", "--quiet", "--lockstep", "--check-counters"]);
    // A hang is meant to be stopped by the watchdog, quickly.
    if expect_exit == crate::sim::EXIT_HARNESS_ERROR {
        args.extend(strings(&["--watchdog", "20000"]));
    }
    args.push(format!("elf/{program}.elf"));
    Partial {
        args,
        inputs: vec![Input::Program(program.to_string())],
        expect_exit,
        traceable: true,
        timeout: None,
    }
}

fn fuzz_run(seed: u64, length: usize, mode: crate::fuzz::Mode, jitter: u32) -> Partial {
    let mut args = strings(&["run", "--quiet", "--lockstep", "--check-counters"]);
    if jitter > 0 {
        args.extend([
            "--jitter".into(),
            jitter.to_string(),
            "--bus-seed".into(),
            seed.to_string(),
        ]);
    }
    let input = Input::FuzzProgram { seed, length, mode };
    args.push(format!("elf/{}", input.file_name()));
    Partial {
        args,
        inputs: vec![input],
        expect_exit: 0,
        traceable: true,
        timeout: None,
    }
}

fn linux_configs(g: &LinuxGroup) -> Result<Vec<(String, Vec<String>)>, MatrixError> {
    let check = |what: &str, v: &str, allowed: &[&str]| {
        if allowed.contains(&v) {
            Ok(())
        } else {
            Err(MatrixError::Invalid(format!(
                "linux: {what} {v:?}: one of {}",
                allowed.join(", ")
            )))
        }
    };
    if let Some(stray) = g.expect_finding.keys().find(|a| !g.aligns.contains(a)) {
        return Err(MatrixError::Invalid(format!(
            "linux: expect_finding for alignment {stray:?}, which the group does not run"
        )));
    }
    let mut out = Vec::new();
    for align in &g.aligns {
        check("align", align, &["4K", "2M"])?;
        for map in &g.maps {
            check("map", map, &["mem", "dev"])?;
            for paging in &g.paging {
                check("paging", paging, &["sv39", "sv48"])?;
                let mut args = strings(&["linux", "--quiet", "--check-counters"]);
                args.extend([
                    format!("--align={align}"),
                    format!("--map={map}"),
                    format!("--paging={paging}"),
                    format!("--pmem-size={}", g.pmem_size),
                ]);
                if g.lockstep {
                    args.push("--lockstep".into());
                }
                if let Some(finding) = g.expect_finding.get(align) {
                    args.push(format!("--expect-finding={finding}"));
                }
                out.push((format!("{align}-{map}-{paging}"), args));
            }
        }
    }
    Ok(out)
}

fn vmemmap_configs(g: &VmemmapGroup) -> Result<Vec<(String, Vec<String>)>, MatrixError> {
    let check = |what: &str, v: &str, allowed: &[&str]| {
        if allowed.contains(&v) {
            Ok(())
        } else {
            Err(MatrixError::Invalid(format!(
                "vmemmap: {what} {v:?}: one of {}",
                allowed.join(", ")
            )))
        }
    };
    let mut out = Vec::new();
    for mode in &g.modes {
        check("mode", mode, &["base", "huge", "dax", "altmap"])?;
        for align in &g.aligns {
            check("align", align, &["4K", "2M", "1G"])?;
            for paging in &g.paging {
                check("paging", paging, &["sv39", "sv48"])?;
                for profile in &g.profiles {
                    check("profile", profile, &["ideal", "ddr4", "optane"])?;
                    let name = format!("{mode}-{align}-{paging}-{profile}-{}", g.pmem_size);
                    let mut args = vec![
                        "vmemmap".into(),
                        "--check-counters".into(),
                        format!("--mode={mode}"),
                        format!("--align={align}"),
                        format!("--paging={paging}"),
                        format!("--profile={profile}"),
                        format!("--pmem-size={}", g.pmem_size),
                        format!("--iterations={}", g.iterations),
                    ];
                    let name = if g.lockstep {
                        args.push("--lockstep".into());
                        format!("{name}-lockstep")
                    } else {
                        name
                    };
                    out.push((name, args));
                }
            }
        }
    }
    Ok(out)
}

fn powerfail_run(
    set: &RtlSet,
    name: &str,
    program: &str,
    persistence: &str,
    k: u64,
    points: u64,
) -> Partial {
    let image = format!("work/{}.{name}.img", set.name);
    Partial {
        args: vec![
            "crashtest".into(),
            format!("elf/{program}.elf"),
            format!("--pmem-image={image}"),
            "--fresh-image".into(),
            format!("--persistence={persistence}"),
            format!("--points={points}"),
            // Each image gets its own stretch of seeds.
            format!("--seed={}", 1 + (k - 1) * points),
        ],
        inputs: vec![Input::Program(program.to_string())],
        expect_exit: 0,
        traceable: false,
        timeout: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matrix_expands() {
        let m = Matrix::parse(DEFAULT_MATRIX).unwrap();
        let runs = m.expand(None).unwrap();
        let count = |k| runs.iter().filter(|r| r.kind == k).count();
        let programs = crate::programs::IMAGES.len();
        assert_eq!(count(Kind::Directed), 3 * programs);
        assert_eq!(count(Kind::Fuzz), 2000 + 3 * 4 * 1000 + 2 * 1000);
        assert_eq!(count(Kind::Vmemmap), 4 * 3 * 2 + 4 + 4 * 2 + 2 * 12);
        assert_eq!(count(Kind::Powerfail), 11);
        // Every kind has runs under lockstep (directed, fuzz and Linux: all of them).
        for kind in [
            Kind::Directed,
            Kind::Fuzz,
            Kind::Vmemmap,
            Kind::Powerfail,
            Kind::Linux,
        ] {
            let of_kind: Vec<&RunSpec> = runs.iter().filter(|r| r.kind == kind).collect();
            let n = of_kind
                .iter()
                .filter(|r| r.args.iter().any(|a| a == "--lockstep"))
                .count();
            assert!(n > 0, "no {} run under lockstep", kind.name());
            if matches!(kind, Kind::Directed | Kind::Fuzz | Kind::Linux) {
                assert_eq!(n, of_kind.len(), "{}", kind.name());
            }
        }
        assert_eq!(count(Kind::Linux), 2 * 2 * 2);
        assert_eq!(count(Kind::Mutant), crate::mutants::CATALOGUE.len());
        // --seeds 7: seven seeds for each of the 1 + 3 * 4 + 2 (RTL set, mode) pairs.
        let seven = runs.len() - count(Kind::Fuzz) + 7 * (1 + 3 * 4 + 2);
        assert_eq!(m.expand(Some(7)).unwrap().len(), seven);
        // Every 4K boot expects the known kernel finding, no 2M boot does.
        for r in runs.iter().filter(|r| r.kind == Kind::Linux) {
            let expects = r
                .args
                .iter()
                .any(|a| a.starts_with("--expect-finding=BUG: Bad page map"));
            assert_eq!(expects, r.id.contains("/4K-"), "{}", r.id);
            assert!(r.args.contains(&"--lockstep".to_string()), "{}", r.id);
            assert_eq!(r.timeout, Duration::from_secs(3600), "{}", r.id);
        }
    }

    #[test]
    fn bad_matrices_are_refused_with_the_reason() {
        let base = "name = \"x\"\n[[rtl]]\nname = \"default\"\n";
        let cases = [
            (format!("{base}[[fuzz]]\nrtl = [\"nope\"]\nseeds = 1\n"), "unknown RTL set"),
            (
                format!("{base}[[directed]]\nrtl = [\"*\"]\nprograms = [\"nosuch\"]\n"),
                "no test program",
            ),
            ("name = \"x\"\n[[rtl]]\nname = \"a\"\nparams = \"itlb=3\"\n".into(), "power of two"),
            (format!("{base}bogus = 1\n"), "unknown field"),
            (
                format!("{base}[[vmemmap]]\nrtl=[\"*\"]\nmodes=[\"dax\"]\naligns=[\"3M\"]\npaging=[\"sv39\"]\nprofiles=[\"ideal\"]\n"),
                "align",
            ),
        ];
        for (text, why) in cases {
            let err = Matrix::parse(&text)
                .and_then(|m| m.expand(None))
                .expect_err(&text)
                .to_string();
            assert!(err.contains(why), "{err:?} should mention {why:?}");
        }
    }
}
