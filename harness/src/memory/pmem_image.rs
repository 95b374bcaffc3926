//! The pmem region's contents backed by a file (`--pmem-image`), so that a run can
//! start from what an earlier run left behind.
//!
//! # Image file
//!
//! A 4 KiB header block, then the region's bytes: page `n` is at file offset
//! `4096 + n * 4096` and the file is `4096 + size` bytes long. The data area is
//! created sparse (`set_len`), so a 1 TiB region costs disk only for written pages,
//! and opening reads only the file's data extents (`SEEK_DATA`/`SEEK_HOLE`).
//!
//! Header, little-endian; the rest of the block is zero:
//!
//! | offset | size | field                                             |
//! |--------|------|---------------------------------------------------|
//! | 0      | 8    | magic `b"COSIMPM\0"`                              |
//! | 8      | 4    | format version, 1                                 |
//! | 12     | 4    | page size, 4096                                   |
//! | 16     | 8    | region size in bytes (a multiple of the page size) |
//! | 24     | 8    | generation: the number of commits so far          |
//! | 32     | 8    | FNV-1a 64 of bytes 0..32                          |
//!
//! # Journal (`FILE.journal`)
//!
//! Exists only while a commit is in flight (or after a crash in one):
//!
//! | offset | size | field                                                  |
//! |--------|------|--------------------------------------------------------|
//! | 0      | 8    | magic `b"COSIMPJ\0"`                                   |
//! | 8      | 4    | format version, 1                                      |
//! | 12     | 4    | page size, 4096                                        |
//! | 16     | 8    | region size                                            |
//! | 24     | 8    | generation the image has once the journal is applied   |
//! | 32     | 8    | record count                                           |
//! | 40     | ...  | records in increasing page order: page number (8), kind (8: 0 = data, 1 = zero page), then for kind 0 the page's 4096 bytes |
//! | end-8  | 8    | FNV-1a 64 of every byte before it                      |
//!
//! A journal is valid only if it parses, ends exactly after the checksum and the
//! checksum matches; anything else is an incomplete write and is discarded.
//!
//! # Commit protocol and the state on disk after each step
//!
//! `commit` makes the image equal to the memory for the dirty pages; until it
//! returns, the file is at the old generation `g` or, after recovery, the new `g+1`:
//!
//! 1. Write the journal (target generation `g+1`, every dirty page's new contents,
//!    the checksum), fsync it, fsync the directory so that its name is durable too.
//!    A crash before both fsyncs complete leaves the image untouched at `g` and a
//!    journal that is missing, incomplete or complete; `open` discards the first two
//!    and replays the third, so it reopens at `g` or `g+1`.
//! 2. Write the pages in place (zero pages are punched as holes), fsync the image.
//!    The image may now mix old and new pages, but only for pages the durable
//!    journal holds: `open` replays it and reaches exactly `g+1`.
//! 3. Write the header with generation `g+1`, fsync. A torn header fails its
//!    checksum, and the journal, still present, rewrites it.
//! 4. Delete the journal, fsync the directory. If the deletion is lost, replaying
//!    it again is harmless: replay only writes the journal's contents, so it is
//!    idempotent, and the image already holds them.
//!
//! Replay at `open` is steps 2 to 4 from the journal's contents; a crash during it
//! leaves the journal in place and the next `open` replays it again.
//!
//! A failed commit (an I/O error, e.g. a full disk) may or may not have taken effect;
//! pass the same pages again. If it failed after step 1 the journal on disk is the
//! truth and the in-process image is poisoned: further commits fail until the image
//! is reopened, which replays the journal. The image file is created under a
//! temporary name and renamed into place, so a crash during creation leaves either
//! no image or an empty one. An exclusive lock (`flock`) keeps a second process from
//! opening the same image.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::sparse::{SparseMemory, PAGE_SIZE};
use crate::fnv::{fnv, Fnv};

