//! Rows → CSV bytes for export: UTF-8 with BOM (what Excel needs to recognise UTF-8) or CP932,
//! CRLF line endings, RFC 4180 quoting.
//!
//! CP932 cannot hold every character. One that it cannot is reported as
//! [`WriteError::Unmappable`] with its row and column, or replaced by a character the caller
//! chose; never written as `&#NNNN;` or `?` behind anyone's back.
//!
//! One exception, because nothing is lost: a few characters have two Unicode forms for the same
//! JIS X 0208 character, and encoding_rs (WHATWG Shift_JIS) encodes only the Windows form. The
//! JIS form is written as that same JIS character: 〜 U+301C → 0x8160 (read back as ～ U+FF5E),
//! ‖ U+2016 → 0x8161, — U+2014 → 0x815C, ¢ £ ¬ → 0x8191 0x8192 0x81CA. (encoding_rs already
//! does this for − U+2212 → 0x817C.)

use std::borrow::Cow;

use encoding_rs::{EncoderResult, SHIFT_JIS};
use zeroize::Zeroizing;

use crate::error::WriteError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutEncoding {
    /// UTF-8 with a byte order mark, so that Excel opens it as UTF-8.
    Utf8Bom,
    /// Shift_JIS as Windows reads it (CP932).
    Cp932,
}

/// What to do with a character the chosen encoding cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmappable {
    /// Stop with [`WriteError::Unmappable`].
    Fail,
    /// Write this character instead (it must be writable itself), e.g. `'〓'`.
    Replace(char),
}

/// Writes a header and rows as CSV.
///
/// The result holds whatever the rows hold (numbers included); the caller decides where it
/// goes and wipes it afterwards.
///
/// # Errors
///
/// [`WriteError::RowLength`] for a row with the wrong number of cells,
/// [`WriteError::ControlCharacter`] for a control character other than tab and line breaks,
/// [`WriteError::Unmappable`] (CP932 with [`Unmappable::Fail`]), and
/// [`WriteError::BadReplacement`] when the replacement itself is not writable.
pub fn write_csv(
    header: &[&str],
    rows: &[Vec<String>],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::new(encoding, on_unmappable, header)?;
    writer.out.reserve(estimate(header, rows));
    writer.row(0, header.iter().copied())?;
    for (i, row) in rows.iter().enumerate() {
        if row.len() != header.len() {
            return Err(WriteError::RowLength {
                row: i + 1,
                expected: header.len(),
                found: row.len(),
            });
        }
        writer.row(i + 1, row.iter().map(String::as_str))?;
    }
    Ok(writer.out)
}

/// Room for the whole file up front, so that the buffer (which holds numbers) is not copied
/// around by reallocation.
fn estimate(header: &[&str], rows: &[Vec<String>]) -> usize {
    let cells: usize = rows.iter().flatten().map(|c| c.len() + 3).sum();
    let head: usize = header.iter().map(|c| c.len() + 3).sum();
    UTF8_BOM.len() + head + cells + 2 * (rows.len() + 1)
}

struct Writer<'a> {
    out: Vec<u8>,
    encoding: OutEncoding,
    /// The replacement character, already encoded.
    replacement: Option<Vec<u8>>,
    /// Where each CP932 cell is encoded before it is appended.
    scratch: Zeroizing<Vec<u8>>,
    header: &'a [&'a str],
}

