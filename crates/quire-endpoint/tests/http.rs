//! The endpoint over real sockets, with a hand-written HTTP client that sends exactly what an
//! attacker would (no Host, a rebound Host, a web page's Origin, form posts, floods). Every
//! refused request must also have written nothing: the library's counts are compared.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use quire::Library;
use quire_endpoint::{EndpointConfig, EndpointHandle, Rate, Saved};
use serde_json::{json, Value};

const PAGE: &str = include_str!("../../quire/sample/vilnius.html");
const PAGE_URL: &str = "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato";
const IMAGE_URL: &str = "https://worlddesk.example/media/vilnius-summit.jpg";
/// Enough of a JPEG for the type sniffer.
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 a test image";

struct Fixture {
    _dir: tempfile::TempDir,
    library: Arc<Library>,
    server: EndpointHandle,
    saved: Arc<Mutex<Vec<Saved>>>,
}

fn fixture_with(config: EndpointConfig) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(&dir.path().join("library.sqlite3")).unwrap());
    let saved = Arc::new(Mutex::new(Vec::new()));
    let heard = saved.clone();
    let server = quire_endpoint::start(library.clone(), EndpointConfig { port: Some(0), ..config }, move |s| {
        heard.lock().unwrap().push(s)
    })
    .unwrap();
    Fixture { _dir: dir, library, server, saved }
}

/// Generous limits: only the tests of the limits meet them.
fn fixture() -> Fixture {
    fixture_with(EndpointConfig {
        rate: Rate { per_second: 1000.0, burst: 1000 },
        pairing_failures: Rate { per_second: 1000.0, burst: 1000 },
        ..EndpointConfig::default()
    })
}

impl Fixture {
    fn port(&self) -> u16 {
        self.server.port()
    }

    fn token(&self) -> String {
        self.library.new_token("tests").unwrap().1
    }

