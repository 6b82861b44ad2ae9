//! The index snapshot beside the library file (`<db>.index`): the search index as it was at the last
//! checkpoint, so that opening a million-face library reads one file in order instead of a million rows. The
//! SQLite tables stay the truth: open loads the snapshot, then adds and removes whatever faces differ, so a
//! stale, missing or damaged snapshot costs time, never correctness.
//!
//! Layout: `FKINDEX2`, the library id (u64 length + bytes), [`VectorIndex::write_to`], CRC-32 of all before.
//! It is written to `<db>.index.tmp`, synced and renamed over the old one, so a crash leaves one or the other.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::index::VectorIndex;
use crate::error::{Error, Result};

// 2: vectors only (1 also held the HNSW graph of earlier builds; such a snapshot is ignored and rebuilt).
const MAGIC: &[u8; 8] = b"FKINDEX2";

/// Where the snapshot of the library at `db` lives.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".index");
    PathBuf::from(p)
}

pub fn save(path: &Path, library_id: &str, index: &VectorIndex) -> Result<()> {
    let io = |e: std::io::Error| Error::system(format!("{}: {e}", path.display()));
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp).map_err(io)?;
    let mut w = Crc {
        inner: BufWriter::with_capacity(1 << 20, file),
        crc: crc32fast::Hasher::new(),
    };
    w.write_all(MAGIC).map_err(io)?;
    w.write_all(&(library_id.len() as u64).to_le_bytes())
        .map_err(io)?;
    w.write_all(library_id.as_bytes()).map_err(io)?;
    index.write_to(&mut w)?;
    let crc = w.crc.finalize();
    let mut inner = w.inner;
    inner.write_all(&crc.to_le_bytes()).map_err(io)?;
    let file = inner.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    sync_parent_dir(path);
    Ok(())
}

/// The snapshot at `path` if it is whole and belongs to this library; None otherwise.
pub fn load(path: &Path, library_id: &str, dim: usize) -> Result<Option<VectorIndex>> {
    let Ok(file) = File::open(path) else {
        return Ok(None);
    };
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return Ok(None);
    };
    if len < (MAGIC.len() + 8 + 4) as u64
        || !crc_matches(&file, len)
        || (&file).seek(SeekFrom::Start(0)).is_err()
    {
        return Ok(None);
    }
    let mut r = BufReader::with_capacity(1 << 20, &file);
    let mut magic = [0u8; 8];
    let mut id_len = [0u8; 8];
    if r.read_exact(&mut magic).is_err() || &magic != MAGIC || r.read_exact(&mut id_len).is_err() {
        return Ok(None);
    }
    let id_len = u64::from_le_bytes(id_len);
    if id_len != library_id.len() as u64 {
        return Ok(None);
    }
    let mut id = vec![0u8; library_id.len()];
    if r.read_exact(&mut id).is_err() || id != library_id.as_bytes() {
        return Ok(None);
    }
    VectorIndex::read_from(&mut r, dim)
}

/// The CRC-32 of all but the last 4 bytes equals those 4 bytes. Checked before any byte is parsed.
fn crc_matches(mut file: &File, len: u64) -> bool {
    let mut crc = crc32fast::Hasher::new();
    let mut body = (&mut file).take(len - 4);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => crc.update(&buf[..n]),
            Err(_) => return false,
        }
    }
    let mut stored = [0u8; 4];
    file.read_exact(&mut stored).is_ok() && u32::from_le_bytes(stored) == crc.finalize()
}

/// Makes the rename itself durable (POSIX: the directory entry lives in the directory).
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A writer that keeps the CRC-32 of what passes through.
struct Crc<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Crc<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
