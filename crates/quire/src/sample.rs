//! The sample article offered to a new user: the reference news story of Quire's tests,
//! compiled into the binary so that it works offline, on every platform.

use crate::{AddOptions, AddOutcome, AddSource, Library, Result};

/// The saved news page (`sample/vilnius.html`).
const SAMPLE_PAGE: &[u8] = include_bytes!("../sample/vilnius.html");
/// Where the sample page says it was published.
pub const SAMPLE_URL: &str = "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/";

impl Library {
    /// Adds the bundled sample article (once: adding it again reports the existing one).
    pub fn add_sample_article(&self) -> Result<AddOutcome> {
        let options = AddOptions { url: Some(SAMPLE_URL.to_owned()), ..AddOptions::default() };
        self.add(&AddSource::Stdin(SAMPLE_PAGE.to_vec()), &options)
    }
}
