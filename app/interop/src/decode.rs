//! Bytes → text: which encoding a file is in, and line endings made uniform.
//!
//! Order of checks: size (before anything is copied), emptiness, UTF-16 BOM, NUL bytes, then
//! UTF-8 with BOM, valid UTF-8, and CP932 as the fallback. CP932 is decoded with encoding_rs's
//! `SHIFT_JIS`, which is the WHATWG Shift_JIS = Windows-31J (NEC and IBM extensions: 髙 ①
//! ㈱). Decoding never substitutes U+FFFD: a byte that is not valid is an error with its
//! offset.
//!
//! A file that is UTF-8 except for a few broken bytes is reported as broken UTF-8 rather than
//! being read as CP932 (which would silently give mojibake): see [`looks_like_utf8`].

use encoding_rs::{DecoderResult, SHIFT_JIS};
use kinko_domain::lang::Lang;
use zeroize::Zeroizing;

use crate::error::ReadError;
use crate::limits::Limits;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-8 without a byte order mark (cloud services, freee).
    Utf8,
    /// Shift_JIS as Windows writes it (CP932 / Windows-31J).
    Cp932,
}

impl Encoding {
    /// A label for the preview screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Encoding::Utf8Bom, Lang::Ja) => "UTF-8（BOM付き）",
            (Encoding::Utf8Bom, Lang::En) => "UTF-8 with BOM",
            (Encoding::Utf8, _) => "UTF-8",
            (Encoding::Cp932, Lang::Ja) => "Shift_JIS（CP932）",
            (Encoding::Cp932, Lang::En) => "Shift_JIS (CP932)",
        }
    }
}

/// A decoded file: its text, with every line break as `\n`, and the encoding it was in.
///
/// The text is wiped from memory when the value is dropped (it may hold My Numbers).
pub struct Decoded {
    text: Zeroizing<String>,
    encoding: Encoding,
}

impl Decoded {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text may hold numbers: show only its size.
        f.debug_struct("Decoded")
            .field("encoding", &self.encoding)
            .field("bytes", &self.text.len())
            .finish()
    }
}

/// [`decode_with`] and the default [`Limits`].
///
/// # Errors
///
/// See [`decode_with`].
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    decode_with(bytes, &Limits::default())
}

/// Detects the encoding of `bytes`, decodes them and makes every line break `\n`.
///
/// # Errors
///
/// [`ReadError::TooLarge`], [`ReadError::Empty`], [`ReadError::Utf16`], [`ReadError::Binary`],
/// [`ReadError::BrokenUtf8`] or [`ReadError::UnknownEncoding`]; offsets are those of the
/// original bytes.
pub fn decode_with(bytes: &[u8], limits: &Limits) -> Result<Decoded, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16);
    }
    let has_bom = bytes.starts_with(UTF8_BOM);
    let base = if has_bom { UTF8_BOM.len() } else { 0 };
    let body = &bytes[base..];
    if let Some(at) = memchr::memchr(0, body) {
        return Err(ReadError::Binary { offset: base + at });
    }
    let normalised = normalise_line_breaks(body);
    let (text, encoding) =
        decode_text(normalised, has_bom).map_err(|failure| error_at(body, base, failure))?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// Where decoding failed, in the normalised bytes, and whether it was as UTF-8.
struct Failure {
    offset: usize,
    utf8: bool,
}

fn decode_text(
    bytes: Zeroizing<Vec<u8>>,
    has_bom: bool,
) -> Result<(Zeroizing<String>, Encoding), Failure> {
    let bytes = match String::from_utf8(take(bytes)) {
        Ok(text) => {
            let encoding = if has_bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            };
            return Ok((Zeroizing::new(text), encoding));
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = Zeroizing::new(e.into_bytes());
            if has_bom || looks_like_utf8(&bytes) {
                return Err(Failure { offset, utf8: true });
            }
            bytes
        }
    };
    decode_cp932(&bytes)
        .map(|text| (text, Encoding::Cp932))
        .map_err(|offset| Failure {
            offset,
            utf8: false,
        })
}

/// Moves the bytes out of a `Zeroizing` without leaving a copy behind.
fn take(mut bytes: Zeroizing<Vec<u8>>) -> Vec<u8> {
    std::mem::take(&mut *bytes)
}

fn error_at(body: &[u8], base: usize, failure: Failure) -> ReadError {
    let offset = base + original_offset(body, failure.offset);
    if failure.utf8 {
        ReadError::BrokenUtf8 { offset }
    } else {
        ReadError::UnknownEncoding { offset }
    }
}

/// Decodes CP932 strictly; `Err` is the offset of the first byte that is not valid.
fn decode_cp932(bytes: &[u8]) -> Result<Zeroizing<String>, usize> {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    // Each byte of 0x80 and above yields at most three bytes of UTF-8, and ASCII one: sizing
    // the buffer once avoids reallocations that would leave unwiped copies behind.
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let mut text = Zeroizing::new(String::with_capacity(bytes.len() + 2 * high));
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::Malformed(bad, extra) => {
                return Err(read - usize::from(bad) - usize::from(extra));
            }
            DecoderResult::OutputFull => text.reserve(bytes.len() - read + 16),
        }
    }
}

/// True when invalid UTF-8 is more likely a damaged UTF-8 file than a CP932 one.
///
/// CP932 Japanese text is full of byte pairs that are not UTF-8 (every hiragana starts with
/// 0x82, a continuation byte), so it has many invalid sequences and few valid multi-byte ones.
/// A UTF-8 file with a few broken bytes is the other way round. Four valid multi-byte
/// characters per invalid sequence separates the two with a wide margin.
fn looks_like_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid >= 4 * invalid.max(1)
}

/// CRLF and lone CR become LF. Safe on CP932 bytes: 0x0D and 0x0A are never trail bytes.
fn normalise_line_breaks(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut iter = bytes.iter().copied().peekable();
    while let Some(b) = iter.next() {
        if b == b'\r' {
            if iter.peek() == Some(&b'\n') {
                iter.next();
            }
            out.push(b'\n');
        } else {
            out.push(b);
        }
    }
    out
}

/// Maps an offset in the normalised bytes back to the original (each CRLF lost one byte).
fn original_offset(original: &[u8], normalised: usize) -> usize {
    let mut seen = 0;
    let mut i = 0;
    while i < original.len() && seen < normalised {
        if original[i] == b'\r' && original.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        i += 1;
        seen += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_across_crlf() {
        let original = b"a\r\nb\r\nc";
        assert_eq!(original_offset(original, 0), 0);
        assert_eq!(original_offset(original, 2), 3);
        assert_eq!(original_offset(original, 4), 6);
    }

    #[test]
    fn line_breaks_become_lf() {
        assert_eq!(&*normalise_line_breaks(b"a\r\nb\rc\n"), b"a\nb\nc\n");
    }
}
