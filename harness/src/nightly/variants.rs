//! RTL variants: a `cosim` binary whose model was verilated with a parameter set's `-G`
//! parameters, or with a mutant's define (`cosim mutants`), built once from the source
//! tree and cached under a hash of the sources, the parameters and the mutant.
//!
//! The set this cosim was itself built with needs no build: it is this binary.

use crate::fnv::Fnv;
use crate::mmu::{MmuParams, MMU_PARAMS};
use std::fs;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The source tree this cosim was built from (variants are built from it).
pub const BUILT_FROM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// What a variant's binary is built from: every input of `cargo build --bin cosim`.
const SOURCE_DIRS: &[&str] = &[
    "rtl",
    "harness",
    "verilated",
    "vmem",
    "firmware",
    "tests/asm",
];
const SOURCE_FILES: &[&str] = &["Cargo.toml", "Cargo.lock"];

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("RTL set {set:?} needs the cosim source tree to build it, but {} has no rtl/files.f (give --source DIR)", dir.display())]
    NoSource { set: String, dir: PathBuf },
    #[error("RTL set {set:?}: {what}: {reason}")]
    Io {
        set: String,
        what: String,
        reason: std::io::Error,
    },
    #[error("RTL set {set:?} ({params}) failed to build; its log: {}", log.display())]
    Build {
        set: String,
        params: String,
        log: PathBuf,
    },
}

/// Where built variants live: `$COSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/cosim`, else
/// `~/.cache/cosim`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COSIM_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("cosim");
    }
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/cosim"))
        .unwrap_or_else(|| std::env::temp_dir().join("cosim-cache"))
}

/// What a variant is built with: MMU parameters and, for `cosim mutants`, a mutant.
#[derive(Clone, Copy, Debug)]
pub struct Variant<'a> {
    /// Its name in messages: the RTL set's or the mutant's.
    pub name: &'a str,
    pub params: &'a MmuParams,
    /// A mutant of the catalogue (built with `COSIM_MUTANT`): its binary has only the
    /// checked model, so every run of it has the RTL's assertions on.
    pub mutant: Option<&'a str>,
}

/// The variant key: FNV-1a over every source file (path and contents, sorted), the
/// parameters and the mutant.
pub fn key(source: &Path, variant: &Variant) -> std::io::Result<String> {
    let params = variant.params;
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        collect(&source.join(dir), &mut files)?;
    }
    for f in SOURCE_FILES {
        files.push(source.join(f));
    }
    files.sort();
    let mut hash = Fnv::new();
    for f in &files {
        hash.update(
            f.strip_prefix(source)
                .unwrap_or(f)
                .as_os_str()
                .as_encoded_bytes(),
        );
        hash.update(&fs::read(f)?);
    }
    hash.update(format!("{params:?}").as_bytes());
    if let Some(mutant) = variant.mutant {
        hash.update(b"\0mutant ");
        hash.update(mutant.as_bytes());
    }
    Ok(format!("{:016x}", hash.finish()))
}

/// Every file under `dir`, skipping build outputs (`target/`).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if entry.file_name() != "target" {
                collect(&path, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The `cosim` binary for `variant`: this one when its parameters are this build's and
/// it is no mutant, else the cached build, built now (under a lock, so parallel shards
/// build it once) when missing. `log` is told what is happening.
pub fn binary_for(
    variant: &Variant,
    source: &Path,
    log: &dyn Fn(&str),
) -> Result<PathBuf, VariantError> {
    let io = |what: &str| {
        let set = variant.name.to_string();
        let what = what.to_string();
        move |reason| VariantError::Io { set, what, reason }
    };
    let params = variant.params;
    if *params == MMU_PARAMS && variant.mutant.is_none() {
        return std::env::current_exe().map_err(io("locating this cosim"));
    }
    if !source.join("rtl/files.f").is_file() {
        return Err(VariantError::NoSource {
            set: variant.name.to_string(),
            dir: source.to_path_buf(),
        });
    }
    let key = key(source, variant).map_err(io("hashing the sources"))?;
    let cache = cache_dir();
    let dir = cache.join("rtl").join(&key);
    let binary = dir.join("cosim");
    if binary.is_file() {
        return Ok(binary);
    }
    fs::create_dir_all(&dir).map_err(io("creating the cache"))?;
    let lock = fs::File::create(cache.join("rtl/build.lock")).map_err(io("locking the cache"))?;
    // SAFETY: flock on a descriptor we own; released when `lock` is dropped.
    if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(io("locking the cache")(std::io::Error::last_os_error()));
    }
    if binary.is_file() {
        return Ok(binary); // another process built it while we waited
    }
    let spec = params.overrides();
    log(&format!(
        "building RTL variant {} ({spec}{}) into {}",
        variant.name,
        variant
            .mutant
            .map_or(String::new(), |m| format!(", mutant {m}")),
        dir.display()
    ));
    let log_path = dir.join("build.log");
    let log_file = fs::File::create(&log_path).map_err(io("creating the build log"))?;
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if let Some(mutant) = variant.mutant {
        cargo.env("COSIM_MUTANT", mutant);
    }
    let status = cargo
        .args([
            "build",
            "--release",
            "--locked",
            "--bin",
            "cosim",
            "--target-dir",
        ])
        .arg(cache.join("rtl/target"))
        .env("COSIM_MMU", &spec)
        .env_remove("COSIM_VERILATOR_FLAGS")
        .current_dir(source)
        .stdout(log_file.try_clone().map_err(io("the build log"))?)
        .stderr(log_file)
        .status()
        .map_err(io("running cargo"))?;
    if !status.success() {
        return Err(VariantError::Build {
            set: variant.name.to_string(),
            params: spec,
            log: log_path,
        });
    }
    crate::output::copy_atomic(&cache.join("rtl/target/release/cosim"), &binary)
        .map_err(io("copying the built binary"))?;
    Ok(binary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmu::DEFAULT_MMU_PARAMS;

    #[test]
    fn key_follows_the_sources_the_parameters_and_the_mutant() {
        let dir = tempfile::tempdir().unwrap();
        for d in SOURCE_DIRS {
            fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        for f in SOURCE_FILES {
            fs::write(dir.path().join(f), "x").unwrap();
        }
        fs::write(dir.path().join("rtl/tlb.sv"), "module tlb; endmodule").unwrap();
        // Build outputs do not count.
        fs::create_dir_all(dir.path().join("firmware/target")).unwrap();
        let variant = |params, mutant| Variant {
            name: "v",
            params,
            mutant,
        };
        let default = variant(&DEFAULT_MMU_PARAMS, None);
        let base = key(dir.path(), &default).unwrap();
        assert_eq!(key(dir.path(), &default).unwrap(), base);
        fs::write(dir.path().join("firmware/target/junk"), "y").unwrap();
        assert_eq!(key(dir.path(), &default).unwrap(), base);
        let small = DEFAULT_MMU_PARAMS.parse_overrides("pwc=0").unwrap();
        assert_ne!(key(dir.path(), &variant(&small, None)).unwrap(), base);
        let mutant = variant(&DEFAULT_MMU_PARAMS, Some("sra-as-srl"));
        assert_ne!(key(dir.path(), &mutant).unwrap(), base);
        fs::write(
            dir.path().join("rtl/tlb.sv"),
            "module tlb; wire w; endmodule",
        )
        .unwrap();
        assert_ne!(key(dir.path(), &default).unwrap(), base);
    }
}
