//! The library's side of the local endpoint (tokens, pairing codes, captured pages and
//! selections) and the real `quire serve` binary, paired and saved to over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use quire::{CapturedHighlight, CapturedImage, CapturedPage, ErrorKind, TextQuoteSelector};
use quire_tests::{reference_page, REFERENCE_TITLE};

use crate::cli::quire_bin;
use crate::temp_library;

const URL: &str = "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato";
const IMAGE_URL: &str = "https://worlddesk.example/media/vilnius-summit.jpg";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR a test image";

fn page() -> CapturedPage {
    CapturedPage {
        url: URL.to_owned(),
        html: std::fs::read_to_string(reference_page()).unwrap(),
        title: Some("Tab title | World Desk".to_owned()),
        language: None,
        images: vec![CapturedImage { url: IMAGE_URL.to_owned(), mime: "image/png".to_owned(), data: PNG.to_vec() }],
        tags: vec!["from the browser".to_owned()],
    }
}

fn image_sources(lib: &quire::Library, id: i64) -> Vec<String> {
    lib.article(id)
        .unwrap()
        .document
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            quire_doc::BlockKind::Image { src, .. } => Some(src.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn tokens_are_shown_once_checked_and_revoked() {
    let (_dir, lib) = temp_library();
    let (info, secret) = lib.new_token("  my   script ").unwrap();
    assert_eq!(info.name, "my script");
    assert_eq!(info.last_used_at, None);
    assert_eq!(lib.check_token(&secret).unwrap().map(|t| t.id), Some(info.id));
    assert!(lib.tokens().unwrap()[0].last_used_at.is_some(), "a use is recorded");
    for wrong in ["", "x", &secret[1..], &format!("{secret}x"), &secret.to_uppercase()] {
        assert_eq!(lib.check_token(wrong).unwrap(), None, "{wrong:?}");
    }
    // Only the hash is stored.
    let conn = rusqlite::Connection::open(lib.path()).unwrap();
    let stored: String = conn.query_row("SELECT secret_hash FROM endpoint_tokens", [], |r| r.get(0)).unwrap();
    assert_ne!(stored, secret);
    assert!(!stored.contains(&secret[..10]));
    lib.revoke_token(info.id).unwrap();
    assert_eq!(lib.check_token(&secret).unwrap(), None);
    assert_eq!(lib.revoke_token(info.id).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn pairing_codes_are_single_use_and_five_wrong_ones_void_them() {
    let (_dir, lib) = temp_library();
    let code = lib.new_pairing_code().unwrap();
    let secret = lib.redeem_pairing_code(&code.to_lowercase(), "Firefox 140 on Linux").unwrap();
    assert_eq!(lib.check_token(&secret).unwrap().unwrap().name, "Firefox 140 on Linux");
    let used = lib.redeem_pairing_code(&code, "again").unwrap_err();
    assert!(matches!(used, quire::Error::PairingRefused), "{used}");

    // Four wrong codes leave a pending code usable; a fifth voids every pending code.
    let (a, b) = (lib.new_pairing_code().unwrap(), lib.new_pairing_code().unwrap());
    for _ in 0..4 {
        assert!(lib.redeem_pairing_code("ZZZZ-ZZZZ", "guess").is_err());
    }
    lib.redeem_pairing_code(&a, "the user").unwrap();
    assert!(lib.redeem_pairing_code("ZZZZ-ZZZZ", "guess").is_err());
    assert!(lib.redeem_pairing_code(&b, "the user").is_err(), "voided by the fifth wrong code");
    // A new code works again.
    let c = lib.new_pairing_code().unwrap();
    lib.redeem_pairing_code(&c, "the user").unwrap();
    assert_eq!(lib.tokens().unwrap().len(), 3);

    // Another process sees the same codes: they live in the library.
    let d = lib.new_pairing_code().unwrap();
    let other = quire::Library::open(lib.path()).unwrap();
    other.redeem_pairing_code(&d, "the app").unwrap();

    // An expired code is refused.
    let e = lib.new_pairing_code().unwrap();
    let conn = rusqlite::Connection::open(lib.path()).unwrap();
    conn.execute("UPDATE pairing_codes SET expires_at = '2000-01-01T00:00:00Z'", []).unwrap();
    assert!(lib.redeem_pairing_code(&e, "late").is_err());
}

#[test]
fn a_pairing_code_tells_the_port_and_is_redeemed_only_there() {
    let (_dir, lib) = temp_library();
    // No endpoint recorded: codes are for 47711.
    assert_eq!(lib.endpoint_port().unwrap(), None);
    let code = lib.new_pairing_code().unwrap();
    assert_eq!(quire::pairing_code_port(&code), Some(quire::CodePort::Default(47711)));
    // A program on 47712 that received it (or relays it) is refused, and that counts.
    assert!(matches!(lib.redeem_pairing_code_on(&code, "relay", 47712), Err(quire::Error::PairingRefused)));
    let (info, secret) = lib.redeem_pairing_code_on(&code, "the user", 47711).unwrap();
    assert_eq!(lib.check_token(&secret).unwrap().unwrap().id, info.id);

    // An endpoint recorded on 47713, then one on a port of its own, latest first.
    lib.endpoint_listening(47713).unwrap();
    let code = lib.new_pairing_code().unwrap();
    assert_eq!(quire::pairing_code_port(&code), Some(quire::CodePort::Default(47713)));
    lib.endpoint_listening(50000).unwrap();
    let other = lib.new_pairing_code().unwrap();
    assert_eq!(quire::pairing_code_port(&other), Some(quire::CodePort::Other));
    assert!(lib.redeem_pairing_code_on(&other, "x", 47711).is_err());
    lib.redeem_pairing_code_on(&other, "x", 50000).unwrap();
    lib.endpoint_stopped(50000).unwrap();
    assert_eq!(lib.endpoint_port().unwrap(), Some(47713));

    // Wrong-port attempts void the codes like wrong codes.
    let pending = lib.new_pairing_code().unwrap();
    for _ in 0..quire::PAIRING_ATTEMPTS {
        assert!(lib.redeem_pairing_code_on(&pending, "relay", 47714).is_err());
    }
    assert!(lib.redeem_pairing_code_on(&pending, "the user", 47713).is_err(), "voided");

    // Hello proofs: for a token that exists, keyed by its hash; none for one that does not.
    let nonce = [3u8; 32];
    assert_eq!(
        lib.hello_proof(info.id, &nonce, 47711).unwrap(),
        Some(quire::hello_proof(&quire::token_hash(&secret), &nonce, 47711))
    );
    lib.revoke_token(info.id).unwrap();
    assert_eq!(lib.hello_proof(info.id, &nonce, 47711).unwrap(), None);
    assert_eq!(lib.hello_proof(12345, &nonce, 47711).unwrap(), None);
}

#[test]
fn a_captured_page_goes_through_the_add_pipeline_with_the_browsers_images() {
    let (_dir, lib) = temp_library();
    let mut captured = page();
    // An image whose bytes are not what it claims, and one too many once the limit is met.
    captured.images.push(CapturedImage {
        url: "https://worlddesk.example/assets/logo.png".to_owned(),
        mime: "image/jpeg".to_owned(),
        data: PNG.to_vec(),
    });
    let saved = lib.save_page(captured).unwrap();
    assert!(!saved.duplicate);
    assert_eq!(saved.title, REFERENCE_TITLE);
    let sources = image_sources(&lib, saved.id);
    assert_eq!(sources.len(), 1);
    let hash = sources[0].strip_prefix(quire::IMAGE_SCHEME).unwrap();
    let stored = lib.image(hash).unwrap();
    assert_eq!((stored.mime.as_str(), stored.data.as_slice()), ("image/png", PNG));
    assert_eq!(lib.article(saved.id).unwrap().summary.tags, ["from the browser"]);

    // The same page under another address of the same text: a duplicate, which gets the tags.
    let mut again = page();
    again.url = format!("{URL}?utm_source=feed");
    again.tags = vec!["second".to_owned()];
    let dup = lib.save_page(again).unwrap();
    assert!(dup.duplicate);
    assert_eq!(dup.id, saved.id);
    assert_eq!(lib.article(saved.id).unwrap().summary.tags, ["from the browser", "second"]);

    // An image that is not what it claims is left out with a warning; so are the extras.
    let mut other = page();
    other.url = "https://worlddesk.example/other".to_owned();
    // (another text under another canonical address: not a duplicate)
    other.html = other
        .html
        .replace("Stoltenberg confirmed Wednesday", "Stoltenberg said on Wednesday")
        .replace("rel=\"canonical\"", "rel=\"alternate\"");
    other.images[0].mime = "image/gif".to_owned();
    other.images.extend((0..quire::MAX_CAPTURED_IMAGES).map(|i| CapturedImage {
        url: format!("https://worlddesk.example/extra/{i}.png"),
        mime: "image/png".to_owned(),
        data: PNG.to_vec(),
    }));
    let saved = lib.save_page(other).unwrap();
    assert!(!saved.duplicate);
    assert!(
        saved.warnings.iter().any(|w| w.contains("vilnius-summit.jpg") && w.contains("image/gif")),
        "{:?}",
        saved.warnings
    );
    assert!(saved.warnings.iter().any(|w| w.contains("extra/99.png")), "{:?}", saved.warnings);
    assert_eq!(image_sources(&lib, saved.id), [IMAGE_URL], "kept as its address, never fetched");

    // A page with no text, and an address that is not a web page's, are refused.
    let empty = CapturedPage { url: URL.into(), html: "<html><body></body></html>".into(), ..CapturedPage::default() };
    let mut empty_other = empty.clone();
    empty_other.url = "https://elsewhere.example/".into();
    assert_eq!(lib.save_page(empty_other).unwrap_err().kind(), ErrorKind::InvalidInput);
    let script = CapturedPage { url: "javascript:alert(1)".into(), ..page() };
    assert_eq!(lib.save_page(script).unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn captured_selections_anchor_whatever_their_whitespace_and_once() {
    let (_dir, lib) = temp_library();
    let select = |exact: &str, prefix: &str, suffix: &str| CapturedHighlight {
        url: format!("{URL}#comments"),
        page: Some(page()),
        selector: TextQuoteSelector { exact: exact.into(), prefix: prefix.into(), suffix: suffix.into() },
        color: Some(quire::Color::Blue),
        note: " why it matters ".into(),
        tags: vec!["NATO accession".into()],
    };
    // Each row: the selection as a browser may send it, and how it anchors.
    let cases: &[(&str, &str, &str, quire::AnchorKind)] = &[
        ("I look forward to the day when we meet as allies,", "", "", quire::AnchorKind::Exact),
        ("security guarantees are very important\n to the Ukrainian   people,", "", "", quire::AnchorKind::Exact),
        ("Stoltenberg\n\n confirmed   Wednesday", "Jens ", " that", quire::AnchorKind::Exact),
        ("a sentence that is nowhere in this article at all", "", "", quire::AnchorKind::Orphan),
    ];
    let mut first = None;
    for (exact, prefix, suffix, kind) in cases {
        let saved = lib.save_highlight(select(exact, prefix, suffix)).unwrap();
        assert_eq!(saved.anchor, *kind, "{exact:?}");
        assert_eq!(saved.page_saved, first.is_none(), "the page is saved by the first selection only");
        first.get_or_insert(saved.article_id);
        assert_eq!(Some(saved.article_id), first);
        let twice = lib.save_highlight(select(exact, prefix, suffix)).unwrap();
        assert_eq!((twice.highlight_id, twice.already), (saved.highlight_id, true), "{exact:?}");
    }
    let article = lib.article(first.unwrap()).unwrap();
    assert_eq!(article.highlights.len(), cases.len());
    let h = &article.highlights.iter().find(|h| h.quote.exact.starts_with("security")).unwrap();
    assert_eq!(h.quote.exact, "security guarantees are very important to the Ukrainian people,");
    assert_eq!(
        (h.color, h.note.as_str(), h.tags.as_slice()),
        (quire::Color::Blue, "why it matters", &["NATO accession".to_owned()][..])
    );
    assert_eq!(lib.highlights(&quire::HighlightFilter { orphans: true, ..Default::default() }).unwrap().len(), 1);

    // Without the page, a selection of an address the library does not have is refused.
    let mut lost = select("allies", "", "");
    lost.url = "https://nowhere.example/".into();
    lost.page = None;
    let err = lib.save_highlight(lost).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("https://nowhere.example/"), "{err}");
    let blank = lib.save_highlight(select(" \n ", "", "")).unwrap_err();
    assert_eq!(blank.kind(), ErrorKind::InvalidInput);
}

#[test]
fn quire_serve_pairs_and_saves_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    let mut child = Command::new(quire_bin())
        .args(["serve", "--port", "0", "--json"])
        .env("QUIRE_LIBRARY", &library)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let first: serde_json::Value = serde_json::from_str(&line).unwrap();
    let port = first["port"].as_u64().unwrap();
    let code = first["pairing_code"].as_str().unwrap();
    let base = format!("http://127.0.0.1:{port}");

    let paired: serde_json::Value = ureq::post(&format!("{base}/v1/pair"))
        .send_json(serde_json::json!({ "code": code, "client": "integration test" }))
        .unwrap()
        .into_json()
        .unwrap();
    let token = paired["token"].as_str().unwrap();
    // Before anything is sent with the token: the server proves it holds it, for this port.
    let nonce = [9u8; 32];
    let nonce_hex: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let hello: serde_json::Value = ureq::post(&format!("{base}/v1/hello"))
        .send_json(serde_json::json!({ "token_id": paired["token_id"], "nonce": nonce_hex }))
        .unwrap()
        .into_json()
        .unwrap();
    let expected = quire::hello_proof(&quire::token_hash(token), &nonce, port as u16);
    let expected: String = expected.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hello["proof"], expected.as_str());
    // `quire pair` (another process) makes codes for the running server's port.
    let pair = Command::new(quire_bin()).args(["pair", "--json"]).env("QUIRE_LIBRARY", &library).output().unwrap();
    let pair: serde_json::Value = serde_json::from_slice(&pair.stdout).unwrap();
    assert_eq!(pair["port"], port);
    let html = std::fs::read_to_string(reference_page()).unwrap();
    let saved: serde_json::Value = ureq::post(&format!("{base}/v1/pages"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(serde_json::json!({ "url": URL, "html": html, "tags": ["served"] }))
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(saved["title"], REFERENCE_TITLE);
    assert_eq!(saved["duplicate"], false);
    let refused = ureq::get(&format!("{base}/v1/status")).call().unwrap_err();
    assert!(matches!(refused, ureq::Error::Status(401, _)), "{refused}");

    // Ctrl-C stops it cleanly.
    let interrupted = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");

    // What it saved is in the library, and the token is listed by the CLI.
    let lib = quire::Library::open(&library).unwrap();
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(lib.article(id).unwrap().summary.tags, ["served"]);
    let listed =
        Command::new(quire_bin()).args(["token", "list", "--json"]).env("QUIRE_LIBRARY", &library).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["name"], "integration test");
    let revoke =
        Command::new(quire_bin()).args(["token", "revoke", "99"]).env("QUIRE_LIBRARY", &library).output().unwrap();
    assert_eq!(revoke.status.code(), Some(3), "a token not found exits as not found");
}
