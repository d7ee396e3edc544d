//! Exporting numbers to CSV (PRODUCT.md F8) and the take-out register (持出し記録).
//!
//! An export takes the people in the user's scope (the session's index), opens their profiles
//! and numbers, and writes one CSV per kind of person with `kinko_interop`. Rules:
//!
//! - It needs [`Permission::Export`]; a refusal is logged.
//! - It needs a purpose and a destination (typed text, normalised: trimmed, runs of spaces made
//!   one, no control characters, at most [`MAX_TAKEOUT_CHARS`] characters each).
//! - Numbers are written in full: it is an export of numbers.
//! - A character the encoding cannot hold fails the whole export with the file, row and column
//!   ([`VaultError::Export`]), unless a replacement was chosen; then nothing is registered.
//! - On success, one transaction holds the audit entry `export` (format, encoding, kinds and
//!   people count: no personal data, not the purpose) and the take-out register row (who, when,
//!   what, how many people, with the purpose and destination sealed under the meta subkey).
//!
//! The bytes returned are the caller's to write (and zeroize on drop). A caller that writes a
//! file should use [`Session::export_with`], which runs its writer before the commit: a file
//! that cannot be written is then never registered, and a register row that cannot be written
//! leaves the caller's staged file to be thrown away.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use kinko_domain::number::MyNumber;
use kinko_domain::people::{PayeeKind, PersonKind};
use kinko_interop::kinko_format::{write_employees, write_family};
use kinko_interop::{
    Column, EmployeeRow, FamilyRow, FileKind, Lang, OutEncoding, Preset, Unmappable, WriteError,
    write_csv,
};

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::crypto::{Aad, Key};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::people::{
    PersonNumber, SealedProfile, key_aad, number_aad, open_profile, plain_columns,
};
use crate::session::Session;
use crate::store_util::next_id;

/// The longest purpose or destination accepted, in characters.
pub const MAX_TAKEOUT_CHARS: usize = 200;

/// The layout of the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Kinko's own lossless format (`kinko_interop::kinko_format`), read back by the importer
    /// with [`Preset::Kinko`].
    Kinko,
    /// The column names of a payroll or HR package's preset (its own names first), so that
    /// the package (and Kinko's importer with the same preset) can read the file.
    Preset(Preset),
}

impl ExportFormat {
    /// The stable name recorded in the log (`kinko`, `bugyo`, …).
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::Kinko => Preset::Kinko.key(),
            ExportFormat::Preset(p) => p.key(),
        }
    }

    fn preset(self) -> Preset {
        match self {
            ExportFormat::Kinko => Preset::Kinko,
            ExportFormat::Preset(p) => p,
        }
    }
}

/// One kind of person, and one file of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportKind {
    Employees,
    Family,
    Payees,
}

impl ExportKind {
    pub const ALL: [ExportKind; 3] = [
        ExportKind::Employees,
        ExportKind::Family,
        ExportKind::Payees,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ExportKind::Employees => "employees",
            ExportKind::Family => "family",
            ExportKind::Payees => "payees",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            ExportKind::Employees => "社員",
            ExportKind::Family => "家族",
            ExportKind::Payees => "支払先",
        }
    }

    pub fn parse(s: &str) -> Option<ExportKind> {
        let s = s.trim();
        ExportKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.ja() == s)
    }

    fn person_kind(self) -> PersonKind {
        match self {
            ExportKind::Employees => PersonKind::Employee,
            ExportKind::Family => PersonKind::Family,
            ExportKind::Payees => PersonKind::Payee,
        }
    }
}

/// What to export, why and where to.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// Why the numbers leave the vault (required). Sealed in the register, never logged.
    pub purpose: String,
    /// Where they go: a file path or the name of a medium (required). Sealed in the register.
    pub destination: String,
    pub format: ExportFormat,
    pub encoding: OutEncoding,
    /// What to do with a character the encoding cannot hold.
    pub on_unmappable: Unmappable,
    /// The kinds of people to export, one file each; empty means all three.
    pub kinds: Vec<ExportKind>,
}

/// One file of an export.
pub struct ExportFile {
    pub kind: ExportKind,
    /// The CSV, numbers included. Wiped when dropped.
    pub bytes: Zeroizing<Vec<u8>>,
    /// How many people (rows) it holds.
    pub people: usize,
}