const MAGIC: [u8; 8] = *b"COSIMPM\0";
const JOURNAL_MAGIC: [u8; 8] = *b"COSIMPJ\0";
const VERSION: u32 = 1;
const PAGE: u64 = PAGE_SIZE as u64;
/// The header block in front of the data area.
const HEADER_LEN: u64 = PAGE;
/// Bytes of the header (and of the journal's head) that carry fields.
const FIELDS_LEN: usize = 40;
const KIND_DATA: u64 = 0;
const KIND_ZERO: u64 = 1;
/// Pages read per system call when loading a data extent.
const LOAD_CHUNK_PAGES: u64 = 256;

/// Why an image could not be opened or committed. Each names the file concerned.
#[derive(Debug, Error)]
pub enum ImageError {
    #[error("{}: {what}: {reason}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        reason: io::Error,
    },
    #[error("{}: not a cosim pmem image (bad magic)", path.display())]
    NotImage { path: PathBuf },
    #[error("{}: unknown pmem image format version {version} (this build reads version {VERSION})", path.display())]
    UnknownVersion { path: PathBuf, version: u32 },
    #[error("{}: header corrupt (checksum mismatch) and no journal to repair it", path.display())]
    HeaderCorrupt { path: PathBuf },
    #[error("{}: page size {page_size} is not supported (only {PAGE_SIZE})", path.display())]
    PageSize { path: PathBuf, page_size: u32 },
    #[error("{}: image holds a region of {image:#x} bytes, but the pmem region is {requested:#x} bytes", path.display())]
    SizeMismatch {
        path: PathBuf,
        image: u64,
        requested: u64,
    },
    #[error("{}: region size {size:#x} is not a non-zero multiple of {PAGE_SIZE}", path.display())]
    BadRegionSize { path: PathBuf, size: u64 },
    #[error("{}: file is {len} bytes, shorter than the header plus the region ({expected} bytes)", path.display())]
    Truncated {
        path: PathBuf,
        len: u64,
        expected: u64,
    },
    #[error("{}: a complete journal for a region of {journal:#x} bytes, not {requested:#x}; remove it if it does not belong to this image", path.display())]
    ForeignJournal {
        path: PathBuf,
        journal: u64,
        requested: u64,
    },
    #[error("{}: in use by another process", path.display())]
    Locked { path: PathBuf },
    #[error("{}: page {page:#x} is outside the region's {pages:#x} pages", path.display())]
    PageOutOfRange {
        path: PathBuf,
        page: u64,
        pages: u64,
    },
    #[error("{}: an earlier commit failed midway; reopen the image to recover it from its journal", path.display())]
    Poisoned { path: PathBuf },
}

/// A pmem image file, open and locked. Its contents live in the `SparseMemory`
/// that `open` returns; `commit` writes changed pages back.
pub struct PmemImage {
    path: PathBuf,
    journal: PathBuf,
    file: File,
    size: u64,
    generation: u64,
    /// Set while the journal is ahead of the image (a commit failed after step 1).
    poisoned: bool,
}

impl PmemImage {
    /// Opens the image at `path` for a region of `size` bytes, creating an empty one
    /// if there is none, and returns it with its contents. A journal left by an
    /// interrupted commit is replayed, or discarded if it is incomplete.
    pub fn open(
        path: impl AsRef<Path>,
        size: u64,
    ) -> Result<(PmemImage, SparseMemory), ImageError> {
        Self::open_with(path.as_ref(), size, &mut Steps::unlimited())
    }

