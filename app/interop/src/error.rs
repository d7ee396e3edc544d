//! Whole-file errors: the file cannot be read, its header does not fit the mapping, or an export
//! cannot be written. Problems with single rows are [`crate::RowError`]s instead.
//!
//! Invariant: no variant holds the content of a cell. Header names appear only after they
//! matched a known column name, so a headerless file's first row (which may hold a number)
//! is never echoed.

use std::fmt;

use kinko_domain::lang::{Lang, Localized};

use crate::mapping::Column;

/// Why a file could not be read as CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// No bytes, or nothing but a BOM, spaces and line breaks.
    Empty,
    /// Larger than [`crate::Limits::max_bytes`]; refused before decoding.
    TooLarge { limit: usize },
    /// A NUL byte: a spreadsheet, archive or other binary file. `offset` counts from 0.
    Binary { offset: usize },
    /// A UTF-16 byte order mark ("Unicode text" from Excel).
    Utf16,
    /// Mostly UTF-8, but with bytes that are not. `offset` (from 0) is the first bad byte.
    BrokenUtf8 { offset: usize },
    /// Neither UTF-8 nor CP932. `offset` (from 0) is where CP932 decoding failed.
    UnknownEncoding { offset: usize },
    /// The header row has more columns than [`crate::Limits::max_columns`].
    TooManyColumns { found: usize, limit: usize },
    /// More data rows than [`crate::Limits::max_rows`].
    TooManyRows { limit: usize },
    /// A quoted field opened on `line` runs to the end of the file.
    UnclosedQuote { line: u64 },
    /// A header row but no data rows.
    NoDataRows,
}

impl ReadError {
    fn message_ja(&self) -> String {
        match self {
            ReadError::Empty => "ファイルが空です".to_owned(),
            ReadError::TooLarge { limit } => format!(
                "ファイルが大きすぎます（読み込めるのは{}MBまでです）",
                limit / (1024 * 1024)
            ),
            ReadError::Binary { offset } => format!(
                "CSVファイルではないようです（{}バイト目にNUL文字があります）。CSV形式で保存したファイルを選んでください",
                offset + 1
            ),
            ReadError::Utf16 => "UTF-16のファイルは読み込めません。「CSV UTF-8」または「CSV（コンマ区切り）」で保存し直してください".to_owned(),
            ReadError::BrokenUtf8 { offset } => format!(
                "UTF-8として読めない部分があります（{}バイト目）。ファイルが壊れていないか確認してください",
                offset + 1
            ),
            ReadError::UnknownEncoding { offset } => format!(
                "文字コードを判別できません（{}バイト目）。UTF-8またはShift_JIS（CP932）で保存したCSVファイルを選んでください",
                offset + 1
            ),
            ReadError::TooManyColumns { found, limit } => {
                format!("列が多すぎます（{found}列あります。読み込めるのは{limit}列までです）")
            }
            ReadError::TooManyRows { limit } => format!(
                "行が多すぎます（読み込めるのは{limit}行までです）。ファイルを分けて読み込んでください"
            ),
            ReadError::UnclosedQuote { line } => format!(
                "{line}行目で始まるダブルクォーテーション（\"）が閉じられていません"
            ),
            ReadError::NoDataRows => "見出しの行だけで、データの行がありません".to_owned(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ReadError::Empty => "The file is empty".to_owned(),
            ReadError::TooLarge { limit } => format!(
                "The file is too large (at most {} MiB can be read)",
                limit / (1024 * 1024)
            ),
            ReadError::Binary { offset } => format!(
                "This does not look like a CSV file (byte {} is a NUL); choose a file saved as CSV",
                offset + 1
            ),
            ReadError::Utf16 => "UTF-16 files cannot be read; save the file again as \
                 “CSV UTF-8” or “CSV (comma delimited)”"
                .to_owned(),
            ReadError::BrokenUtf8 { offset } => format!(
                "Part of the file is not valid UTF-8 (byte {}); check that the file is not damaged",
                offset + 1
            ),
            ReadError::UnknownEncoding { offset } => format!(
                "The character encoding could not be recognised (byte {}); \
                 choose a CSV file saved as UTF-8 or Shift_JIS (CP932)",
                offset + 1
            ),
            ReadError::TooManyColumns { found, limit } => {
                format!("Too many columns ({found}; at most {limit} can be read)")
            }
            ReadError::TooManyRows { limit } => {
                format!("Too many rows (at most {limit} can be read); split the file")
            }
            ReadError::UnclosedQuote { line } => {
                format!("The double quote (\") opened on line {line} is never closed")
            }
            ReadError::NoDataRows => "The file has a header row but no data rows".to_owned(),
        }
    }
}

/// Why a file's header row does not fit a [`crate::Mapping`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// Required columns are not in the header. `mapping` is the mapping's name.
    MissingColumns {
        mapping: String,
        missing: Vec<Column>,
    },
    /// Two columns of the file carry the same name, which the mapping uses.
    AmbiguousColumn { column: Column, header: String },
}

