//! Files written so that nothing is clobbered and nothing is left half-written.
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

/// A regular file being written under its temporary name ([`partial_path`]): it gets
/// its final name from [`Partial::commit`], and is removed when dropped uncommitted
/// (a failed or abandoned write leaves nothing behind).
#[derive(Debug)]
pub struct Partial {
    path: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Partial {
    /// The temporary file for the regular file `target` (not created here).
    pub fn new(target: PathBuf) -> Partial {
        Partial {
            path: partial_path(&target),
            target,
            committed: false,
        }
    }

    /// Where the bytes are written until the commit.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The final name.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the written file to its final name.
    pub fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.path, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
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
            let partial = Partial::new(target);
            fs::write(partial.path(), bytes)?;
            partial.commit()
        }
    }
}

/// Copies the file `from` to the regular file `to` whole: under a temporary name,
/// then renamed (never a half-copied binary).
pub fn copy_atomic(from: &Path, to: &Path) -> io::Result<()> {
    let partial = Partial::new(to.to_path_buf());
    fs::copy(from, partial.path())?;
    partial.commit()
}

/// Creates the output directory `dir` (and its parents); an error that names it, and
/// says so when it exists as something else. Called before the work, so that a
/// wrong output option costs nothing.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir).map_err(|e| {
        let why = if dir.exists() && !dir.is_dir() {
            "it exists and is not a directory".to_string()
        } else {
            e.to_string()
        };
        io::Error::new(
            e.kind(),
            format!(
                "cannot create the output directory {}: {why}",
                dir.display()
            ),
        )
    })
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
    fn copies_are_whole_and_an_abandoned_partial_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&from, "bytes").unwrap();
        copy_atomic(&from, &to).unwrap();
        assert_eq!(fs::read_to_string(&to).unwrap(), "bytes");
        assert!(!partial_path(&to).exists());
        let abandoned = Partial::new(dir.path().join("c"));
        fs::write(abandoned.path(), "half").unwrap();
        let left = abandoned.path().to_path_buf();
        drop(abandoned);
        assert!(!left.exists() && !dir.path().join("c").exists());
        let e = create_dir(&from).unwrap_err().to_string();
        assert!(e.contains("exists and is not a directory"), "{e}");
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