    /// Makes the image equal to `mem` in the pages numbered by `dirty` (any order,
    /// repeats allowed), crash-safely; see the module docs. Pages not named keep
    /// their image contents. A commit with no pages changes nothing.
    pub fn commit(
        &mut self,
        mem: &SparseMemory,
        dirty: impl IntoIterator<Item = u64>,
    ) -> Result<(), ImageError> {
        self.commit_with(mem, dirty, &mut Steps::unlimited())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Region size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of commits the image has seen since it was created.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn open_with(
        path: &Path,
        size: u64,
        steps: &mut Steps,
    ) -> Result<(PmemImage, SparseMemory), ImageError> {
        if size == 0 || !size.is_multiple_of(PAGE) {
            return Err(ImageError::BadRegionSize {
                path: path.to_owned(),
                size,
            });
        }
        let journal = journal_path(path);
        let file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return match Self::create(path, journal, size)? {
                    Some(image) => Ok((image, SparseMemory::new(size))),
                    // Another process created it first: open theirs (locked while
                    // they use it).
                    None => Self::open_with(path, size, steps),
                };
            }
            Err(e) => return Err(io_error(path, "cannot open", e)),
        };
        lock(&file, path)?;
        let mut image = Self::from_file(path, journal, file, size);
        // Only a checksum failure may be a torn header write that the journal repairs;
        // bad magic or version means the file is not ours to write.
        let header = match image.read_header() {
            Ok(header) => Some(header),
            Err(ImageError::HeaderCorrupt { .. }) => None,
            Err(e) => return Err(e),
        };
        if let Some(header) = &header {
            header.check(path, size)?;
        }
        let len = io(path, "cannot stat", image.file.metadata())?.len();
        if len < HEADER_LEN + size {
            return Err(ImageError::Truncated {
                path: path.to_owned(),
                len,
                expected: HEADER_LEN + size,
            });
        }
        image.generation = match (image.recover(steps)?, header) {
            (Some(generation), _) => generation,
            (None, Some(header)) => header.generation,
            (None, None) => {
                return Err(ImageError::HeaderCorrupt {
                    path: path.to_owned(),
                })
            }
        };
        let mem = image.load()?;
        Ok((image, mem))
    }

    /// Makes a fresh image: created under a name of this process's own, locked, sized
    /// and synced, then linked under `path` only if no other process got there first
    /// (`None` then). A crash leaves no image rather than a half-made one, and two
    /// processes creating the same image never touch each other's file.
    fn create(path: &Path, journal: PathBuf, size: u64) -> Result<Option<PmemImage>, ImageError> {
        // Unique to this process and call: no one else ever opens this file.
        static CREATED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let call = CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".new.{}.{call}", std::process::id()));
        let tmp = PathBuf::from(name);
        let file = io(
            &tmp,
            "cannot create",
            OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&tmp),
        )?;
        let made = (|| {
            lock(&file, path)?;
            let header = Header {
                size,
                generation: 0,
            };
            io(
                &tmp,
                "cannot write header",
                file.write_all_at(&header.encode(), 0),
            )?;
            io(&tmp, "cannot size", file.set_len(HEADER_LEN + size))?;
            io(&tmp, "cannot sync", file.sync_all())?;
            Ok(match fs::hard_link(&tmp, path) {
                Ok(()) => true,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(io_error(path, "cannot link into place", e)),
            })
        })();
        let removed = fs::remove_file(&tmp);
        if !made? {
            return Ok(None);
        }
        io(&tmp, "cannot remove", removed)?;
        sync_dir(path)?;
        // The image is ours and locked: a journal beside it belongs to an image that
        // was deleted, and replaying it onto this one would be wrong.
        remove_if_present(&journal)?;
        Ok(Some(Self::from_file(path, journal, file, size)))
    }

    /// The image of the locked `file`, at generation 0 until its header or
    /// journal says otherwise.
    fn from_file(path: &Path, journal: PathBuf, file: File, size: u64) -> PmemImage {
        PmemImage {
            path: path.to_owned(),
            journal,
            file,
            size,
            generation: 0,
            poisoned: false,
        }
    }

    fn read_header(&self) -> Result<Header, ImageError> {
        let mut raw = [0u8; FIELDS_LEN];
        let n = read_up_to(&self.file, &mut raw, 0)
            .map_err(|e| io_error(&self.path, "cannot read header", e))?;
        Header::decode(&raw[..n], &self.path, HEADER_LEN + self.size)
    }

    /// Replays a valid journal (returning the generation it brings the image to)
    /// or discards an incomplete one.
    fn recover(&self, steps: &mut Steps) -> Result<Option<u64>, ImageError> {
        let journal = match File::open(&self.journal) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&self.journal, "cannot open journal", e)),
        };
        let read_error = |e| io_error(&self.journal, "cannot read journal", e);
        let Some(head) = scan_journal(&journal, |_, _| Ok(())).map_err(read_error)? else {
            drop(journal);
            io(&self.journal, "cannot discard incomplete journal", {
                steps.step().and_then(|()| fs::remove_file(&self.journal))
            })?;
            sync_dir(&self.journal)?;
            return Ok(None);
        };
        if head.size != self.size {
            return Err(ImageError::ForeignJournal {
                path: self.journal.clone(),
                journal: head.size,
                requested: self.size,
            });
        }
        let pages = self.size / PAGE;
        let mut write_error = None;
        let replayed = scan_journal(&journal, |page, data| {
            if page >= pages {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("page {page:#x} outside the region"),
                ));
            }
            // Keep the image's error apart from a journal read error.
            self.write_page(page, data, steps).map_err(|e| {
                write_error = Some(e);
                io::Error::other("image write failed")
            })
        })
        .map_err(|e| write_error.take().unwrap_or_else(|| read_error(e)))?;
        if replayed.is_none() {
            // Valid a moment ago: someone else is writing it.
            let e = io::Error::new(io::ErrorKind::InvalidData, "journal changed during replay");
            return Err(read_error(e));
        }
        self.finish(head.generation, steps)?;
        Ok(Some(head.generation))
    }

    /// Commit steps 2 to 4 after the pages: sync them, publish the generation,
    /// drop the journal.
    fn finish(&self, generation: u64, steps: &mut Steps) -> Result<(), ImageError> {
        self.sync(steps)?;
        let header = Header {
            size: self.size,
            generation,
        };
        self.op(steps, "cannot write header", |f| {
            f.write_all_at(&header.encode(), 0)
        })?;
        self.sync(steps)?;
        io(&self.journal, "cannot remove journal", {
            steps.step().and_then(|()| fs::remove_file(&self.journal))
        })?;
        sync_dir(&self.journal)
    }

    fn commit_with(
        &mut self,
        mem: &SparseMemory,
        dirty: impl IntoIterator<Item = u64>,
        steps: &mut Steps,
    ) -> Result<(), ImageError> {
        if self.poisoned {
            return Err(ImageError::Poisoned {
                path: self.path.clone(),
            });
        }
        if mem.size() != self.size {
            return Err(ImageError::SizeMismatch {
                path: self.path.clone(),
                image: self.size,
                requested: mem.size(),
            });
        }
        let mut dirty: Vec<u64> = dirty.into_iter().collect();
        dirty.sort_unstable();
        dirty.dedup();
        let pages = self.size / PAGE;
        match dirty.last() {
            None => return Ok(()),
            Some(&page) if page >= pages => {
                return Err(ImageError::PageOutOfRange {
                    path: self.path.clone(),
                    page,
                    pages,
                })
            }
            Some(_) => {}
        }
        let generation = self.generation + 1;
        self.write_journal(mem, &dirty, generation, steps)?;
        // The journal is durable and now ahead of the image until `finish` is done.
        self.poisoned = true;
        let mut buf = [0u8; PAGE_SIZE];
        for &page in &dirty {
            mem.read(page * PAGE, &mut buf);
            let data = buf.iter().any(|&b| b != 0).then_some(&buf);
            self.write_page(page, data, steps)?;
        }
        self.finish(generation, steps)?;
        self.poisoned = false;
        self.generation = generation;
        Ok(())
    }

    /// Step 1: the journal, durable under its name.
    fn write_journal(
        &self,
        mem: &SparseMemory,
        dirty: &[u64],
        generation: u64,
        steps: &mut Steps,
    ) -> Result<(), ImageError> {
        let at = &self.journal;
        let file = io(at, "cannot create journal", {
            steps.step().and_then(|()| File::create(at))
        })?;
        let mut hash = Fnv::new();
        let mut offset = 0;
        let mut put = |bytes: &[u8], steps: &mut Steps| {
            hash.update(bytes);
            let r = steps.step().and_then(|()| file.write_all_at(bytes, offset));
            offset += bytes.len() as u64;
            io(at, "cannot write journal", r)
        };
        let mut head = [0u8; FIELDS_LEN];
        head[0..8].copy_from_slice(&JOURNAL_MAGIC);
        head[8..12].copy_from_slice(&VERSION.to_le_bytes());
        head[12..16].copy_from_slice(&(PAGE_SIZE as u32).to_le_bytes());
        head[16..24].copy_from_slice(&self.size.to_le_bytes());
        head[24..32].copy_from_slice(&generation.to_le_bytes());
        head[32..40].copy_from_slice(&(dirty.len() as u64).to_le_bytes());
        put(&head, steps)?;
        // One write per record: page number, kind, and the page unless it is zero.
        let mut record = vec![0u8; 16 + PAGE_SIZE];
        for &page in dirty {
            mem.read(page * PAGE, &mut record[16..]);
            let zero = record[16..].iter().all(|&b| b == 0);
            record[0..8].copy_from_slice(&page.to_le_bytes());
            let kind = if zero { KIND_ZERO } else { KIND_DATA };
            record[8..16].copy_from_slice(&kind.to_le_bytes());
            put(&record[..if zero { 16 } else { 16 + PAGE_SIZE }], steps)?;
        }
        let sum = hash.finish();
        io(at, "cannot write journal", {
            steps
                .step()
                .and_then(|()| file.write_all_at(&sum.to_le_bytes(), offset))
        })?;
        io(at, "cannot sync journal", {
            steps.step().and_then(|()| file.sync_all())
        })?;
        steps
            .step()
            .map_err(|e| io_error(at, "cannot sync directory", e))?;
        sync_dir(at)
    }

    /// Writes one page in place; `None` is a zero page, punched as a hole so that
    /// cleared memory gives its disk space back.
    fn write_page(
        &self,
        page: u64,
        data: Option<&[u8; PAGE_SIZE]>,
        steps: &mut Steps,
    ) -> Result<(), ImageError> {
        let offset = HEADER_LEN + page * PAGE;
        self.op(steps, "cannot write page", |f| match data {
            Some(data) => f.write_all_at(data, offset),
            None => zero_range(f, offset, PAGE),
        })
    }

    fn sync(&self, steps: &mut Steps) -> Result<(), ImageError> {
        self.op(steps, "cannot sync", File::sync_all)
    }

    /// One primitive operation on the image file, counted by `steps`.
    fn op<T>(
        &self,
        steps: &mut Steps,
        what: &'static str,
        f: impl FnOnce(&File) -> io::Result<T>,
    ) -> Result<T, ImageError> {
        io(&self.path, what, steps.step().and_then(|()| f(&self.file)))
    }

    /// Reads the data extents into a fresh memory; holes and zero pages stay
    /// unallocated, so the cost follows the data, not the region size.
    fn load(&self) -> Result<SparseMemory, ImageError> {
        let mut mem = SparseMemory::new(self.size);
        let end = HEADER_LEN + self.size;
        let mut buf = vec![0u8; (LOAD_CHUNK_PAGES * PAGE) as usize];
        let mut at = HEADER_LEN;
        while at < end {
            let extent = data_extent(&self.file, at, end)
                .map_err(|e| io_error(&self.path, "cannot find data", e))?;
            let Some((start, stop)) = extent else { break };
            // Extents are in filesystem blocks; widen to whole pages.
            let mut page = (start - HEADER_LEN) / PAGE;
            let last = (stop - HEADER_LEN).div_ceil(PAGE);
            while page < last {
                let n = (last - page).min(LOAD_CHUNK_PAGES);
                let chunk = &mut buf[..(n * PAGE) as usize];
                io(&self.path, "cannot read data", {
                    self.file.read_exact_at(chunk, HEADER_LEN + page * PAGE)
                })?;
                // `write` allocates only for non-zero bytes, so zero pages stay holes.
                mem.write(page * PAGE, chunk);
                page += n;
            }
            at = HEADER_LEN + last * PAGE;
        }
        Ok(mem)
    }
}