impl MappingError {
    fn message_ja(&self) -> String {
        match self {
            MappingError::MissingColumns { mapping, missing } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("「{}」", missing_label(*c, Lang::Ja)))
                    .collect();
                format!(
                    "「{mapping}」の形式で必要な列が見つかりません：{}。見出しの行（1行目）の列名を確認するか、列の対応を設定してください",
                    names.join("、")
                )
            }
            MappingError::AmbiguousColumn { column, header } => format!(
                "「{header}」という列が複数あるため、{}にどちらを使うか決められません",
                column.label(Lang::Ja)
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            MappingError::MissingColumns { mapping, missing } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("“{}”", missing_label(*c, Lang::En)))
                    .collect();
                format!(
                    "Columns required by the “{mapping}” layout were not found: {}; \
                     check the header row or set up the column mapping",
                    names.join(", ")
                )
            }
            MappingError::AmbiguousColumn { column, header } => format!(
                "There are several columns named “{header}”, so the {} cannot be chosen",
                column.label(Lang::En)
            ),
        }
    }
}

/// A required column's name; the name can also come as two columns.
fn missing_label(column: Column, lang: Lang) -> &'static str {
    match (column, lang) {
        (Column::Name, Lang::Ja) => "氏名（または姓と名）",
        (Column::Name, Lang::En) => "name (or family and given name)",
        _ => column.label(lang),
    }
}

/// Either step of an import failing as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

impl Localized for ImportError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::Read(e) => e.message(lang),
            ImportError::Mapping(e) => e.message(lang),
        }
    }
}

/// Why an export could not be written. `row` is 0 for the header and 1 for the first data row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A character CP932 cannot hold, and no replacement was chosen.
    Unmappable {
        row: usize,
        column: String,
        character: char,
    },
    /// The chosen replacement character cannot be written in CP932 either.
    BadReplacement { character: char },
    /// A row with more or fewer cells than the header.
    RowLength {
        row: usize,
        expected: usize,
        found: usize,
    },
    /// A control character (other than tab and line breaks) that no reader would accept.
    ControlCharacter { row: usize, column: String },
}

impl WriteError {
    fn message_ja(&self) -> String {
        match self {
            WriteError::Unmappable {
                row,
                column,
                character,
            } => format!(
                "{}「{column}」の「{character}」（U+{:04X}）はShift_JIS（CP932）で書き出せません。UTF-8（BOM付き）で書き出すか、置き換える文字を指定してください",
                row_ja(*row),
                u32::from(*character)
            ),
            WriteError::BadReplacement { character } => format!(
                "置き換え用の文字「{character}」はShift_JIS（CP932）で書き出せません。別の文字を指定してください"
            ),
            WriteError::RowLength {
                row,
                expected,
                found,
            } => format!(
                "{}の項目数が見出しと合いません（見出しは{expected}項目、この行は{found}項目）",
                row_ja(*row)
            ),
            WriteError::ControlCharacter { row, column } => format!(
                "{}「{column}」に書き出せない制御文字があります",
                row_ja(*row)
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            WriteError::Unmappable {
                row,
                column,
                character,
            } => format!(
                "{}, column “{column}”: “{character}” (U+{:04X}) cannot be written in \
                 Shift_JIS (CP932); export as UTF-8 with BOM or choose a replacement character",
                row_en(*row),
                u32::from(*character)
            ),
            WriteError::BadReplacement { character } => format!(
                "The replacement character “{character}” cannot be written in Shift_JIS (CP932) \
                 either; choose another"
            ),
            WriteError::RowLength {
                row,
                expected,
                found,
            } => format!(
                "{} has {found} cells but the header has {expected}",
                row_en(*row)
            ),
            WriteError::ControlCharacter { row, column } => format!(
                "{}, column “{column}”: a control character cannot be written",
                row_en(*row)
            ),
        }
    }
}

fn row_ja(row: usize) -> String {
    if row == 0 {
        "見出しの行".to_owned()
    } else {
        format!("{row}件目のデータ")
    }
}

fn row_en(row: usize) -> String {
    if row == 0 {
        "The header row".to_owned()
    } else {
        format!("Data row {row}")
    }
}

/// `Display` in Japanese and `Localized` for the types whose messages are built above.
macro_rules! localized {
    ($($t:ty),+) => {$(
        impl Localized for $t {
            fn message(&self, lang: Lang) -> String {
                match lang {
                    Lang::Ja => self.message_ja(),
                    Lang::En => self.message_en(),
                }
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message_ja())
            }
        }
    )+};
}

localized!(ReadError, MappingError, WriteError);
