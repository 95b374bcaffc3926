//! Reading input files with a bound: a file larger than what it can sensibly hold
//! is refused before it is read, and files that never end (/dev/zero, a terminal)
//! are refused outright, so a wrong path cannot make cosim read forever.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// Upper bound of a text input (matrix, baseline, profile).
pub const TEXT_LIMIT: u64 = 256 << 20;

/// Reads all of `path`, which must be a regular file (or a pipe) of at most `limit`
/// bytes; the error says why not, in words (the caller adds the path).
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    if !kind.is_file() && !kind.is_fifo() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a device or socket may never end)",
        ));
    }
    if kind.is_file() && meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text of at most [`TEXT_LIMIT`] bytes.
pub fn read_text(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bounded(path, TEXT_LIMIT)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("more than {limit} bytes, larger than such an input can be"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_and_oversized_inputs_are_refused() {
        let e = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![0u8; 100]).unwrap();
        let e = read_bounded(&path, 99).unwrap_err();
        assert!(e.to_string().contains("more than 99 bytes"), "{e}");
        assert_eq!(read_bounded(&path, 100).unwrap().len(), 100);
        assert!(read_bounded(dir.path(), 100).is_err());
    }
}