/// The header's fields.
struct Header {
    size: u64,
    generation: u64,
}

impl Header {
    fn encode(&self) -> [u8; FIELDS_LEN] {
        let mut raw = [0u8; FIELDS_LEN];
        raw[0..8].copy_from_slice(&MAGIC);
        raw[8..12].copy_from_slice(&VERSION.to_le_bytes());
        raw[12..16].copy_from_slice(&(PAGE_SIZE as u32).to_le_bytes());
        raw[16..24].copy_from_slice(&self.size.to_le_bytes());
        raw[24..32].copy_from_slice(&self.generation.to_le_bytes());
        let sum = fnv(&raw[..32]);
        raw[32..40].copy_from_slice(&sum.to_le_bytes());
        raw
    }

    /// Checks magic, then version (a later version may lay out the rest
    /// differently), then the checksum.
    /// `expected_len` is only for the message when the file ends inside the header.
    fn decode(raw: &[u8], path: &Path, expected_len: u64) -> Result<Header, ImageError> {
        let path = || path.to_owned();
        if raw.len() < 8 || raw[0..8] != MAGIC {
            return Err(ImageError::NotImage { path: path() });
        }
        if raw.len() < FIELDS_LEN {
            return Err(ImageError::Truncated {
                path: path(),
                len: raw.len() as u64,
                expected: expected_len,
            });
        }
        let version = le32(&raw[8..12]);
        if version != VERSION {
            return Err(ImageError::UnknownVersion {
                path: path(),
                version,
            });
        }
        if fnv(&raw[..32]) != le64(&raw[32..40]) {
            return Err(ImageError::HeaderCorrupt { path: path() });
        }
        let page_size = le32(&raw[12..16]);
        if page_size as usize != PAGE_SIZE {
            return Err(ImageError::PageSize {
                path: path(),
                page_size,
            });
        }
        Ok(Header {
            size: le64(&raw[16..24]),
            generation: le64(&raw[24..32]),
        })
    }

