//! Writing the files a user asked for (exports, backups): never through something that is not
//! a regular file, and never half: each is written beside its destination, synced, and renamed
//! into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Where to write `path`: itself, or, when it is a link to a file in the same folder, that
/// file. A device, a FIFO, a socket, a folder, or a link leading anywhere else is refused:
/// renaming over it would replace it (as root, `/dev/full` with a PDF).
pub(crate) fn destination(path: &Path) -> Result<PathBuf> {
    let refuse = |what: &'static str| Error::NotARegularFile { path: path.to_owned(), what };
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_owned()),
        Err(source) => return Err(Error::Io { path: path.to_owned(), source }),
        Ok(meta) => meta,
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|_| refuse("a link to nothing"))?;
        let folder = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let folder = std::fs::canonicalize(folder).map_err(|source| Error::Io { path: folder.to_owned(), source })?;
        if target.parent() != Some(folder.as_path()) {
            return Err(refuse("a link to a file outside its folder"));
        }
        return match std::fs::metadata(&target) {
            Ok(m) if m.is_file() => Ok(target),
            _ => Err(refuse("a link to something that is not a file")),
        };
    }
    if meta.is_file() {
        Ok(path.to_owned())
    } else if meta.is_dir() {
        Err(refuse("a folder"))
    } else {
        Err(refuse("a device, pipe or socket"))
    }
}

/// Writes `bytes` to `path` (see [`destination`]) through a temporary file beside it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let path = destination(path)?;
    let io = |source| Error::Io { path: path.clone(), source };
    let tmp = temporary_beside(&path)?;
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, &path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// A name for a temporary file beside `path` (hidden, with the process id).
pub(crate) fn temporary_beside(path: &Path) -> Result<PathBuf> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::Io { path: path.to_owned(), source: std::io::Error::other("the path names no file") })?;
    Ok(dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id())))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_and_links_beside_them_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.pdf");
        write_atomically(&file, b"one").unwrap();
        write_atomically(&file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");

        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_atomically(&link, b"three").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read(&file).unwrap(), b"three");

        let other = tempfile::tempdir().unwrap();
        let outside = other.path().join("victim");
        std::fs::write(&outside, b"keep").unwrap();
        let escape = dir.path().join("escape.pdf");
        std::os::unix::fs::symlink(&outside, &escape).unwrap();
        let err = write_atomically(&escape, b"x").unwrap_err();
        assert!(err.to_string().contains("outside its folder"), "{err}");
        assert_eq!(std::fs::read(&outside).unwrap(), b"keep");

        for (path, what) in [(Path::new("/dev/null"), "device"), (dir.path(), "folder")] {
            let err = write_atomically(path, b"x").unwrap_err();
            assert!(err.to_string().contains(what), "{err}");
        }
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null is still a device");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
