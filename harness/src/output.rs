//! Where cosim's output files go, and how they are written so that nothing is
//! clobbered and nothing is left half-written.
//!
//! A target that is missing or a regular file is written whole under a temporary
//! name beside it and renamed into place. A symlink is followed: its target is
//! written, the link stays. A target that exists and is not a regular file (a
//! device such as /dev/null or /dev/stdout, a FIFO) is written in place, never
//! replaced; a directory is refused.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where the bytes for a path really go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Missing or a regular file (after following symlinks): written atomically.
    Regular(PathBuf),
    /// An existing file that is not a regular file: written in place.
    Special(PathBuf),
}

impl Target {
    /// Follows `path` through symlinks and says how it must be written; an error
    /// for a directory or a missing parent directory.
    pub fn of(path: &Path) -> io::Result<Target> {
        let resolved = follow_links(path)?;
        match fs::metadata(&resolved) {
            Ok(meta) if meta.is_dir() => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )),
            Ok(meta) if meta.is_file() => Ok(Target::Regular(resolved)),
            Ok(_) => Ok(Target::Special(resolved)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let parent = match resolved.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir,
                    _ => Path::new("."),
                };
                if parent.is_dir() {
                    Ok(Target::Regular(resolved))
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("directory {} does not exist", parent.display()),
                    ))
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The path the bytes are written to.
    pub fn path(&self) -> &Path {
        match self {
            Target::Regular(p) | Target::Special(p) => p,
        }
    }
}

/// `path` with every symlink along the last component followed (at most 40, as the
/// kernel does), so that writing the result writes what the link points at.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The temporary name a regular target is written under before the rename.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` as the module docs say: never half-written, never
/// replacing a device, a FIFO or a symlink.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match Target::of(path)? {
        Target::Special(target) => {
            let mut file = fs::OpenOptions::new().write(true).open(target)?;
            file.write_all(bytes)?;
            file.flush()
        }
        Target::Regular(target) => {
            let partial = partial_path(&target);
            let written = fs::write(&partial, bytes).and_then(|()| fs::rename(&partial, &target));
            if written.is_err() {
                let _ = fs::remove_file(&partial);
            }
            written
        }
    }
}

/// [`write_atomic`] of `name` in `dir`, with the path in the error.
pub fn write_in(dir: &Path, name: &str, text: &str) -> Result<(), OutputError> {
    let path = dir.join(name);
    write_atomic(&path, text.as_bytes()).map_err(|reason| OutputError { path, reason })
}

/// A file cosim could not write, and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {reason}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    pub reason: io::Error,
}

impl From<OutputError> for io::Error {
    fn from(e: OutputError) -> Self {
        io::Error::new(e.reason.kind(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(!partial_path(&path).exists());
    }

    #[test]
    fn symlinks_are_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomic(&link, b"x").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "x");
    }

    #[test]
    fn devices_are_written_in_place() {
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
        let full = write_atomic(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(full.raw_os_error(), Some(libc::ENOSPC));
        assert!(!fs::metadata("/dev/full").unwrap().is_file());
    }

    #[test]
    fn directories_and_missing_parents_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        let e = write_atomic(&dir.path().join("no/such.json"), b"x").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
    }
}