    fn check(&self, path: &Path, size: u64) -> Result<(), ImageError> {
        if self.size != size {
            return Err(ImageError::SizeMismatch {
                path: path.to_owned(),
                image: self.size,
                requested: size,
            });
        }
        Ok(())
    }
}

/// A valid journal's head.
struct JournalHead {
    size: u64,
    generation: u64,
}

/// Reads a journal through, handing each record to `visit`, and returns its head
/// if it is complete and its checksum matches, `None` if it is not (an interrupted
/// write). A validating pass must come before a pass whose `visit` acts.
fn scan_journal(
    file: &File,
    mut visit: impl FnMut(u64, Option<&[u8; PAGE_SIZE]>) -> io::Result<()>,
) -> io::Result<Option<JournalHead>> {
    let mut file = file;
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hash = Fnv::new();
    let mut read = |buf: &mut [u8], hash: &mut Fnv| -> io::Result<bool> {
        match reader.read_exact(buf) {
            Ok(()) => {
                hash.update(buf);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
            Err(e) => Err(e),
        }
    };
    let mut head = [0u8; FIELDS_LEN];
    if !read(&mut head, &mut hash)?
        || head[0..8] != JOURNAL_MAGIC
        || le32(&head[8..12]) != VERSION
        || le32(&head[12..16]) as usize != PAGE_SIZE
    {
        return Ok(None);
    }
    let mut record = [0u8; 16];
    let mut page = Box::new([0u8; PAGE_SIZE]);
    for _ in 0..le64(&head[32..40]) {
        if !read(&mut record, &mut hash)? {
            return Ok(None);
        }
        let number = le64(&record[0..8]);
        let data = match le64(&record[8..16]) {
            KIND_ZERO => None,
            KIND_DATA if read(&mut page[..], &mut hash)? => Some(&*page),
            _ => return Ok(None),
        };
        visit(number, data)?;
    }
    let expected = hash.finish();
    let mut trailer = [0u8; 8];
    let mut extra = [0u8; 1];
    if !read(&mut trailer, &mut hash)? || le64(&trailer) != expected || read(&mut extra, &mut hash)?
    {
        return Ok(None);
    }
    Ok(Some(JournalHead {
        size: le64(&head[16..24]),
        generation: le64(&head[24..32]),
    }))
}

/// Counts the primitive file operations of a commit or a recovery, so that tests can
/// stop one after any of them as a kill -9 would: the failing operation and
/// everything after it do not happen.
struct Steps {
    left: Option<usize>,
}

impl Steps {
    fn unlimited() -> Self {
        Steps { left: None }
    }

    fn step(&mut self) -> io::Result<()> {
        match &mut self.left {
            None => Ok(()),
            Some(0) => Err(io::Error::other("injected crash")),
            Some(n) => {
                *n -= 1;
                Ok(())
            }
        }
    }
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().unwrap())
}

