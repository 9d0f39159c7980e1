//! Images ready to embed: JPEG passed through (DCTDecode), PNG decoded and deflated.

use std::io::Write;

pub enum Pixels {
    /// JPEG bytes as they are.
    Jpeg(Vec<u8>),
    /// Deflated 8-bit samples, and a deflated 8-bit alpha channel.
    Flate { data: Vec<u8>, alpha: Option<Vec<u8>> },
}

pub struct Prepared {
    pub width: u32,
    pub height: u32,
    /// 1 gray, 3 RGB, 4 CMYK.
    pub components: u8,
    pub pixels: Pixels,
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data).expect("writing to a Vec cannot fail");
    e.finish().expect("writing to a Vec cannot fail")
}

/// Why an image cannot be embedded (the PDF shows its alt text instead, with a warning).
#[derive(Debug, thiserror::Error)]
pub enum ImageProblem {
    #[error("unreadable JPEG header")]
    JpegHeader,
    #[error("unsupported image type {0}")]
    Unsupported(String),
    #[error("{0}")]
    Png(#[from] png::DecodingError),
    #[error("PNG too large")]
    TooLarge,
    #[error("indexed PNG was not expanded")]
    Indexed,
}

/// Decodes or checks an image.
pub fn prepare(mime: &str, bytes: &[u8]) -> Result<Prepared, ImageProblem> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let (width, height, components) = jpeg_info(bytes).ok_or(ImageProblem::JpegHeader)?;
        return Ok(Prepared { width, height, components, pixels: Pixels::Jpeg(bytes.to_vec()) });
    }
    if bytes.starts_with(b"\x89PNG") {
        return png(bytes);
    }
    Err(ImageProblem::Unsupported(mime.to_owned()))
}

fn png(bytes: &[u8]) -> Result<Prepared, ImageProblem> {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info()?;
    let size = reader.output_buffer_size().ok_or(ImageProblem::TooLarge)?;
    if size > 256 << 20 {
        return Err(ImageProblem::TooLarge);
    }
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf)?;
    let buf = &buf[..info.buffer_size()];
    let (width, height) = (info.width, info.height);
    let (components, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return Err(ImageProblem::Indexed),
    };
    let (data, alpha) = if has_alpha {
        let stride = components as usize + 1;
        let mut color = Vec::with_capacity(buf.len());
        let mut alpha = Vec::with_capacity(buf.len() / stride);
        for px in buf.chunks_exact(stride) {
            color.extend_from_slice(&px[..stride - 1]);
            alpha.push(px[stride - 1]);
        }
        let alpha = if alpha.iter().all(|a| *a == 255) { None } else { Some(deflate(&alpha)) };
        (deflate(&color), alpha)
    } else {
        (deflate(buf), None)
    };
    Ok(Prepared { width, height, components, pixels: Pixels::Flate { data, alpha } })
}

/// Width, height and components from a JPEG's SOF marker.
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0xD0..=0xD9 | 0x01) {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let s = b.get(i + 4..i + 10)?;
            let h = u16::from_be_bytes([s[1], s[2]]) as u32;
            let w = u16::from_be_bytes([s[3], s[4]]) as u32;
            let c = s[5];
            return (w > 0 && h > 0 && matches!(c, 1 | 3 | 4)).then_some((w, h, c));
        }
        i += 2 + len;
    }
    None
}
