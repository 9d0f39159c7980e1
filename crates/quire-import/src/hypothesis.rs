//! (being written)
#![allow(unused)]
use crate::{Error, Export, Limits, Result};
pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    Err(Error::Unrecognized("not written yet".into()))
}
