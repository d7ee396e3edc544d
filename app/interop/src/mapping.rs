//! Which column of a file holds which item: [`Mapping`] (serialisable, so the vault can keep
//! the user's own) and its resolution against a header row.
//!
//! Header names match after normalisation: NFKC (full-width letters, digits and brackets
//! become half-width, half-width kana full-width), no spaces of any width, ASCII lower case,
//! every kind of bracket (（）【】［］〔〕「」『』) as `()`, and a trailing `(必須)` or `*`
//! dropped. So `氏名（フリガナ）`, `氏名(ﾌﾘｶﾞﾅ)` and ` 氏名 (フリガナ) *` are the same column.

use std::collections::BTreeMap;

use kinko_domain::lang::Lang;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::MappingError;

/// An item Kinko reads from a file. The serde names are stored in saved mappings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// 社員番号: the employee's own code, or in a family file the code of the employee.
    EmployeeCode,
    /// 氏名 in one column.
    Name,
    /// 姓, when the name is split.
    FamilyName,
    /// 名, when the name is split.
    GivenName,
    /// フリガナ in one column.
    Kana,
    FamilyKana,
    GivenKana,
    BirthDate,
    /// 所属 / 部署 / 部門 (by name).
    Department,
    HireDate,
    RetireDate,
    /// 在職区分; when absent the status follows from the retirement date.
    Status,
    /// 個人番号.
    MyNumber,
    /// 続柄 (family files).
    Relation,
    /// 扶養区分 (family files).
    Dependant,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::EmployeeCode,
        Column::Name,
        Column::FamilyName,
        Column::GivenName,
        Column::Kana,
        Column::FamilyKana,
        Column::GivenKana,
        Column::BirthDate,
        Column::Department,
        Column::HireDate,
        Column::RetireDate,
        Column::Status,
        Column::MyNumber,
        Column::Relation,
        Column::Dependant,
    ];

    /// The name used in messages (and as the header of the Kinko format).
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Column::EmployeeCode => ("社員番号", "employee code"),
            Column::Name => ("氏名", "name"),
            Column::FamilyName => ("姓", "family name"),
            Column::GivenName => ("名", "given name"),
            Column::Kana => ("フリガナ", "kana reading"),
            Column::FamilyKana => ("姓フリガナ", "family name kana"),
            Column::GivenKana => ("名フリガナ", "given name kana"),
            Column::BirthDate => ("生年月日", "date of birth"),
            Column::Department => ("部署", "department"),
            Column::HireDate => ("入社日", "hire date"),
            Column::RetireDate => ("退職日", "retirement date"),
            Column::Status => ("在職区分", "employment status"),
            Column::MyNumber => ("個人番号", "My Number"),
            Column::Relation => ("続柄", "relationship"),
            Column::Dependant => ("扶養区分", "dependant type"),
        };
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// Which kind of file a mapping reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// One row per employee.
    Employees,
    /// One row per family member, with the employee's code.
    Family,
}

/// For each [`Column`], the header names that hold it, most preferred first.
///
/// When a file has headers for several names of the same column, the first in this list wins.
/// A saved custom mapping usually has one name per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Shown in messages, e.g. 「給与奉行（OBC）・社員」 or the user's own name.
    pub name: String,
    pub kind: FileKind,
    pub columns: BTreeMap<Column, Vec<String>>,
}

impl Mapping {
    /// An empty mapping, to be filled with [`Mapping::with`].
    pub fn new(kind: FileKind, name: impl Into<String>) -> Mapping {
        Mapping {
            name: name.into(),
            kind,
            columns: BTreeMap::new(),
        }
    }

    /// Adds `header` as a name of `column` (after any names it already has).
    #[must_use]
    pub fn with(mut self, column: Column, header: impl Into<String>) -> Mapping {
        self.columns.entry(column).or_default().push(header.into());
        self
    }