    /// What a refused request must leave as it was.
    fn fingerprint(&self) -> (usize, usize, usize, Vec<quire::TokenInfo>) {
        let count = self.library.count_articles(&quire::ArticleFilter::default()).unwrap();
        let tokens = self.library.tokens().unwrap().into_iter().map(|t| quire::TokenInfo { last_used_at: None, ..t });
        (count.articles, count.highlights, self.library.tags().unwrap().len(), tokens.collect())
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// A request, written by hand onto the socket.
#[derive(Clone)]
struct Req {
    method: String,
    path: String,
    host: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send this Content-Length instead of the body's.
    declared: Option<u64>,
}

fn req(method: &str, path: &str) -> Req {
    Req {
        method: method.to_owned(),
        path: path.to_owned(),
        host: Some(String::new()),
        headers: Vec::new(),
        body: Vec::new(),
        declared: None,
    }
}

impl Req {
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
    fn token(self, token: &str) -> Self {
        self.header("Authorization", &format!("Bearer {token}"))
    }
    fn host(mut self, host: Option<&str>) -> Self {
        self.host = host.map(str::to_owned);
        self
    }
    fn json(self, value: &Value) -> Self {
        self.body("application/json", serde_json::to_vec(value).unwrap())
    }
    fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.header("Content-Type", content_type)
    }

    fn send(&self, port: u16) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut head = format!("{} {} HTTP/1.1\r\n", self.method, self.path);
        match self.host.as_deref() {
            Some("") => head.push_str(&format!("Host: 127.0.0.1:{port}\r\n")),
            Some(host) => head.push_str(&format!("Host: {host}\r\n")),
            None => {}
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let length = self.declared.unwrap_or(self.body.len() as u64);
        if length > 0 || self.method == "POST" {
            head.push_str(&format!("Content-Length: {length}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&self.body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Reply { status, headers, body: raw[end + 4..].to_vec() }
    }
}

fn page_json(tags: &[&str]) -> Value {
    json!({
        "url": PAGE_URL,
        "html": PAGE,
        "title": "Tab title",
        "language": "en",
        "images": [{ "url": IMAGE_URL, "mime": "image/jpeg",
                     "data_base64": base64::engine::general_purpose::STANDARD.encode(JPEG) }],
        "tags": tags,
    })
}

/// A refusal says nothing: its status, an empty body, no header naming the server, no CORS.
fn assert_bare(reply: &Reply, status: u16, what: &str) {
    assert_eq!(reply.status, status, "{what}: {reply:?}");
    assert!(reply.body.is_empty(), "{what}: a body: {:?}", String::from_utf8_lossy(&reply.body));
    assert_nothing_named(reply, what);
}

fn assert_nothing_named(reply: &Reply, what: &str) {
    for (name, value) in &reply.headers {
        assert!(name != "server" && !name.starts_with("access-control-"), "{what}: header {name}");
        let value = value.to_ascii_lowercase();
        for word in ["quire", "axum", "hyper", "tokio", "rust"] {
            assert!(!value.contains(word), "{what}: header {name}: {value}");
        }
    }
}

#[test]
fn every_attack_is_refused_bare_and_writes_nothing() {
    let f = fixture();
    let port = f.port();
    let token = f.token();
    let revoked = f.library.new_token("revoked").unwrap();
    f.library.revoke_token(revoked.0.id).unwrap();
    let page = page_json(&["attack"]);
    let save = req("POST", "/v1/pages").token(&token).json(&page);
    let form = "url=https%3A%2F%2Fevil.example%2F&html=%3Cp%3Ehi%3C%2Fp%3E";
    let multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://evil.example/\r\n--XyZ--\r\n";
    let over = b"{\"code\": \"".iter().copied().chain(std::iter::repeat_n(b'A', 64 * 1024)).collect::<Vec<u8>>();
    let cases: Vec<(&str, Req, u16)> = vec![
        ("a rebound host name", save.clone().host(Some(&format!("evil.example:{port}"))), 403),
        ("another port", save.clone().host(Some(&format!("127.0.0.1:{}", port.wrapping_add(1)))), 403),
        ("no port", save.clone().host(Some("127.0.0.1")), 403),
        ("no Host", save.clone().host(None), 403),
        ("a web page's origin", save.clone().header("Origin", "https://evil.example"), 403),
        ("a sandboxed page's origin", save.clone().header("Origin", "null"), 403),
        ("localhost's own origin", save.clone().header("Origin", &format!("http://127.0.0.1:{port}")), 403),
        (
            "a CORS preflight",
            req("OPTIONS", "/v1/pages")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"),
            403,
        ),
        ("an extension's preflight", req("OPTIONS", "/v1/pages").header("Origin", "chrome-extension://abc"), 403),
        ("no token", req("POST", "/v1/pages").json(&page), 401),
        ("a wrong token", req("POST", "/v1/pages").token("not-a-token-at-all").json(&page), 401),
        ("a revoked token", req("POST", "/v1/pages").token(&revoked.1).json(&page), 401),
        ("a token in another scheme", req("POST", "/v1/pages").header("Authorization", &format!("Basic {token}")).json(&page), 401),
        ("a text/plain post", req("POST", "/v1/pages").body("text/plain", serde_json::to_vec(&page).unwrap()), 401),
        ("a form post", req("POST", "/v1/pages").body("application/x-www-form-urlencoded", form), 401),
        ("a multipart post", req("POST", "/v1/pages").body("multipart/form-data; boundary=XyZ", multipart), 401),
        ("a multipart post to SingleFile's route", req("POST", "/v1/singlefile").body("multipart/form-data; boundary=XyZ", multipart), 401),
        ("a text/plain post with a token", req("POST", "/v1/pages").token(&token).body("text/plain", serde_json::to_vec(&page).unwrap()), 415),
        ("a form post with a token", req("POST", "/v1/pages").token(&token).body("application/x-www-form-urlencoded", form), 415),
        ("JSON to SingleFile's route", req("POST", "/v1/singlefile").token(&token).json(&page), 415),
        ("no content type", req("POST", "/v1/pages").token(&token).body("", serde_json::to_vec(&page).unwrap()), 415),
        ("a status without a token", req("GET", "/v1/status"), 401),
        ("the tags without a token", req("GET", "/v1/tags"), 401),
        // A stranger learns nothing of the routes: 401 wherever it knocks.
        ("an unknown route without a token", req("GET", "/v1/articles/1"), 401),
        ("the root without a token", req("GET", "/"), 401),
        ("an admin page without a token", req("GET", "/admin").token("guess"), 401),
        ("pairing by GET", req("GET", "/v1/pair"), 401),
        ("hello by GET", req("GET", "/v1/hello"), 401),
        ("a delete without a token", req("DELETE", "/v1/pages"), 401),
        ("hello by form", req("POST", "/v1/hello").body("application/x-www-form-urlencoded", "token_id=1"), 415),
        ("hello without a nonce", req("POST", "/v1/hello").json(&json!({ "token_id": 1 })), 400),
        ("hello with a short nonce", req("POST", "/v1/hello").json(&json!({ "token_id": 1, "nonce": "abcd" })), 400),
        ("hello with a nonce that is not hex", req("POST", "/v1/hello").json(&json!({ "token_id": 1, "nonce": "z".repeat(64) })), 400),
        ("hello from a web page", req("POST", "/v1/hello").header("Origin", "https://evil.example").json(&json!({ "token_id": 1, "nonce": "00".repeat(32) })), 403),
        ("an unknown route", req("GET", "/v1/articles/1").token(&token), 404),
        ("a route that is not there", req("GET", "/").token(&token), 404),
        ("the wrong method", req("GET", "/v1/pages").token(&token), 404),
        ("a delete", req("DELETE", "/v1/pages").token(&token), 404),
        ("a path around", req("GET", "/v1/../v1/status").token(&token), 404),
        ("a declared body over the limit", Req { declared: Some(60 * 1024 * 1024), ..req("POST", "/v1/pages").token(&token).json(&json!({})) }, 413),
        ("a small route's body over its limit", req("POST", "/v1/pair").body("application/json", over), 413),
        ("malformed JSON", req("POST", "/v1/pages").token(&token).body("application/json", "{\"url\": "), 400),
        ("a missing field", req("POST", "/v1/pages").token(&token).json(&json!({ "url": PAGE_URL })), 400),
        ("a field of the wrong type", req("POST", "/v1/pages").token(&token).json(&json!({ "url": PAGE_URL, "html": 5 })), 400),
        ("bad base64", req("POST", "/v1/pages").token(&token).json(&json!({ "url": PAGE_URL, "html": PAGE, "images": [{"url": IMAGE_URL, "mime": "image/jpeg", "data_base64": "!!"}] })), 400),
        ("a wrong pairing code", req("POST", "/v1/pair").json(&json!({ "code": "AAAA-AAAA", "client": "x" })), 401),
        ("pairing by form", req("POST", "/v1/pair").body("application/x-www-form-urlencoded", "code=AAAA-AAAA"), 415),
    ];
    let before = f.fingerprint();
    for (what, request, status) in cases {
        let reply = request.send(port);
        assert_bare(&reply, status, what);
        assert_eq!(f.fingerprint(), before, "{what} changed the library");
    }
    assert!(f.saved.lock().unwrap().is_empty());
    // And the same page, properly sent, is saved: the refusals were for the reasons tested.
    let reply = save.send(port);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_ne!(f.fingerprint(), before);
}

#[test]
fn pair_then_save_a_page_its_duplicate_highlights_and_tags() {
    let f = fixture();
    let port = f.port();
    let code = f.library.new_pairing_code().unwrap();
    let origin = ("Origin", "chrome-extension://abcdefghijklmnopabcdefghijklmnop");
    // Typed loosely: lower case, no dash.
    let typed = code.replace('-', "").to_lowercase();
    let reply = req("POST", "/v1/pair")
        .header(origin.0, origin.1)
        .json(&json!({ "code": typed, "client": "Chromium" }))
        .send(port);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_nothing_named(&reply, "pairing");
    let token = reply.json()["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 43);
    assert_eq!(f.library.tokens().unwrap()[0].name, "Chromium");
    assert_eq!(reply.json()["token_id"], json!(f.library.tokens().unwrap()[0].id));
    // The client checks, before it sends the token, that this server holds it, for this port.
    let nonce = [42u8; 32];
    let proof = hello(port, reply.json()["token_id"].as_i64().unwrap(), &nonce);
    assert_eq!(proof, quire::hello_proof(&quire::token_hash(&token), &nonce, port));
    // A code is used once.
    let again = req("POST", "/v1/pair").json(&json!({ "code": code, "client": "again" })).send(port);
    assert_bare(&again, 401, "a used code");

    let status = req("GET", "/v1/status").token(&token).header(origin.0, origin.1).send(port);
    assert_eq!(status.status, 200);
    assert_eq!(status.json(), json!({ "api": 1, "version": env!("CARGO_PKG_VERSION"), "articles": 0 }));

    // The page, with the image the browser sent (a second one is not what it claims).
    let mut page = page_json(&["NATO"]);
    page["images"].as_array_mut().unwrap().push(json!({
        "url": "https://worlddesk.example/assets/logo.png", "mime": "image/png",
        "data_base64": base64::engine::general_purpose::STANDARD.encode(b"<html>not a png</html>"),
    }));
    let saved = req("POST", "/v1/pages").token(&token).header(origin.0, origin.1).json(&page).send(port);
    assert_eq!(saved.status, 200, "{saved:?}");
    let body = saved.json();
    assert_eq!(body["duplicate"], json!(false));
    assert_eq!(body["title"], json!("Ukraine is now closer to NATO than ever before"));
    let id = body["id"].as_i64().unwrap();
    let view = f.library.article(id).unwrap();
    let images: Vec<String> = view
        .document
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            quire_doc::BlockKind::Image { src, .. } => Some(src.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 1, "{images:?}");
    let hash = images[0].strip_prefix(quire::IMAGE_SCHEME).expect("the <img> points at the stored copy");
    assert_eq!(f.library.image(hash).unwrap().data, JPEG);
    assert_eq!(view.summary.source_url.as_deref(), Some(PAGE_URL));
    assert!(f.library.snapshot_html(id).unwrap().unwrap().contains("Stoltenberg"));

    // The same page again: a duplicate, which gets the new tag and nothing else.
    let again = req("POST", "/v1/pages").token(&token).json(&page_json(&["Vilnius summit"])).send(port);
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["duplicate"], json!(true));
    assert_eq!(again.json()["id"], json!(id));
    assert_eq!(f.library.count_articles(&quire::ArticleFilter::default()).unwrap().articles, 1);
    assert_eq!(f.library.article(id).unwrap().summary.tags, ["NATO", "Vilnius summit"]);

    // Highlights: exact, with the browser's own whitespace, not in the text, and sent twice.
    let highlight = |exact: &str, prefix: &str, tags: &[&str]| {
        req("POST", "/v1/highlights")
            .token(&token)
            .json(&json!({
                "url": PAGE_URL,
                "selector": { "exact": exact, "prefix": prefix, "suffix": "" },
                "color": "green", "note": "a note", "tags": tags,
            }))
            .send(port)
    };
    let cases = [
        ("I look forward to the day when we meet as allies,", "", "exact"),
        ("I am confident that Ukraine\n   will become a member\tof NATO after the war.", "conference: “", "exact"),
        ("a sentence the article never says about the summit in any form", "", "orphan"),
    ];
    let mut ids = Vec::new();
    for (exact, prefix, anchor) in cases {
        let reply = highlight(exact, prefix, &["accession/Finland"]);
        assert_eq!(reply.status, 200, "{exact}: {reply:?}");
        let body = reply.json();
        assert_eq!(body["anchor"], json!(anchor), "{exact}: {body}");
        assert_eq!(body["article_id"], json!(id));
        assert_eq!(body["page_saved"], json!(false));
        ids.push(body["highlight_id"].as_i64().unwrap());
        let twice = highlight(exact, prefix, &[]).json();
        assert_eq!(twice["highlight_id"], body["highlight_id"], "{exact}: sent twice is one highlight");
        assert_eq!(twice["already"], json!(true));
    }
    let stored = f.library.article(id).unwrap().highlights;
    assert_eq!(stored.len(), 3);
    let second = stored.iter().find(|h| h.id == ids[1]).unwrap();
    assert_eq!(second.quote.exact, "I am confident that Ukraine will become a member of NATO after the war.");
    assert_eq!((second.color, second.note.as_str()), (quire::Color::Green, "a note"));
    assert_eq!(second.tags, ["accession/Finland"]);

    // A page not in the library: without its html, 404 with words; with it, saved first.
    let missing = req("POST", "/v1/highlights")
        .token(&token)
        .json(&json!({ "url": "https://other.example/a", "selector": { "exact": "allies" } }))
        .send(port);
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"].as_str().unwrap().contains("https://other.example/a"));
    let other = "<html><head><title>Another page</title></head><body><article><h1>Another page</h1>\
        <p>This other article talks about the alliance and its many members at enough length to be kept.</p>\
        <p>Its second paragraph speaks of summits, guarantees and the long road to membership in detail.</p></article></body></html>";
    let with_page = req("POST", "/v1/highlights")
        .token(&token)
        .json(&json!({ "url": "https://other.example/a", "html": other, "selector": { "exact": "the long road to membership" } }))
        .send(port)
        .json();
    assert_eq!((with_page["anchor"].as_str(), with_page["page_saved"].as_bool()), (Some("exact"), Some(true)));

    let tags = req("GET", "/v1/tags").token(&token).send(port).json();
    let names: Vec<&str> = tags["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"NATO") && names.contains(&"accession/Finland"), "{tags}");

    // An authenticated request the library refuses: words, naming no app.
    let bad_color = req("POST", "/v1/highlights")
        .token(&token)
        .json(&json!({ "url": PAGE_URL, "selector": { "exact": "allies" }, "color": "octarine" }))
        .send(port);
    assert_eq!(bad_color.status, 422);
    let empty =
        req("POST", "/v1/pages").token(&token).json(&json!({ "url": "https://x.example/", "html": "<html></html>" }));
    let empty = empty.send(port);
    assert_eq!(empty.status, 422);
    let message = empty.json()["error"].as_str().unwrap().to_lowercase();
    assert!(!message.contains("quire ") && !message.contains("--"), "{message}");

    let heard = f.saved.lock().unwrap().clone();
    assert_eq!(
        heard[0],
        Saved::Page { id, title: "Ukraine is now closer to NATO than ever before".into(), duplicate: false }
    );
    assert!(heard.iter().any(|s| matches!(s, Saved::Highlight { page_saved: true, .. })));
}

#[test]
fn a_hostile_page_is_stored_as_the_document_model_only() {
    let f = fixture();
    let token = f.token();
    let hostile = r#"<html><head><title>A hostile page about the summit</title><script>steal()</script></head>
<body onload="steal()"><article><h1>A hostile page about the summit</h1>
<p onclick="steal()">This paragraph talks about the Vilnius summit at length, so that readability keeps it as the article,
with <a href="javascript:steal()">a script link</a>, <a href="https://example.org/safe">a safe link</a> and
<a href="data:text/html,<script>x</script>">a data link</a>.</p>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/post"><input name="q"><button>Send</button></form>
<p>More words about allies and guarantees, so that the article is long enough to be taken as one by the extractor.
<img src="https://evil.example/track.gif" onerror="steal()" alt="tracker"></p>
<object data="x.swf"></object><embed src="y.swf"><svg><script>steal()</script></svg>
</article></body></html>"#;
    let reply = req("POST", "/v1/pages")
        .token(&token)
        .json(&json!({ "url": "https://hostile.example/page", "html": hostile }))
        .send(f.port());
    assert_eq!(reply.status, 200, "{reply:?}");
    let view = f.library.article(reply.json()["id"].as_i64().unwrap()).unwrap();
    let document = serde_json::to_string(&view.document).unwrap().to_lowercase();
    for bad in [
        "<script",
        "steal()",
        "onclick",
        "onload",
        "onerror",
        "javascript:",
        "data:text/html",
        "iframe",
        "<form",
        ".swf",
    ] {
        assert!(!document.contains(bad), "the stored document contains {bad:?}: {document}");
    }
    // The tracker was not fetched: nothing is, for a captured page.
    assert!(document.contains("https://evil.example/track.gif"));
}

#[test]
fn a_flood_is_limited_and_the_server_serves_afterwards() {
    let f = fixture_with(EndpointConfig { rate: Rate { per_second: 5.0, burst: 10 }, ..EndpointConfig::default() });
    let token = f.token();
    let statuses: Vec<u16> = (0..40).map(|_| req("GET", "/v1/status").token(&token).send(f.port()).status).collect();
    assert!(statuses[..10].iter().all(|s| *s == 200), "{statuses:?}");
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!(limited >= 25, "{statuses:?}");
    let refused = req("GET", "/v1/status").token(&token).send(f.port());
    assert_bare(&refused, 429, "a flood");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(req("GET", "/v1/status").token(&token).send(f.port()).status, 200);
}

#[test]
fn guessing_pairing_codes_voids_them_and_is_slowed() {
    // The library's rule: five wrong codes void every pending code.
    let f = fixture();
    let code = f.library.new_pairing_code().unwrap();
    for guess in ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE"] {
        let reply = req("POST", "/v1/pair").json(&json!({ "code": guess, "client": "guesser" })).send(f.port());
        assert_bare(&reply, 401, guess);
    }
    let late = req("POST", "/v1/pair").json(&json!({ "code": code, "client": "the user" })).send(f.port());
    assert_bare(&late, 401, "the right code after five wrong ones");
    assert!(f.library.tokens().unwrap().is_empty());

    // The server's rule: failed attempts are rate limited far harder than requests.
    let f =
        fixture_with(EndpointConfig { rate: Rate { per_second: 1000.0, burst: 1000 }, ..EndpointConfig::default() });
    for _ in 0..5 {
        let reply = req("POST", "/v1/pair").json(&json!({ "code": "AAAA-AAAA" })).send(f.port());
        assert_bare(&reply, 401, "a wrong code");
    }
    let code = f.library.new_pairing_code().unwrap();
    let limited = req("POST", "/v1/pair").json(&json!({ "code": code })).send(f.port());
    assert_bare(&limited, 429, "a sixth attempt at once");
    assert!(f.library.tokens().unwrap().is_empty());
    // Other routes are not slowed by it.
    let token = f.token();
    assert_eq!(req("GET", "/v1/status").token(&token).send(f.port()).status, 200);
}

#[test]
fn singlefile_uploads_are_saved_like_pages() {
    let f = fixture();
    let token = f.token();
    let upload = |fields: &[(&str, Option<&str>, &str)]| {
        let mut body = String::new();
        for (name, file, value) in fields {
            body.push_str("--SingleFileBoundary\r\n");
            match file {
                Some(file) => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/html\r\n\r\n"
                )),
                None => body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
            }
            body.push_str(value);
            body.push_str("\r\n");
        }
        body.push_str("--SingleFileBoundary--\r\n");
        req("POST", "/v1/singlefile")
            .token(&token)
            .header("Origin", "moz-extension://0d6c7f1e-1111-2222-3333-444455556666")
            .header("Accept", "multipart/form-data")
            .body("multipart/form-data; boundary=SingleFileBoundary", body)
            .send(f.port())
    };
    let reply = upload(&[("file", Some("SingleFile.html"), PAGE), ("url", None, PAGE_URL)]);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["duplicate"], json!(false));
    let id = reply.json()["id"].as_i64().unwrap();
    assert_eq!(f.library.article(id).unwrap().summary.source_url.as_deref(), Some(PAGE_URL));

    // Without an address field, the address of SingleFile's own comment.
    let commented = PAGE.replacen("<html", "<html><!--\n Page saved with SingleFile \n url: https://worlddesk.example/other \n saved date: Wed Jul 12 2023\n-->", 1)
        .replace("Ukraine is now closer", "Ukraine is now much closer");
    let reply = upload(&[("page", Some("SingleFile.html"), &commented)]);
    assert_eq!(reply.status, 200, "{reply:?}");
    let other = reply.json()["id"].as_i64().unwrap();
    assert_eq!(
        f.library.article(other).unwrap().summary.source_url.as_deref(),
        Some("https://worlddesk.example/other")
    );

    // No page, or no address anywhere: malformed.
    let before = f.fingerprint();
    assert_bare(&upload(&[("url", None, PAGE_URL)]), 400, "no file");
    assert_bare(&upload(&[("file", Some("SingleFile.html"), "<html><p>no address</p></html>")]), 400, "no address");
    assert_eq!(f.fingerprint(), before);
}

#[test]
fn the_default_port_falls_back_and_stop_frees_the_port() {
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(&dir.path().join("library.sqlite3")).unwrap());
    let server = quire_endpoint::start(library.clone(), EndpointConfig::default(), |_| {});
    let Ok(server) = server else { return }; // every default port taken by something else
    let port = server.port();
    assert!((quire_endpoint::DEFAULT_PORT..=quire_endpoint::DEFAULT_PORT + 4).contains(&port));
    assert_eq!(server.default_port_taken(), port != quire_endpoint::DEFAULT_PORT);
    let second = quire_endpoint::start(library.clone(), EndpointConfig::default(), |_| {});
    if let Ok(second) = &second {
        assert!(second.port() > port, "the next free port");
        assert!(second.default_port_taken(), "the first one holds 47711 or another program does");
        let warning = second.warning().unwrap();
        assert!(
            warning.starts_with(&format!("another program is listening on 47711; Quire is on {}", second.port())),
            "{warning}"
        );
        // Its codes send the extension to its own port, which the library now records.
        let code = second.pairing_code().unwrap();
        assert_eq!(quire::pairing_code_port(&code), Some(quire::CodePort::Default(second.port())));
        assert_eq!(library.endpoint_port().unwrap(), Some(second.port()));
    }
    server.stop();
    assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok(), "stopped, the port is free");
    let taken = quire_endpoint::start(
        library,
        EndpointConfig { port: second.as_ref().ok().map(|s| s.port()), ..EndpointConfig::default() },
        |_| {},
    );
    assert!(second.is_err() || taken.is_err(), "a port asked for and taken is an error, not another port");
}

