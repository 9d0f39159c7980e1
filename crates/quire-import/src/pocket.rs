//! (being written)
#![allow(unused)]
use crate::{Error, Export, Limits, Result};
pub(crate) fn parse(name: &str, bytes: &[u8], limits: &Limits) -> Result<Export> {
    Err(Error::Unrecognized("not written yet".into()))
}
