//! Reading a zip held in memory, within [`Limits`]: the sizes its entries claim are checked
//! before anything is unpacked, and unpacking stops at the limit whatever they claimed.

use std::io::{Cursor, Read};

use crate::{Error, Limits, Result};

/// An opened zip.
pub(crate) struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    unpacked: u64,
}

impl<'a> Zip<'a> {
    pub(crate) fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::BadZip(e.to_string()))?;
        if archive.len() > limits.max_entries {
            return Err(Error::BadZip(format!("{} entries, more than {}", archive.len(), limits.max_entries)));
        }
        Ok(Zip { archive, limits: *limits, unpacked: 0 })
    }

    /// The names of its files (folders left out), in the zip's order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.archive.file_names().filter_map(|n| n.ok()).filter(|n| !n.ends_with('/')).map(|n| n.into_owned()).collect()
    }

    /// The bytes of the file `name`.
    pub(crate) fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let mut file = self.archive.by_name(name).map_err(|e| Error::BadZip(format!("{name}: {e}")))?;
        let room = self.limits.max_unzipped.saturating_sub(self.unpacked);
        if file.size() > room {
            return Err(Error::ZipTooLarge { limit: self.limits.max_unzipped });
        }
        let mut out = Vec::with_capacity(file.size().min(64 << 20) as usize);
        // One byte past the room tells a lying size header from an entry that fits.
        (&mut file).take(room + 1).read_to_end(&mut out).map_err(|e| Error::BadZip(format!("{name}: {e}")))?;
        if out.len() as u64 > room {
            return Err(Error::ZipTooLarge { limit: self.limits.max_unzipped });
        }
        self.unpacked += out.len() as u64;
        Ok(out)
    }
}

/// Whether the bytes start like a zip.
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}
