//! Memory timing profiles: how long DRAM and pmem take to answer, and how fast they
//! stream, in nanoseconds and GB/s at a given core clock. Built in: `ideal`, `ddr4`,
//! `optane`; anything else comes from a TOML file of the same shape.

use serde::Deserialize;
use std::path::Path;

/// Timing of one memory region.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionProfile {
    /// Read latency when the access follows the previous one of this region (same or
    /// next `locality_bytes` block): an open row, a media line already buffered.
    pub seq_read_ns: f64,
    /// Read latency of any other access.
    pub rand_read_ns: f64,
    /// Latency of a write into the persistence domain (the write pending queue).
    pub write_ns: f64,
    /// Sustained read and write bandwidth of the region.
    pub read_gbps: f64,
    pub write_gbps: f64,
    /// Size of the block within which a following access counts as sequential.
    pub locality_bytes: u64,
}

/// The pmem device's internals (Optane DC PMM style): what its counters count.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaProfile {
    /// Media access granularity: a write of less is a read-modify-write.
    pub line_bytes: u64,
    /// Lines the write-combining buffer in front of the media holds.
    pub combining_lines: usize,
    /// Entries of the write pending queue (ADR domain): writes wait for a free one.
    pub wpq_entries: usize,
}

/// A whole memory system's timing.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// Core clock in GHz: nanoseconds convert to cycles at this rate.
    pub clock_ghz: f64,
    pub dram: RegionProfile,
    pub pmem: RegionProfile,
    pub media: MediaProfile,
}

/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("unknown memory profile {0:?} (built in: ideal, ddr4, optane; or a .toml file)")]
    Unknown(String),
    #[error("cannot read profile {path}: {reason}")]
    Read {
        path: String,
        reason: std::io::Error,
    },
    #[error("profile {path}: {reason}")]
    Parse {
        path: String,
        reason: Box<toml::de::Error>,
    },
    #[error("profile {name}: {what}")]
    Invalid { name: String, what: String },
}

const GIB: f64 = 1.0;

/// The range every profile figure must lie in (inclusive), documented in the README.
pub struct Limits {
    pub clock_ghz: (f64, f64),
    /// Latencies: up to a millisecond.
    pub latency_ns: (f64, f64),
    /// Bandwidths: from 1 MB/s to 10 TB/s.
    pub gbps: (f64, f64),
    /// Line and locality sizes: 8 B to 1 GiB.
    pub bytes: (u64, u64),
    /// Combining buffer and write pending queue entries.
    pub entries: (u64, u64),
}

pub const LIMITS: Limits = Limits {
    clock_ghz: (0.001, 100.0),
    latency_ns: (0.001, 1e6),
    gbps: (0.001, 10_000.0),
    bytes: (8, 1 << 30),
    entries: (1, 4096),
};

/// DRAM as measured next to Optane DC PMM (Yang et al., FAST '20): 81 ns sequential,
/// 101 ns random read; DDR4-2666-class bandwidth.
const DDR4_DRAM: RegionProfile = RegionProfile {
    seq_read_ns: 81.0,
    rand_read_ns: 101.0,
    write_ns: 57.0,
    read_gbps: 19.0 * GIB,
    write_gbps: 14.0 * GIB,
    locality_bytes: 2048,
};

impl Profile {
    /// No latency to speak of (one cycle to the first beat, the bus's full rate):
    /// the fastest simulation, for functional runs.
    pub fn ideal() -> Self {
        let ideal = RegionProfile {
            seq_read_ns: 1.0,
            rand_read_ns: 1.0,
            write_ns: 1.0,
            read_gbps: 8.0,
            write_gbps: 8.0,
            locality_bytes: 64,
        };
        Profile {
            name: "ideal".into(),
            clock_ghz: 1.0,
            dram: ideal,
            pmem: ideal,
            media: MediaProfile {
                line_bytes: 64,
                combining_lines: 1,
                wpq_entries: 64,
            },
        }
    }

    /// DDR4 for both regions (pmem emulated by DRAM, as on machines without NVDIMMs).
    pub fn ddr4() -> Self {
        Profile {
            name: "ddr4".into(),
            clock_ghz: 1.0,
            dram: DDR4_DRAM,
            pmem: DDR4_DRAM,
            media: MediaProfile {
                line_bytes: 64,
                combining_lines: 1,
                wpq_entries: 32,
            },
        }
    }

    /// Optane DC PMM in App Direct mode (Yang et al., FAST '20): pmem 169 ns
    /// sequential / 305 ns random read, about 90 ns for a write to reach the
    /// persistence domain, 256 B media lines (a partial write is a read-modify-write)
    /// behind a small write-combining buffer, about 6.5 GB/s read and 2.2 GB/s write
    /// per DIMM; DRAM as in `ddr4`.
    pub fn optane() -> Self {
        Profile {
            name: "optane".into(),
            clock_ghz: 1.0,
            dram: DDR4_DRAM,
            pmem: RegionProfile {
                seq_read_ns: 169.0,
                rand_read_ns: 305.0,
                write_ns: 90.0,
                read_gbps: 6.5,
                write_gbps: 2.2,
                locality_bytes: 256,
            },
            media: MediaProfile {
                line_bytes: 256,
                combining_lines: 4,
                wpq_entries: 32,
            },
        }
    }

