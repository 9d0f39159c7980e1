//! A scripted HTTP/1.1 server on 127.0.0.1 for clipping tests: every way a web server can
//! misbehave, on a loopback port, never the internet.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the server answers for a path.
#[derive(Clone)]
pub enum Reply {
    /// Status, content type (None: no header), body.
    Body(u16, Option<&'static str>, Vec<u8>),
    /// A redirect to another path.
    Redirect(&'static str),
    /// Reads the request and then says nothing for this long.
    Silent(Duration),
    /// A 200 text/html body of `n` bytes sent without Content-Length, until the client hangs up.
    Endless(u64),
    /// Waits this long, then answers with the reply.
    Delayed(Duration, Box<Reply>),
}

/// A running server; stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server answering `routes(path)`; unknown paths get 404.
    pub fn start(routes: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let routes = Arc::new(routes);
        let stopped = stop.clone();
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let routes = routes.clone();
                        let stopped = stopped.clone();
                        std::thread::spawn(move || serve(stream, &*routes, &stopped));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { addr, stop }
    }

    /// `http://<host>:<port><path>`.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.addr.port())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(mut stream: TcpStream, routes: &dyn Fn(&str) -> Option<Reply>, stopped: &AtomicBool) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or(target).to_owned();
    let mut reply = routes(&path).unwrap_or(Reply::Body(404, Some("text/html"), b"<h1>Not found</h1>".to_vec()));
    while let Reply::Delayed(how_long, then) = reply {
        wait(how_long, stopped);
        reply = *then;
    }
    let _ = match reply {
        Reply::Body(status, content_type, body) => {
            let ct = content_type.map(|c| format!("Content-Type: {c}\r\n")).unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status} {}\r\n{ct}Content-Length: {}\r\nConnection: close\r\n\r\n",
                reason(status),
                body.len()
            );
            stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body))
        }
        Reply::Redirect(to) => {
            let head =
                format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            stream.write_all(head.as_bytes())
        }
        Reply::Silent(how_long) => {
            wait(how_long, stopped);
            Ok(())
        }
        Reply::Delayed(..) => unreachable!("unwrapped above"),
        Reply::Endless(total) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>";
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            let mut result = stream.write_all(head.as_bytes());
            while result.is_ok() && sent < total {
                result = stream.write_all(&chunk);
                sent += chunk.len() as u64;
            }
            result
        }
    };
    let _ = stream.flush();
}

/// Sleeps for `how_long`, or until the server stops.
fn wait(how_long: Duration, stopped: &AtomicBool) {
    let until = std::time::Instant::now() + how_long;
    while std::time::Instant::now() < until && !stopped.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// A valid 1×1 PNG, with `seed` in a private chunk so that different seeds hash differently.
pub fn tiny_png(seed: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |png: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&[kind, data].concat());
        png.extend_from_slice(&crc.to_be_bytes());
    };
    chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    chunk(&mut png, b"quIr", &[seed]);
    // zlib stream of one scanline: filter 0 + RGB.
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0x00, 0xff, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A `width`×`height` PNG with a diagonal gradient between two colors (uncompressed deflate
/// blocks: no compressor needed).
pub fn gradient_png(width: u32, height: u32, from: [u8; 3], to: [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            let t = (x + y) as f32 / (width + height) as f32;
            for c in 0..3 {
                raw.push((f32::from(from[c]) * (1.0 - t) + f32::from(to[c]) * t) as u8);
            }
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    for (kind, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(&data);
        png.extend_from_slice(&crc32(&[kind, &data[..]].concat()).to_be_bytes());
    }
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