impl std::fmt::Debug for ExportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportFile")
            .field("kind", &self.kind)
            .field("bytes", &self.bytes.len())
            .field("people", &self.people)
            .finish()
    }
}

/// The result of an export: one file per requested kind, in [`ExportKind`] order.
#[derive(Debug)]
pub struct Export {
    pub files: Vec<ExportFile>,
    /// How many people in all.
    pub people: usize,
    /// The ID of the take-out register row.
    pub takeout: i64,
}

impl Export {
    /// The file of `kind`, if it was requested.
    pub fn file(&self, kind: ExportKind) -> Option<&ExportFile> {
        self.files.iter().find(|f| f.kind == kind)
    }
}

/// One row of the take-out register (持出し記録).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeout {
    pub id: i64,
    /// Who took the data out (login name).
    pub user: String,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// What: format, encoding and kinds, e.g. `CSV Kinko形式 UTF-8（BOM付き） 社員・家族`.
    pub what: String,
    /// How many people.
    pub people: usize,
    pub purpose: String,
    pub destination: String,
}

/// What `takeouts.sealed_detail` holds. The JSON shape is the on-disk format.
#[derive(Serialize, Deserialize)]
struct SealedDetail {
    purpose: String,
    destination: String,
}

impl Session {
    /// Exports the numbers of the people in scope (see the module docs).
    ///
    /// # Errors
    ///
    /// [`VaultError::Denied`] without the export permission, [`VaultError::PurposeRequired`] /
    /// [`VaultError::DestinationRequired`] / [`VaultError::TakeoutText`] for bad typed text,
    /// [`VaultError::Export`] when a file cannot be written (an unmappable character), and the
    /// store's errors.
    pub fn export(&mut self, request: &ExportRequest) -> VaultResult<Export> {
        self.export_with(request, |_| Ok(()))
    }