    /// A built-in profile by name, or a TOML file by path (anything ending in .toml).
    pub fn load(name_or_path: &str) -> Result<Self, ProfileError> {
        let profile = match name_or_path {
            "ideal" => Self::ideal(),
            "ddr4" => Self::ddr4(),
            "optane" => Self::optane(),
            p if p.ends_with(".toml") => Self::from_file(Path::new(p))?,
            other => return Err(ProfileError::Unknown(other.into())),
        };
        profile.validate()?;
        Ok(profile)
    }

    fn from_file(path: &Path) -> Result<Self, ProfileError> {
        let text = crate::input::read_text(path).map_err(|reason| ProfileError::Read {
            path: path.display().to_string(),
            reason,
        })?;
        toml::from_str(&text).map_err(|reason| ProfileError::Parse {
            path: path.display().to_string(),
            reason: Box::new(reason),
        })
    }

    /// Every figure finite and within [`LIMITS`], sizes powers of two: figures far
    /// outside what memory does are a mistake, and would overflow the cycle counts.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let bad = |what: String| {
            Err(ProfileError::Invalid {
                name: self.name.clone(),
                what,
            })
        };
        let mut figures = vec![("clock_ghz".to_string(), self.clock_ghz, LIMITS.clock_ghz)];
        for (region, r) in [("dram", &self.dram), ("pmem", &self.pmem)] {
            for (field, v, range) in [
                ("seq_read_ns", r.seq_read_ns, LIMITS.latency_ns),
                ("rand_read_ns", r.rand_read_ns, LIMITS.latency_ns),
                ("write_ns", r.write_ns, LIMITS.latency_ns),
                ("read_gbps", r.read_gbps, LIMITS.gbps),
                ("write_gbps", r.write_gbps, LIMITS.gbps),
            ] {
                figures.push((format!("{region}.{field}"), v, range));
            }
        }
        for (field, v, (low, high)) in figures {
            if !(v.is_finite() && v >= low && v <= high) {
                return bad(format!("{field} {v} must lie in [{low}, {high}]"));
            }
        }
        let mut sizes = vec![
            ("media.line_bytes", self.media.line_bytes, LIMITS.bytes),
            (
                "media.combining_lines",
                self.media.combining_lines as u64,
                LIMITS.entries,
            ),
            (
                "media.wpq_entries",
                self.media.wpq_entries as u64,
                LIMITS.entries,
            ),
        ];
        sizes.push((
            "dram.locality_bytes",
            self.dram.locality_bytes,
            LIMITS.bytes,
        ));
        sizes.push((
            "pmem.locality_bytes",
            self.pmem.locality_bytes,
            LIMITS.bytes,
        ));
        for (field, v, (low, high)) in sizes {
            if v < low || v > high {
                return bad(format!("{field} {v} must lie in [{low}, {high}]"));
            }
            if field.ends_with("_bytes") && !v.is_power_of_two() {
                return bad(format!("{field} {v} must be a power of two"));
            }
        }
        Ok(())
    }

    /// Nanoseconds as core cycles (at least one).
    pub fn cycles(&self, ns: f64) -> u64 {
        ((ns * self.clock_ghz).round() as u64).max(1)
    }

    /// Bytes per core cycle at `gbps` (GB/s = bytes per ns).
    pub fn bytes_per_cycle(&self, gbps: f64) -> f64 {
        gbps / self.clock_ghz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_are_valid_and_toml_matches_their_shape() {
        for name in ["ideal", "ddr4", "optane"] {
            Profile::load(name).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(
            &path,
            r#"
name = "mine"
clock_ghz = 2.0
[dram]
seq_read_ns = 50
rand_read_ns = 70
write_ns = 40
read_gbps = 10
write_gbps = 10
locality_bytes = 1024
[pmem]
seq_read_ns = 150
rand_read_ns = 300
write_ns = 100
read_gbps = 5
write_gbps = 2
locality_bytes = 256
[media]
line_bytes = 256
combining_lines = 2
wpq_entries = 16
"#,
        )
        .unwrap();
        let p = Profile::load(path.to_str().unwrap()).unwrap();
        assert_eq!(p.cycles(p.pmem.rand_read_ns), 600);
        assert_eq!(p.bytes_per_cycle(p.pmem.read_gbps), 2.5);
    }

    #[test]
    fn bad_profiles_are_refused_with_the_reason() {
        assert!(matches!(
            Profile::load("dram9"),
            Err(ProfileError::Unknown(_))
        ));
        assert!(matches!(
            Profile::load("/nonexistent.toml"),
            Err(ProfileError::Read { .. })
        ));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "name = \"x\"\nclock_ghz = 1\nwhat = 3\n").unwrap();
        assert!(matches!(
            Profile::load(path.to_str().unwrap()),
            Err(ProfileError::Parse { .. })
        ));
        let mut p = Profile::optane();
        p.pmem.read_gbps = 0.0;
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("pmem.read_gbps"));
    }
}