/// `POST /v1/hello` with this token id and nonce: the proof, decoded.
fn hello(port: u16, token_id: i64, nonce: &[u8; 32]) -> [u8; 32] {
    let reply = req("POST", "/v1/hello")
        .header("Origin", "chrome-extension://abcdefghijklmnopabcdefghijklmnop")
        .json(&json!({ "token_id": token_id, "nonce": hex(nonce) }))
        .send(port);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_nothing_named(&reply, "hello");
    let body = reply.json();
    assert_eq!(body.as_object().unwrap().len(), 1, "only the proof: {body}");
    let proof = body["proof"].as_str().unwrap();
    assert_eq!(proof.len(), 64, "{proof}");
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&proof[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn hello_proves_the_token_for_this_port_only_and_tells_a_stranger_nothing() {
    let f = fixture();
    let port = f.port();
    let (info, secret) = f.library.new_token("the extension").unwrap();
    let key = quire::token_hash(&secret);
    let nonce = [7u8; 32];
    let proof = hello(port, info.id, &nonce);
    assert_eq!(proof, quire::hello_proof(&key, &nonce, port), "the client's check passes");
    // A fresh nonce, a fresh proof: an old answer cannot be replayed.
    assert_ne!(hello(port, info.id, &[8u8; 32]), proof);

    // A squatter on another port relays the client's hello to the real Quire: the proof it
    // gets back is for Quire's port, not for the port the client dialed.
    let squatter_port = port.wrapping_add(1);
    let relayed = hello(port, info.id, &nonce);
    assert_ne!(relayed, quire::hello_proof(&key, &nonce, squatter_port), "a relayed proof fails the check");
    // Another server over the same library, on another port: another proof for the same nonce.
    let other =
        quire_endpoint::start(f.library.clone(), EndpointConfig { port: Some(0), ..EndpointConfig::default() }, |_| {})
            .unwrap();
    let there = hello(other.port(), info.id, &nonce);
    assert_eq!(there, quire::hello_proof(&key, &nonce, other.port()));
    assert_ne!(there, proof, "the proof differs per port");

    // No proof without the token: an unknown or revoked token id gets an answer of the same
    // shape that checks under no key the library holds, stable like a real one, different per
    // id: nothing tells which ids exist.
    let (revoked, revoked_secret) = f.library.new_token("revoked").unwrap();
    let revoked_proof = hello(port, revoked.id, &nonce);
    f.library.revoke_token(revoked.id).unwrap();
    let tokens: Vec<[u8; 32]> = [&secret, &revoked_secret].iter().map(|s| quire::token_hash(s)).collect();
    for id in [revoked.id, 999, 0, -1, i64::MAX] {
        let decoy = hello(port, id, &nonce);
        assert_eq!(decoy, hello(port, id, &nonce), "{id}: stable");
        for key in &tokens {
            assert_ne!(decoy, quire::hello_proof(key, &nonce, port), "{id}: a valid proof");
        }
        assert_ne!(decoy, revoked_proof, "{id}: the revoked token's proof");
    }
    assert_ne!(hello(port, 998, &nonce), hello(port, 999, &nonce));
    // And hello writes nothing.
    assert_eq!(f.library.tokens().unwrap().len(), 1);
}

#[test]
fn a_pairing_code_for_another_port_is_refused() {
    let f = fixture();
    let port = f.port();
    // A code made for Quire on 47711, relayed by whoever received it to Quire here.
    let elsewhere = f.library.new_pairing_code_for(if port == 47711 { 47712 } else { 47711 }).unwrap();
    let reply = req("POST", "/v1/pair").json(&json!({ "code": elsewhere, "client": "relay" })).send(port);
    assert_bare(&reply, 401, "a code for another port");
    assert!(f.library.tokens().unwrap().is_empty());
    // The library's own codes are for the port the server recorded: this one.
    assert_eq!(f.library.endpoint_port().unwrap(), Some(port));
    let code = f.library.new_pairing_code().unwrap();
    let reply = req("POST", "/v1/pair").json(&json!({ "code": code, "client": "the user" })).send(port);
    assert_eq!(reply.status, 200, "{reply:?}");
    // Stopped, it is forgotten.
    let Fixture { server, library, _dir, .. } = f;
    server.stop();
    assert_eq!(library.endpoint_port().unwrap(), None);
}

#[test]
fn a_strangers_flood_does_not_starve_the_paired_client() {
    let f = fixture_with(EndpointConfig { rate: Rate { per_second: 1.0, burst: 10 }, ..EndpointConfig::default() });
    let token = f.token();
    let id = f.library.tokens().unwrap()[0].id;
    // What <img> tags on a web page can send: GETs without Origin or token; and wrong tokens.
    let flood: Vec<u16> = (0..30)
        .map(|i| {
            let r = if i % 2 == 0 { req("GET", "/v1/status") } else { req("GET", "/v1/tags").token("wrong") };
            r.send(f.port()).status
        })
        .collect();
    assert!(flood.iter().filter(|s| **s == 429).count() >= 15, "{flood:?}");
    assert_bare(&req("GET", "/x").send(f.port()), 429, "the strangers' bucket is empty");
    // The paired client is served at once: hello, then its own bucket.
    let nonce = [1u8; 32];
    assert_eq!(hello(f.port(), id, &nonce), quire::hello_proof(&quire::token_hash(&token), &nonce, f.port()));
    assert_eq!(req("GET", "/v1/status").token(&token).send(f.port()).status, 200);
    assert_eq!(req("POST", "/v1/pages").token(&token).json(&page_json(&[])).send(f.port()).status, 200);
}

#[test]
fn half_open_connections_do_not_keep_a_client_waiting() {
    let f = fixture();
    let token = f.token();
    let port = f.port();
    // Many connections that send half a request head and wait, far more than the cap.
    let mut held = Vec::new();
    for _ in 0..(quire_endpoint::MAX_CONNECTIONS * 3) {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { continue };
        let _ = s.write_all(format!("POST /v1/pages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").as_bytes());
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(200));
    // A genuine request is answered promptly.
    let started = std::time::Instant::now();
    let reply = req("GET", "/v1/status").token(&token).send(port);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    // The ones over the cap were closed (or evicted): at most the cap are still open.
    let mut open = 0;
    for s in &mut held {
        s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let mut byte = [0u8; 1];
        match s.read(&mut byte) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {
                open += 1
            }
            _ => {}
        }
    }
    assert!(open <= quire_endpoint::MAX_CONNECTIONS, "{open} still open");
    // The header timeout closes the rest: a few seconds later none is.
    std::thread::sleep(quire_endpoint::HEADER_TIMEOUT + Duration::from_secs(1));
    for s in &mut held {
        s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        // Closed: the end of the stream (after whatever the server wrote), or a reset; a
        // timeout would mean it is still open.
        let mut rest = Vec::new();
        let closed = match s.read_to_end(&mut rest) {
            Ok(_) => true,
            Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        };
        assert!(closed, "a half-open connection outlived the header timeout");
    }
}