    /// As [`Session::export`], running `stage` with the finished export inside the transaction
    /// before it commits: if `stage` fails, nothing is registered (and the failure is logged).
    /// `stage` should write the files where they cannot yet be mistaken for finished ones (a
    /// temporary file, synced) and the caller moves them into place after this returns.
    pub fn export_with(
        &mut self,
        request: &ExportRequest,
        stage: impl FnOnce(&Export) -> VaultResult<()>,
    ) -> VaultResult<Export> {
        self.ready()?;
        if !self.access().allows(Permission::Export) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("export", None, Permission::Export.key())
            })?;
            return Err(VaultError::Denied);
        }
        match self.export_inner(request, stage) {
            Ok(export) => {
                self.touch();
                Ok(export)
            }
            Err(e) => {
                self.log(Event {
                    outcome: Outcome::Error,
                    ..Event::ok("export", None, e.key())
                })?;
                Err(e)
            }
        }
    }

    fn export_inner(
        &mut self,
        request: &ExportRequest,
        stage: impl FnOnce(&Export) -> VaultResult<()>,
    ) -> VaultResult<Export> {
        let purpose = takeout_text(&request.purpose, VaultError::PurposeRequired)?;
        let destination = takeout_text(&request.destination, VaultError::DestinationRequired)?;
        let kinds = kinds(&request.kinds);
        let people = self.gather(&kinds)?;
        let mut files = Vec::with_capacity(kinds.len());
        for kind in &kinds {
            let (bytes, count) =
                people
                    .write(*kind, request)
                    .map_err(|error| VaultError::Export {
                        file: kind.ja(),
                        error,
                    })?;
            files.push(ExportFile {
                kind: *kind,
                bytes,
                people: count,
            });
        }
        drop(people);
        let total: usize = files.iter().map(|f| f.people).sum();
        let what = what(request, &kinds);
        let detail = format!(
            "format={} encoding={} kinds={} people={total}",
            request.format.key(),
            encoding_key(request.encoding),
            kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(","),
        );

        let tx = self.immediate()?;
        let keys = self.keys()?;
        let id = next_id(&tx, "takeouts")?;
        let at = self.now_text();
        let user = self.user().0;
        let seq = self.append(&tx, &Event::ok("export", Some(("takeout", id)), detail))?;
        let mut json = Zeroizing::new(Vec::with_capacity(1024));
        serde_json::to_writer(
            &mut *json,
            &SealedDetail {
                purpose,
                destination,
            },
        )
        .map_err(|_| VaultError::Crypto("serialize"))?;
        let sealed = keys
            .meta
            .seal(&detail_aad(keys, id, user, &at, &what, total), &json)?;
        tx.execute(
            "INSERT INTO takeouts (id, user_id, at, what, people, sealed_detail, audit_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, user, at, what, total as i64, sealed, seq],
        )?;
        let export = Export {
            files,
            people: total,
            takeout: id,
        };
        stage(&export)?;
        tx.commit()?;
        Ok(export)
    }

    /// The take-out register, oldest first (needs the export or the audit permission; logged).
    pub fn takeouts(&mut self) -> VaultResult<Vec<Takeout>> {
        self.ready()?;
        let allowed =
            self.access().allows(Permission::Export) || self.access().allows(Permission::ReadAudit);
        if !allowed {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("takeout.list", None, Permission::ReadAudit.key())
            })?;
            return Err(VaultError::Denied);
        }
        let keys = self.keys()?;
        let mut stmt = self.conn.prepare(
            "SELECT t.id, t.user_id, u.login, t.at, t.what, t.people, t.sealed_detail
             FROM takeouts t JOIN users u ON u.id = t.user_id ORDER BY t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Vec<u8>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, user_id, login, at, what, people, sealed) = row?;
            let people = usize::try_from(people).map_err(|_| VaultError::Tampered {
                place: "takeouts.people",
            })?;
            let aad = detail_aad(keys, id, user_id, &at, &what, people);
            let plain = keys.meta.open(&aad, &sealed)?;
            let detail: SealedDetail =
                serde_json::from_slice(&plain).map_err(|_| VaultError::Tampered {
                    place: "takeouts.sealed_detail",
                })?;
            out.push(Takeout {
                id,
                user: login,
                at,
                what,
                people,
                purpose: detail.purpose,
                destination: detail.destination,
            });
        }
        drop(stmt);
        self.log(Event::ok(
            "takeout.list",
            None,
            format!("results={}", out.len()),
        ))?;
        self.touch();
        Ok(out)
    }

    /// Opens everyone of `kinds` in scope, with their numbers.
    fn gather(&mut self, kinds: &[ExportKind]) -> VaultResult<People> {
        let wanted_kinds: Vec<PersonKind> = kinds.iter().map(|k| k.person_kind()).collect();
        let mut wanted: HashSet<i64> = HashSet::new();
        let mut employee_codes: HashMap<i64, String> = HashMap::new();
        for s in self.index()?.summaries() {
            if s.kind == PersonKind::Employee
                && let Some(code) = &s.code
            {
                employee_codes.insert(s.id.0, code.clone());
            }
            if wanted_kinds.contains(&s.kind) {
                wanted.insert(s.id.0);
            }
        }
        let departments: HashMap<i64, String> = self
            .departments()?
            .into_iter()
            .map(|(id, name)| (id.0, name))
            .collect();
        let keys = self.keys()?;
        let mut people = People::default();
        let mut epoch_keys: HashMap<i64, Key> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT p.id, p.kind, p.employee_id, p.department_id, p.employment_status,
                    p.collection_status, p.key_epoch, p.sealed_key, p.sealed_profile, n.sealed
             FROM persons p LEFT JOIN numbers n ON n.person_id = p.id ORDER BY p.id",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            if !wanted.contains(&id) {
                continue;
            }
            let kind = PersonKind::parse(&r.get::<_, String>(1)?).ok_or(VaultError::Tampered {
                place: "persons.kind",
            })?;
            let employment: Option<String> = r.get(4)?;
            let cols = plain_columns(
                kind,
                r.get(2)?,
                r.get(3)?,
                employment.as_deref(),
                &r.get::<_, String>(5)?,
            )?;
            let epoch: i64 = r.get(6)?;
            let wk = match epoch_keys.entry(epoch) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => v.insert(keys.epoch_key(&self.conn, epoch)?),
            };
            let pkey = wk.open_key(&key_aad(keys, id, epoch), &r.get::<_, Vec<u8>>(7)?)?;
            let profile = open_profile(keys, &pkey, id, &cols, &r.get::<_, Vec<u8>>(8)?)?;
            let number = match r.get::<_, Option<Vec<u8>>>(9)? {
                Some(sealed) => {
                    let plain = pkey.open(&number_aad(keys, id), &sealed)?;
                    Some(PersonNumber::from_sealed(&plain)?)
                }
                None => None,
            };
            match kind {
                PersonKind::Employee => people.employees.push(employee_row(
                    profile,
                    cols.department_id
                        .and_then(|d| departments.get(&d).cloned()),
                    cols.employment,
                    number,
                )?),
                PersonKind::Family => {
                    let code = cols
                        .employee_id
                        .and_then(|e| employee_codes.get(&e))
                        .cloned()
                        .ok_or(VaultError::Tampered {
                            place: "persons.employee_id",
                        })?;
                    people.family.push(family_row(profile, code, number)?);
                }
                PersonKind::Payee => people.payees.push(payee_row(profile, number)?),
            }
        }
        Ok(people)
    }
}