impl<'a> Writer<'a> {
    fn new(
        encoding: OutEncoding,
        on_unmappable: Unmappable,
        header: &'a [&'a str],
    ) -> Result<Self, WriteError> {
        let replacement = match (encoding, on_unmappable) {
            (_, Unmappable::Fail) | (OutEncoding::Utf8Bom, _) => None,
            (OutEncoding::Cp932, Unmappable::Replace(c)) => Some(encode_replacement(c)?),
        };
        let mut out = Vec::new();
        if encoding == OutEncoding::Utf8Bom {
            out.extend_from_slice(UTF8_BOM);
        }
        Ok(Writer {
            out,
            encoding,
            replacement,
            scratch: Zeroizing::new(Vec::new()),
            header,
        })
    }

    fn row<'c>(
        &mut self,
        row: usize,
        cells: impl Iterator<Item = &'c str>,
    ) -> Result<(), WriteError> {
        for (column, cell) in cells.enumerate() {
            if column > 0 {
                self.out.push(b',');
            }
            self.cell(row, column, cell)?;
        }
        self.out.extend_from_slice(b"\r\n");
        Ok(())
    }

    fn cell(&mut self, row: usize, column: usize, cell: &str) -> Result<(), WriteError> {
        if cell.chars().any(is_forbidden_control) {
            return Err(WriteError::ControlCharacter {
                row,
                column: self.column_name(column),
            });
        }
        let quote = needs_quotes(cell);
        if quote {
            self.out.push(b'"');
        }
        let escaped = if quote {
            Cow::Owned(cell.replace('"', "\"\""))
        } else {
            Cow::Borrowed(cell)
        };
        match self.encoding {
            OutEncoding::Utf8Bom => self.out.extend_from_slice(escaped.as_bytes()),
            OutEncoding::Cp932 => self.cp932(&fold_jis_variants(&escaped), row, column)?,
        }
        if quote {
            self.out.push(b'"');
        }
        Ok(())
    }

    /// Encodes through a small scratch buffer: encoding_rs's `_to_vec` variant gets slower
    /// the larger the output vector's spare capacity, which a whole file's worth made 40×.
    fn cp932(&mut self, text: &str, row: usize, column: usize) -> Result<(), WriteError> {
        let mut encoder = SHIFT_JIS.new_encoder();
        // CP932 never needs more bytes than UTF-8 for the same text.
        if self.scratch.len() < text.len() + 16 {
            self.scratch.resize(text.len() + 16, 0);
        }
        let mut rest = text;
        loop {
            let (result, read, written) =
                encoder.encode_from_utf8_without_replacement(rest, &mut self.scratch, true);
            self.out.extend_from_slice(&self.scratch[..written]);
            rest = &rest[read..];
            match result {
                EncoderResult::InputEmpty => return Ok(()),
                EncoderResult::OutputFull => {}
                EncoderResult::Unmappable(character) => match &self.replacement {
                    Some(bytes) => self.out.extend_from_slice(bytes),
                    None => {
                        return Err(WriteError::Unmappable {
                            row,
                            column: self.column_name(column),
                            character,
                        });
                    }
                },
            }
        }
    }

    fn column_name(&self, column: usize) -> String {
        self.header
            .get(column)
            .copied()
            .unwrap_or_default()
            .to_owned()
    }
}

fn encode_replacement(c: char) -> Result<Vec<u8>, WriteError> {
    let text = fold_jis_variants(&c.to_string());
    let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
    // Quoting is decided before encoding, so the replacement must not need quotes itself.
    if unmappable || is_forbidden_control(c) || c.is_whitespace() || c == '"' || c == ',' {
        return Err(WriteError::BadReplacement { character: c });
    }
    Ok(bytes.into_owned())
}

/// Quoted when it holds a delimiter, quote or line break, or has spaces at either end (which
/// some readers would trim).
fn needs_quotes(cell: &str) -> bool {
    cell.contains([',', '"', '\n', '\r'])
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace)
}

/// Control characters no CSV reader takes as text; tab and line breaks are fine inside quotes.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The JIS forms of characters whose Windows form CP932 holds (see the module docs).
fn fold_jis_variants(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{301C}' => '\u{FF5E}',
            '\u{2016}' => '\u{2225}',
            '\u{2014}' => '\u{2015}',
            '\u{00A2}' => '\u{FFE0}',
            '\u{00A3}' => '\u{FFE1}',
            '\u{00AC}' => '\u{FFE2}',
            _ => c,
        })
        .collect()
}
