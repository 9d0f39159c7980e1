//! Where a fetch may go, played as an attacker who controls a page or an import file: nothing
//! on this computer or a private network is fetched — by its address, by a name that resolves
//! there, by a redirect, or as an image — unless the user typed that host. The scripted server
//! runs on 127.0.0.1, which is exactly such an address.

use std::time::Duration;

use quire::{AddOptions, AddSource, ErrorKind, FetchConfig, Reach};
use quire_tests::server::{tiny_png, Reply, Server};

use crate::temp_library;

const PROSE: &str = "The allies met in Vilnius and spoke at length about guarantees, about the road to membership \
    and about what each of them would send next, and then they spoke some more, so that this paragraph is long \
    enough for the extractor to take it as the article's text rather than as page chrome around it.";

fn page(image: &str) -> Vec<u8> {
    format!(
        "<html><head><title>A page on this computer</title></head><body><article><h1>A page on this computer</h1>\
         <p>{PROSE}</p><figure><img src='{image}' alt='chart'><figcaption>A chart.</figcaption></figure>\
         <p>{PROSE}</p></article></body></html>"
    )
    .into_bytes()
}

fn server() -> Server {
    Server::start(|path| {
        Some(match path {
            "/page" => Reply::Body(200, Some("text/html"), page("/chart.png")),
            "/chart.png" => Reply::Body(200, Some("image/png"), tiny_png(3)),
            "/hop" => Reply::Redirect("/page"),
            _ => return None,
        })
    })
}

fn options(reach: Reach) -> AddOptions {
    let fetch = FetchConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        reach,
        ..FetchConfig::default()
    };
    AddOptions { fetch, ..AddOptions::default() }
}

fn refused(result: quire::Result<quire::AddOutcome>) -> String {
    let error = result.expect_err("the fetch is refused");
    assert!(matches!(error, quire::Error::PrivateAddress { .. }), "{error}");
    assert_eq!(error.kind(), ErrorKind::Network);
    error.to_string()
}

#[test]
fn an_address_not_typed_by_the_user_never_reaches_this_computer() {
    let server = server();
    let (_dir, lib) = temp_library();
    let port = server.addr.port();
    for url in [
        format!("http://127.0.0.1:{port}/page"),
        format!("http://[::ffff:127.0.0.1]:{port}/page"),
        format!("http://0.0.0.0:{port}/page"),
        // A name that resolves to this computer (the system's resolver, /etc/hosts).
        format!("http://localhost:{port}/page"),
    ] {
        let message = refused(lib.add(&AddSource::Url(url.clone()), &options(Reach::default())));
        assert!(message.contains("is on this computer or a private network"), "{url}: {message}");
    }
    assert_eq!(lib.count_articles(&Default::default()).unwrap().articles, 0);
}

#[test]
fn an_address_the_user_typed_is_clipped_with_its_own_images() {
    let server = server();
    let (_dir, lib) = temp_library();
    let url = format!("http://127.0.0.1:{}/hop", server.addr.port());
    // The typed host may redirect within itself and serve its own images.
    let added = lib.add(&AddSource::Url(url.clone()), &options(Reach::typed([url.as_str()]))).unwrap();
    assert_eq!(added.title, "A page on this computer");
    assert!(added.warnings.is_empty(), "{:?}", added.warnings);
    let view = lib.article(added.id).unwrap();
    assert!(view
        .document
        .blocks
        .iter()
        .any(|b| matches!(&b.kind, quire_doc::BlockKind::Image { src, .. } if src.starts_with(quire::IMAGE_SCHEME))));
}

#[test]
fn a_page_cannot_send_quire_to_a_private_address() {
    // A page on a public-looking host (the test's static name) whose image and redirect point
    // at this computer by address: both refused, even though the user typed the page.
    let server = server();
    let port = server.addr.port();
    let target: &'static str = Box::leak(format!("http://127.0.0.1:{port}/page").into_boxed_str());
    let image: &'static str = Box::leak(format!("http://127.0.0.1:{port}/chart.png").into_boxed_str());
    let public = Server::start(move |path| {
        Some(match path {
            "/redirect" => Reply::Redirect(target),
            "/article" => Reply::Body(200, Some("text/html"), page(image)),
            _ => return None,
        })
    });
    let (_dir, lib) = temp_library();
    let host = "news.quire.test";
    let typed = |path: &str| {
        let url = public.url(host, path);
        let mut opts = options(Reach::typed([url.as_str()]));
        opts.fetch.static_hosts = Some(vec![(host.to_owned(), public.addr)]);
        (url, opts)
    };
    let (url, opts) = typed("/redirect");
    let message = refused(lib.add(&AddSource::Url(url), &opts));
    assert!(message.contains("redirects to 127.0.0.1"), "{message}");
    let (url, opts) = typed("/article");
    let added = lib.add(&AddSource::Url(url), &opts).unwrap();
    assert!(
        added
            .warnings
            .iter()
            .any(|w| w.contains("127.0.0.1") && w.contains("is on this computer or a private network")),
        "{:?}",
        added.warnings
    );
    let view = lib.article(added.id).unwrap();
    assert!(!view
        .document
        .blocks
        .iter()
        .any(|b| matches!(&b.kind, quire_doc::BlockKind::Image { src, .. } if src.starts_with(quire::IMAGE_SCHEME))));
}