/// The typed text of a take-out, normalised.
fn takeout_text(input: &str, missing: VaultError) -> VaultResult<String> {
    let out = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        return Err(missing);
    }
    if out.chars().count() > MAX_TAKEOUT_CHARS || out.chars().any(char::is_control) {
        return Err(VaultError::TakeoutText {
            max: MAX_TAKEOUT_CHARS,
        });
    }
    Ok(out)
}

fn kinds(requested: &[ExportKind]) -> Vec<ExportKind> {
    let mut kinds: Vec<ExportKind> = if requested.is_empty() {
        ExportKind::ALL.to_vec()
    } else {
        requested.to_vec()
    };
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

fn encoding_key(encoding: OutEncoding) -> &'static str {
    match encoding {
        OutEncoding::Utf8Bom => "utf8_bom",
        OutEncoding::Cp932 => "cp932",
    }
}

/// The register's "what": format, encoding and kinds, in Japanese.
fn what(request: &ExportRequest, kinds: &[ExportKind]) -> String {
    let encoding = match request.encoding {
        OutEncoding::Utf8Bom => "UTF-8（BOM付き）",
        OutEncoding::Cp932 => "Shift_JIS（CP932）",
    };
    let replaced = match (request.encoding, request.on_unmappable) {
        (OutEncoding::Cp932, Unmappable::Replace(c)) => format!(" 置換文字「{c}」"),
        _ => String::new(),
    };
    format!(
        "CSV {} {encoding}{replaced} {}",
        request.format.preset().name_ja(),
        kinds.iter().map(|k| k.ja()).collect::<Vec<_>>().join("・")
    )
}

/// The associated data of a register row's sealed detail: binds its clear columns, so that
/// editing who, when, what or how many on disk makes the detail fail to open.
fn detail_aad(keys: &Keys, id: i64, user: i64, at: &str, what: &str, people: usize) -> Aad {
    keys.aad(
        "takeouts.sealed_detail",
        id,
        &format!("user={user};at={at};people={people};what={what}"),
    )
}

/// A payee as exported.
struct PayeeRow {
    code: String,
    kind: PayeeKind,
    name: String,
    kana: String,
    birth_date: Option<NaiveDate>,
    address: Option<String>,
    number: Option<PersonNumber>,
}

/// The opened people of an export, by kind.
#[derive(Default)]
struct People {
    employees: Vec<EmployeeRow>,
    family: Vec<FamilyRow>,
    payees: Vec<PayeeRow>,
}

fn tampered() -> VaultError {
    VaultError::Tampered {
        place: "persons.sealed_profile",
    }
}

