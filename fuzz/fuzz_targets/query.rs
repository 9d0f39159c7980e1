//! The search query language: any text either parses or is a clear error, never a panic;
//! the as-you-type form of any text is itself a query that parses or errs the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = quire::parse_query(&text);
    let typed = quire::as_you_type(&text);
    let _ = quire::parse_query(&typed);
});
