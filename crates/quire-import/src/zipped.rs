//! Reading a zip held in memory, within [`Limits`]: the sizes its entries claim are checked
//! before anything is unpacked, and unpacking stops at the limit whatever they claimed.

use std::io::{Cursor, Read};

use crate::{Error, Limits, Result};

/// An opened zip, read within [`Limits`] (also Quire's own archives are read with it).
pub struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    unpacked: u64,
}

impl<'a> Zip<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::BadZip(e.to_string()))?;
        if archive.len() > limits.max_entries {
            return Err(Error::BadZip(format!("{} entries, more than {}", archive.len(), limits.max_entries)));
        }
        Ok(Zip { archive, limits: *limits, unpacked: 0 })
    }

    /// The names of its files (folders left out), in the zip's order.
    pub fn names(&self) -> Vec<String> {
        self.archive.file_names().filter_map(|n| n.ok()).filter(|n| !n.ends_with('/')).map(|n| n.into_owned()).collect()
    }

    /// The bytes of the file `name`.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let mut file = self.archive.by_name(name).map_err(|e| Error::BadZip(format!("{name}: {e}")))?;
        let too_big = || Error::ZipEntryTooLarge { name: name.to_owned(), limit: self.limits.max_entry };
        if file.size() > self.limits.max_entry {
            return Err(too_big());
        }
        let total_room = self.limits.max_unzipped.saturating_sub(self.unpacked);
        if file.size() > total_room {
            return Err(Error::ZipTooLarge { limit: self.limits.max_unzipped });
        }
        let room = total_room.min(self.limits.max_entry);
        let mut out = Vec::with_capacity(file.size().min(64 << 20) as usize);
        // One byte past the room tells a lying size header from an entry that fits.
        (&mut file).take(room + 1).read_to_end(&mut out).map_err(|e| Error::BadZip(format!("{name}: {e}")))?;
        if out.len() as u64 > room {
            return Err(if room == total_room {
                Error::ZipTooLarge { limit: self.limits.max_unzipped }
            } else {
                too_big()
            });
        }
        self.unpacked += out.len() as u64;
        Ok(out)
    }
}

/// Whether the bytes start like a zip.
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, usize)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, size) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(&vec![0u8; *size]).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_bomb_is_refused_by_its_entry_or_its_total() {
        // 4 MB of zeros packs into a few kB: the attacker's ratio, at a test's scale.
        let bytes = zip_of(&[("metadata_0_to_20.json", 4 << 20)]);
        assert!(bytes.len() < 64 << 10);
        let limits = Limits { max_entry: 1 << 20, ..Limits::default() };
        let mut zip = Zip::open(&bytes, &limits).unwrap();
        let err = zip.read("metadata_0_to_20.json").unwrap_err();
        assert_eq!(err, Error::ZipEntryTooLarge { name: "metadata_0_to_20.json".into(), limit: 1 << 20 });

        let bytes = zip_of(&[("a", 600 << 10), ("b", 600 << 10)]);
        let limits = Limits { max_unzipped: 1 << 20, ..Limits::default() };
        let mut zip = Zip::open(&bytes, &limits).unwrap();
        assert_eq!(zip.read("a").unwrap().len(), 600 << 10);
        assert_eq!(zip.read("b").unwrap_err(), Error::ZipTooLarge { limit: 1 << 20 });
    }
}
