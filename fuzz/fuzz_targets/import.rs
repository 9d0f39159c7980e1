//! Every importer's parser, forced and detected, on any bytes: an export or an error, never a
//! panic, and no more memory than the limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_import::{parse, Format, Limits};

const NAMES: &[&str] = &["export.csv", "export.zip", "export.json", "My Clippings.txt", "bookmarks.html", "export.jsonld"];

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_unzipped: 8 << 20, max_entry: 4 << 20, max_entries: 2_000 };
    let name = NAMES[data.first().map_or(0, |b| *b as usize) % NAMES.len()];
    let _ = parse(name, data, None, &limits);
    for format in Format::ALL {
        let _ = parse(name, data, Some(*format), &limits);
    }
});