fn my_number(number: Option<PersonNumber>) -> VaultResult<Option<MyNumber>> {
    match number {
        None => Ok(None),
        Some(PersonNumber::Individual(n)) => Ok(Some(n)),
        Some(PersonNumber::Corporate(_)) => Err(VaultError::Tampered {
            place: "numbers.sealed",
        }),
    }
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn employee_row(
    p: SealedProfile,
    department: Option<String>,
    status: Option<kinko_domain::people::EmploymentStatus>,
    number: Option<PersonNumber>,
) -> VaultResult<EmployeeRow> {
    Ok(EmployeeRow {
        code: p.code.ok_or_else(tampered)?,
        name: p.name,
        kana: optional(p.kana),
        birth_date: p.birth_date,
        department,
        hire_date: p.hire_date,
        retire_date: p.retire_date,
        status: status.ok_or_else(tampered)?,
        number: my_number(number)?,
    })
}

fn family_row(
    p: SealedProfile,
    employee_code: String,
    number: Option<PersonNumber>,
) -> VaultResult<FamilyRow> {
    Ok(FamilyRow {
        employee_code,
        relation: p.relation.ok_or_else(tampered)?,
        name: p.name,
        kana: optional(p.kana),
        birth_date: p.birth_date,
        dependant: p.dependant.ok_or_else(tampered)?,
        number: my_number(number)?,
    })
}

fn payee_row(p: SealedProfile, number: Option<PersonNumber>) -> VaultResult<PayeeRow> {
    Ok(PayeeRow {
        code: p.code.ok_or_else(tampered)?,
        kind: p.payee_kind.ok_or_else(tampered)?,
        name: p.name,
        kana: p.kana,
        birth_date: p.birth_date,
        address: p.address,
        number,
    })
}

/// The payee file's columns (the same in every format: no payroll preset describes payees).
pub const PAYEE_HEADERS: [&str; 8] = [
    "支払先コード",
    "区分",
    "氏名",
    "フリガナ",
    "生年月日",
    "住所",
    "個人番号",
    "法人番号",
];

type Written = Result<(Zeroizing<Vec<u8>>, usize), WriteError>;

impl People {
    fn write(&self, kind: ExportKind, request: &ExportRequest) -> Written {
        let (enc, un) = (request.encoding, request.on_unmappable);
        let bytes = match (kind, request.format) {
            (ExportKind::Employees, ExportFormat::Kinko) => (
                write_employees(&self.employees, enc, un)?,
                self.employees.len(),
            ),
            (ExportKind::Family, ExportFormat::Kinko) => {
                (write_family(&self.family, enc, un)?, self.family.len())
            }
            (ExportKind::Employees, ExportFormat::Preset(p)) => (
                preset_employees(p, &self.employees, enc, un)?,
                self.employees.len(),
            ),
            (ExportKind::Family, ExportFormat::Preset(p)) => {
                (preset_family(p, &self.family, enc, un)?, self.family.len())
            }
            (ExportKind::Payees, _) => (payees(&self.payees, enc, un)?, self.payees.len()),
        };
        Ok((Zeroizing::new(bytes.0), bytes.1))
    }
}

/// Whether a preset's own layout splits the name and the kana into two columns each.
fn split_columns(preset: Preset, kind: FileKind) -> (bool, bool) {
    match (preset, kind) {
        (Preset::Pca, FileKind::Employees) | (Preset::Freee, _) => (true, true),
        (Preset::MoneyForward, _) => (true, false),
        _ => (false, false),
    }
}

/// The columns of a preset's file: the Kinko columns, with the name and kana split where the
/// preset's software splits them.
fn preset_columns(preset: Preset, kind: FileKind, base: &[Column]) -> Vec<Column> {
    let (split_name, split_kana) = split_columns(preset, kind);
    let mut out = Vec::new();
    for c in base {
        match c {
            Column::Name if split_name => out.extend([Column::FamilyName, Column::GivenName]),
            Column::Kana if split_kana => out.extend([Column::FamilyKana, Column::GivenKana]),
            other => out.push(*other),
        }
    }
    out
}

/// Each column's header: the preset's first (own) name for it.
fn preset_headers(preset: Preset, kind: FileKind, columns: &[Column]) -> Vec<String> {
    let mapping = preset.mapping(kind);
    columns
        .iter()
        .map(|c| {
            mapping
                .columns
                .get(c)
                .and_then(|names| names.first().cloned())
                .unwrap_or_else(|| c.label(Lang::Ja).to_owned())
        })
        .collect()
}

/// Family name and given name (split at the first space).
fn halves(text: &str) -> (String, String) {
    match text.split_once(char::is_whitespace) {
        Some((family, given)) => (family.to_owned(), given.trim().to_owned()),
        None => (text.to_owned(), String::new()),
    }
}

fn date(value: Option<NaiveDate>) -> String {
    value
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn digits(number: Option<&MyNumber>) -> String {
    number
        .map(|n| n.expose_digits().to_owned())
        .unwrap_or_default()
}

struct PresetCells<'a> {
    name: &'a str,
    kana: Option<&'a str>,
    other: &'a dyn Fn(Column) -> String,
}

fn preset_cells(columns: &[Column], cells: &PresetCells<'_>) -> Vec<String> {
    let (family, given) = halves(cells.name);
    let (family_kana, given_kana) = halves(cells.kana.unwrap_or_default());
    columns
        .iter()
        .map(|c| match c {
            Column::Name => cells.name.to_owned(),
            Column::FamilyName => family.clone(),
            Column::GivenName => given.clone(),
            Column::Kana => cells.kana.unwrap_or_default().to_owned(),
            Column::FamilyKana => family_kana.clone(),
            Column::GivenKana => given_kana.clone(),
            other => (cells.other)(*other),
        })
        .collect()
}

fn preset_employees(
    preset: Preset,
    rows: &[EmployeeRow],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let kind = FileKind::Employees;
    let columns = preset_columns(preset, kind, &kinko_interop::kinko_format::EMPLOYEE_COLUMNS);
    let headers = preset_headers(preset, kind, &columns);
    let cells: Zeroizing<Vec<Vec<String>>> = Zeroizing::new(
        rows.iter()
            .map(|r| {
                let other = |c: Column| match c {
                    Column::EmployeeCode => r.code.clone(),
                    Column::BirthDate => date(r.birth_date),
                    Column::Department => r.department.clone().unwrap_or_default(),
                    Column::HireDate => date(r.hire_date),
                    Column::RetireDate => date(r.retire_date),
                    Column::Status => r.status.ja().to_owned(),
                    Column::MyNumber => digits(r.number.as_ref()),
                    _ => String::new(),
                };
                preset_cells(
                    &columns,
                    &PresetCells {
                        name: &r.name,
                        kana: r.kana.as_deref(),
                        other: &other,
                    },
                )
            })
            .collect(),
    );
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    write_csv(&headers, &cells, encoding, on_unmappable)
}

fn preset_family(
    preset: Preset,
    rows: &[FamilyRow],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let kind = FileKind::Family;
    let columns = preset_columns(preset, kind, &kinko_interop::kinko_format::FAMILY_COLUMNS);
    let headers = preset_headers(preset, kind, &columns);
    let cells: Zeroizing<Vec<Vec<String>>> = Zeroizing::new(
        rows.iter()
            .map(|r| {
                let other = |c: Column| match c {
                    Column::EmployeeCode => r.employee_code.clone(),
                    Column::Relation => r.relation.clone(),
                    Column::BirthDate => date(r.birth_date),
                    Column::Dependant => r.dependant.ja().to_owned(),
                    Column::MyNumber => digits(r.number.as_ref()),
                    _ => String::new(),
                };
                preset_cells(
                    &columns,
                    &PresetCells {
                        name: &r.name,
                        kana: r.kana.as_deref(),
                        other: &other,
                    },
                )
            })
            .collect(),
    );
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    write_csv(&headers, &cells, encoding, on_unmappable)
}

fn payees(
    rows: &[PayeeRow],
    encoding: OutEncoding,
    on_unmappable: Unmappable,
) -> Result<Vec<u8>, WriteError> {
    let cells: Zeroizing<Vec<Vec<String>>> = Zeroizing::new(
        rows.iter()
            .map(|r| {
                let (individual, corporate) = match &r.number {
                    Some(PersonNumber::Individual(n)) => {
                        (n.expose_digits().to_owned(), String::new())
                    }
                    Some(PersonNumber::Corporate(n)) => {
                        (String::new(), n.expose_digits().to_owned())
                    }
                    None => (String::new(), String::new()),
                };
                vec![
                    r.code.clone(),
                    r.kind.ja().to_owned(),
                    r.name.clone(),
                    r.kana.clone(),
                    date(r.birth_date),
                    r.address.clone().unwrap_or_default(),
                    individual,
                    corporate,
                ]
            })
            .collect(),
    );
    write_csv(&PAYEE_HEADERS, &cells, encoding, on_unmappable)
}
