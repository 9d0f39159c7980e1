//! Who may save into the library through the local endpoint: bearer tokens, and the short
//! pairing codes a client exchanges once for one.
//!
//! Secrets and codes come from the operating system's CSPRNG (`getrandom`: the crate the
//! `rand` family itself draws its seeds from, with no user-space generator of its own to seed,
//! reseed or get wrong). Only their SHA-256 is stored; a presented secret is hashed and compared
//! with every stored hash in constant time (`subtle`), so neither the database nor the time a
//! check takes tells anything about a secret. Pairing codes live in the library, so a code shown
//! by one process (the app, a command-line server) is accepted by another.
//!
//! Another program can listen on one of the endpoint's ports (another user of the machine,
//! while Quire is closed or on a fallback port), so a client must know it talks to Quire before
//! it sends a token or a page. Two things see to that:
//!
//! - The last letter of a pairing code tells the port of the endpoint the code is for
//!   ([`pairing_code_port`]), and an endpoint redeems only the codes for its own port
//!   ([`Library::redeem_pairing_code_on`]): the extension sends the code straight to that port,
//!   and a program that relays it to Quire on another port is refused.
//! - An endpoint proves that it holds a client's token, for its own port, before the client
//!   sends the token: [`hello_proof`] is HMAC-SHA256 keyed with the token's stored SHA-256 over
//!   [`HELLO_CONTEXT`], the client's nonce and the port ([`Library::hello_proof`]). The client
//!   knows its token, hence the key, and the port it dialed; a relayed proof names the wrong
//!   port.

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
/// The port the endpoint tries first.
pub const ENDPOINT_PORT: u16 = 47711;
/// How many ports after [`ENDPOINT_PORT`] the endpoint tries when it is taken (47712..=47715).
pub const ENDPOINT_FALLBACK_PORTS: u16 = 4;
/// What a hello proof is about: the first bytes of the message it signs.
pub const HELLO_CONTEXT: &[u8] = b"quire-endpoint-v1";
/// The last letter of a code is `CODE_ALPHABET[7 * r + m]`, `r` random in 0..4 and `m` the
/// port's marker: 0..=4 for 47711..=47715, [`OTHER_PORT`] for any other port.
const PORT_MARKERS: usize = 7;
const OTHER_PORT: usize = 5;