    /// Which column of the file each item will be read from (index into `headers`), for a
    /// preview that shows the user how their file was understood.
    ///
    /// # Errors
    ///
    /// As for reading: see [`crate::employees`] and [`crate::family`].
    pub fn locate(&self, headers: &[String]) -> Result<BTreeMap<Column, usize>, MappingError> {
        let resolved = self.resolve(headers)?;
        Ok(Column::ALL
            .into_iter()
            .filter_map(|c| resolved.get(c).map(|i| (c, i)))
            .collect())
    }

    /// Finds each column in `headers`.
    ///
    /// # Errors
    ///
    /// [`MappingError::MissingColumns`] naming every required column that is not there (the
    /// employee code; the name, as 氏名 or as 姓; and in family files 続柄), or
    /// [`MappingError::AmbiguousColumn`] when the header that would be used appears twice.
    pub(crate) fn resolve(&self, headers: &[String]) -> Result<Resolved, MappingError> {
        let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        let mut resolved = Resolved::default();
        for (&column, names) in &self.columns {
            resolved.index[column as usize] = find(column, names, headers, &normalised)?;
        }
        resolved.prefer_whole_columns();
        let missing = self.missing(&resolved);
        if missing.is_empty() {
            Ok(resolved)
        } else {
            Err(MappingError::MissingColumns {
                mapping: self.name.clone(),
                missing,
            })
        }
    }

    fn missing(&self, resolved: &Resolved) -> Vec<Column> {
        let mut missing = Vec::new();
        if resolved.get(Column::EmployeeCode).is_none() {
            missing.push(Column::EmployeeCode);
        }
        if resolved.get(Column::Name).is_none() && resolved.get(Column::FamilyName).is_none() {
            missing.push(Column::Name);
        }
        if self.kind == FileKind::Family && resolved.get(Column::Relation).is_none() {
            missing.push(Column::Relation);
        }
        missing
    }
}

/// The first name of `column` that is in the header, and where.
fn find(
    column: Column,
    names: &[String],
    headers: &[String],
    normalised: &[String],
) -> Result<Option<usize>, MappingError> {
    for name in names {
        let wanted = normalise_header(name);
        let mut hits = normalised.iter().enumerate().filter(|(_, h)| **h == wanted);
        if let Some((index, _)) = hits.next() {
            if hits.next().is_some() {
                return Err(MappingError::AmbiguousColumn {
                    column,
                    header: headers[index].clone(),
                });
            }
            return Ok(Some(index));
        }
    }
    Ok(None)
}

/// Where each [`Column`] is in a particular file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    index: [Option<usize>; Column::ALL.len()],
}

impl Resolved {
    pub(crate) fn get(&self, column: Column) -> Option<usize> {
        self.index[column as usize]
    }

    /// A whole 氏名 or フリガナ column wins over split ones, so they are never mixed.
    fn prefer_whole_columns(&mut self) {
        if self.get(Column::Name).is_some() {
            self.index[Column::FamilyName as usize] = None;
            self.index[Column::GivenName as usize] = None;
        }
        if self.get(Column::Kana).is_some() {
            self.index[Column::FamilyKana as usize] = None;
            self.index[Column::GivenKana as usize] = None;
        }
    }
}

/// The form header names are compared in (see the module docs).
pub(crate) fn normalise_header(header: &str) -> String {
    let mut out: String = header
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
        .map(|c| match c {
            '【' | '［' | '〔' | '「' | '『' | '[' | '<' | '〈' | '《' => '(',
            '】' | '］' | '〕' | '」' | '』' | ']' | '>' | '〉' | '》' => ')',
            _ => c.to_ascii_lowercase(),
        })
        .collect();
    for marker in ["(必須)", "*", "※"] {
        if let Some(stripped) = out.strip_suffix(marker) {
            out = stripped.to_owned();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_normalise_alike() {
        let forms = [
            "氏名（フリガナ）",
            "氏名(ﾌﾘｶﾞﾅ)",
            " 氏名 (フリガナ) *",
            "氏名【フリガナ】",
            "氏名　(フリガナ)(必須)",
        ];
        for form in forms {
            assert_eq!(normalise_header(form), "氏名(フリガナ)", "{form}");
        }
        assert_eq!(normalise_header("社員ＮＯ"), "社員no");
    }
}
