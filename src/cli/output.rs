//! Writing a build's files: every file or none. Each file is written to a temporary file
//! beside its target as soon as it is ready (so a large root is streamed to disk, not held in
//! memory), and only when every workspace has been built are they all renamed into place. A
//! file whose contents did not change is left untouched: its modification time stays, and the
//! file system is spared replacing it (ext4, for one, flushes a file that replaces another by
//! rename, which costs more than the comparison).

use super::Fatal;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A file written beside its target, not yet in place.
struct Staged {
    temp: NamedTempFile,
    path: PathBuf,
}

/// The files of a build, written but not yet in place.
#[derive(Default)]
pub struct Staging {
    files: Vec<Staged>,
}

impl Staging {
    /// Writes the new contents of `path` (given by `write`) to a temporary file beside it.
    pub fn write(
        &mut self,
        path: PathBuf,
        write: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
    ) -> Result<(), Fatal> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| Fatal(format!("cannot create `{}`: {e}", dir.display())))?;
        let mut builder = tempfile::Builder::new();
        // A temporary file is private (0600) by default; the outputs are ordinary files, so
        // they get the permissions any new file gets (0666 less the umask).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder
            .tempfile_in(dir)
            .map_err(|e| Fatal(format!("cannot write in `{}`: {e}", dir.display())))?;
        // No fsync: the rename makes the write atomic for readers; durability across a power
        // loss is not worth milliseconds per file for output that a rebuild reproduces.
        let mut out = BufWriter::with_capacity(1 << 16, temp.as_file());
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Fatal(format!("cannot write `{}`: {e}", path.display())))?;
        drop(out);
        self.files.push(Staged { temp, path });
        Ok(())
    }

    /// Writes `contents` as the new contents of `path`, unless `path` holds them already.
    pub fn write_text(&mut self, path: PathBuf, contents: &str) -> Result<(), Fatal> {
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == contents.len() as u64)
            && std::fs::read(&path).is_ok_and(|old| old == contents.as_bytes())
        {
            return Ok(());
        }
        self.write(path, |out| out.write_all(contents.as_bytes()))
    }

    /// Takes over the files another build staged.
    pub fn extend(&mut self, other: Staging) {
        self.files.extend(other.files);
    }

    /// Moves every changed file into place; unchanged ones are left as they are.
    pub fn commit(self) -> Result<(), Fatal> {
        for Staged { temp, path } in self.files {
            if same_contents(temp.path(), &path) {
                continue;
            }
            temp.persist(&path)
                .map_err(|e| Fatal(format!("cannot write `{}`: {}", path.display(), e.error)))?;
        }
        Ok(())
    }
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_contents(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if meta_a.len() != meta_b.len() || !meta_b.is_file() {
        return false;
    }
    let (Ok(file_a), Ok(file_b)) = (File::open(a), File::open(b)) else {
        return false;
    };
    let (mut a, mut b) = (BufReader::new(file_a), BufReader::new(file_b));
    let (mut chunk_a, mut chunk_b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let Ok(n) = a.read(&mut chunk_a) else {
            return false;
        };
        if n == 0 {
            return true;
        }
        let (Some(read), Some(expected)) = (chunk_b.get_mut(..n), chunk_a.get(..n)) else {
            return false;
        };
        if b.read_exact(read).is_err() || read != expected {
            return false;
        }
    }
}
