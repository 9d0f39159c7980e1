//! Who may save into the library through the local endpoint: bearer tokens, and the short
//! pairing codes a client exchanges once for one.
//!
//! Secrets and codes come from the operating system's CSPRNG (`getrandom`: the crate the
//! `rand` family itself draws its seeds from, with no user-space generator of its own to seed,
//! reseed or get wrong). Only their SHA-256 is stored; a presented secret is hashed and compared
//! with every stored hash in constant time (`subtle`), so neither the database nor the time a
//! check takes tells anything about a secret. Pairing codes live in the library, so a code shown
//! by one process (the app, a command-line server) is accepted by another.

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{now, tokens};
use crate::{Error, Library, Result};

/// How long a pairing code can be used.
pub const PAIRING_CODE_MINUTES: i64 = 10;
/// Wrong codes after which every pending code is void.
pub const PAIRING_ATTEMPTS: i64 = 5;
/// The letters of a pairing code: no 0/O, 1/I/L, U or V/W look-alikes to misread.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTXYZ";
const CODE_LEN: usize = 8;

/// A token, as the library shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TokenInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// Who it was given to: a name chosen for it, or the client that paired.
    pub name: String,
    pub created_at: String,
    /// The last time it was presented (to the minute), if ever.
    pub last_used_at: Option<String>,
}

impl Library {
    /// Makes a token; returns it with its secret, which is shown this once (only its hash is
    /// kept). An empty name becomes "token".
    pub fn new_token(&self, name: &str) -> Result<(TokenInfo, String)> {
        let secret = new_secret()?;
        let hash = sha256_hex(secret.as_bytes());
        let name = clean_name(name, "token");
        let info = self.store().write(|tx| {
            let id = tokens::insert_token(tx, &name, &hash, &now())?;
            tokens::get(tx, id)
        })?;
        Ok((info, secret))
    }

    /// Every token, oldest first.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        tokens::all(self.store().read())
    }

    /// Revokes a token: its secret is refused from now on.
    pub fn revoke_token(&self, id: i64) -> Result<()> {
        self.store().write(|tx| tokens::delete(tx, id))
    }

    /// The token whose secret this is, if any (and records that it was used).
    pub fn check_token(&self, secret: &str) -> Result<Option<TokenInfo>> {
        let presented = sha256_hex(secret.as_bytes());
        let stored = tokens::hashes(self.store().read())?;
        // Every stored hash is compared, whatever matched before.
        let mut found = None;
        for (id, hash) in &stored {
            if bool::from(hash.as_bytes().ct_eq(presented.as_bytes())) {
                found = Some(*id);
            }
        }
        let Some(id) = found else { return Ok(None) };
        let now = now();
        let a_minute_ago = minutes_from_now(-1);
        let info = self.store().write(|tx| {
            tokens::touch(tx, id, &now, &a_minute_ago)?;
            tokens::get(tx, id)
        });
        match info {
            Ok(info) => Ok(Some(info)),
            // Revoked between the two steps.
            Err(Error::TokenNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A new pairing code, shown as `XXXX-XXXX`: valid for [`PAIRING_CODE_MINUTES`], once.
    pub fn new_pairing_code(&self) -> Result<String> {
        let code = new_code()?;
        let hash = sha256_hex(normalize_code(&code).as_bytes());
        let (now, expires) = (now(), minutes_from_now(PAIRING_CODE_MINUTES));
        self.store().write(|tx| {
            tokens::delete_expired_codes(tx, &now)?;
            tokens::insert_code(tx, &hash, &now, &expires)
        })?;
        Ok(code)
    }

    /// Exchanges a pairing code (dash, spaces and case do not matter) for a new token named
    /// after `client`; returns its secret. The code is used up; a wrong or expired code counts
    /// against every pending code, all void after [`PAIRING_ATTEMPTS`] wrong ones.
    pub fn redeem_pairing_code(&self, code: &str, client: &str) -> Result<String> {
        let hash = sha256_hex(normalize_code(code).as_bytes());
        let secret = new_secret()?;
        let secret_hash = sha256_hex(secret.as_bytes());
        let name = clean_name(client, "paired client");
        let now = now();
        let redeemed = self.store().write(|tx| {
            tokens::delete_expired_codes(tx, &now)?;
            match tokens::pending_code(tx, &hash, &now)? {
                Some(id) => {
                    tokens::delete_code(tx, id)?;
                    tokens::insert_token(tx, &name, &secret_hash, &now)?;
                    Ok(true)
                }
                None => {
                    tokens::wrong_attempt(tx, PAIRING_ATTEMPTS)?;
                    Ok(false)
                }
            }
        })?;
        if redeemed {
            Ok(secret)
        } else {
            Err(Error::PairingRefused)
        }
    }
}

/// 32 random bytes, base64url without padding (43 characters).
fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Randomness(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Eight letters of [`CODE_ALPHABET`], drawn without bias, shown as `XXXX-XXXX`.
fn new_code() -> Result<String> {
    let n = CODE_ALPHABET.len() as u8;
    // The largest multiple of n below 256: bytes at or above it are drawn again.
    let zone = u8::MAX - (u8::MAX % n + 1) % n;
    let mut letters = Vec::with_capacity(CODE_LEN);
    while letters.len() < CODE_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| Error::Randomness(e.to_string()))?;
        for b in bytes {
            if b <= zone && letters.len() < CODE_LEN {
                letters.push(CODE_ALPHABET[(b % n) as usize] as char);
            }
        }
    }
    let letters: String = letters.into_iter().collect();
    Ok(format!("{}-{}", &letters[..4], &letters[4..]))
}

/// A code as typed: without dashes and spaces, upper case.
fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase()
}

fn clean_name(name: &str, fallback: &str) -> String {
    let name: String = name.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(100).collect();
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Now plus `minutes`, in the form of every stored time.
fn minutes_from_now(minutes: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::minutes(minutes);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet_and_the_shape() {
        for _ in 0..200 {
            let code = new_code().unwrap();
            assert_eq!(code.len(), 9, "{code}");
            assert_eq!(&code[4..5], "-");
            assert!(normalize_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn codes_are_typed_loosely() {
        assert_eq!(normalize_code(" k7qf-3m9d "), "K7QF3M9D");
        assert_eq!(normalize_code("K7QF 3M9D"), "K7QF3M9D");
    }

    #[test]
    fn secrets_are_long_and_differ() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