fn le64(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap())
}

fn journal_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(".journal");
    PathBuf::from(name)
}

fn io_error(path: &Path, what: &'static str, reason: io::Error) -> ImageError {
    ImageError::Io {
        path: path.to_owned(),
        what,
        reason,
    }
}

fn io<T>(path: &Path, what: &'static str, r: io::Result<T>) -> Result<T, ImageError> {
    r.map_err(|e| io_error(path, what, e))
}

fn lock(file: &File, path: &Path) -> Result<(), ImageError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => Err(ImageError::Locked {
            path: path.to_owned(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(io_error(path, "cannot lock", e)),
    }
}

/// Makes a file's creation, rename or removal durable.
fn sync_dir(path: &Path) -> Result<(), ImageError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    io(
        dir,
        "cannot sync directory",
        File::open(dir).and_then(|d| d.sync_all()),
    )
}

fn remove_if_present(path: &Path) -> Result<(), ImageError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, "cannot remove", e)),
    }
}

/// Reads from `offset` until `buf` is full or the file ends; returns the count.
fn read_up_to(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The first data extent `[start, stop)` at or after `at`, clipped to `end`.
#[cfg(target_os = "linux")]
fn data_extent(file: &File, at: u64, end: u64) -> io::Result<Option<(u64, u64)>> {
    use std::os::fd::AsRawFd;
    let seek = |offset: u64, whence| {
        // SAFETY: lseek on a descriptor we own; it moves only the file offset, which
        // nothing here relies on (all I/O is positional).
        let r = unsafe { libc::lseek(file.as_raw_fd(), offset as libc::off_t, whence) };
        if r >= 0 {
            Ok(Some(r as u64))
        } else {
            let e = io::Error::last_os_error();
            // ENXIO: no data (or hole) at or after `offset`.
            match e.raw_os_error() {
                Some(libc::ENXIO) => Ok(None),
                _ => Err(e),
            }
        }
    };
    let Some(start) = seek(at, libc::SEEK_DATA)?.filter(|&s| s < end) else {
        return Ok(None);
    };
    let stop = seek(start, libc::SEEK_HOLE)?.unwrap_or(end).min(end);
    Ok(Some((start, stop)))
}

/// Without `SEEK_DATA`, all of the rest is data (slow for a large sparse image).
#[cfg(not(target_os = "linux"))]
fn data_extent(_file: &File, at: u64, end: u64) -> io::Result<Option<(u64, u64)>> {
    Ok((at < end).then_some((at, end)))
}

/// Zeros `[offset, offset + len)`, as a hole where the filesystem can punch one.
fn zero_range(file: &File, offset: u64, len: u64) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let mode = libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE;
        // SAFETY: fallocate on a descriptor we own; no memory is passed.
        let r = unsafe {
            libc::fallocate(
                file.as_raw_fd(),
                mode,
                offset as libc::off_t,
                len as libc::off_t,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EOPNOTSUPP) {
            return Err(e);
        }
    }
    file.write_all_at(&vec![0u8; len as usize], offset)
}

#[cfg(test)]
#[path = "pmem_image_tests.rs"]
mod tests;