/// The port a pairing code is for, as its last letter tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePort {
    /// One of 47711..=47715.
    Default(u16),
    /// A port outside them (`quire serve --port`), which the user types besides the code.
    Other,
}

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

    /// A new pairing code for the endpoint running over this library (the one started last;
    /// [`ENDPOINT_PORT`] when none is recorded), shown as `XXXX-XXXX`: valid for
    /// [`PAIRING_CODE_MINUTES`], once.
    pub fn new_pairing_code(&self) -> Result<String> {
        let port = self.endpoint_port()?.unwrap_or(ENDPOINT_PORT);
        self.new_pairing_code_for(port)
    }

    /// A new pairing code for the endpoint on `port` (its last letter tells the port).
    pub fn new_pairing_code_for(&self, port: u16) -> Result<String> {
        let code = new_code(port)?;
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
        self.redeem(code, client, true).map(|(_, secret)| secret)
    }

    /// What the endpoint on `port` calls: [`Library::redeem_pairing_code`], but a code made for
    /// another port is refused (and counts as a wrong code), so a program that receives a code
    /// meant for Quire elsewhere cannot relay it. Returns the new token and its secret.
    pub fn redeem_pairing_code_on(&self, code: &str, client: &str, port: u16) -> Result<(TokenInfo, String)> {
        let for_this_port = pairing_code_port(code) == Some(code_port(port));
        let (id, secret) = self.redeem(code, client, for_this_port)?;
        Ok((tokens::get(self.store().read(), id)?, secret))
    }

    fn redeem(&self, code: &str, client: &str, for_this_port: bool) -> Result<(i64, String)> {
        let hash = sha256_hex(normalize_code(code).as_bytes());
        let secret = new_secret()?;
        let secret_hash = sha256_hex(secret.as_bytes());
        let name = clean_name(client, "paired client");
        let now = now();
        let redeemed = self.store().write(|tx| {
            tokens::delete_expired_codes(tx, &now)?;
            match tokens::pending_code(tx, &hash, &now)? {
                Some(id) if for_this_port => {
                    tokens::delete_code(tx, id)?;
                    Ok(Some(tokens::insert_token(tx, &name, &secret_hash, &now)?))
                }
                _ => {
                    tokens::wrong_attempt(tx, PAIRING_ATTEMPTS)?;
                    Ok(None)
                }
            }
        })?;
        match redeemed {
            Some(id) => Ok((id, secret)),
            None => Err(Error::PairingRefused),
        }
    }

    /// The endpoint's proof, for its `port`, that it holds the token `token_id`:
    /// [`hello_proof`] keyed with the token's stored hash. `None` when there is no such token
    /// (never made, or revoked).
    pub fn hello_proof(&self, token_id: i64, nonce: &[u8; 32], port: u16) -> Result<Option<[u8; 32]>> {
        let Some(hash) = tokens::hash_of(self.store().read(), token_id)? else { return Ok(None) };
        let mut key = [0u8; 32];
        if hex::decode_to_slice(&hash, &mut key).is_err() {
            return Ok(None);
        }
        Ok(Some(hello_proof(&key, nonce, port)))
    }

    /// Records that an endpoint over this library listens on `port`; pairing codes made from
    /// now on are for it.
    pub fn endpoint_listening(&self, port: u16) -> Result<()> {
        let now = now();
        self.store().write(|tx| tokens::insert_listener(tx, port, &now))
    }

    /// Forgets the endpoint on `port` (it stopped).
    pub fn endpoint_stopped(&self, port: u16) -> Result<()> {
        self.store().write(|tx| tokens::delete_listener(tx, port))
    }

    /// The port of the endpoint over this library started last, if one is recorded.
    pub fn endpoint_port(&self) -> Result<Option<u16>> {
        tokens::latest_listener(self.store().read())
    }
}

/// The key a hello proof is made with: the SHA-256 of the token's secret (what the library
/// stores, and what a client holding the secret computes).
pub fn token_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// `HMAC-SHA256(key = token_hash, HELLO_CONTEXT || nonce || port as two bytes, big-endian)`.
pub fn hello_proof(token_hash: &[u8; 32], nonce: &[u8; 32], port: u16) -> [u8; 32] {
    let mut message = Vec::with_capacity(HELLO_CONTEXT.len() + 34);
    message.extend_from_slice(HELLO_CONTEXT);
    message.extend_from_slice(nonce);
    message.extend_from_slice(&port.to_be_bytes());
    hmac_sha256(token_hash, &message)
}

/// HMAC-SHA256 (RFC 2104), on the `sha2` already used for tokens.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

/// The port a pairing code is for (dash, spaces and case do not matter); `None` when it is
/// not a code at all.
pub fn pairing_code_port(code: &str) -> Option<CodePort> {
    let code = normalize_code(code);
    if code.len() != CODE_LEN {
        return None;
    }
    let last_letter = *code.as_bytes().last()?;
    let last = CODE_ALPHABET.iter().position(|&c| c == last_letter)?;
    match last % PORT_MARKERS {
        m if m < OTHER_PORT => Some(CodePort::Default(ENDPOINT_PORT + m as u16)),
        OTHER_PORT => Some(CodePort::Other),
        _ => None,
    }
}

fn code_port(port: u16) -> CodePort {
    if (ENDPOINT_PORT..=ENDPOINT_PORT + ENDPOINT_FALLBACK_PORTS).contains(&port) {
        CodePort::Default(port)
    } else {
        CodePort::Other
    }
}

/// 32 random bytes, base64url without padding (43 characters).
fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Randomness(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Seven letters of [`CODE_ALPHABET`], drawn without bias, and an eighth that tells `port`
/// (with two random bits), shown as `XXXX-XXXX`: about 2^35.6 codes.
fn new_code(port: u16) -> Result<String> {
    let marker = match code_port(port) {
        CodePort::Default(p) => usize::from(p - ENDPOINT_PORT),
        CodePort::Other => OTHER_PORT,
    };
    let mut letters: Vec<char> =
        random_indices(CODE_LEN - 1, CODE_ALPHABET.len())?.into_iter().map(|i| CODE_ALPHABET[i] as char).collect();
    let spread = random_indices(1, CODE_ALPHABET.len() / PORT_MARKERS)?[0];
    letters.push(CODE_ALPHABET[PORT_MARKERS * spread + marker] as char);
    let letters: String = letters.into_iter().collect();
    Ok(format!("{}-{}", &letters[..4], &letters[4..]))
}

/// `count` numbers in `0..n` (n at most 256), drawn without bias.
fn random_indices(count: usize, n: usize) -> Result<Vec<usize>> {
    // The largest multiple of n at most 256: bytes at or above it are drawn again.
    let zone = 256 - 256 % n;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| Error::Randomness(e.to_string()))?;
        for b in bytes.map(usize::from) {
            if b < zone && out.len() < count {
                out.push(b % n);
            }
        }
    }
    Ok(out)
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
            let code = new_code(ENDPOINT_PORT).unwrap();
            assert_eq!(code.len(), 9, "{code}");
            assert_eq!(&code[4..5], "-");
            assert!(normalize_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn a_code_tells_its_port() {
        for port in [47711, 47712, 47713, 47714, 47715] {
            let mut last_letters = std::collections::BTreeSet::new();
            for _ in 0..100 {
                let code = new_code(port).unwrap();
                assert_eq!(pairing_code_port(&code), Some(CodePort::Default(port)), "{code}");
                assert_eq!(pairing_code_port(&code.to_lowercase().replace('-', " ")), Some(CodePort::Default(port)));
                last_letters.insert(code.chars().last());
            }
            assert_eq!(last_letters.len(), 4, "the last letter keeps two random bits");
        }
        for port in [0, 1, 47710, 47716, 50000, 65535] {
            assert_eq!(pairing_code_port(&new_code(port).unwrap()), Some(CodePort::Other), "{port}");
        }
        // Markers 6 (and 13, 20, 27) are never made; not a code: wrong length.
        assert_eq!(pairing_code_port("AAAA-AAAZ"), None);
        assert_eq!(pairing_code_port("AAAA-AAA"), None);
        assert_eq!(pairing_code_port("AAAA-AAA2"), Some(CodePort::Default(47711)));
        // "23456789ABCDEFGHJKMNPQRSTXYZ": 6 is index 4, 7 is 5, 8 is 6, 9 is 7 (7 + 0).
        assert_eq!(pairing_code_port("aaaa aaa6"), Some(CodePort::Default(47715)));
        assert_eq!(pairing_code_port("AAAA-AAA7"), Some(CodePort::Other));
        assert_eq!(pairing_code_port("AAAA-AAA8"), None);
        assert_eq!(pairing_code_port("AAAA-AAA9"), Some(CodePort::Default(47711)));
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2, and test case 6 (a key longer than a block).
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_hello_proof_depends_on_the_key_the_nonce_and_the_port() {
        let key = token_hash("a secret");
        let nonce = [7u8; 32];
        let proof = hello_proof(&key, &nonce, 47711);
        assert_eq!(proof, hello_proof(&key, &nonce, 47711));
        assert_ne!(proof, hello_proof(&key, &nonce, 47712));
        assert_ne!(proof, hello_proof(&key, &[8u8; 32], 47711));
        assert_ne!(proof, hello_proof(&token_hash("another secret"), &nonce, 47711));
        let mut message = HELLO_CONTEXT.to_vec();
        message.extend_from_slice(&nonce);
        message.extend_from_slice(&[0xba, 0x5f]);
        assert_eq!(proof, hmac_sha256(&key, &message), "47711 is 0xba5f");
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
