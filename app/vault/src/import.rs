//! Importing employees and family members from HR / payroll CSV files (F7): a preview, then an
//! all-or-nothing commit, and the user's own column mappings.
//!
//! Rules (the preview and the commit use the same plan, computed afresh inside the commit's
//! transaction):
//!
//! - **Employees** are matched by employee code (upsert). A cell the file leaves empty (or a
//!   column it does not have) keeps what is stored; the status follows the status column, else
//!   退職 when the retirement date has passed, else what is stored (在職 for a new employee).
//! - **Family members** belong to the employee whose code the row names; that employee must be
//!   in the vault and in the user's scope (a missing and an out-of-scope employee are reported
//!   alike). A row is the same person as a stored family member of that employee when the
//!   row's My Number is that member's; otherwise when the name (spaces ignored) is the same and
//!   the birth dates are equal or one of them is unknown. Two stored members fitting → an error.
//! - **Departments** named in the file that do not exist yet are created by the commit; the
//!   preview lists them.
//! - **Numbers** are compared by blind index only: a number held by anyone else is reported
//!   without saying who. A different number for a matched person replaces the stored one.
//! - A new person needs a フリガナ (the vault requires one).
//! - An employee outside the user's scope (stored, or as the file would make them) is an
//!   error on the row.
//!
//! The log gets one `import.preview` / `import.commit` entry with the counts and the first 16
//! hex digits of the file's SHA-256 — never the file name, which may hold a person's name —
//! besides the usual entry for each person added or changed.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::people::{
    CollectionStatus, DepartmentId, EmploymentStatus, Person, PersonId, PersonKind,
    PersonalDetails, Role,
};
use kinko_domain::text::{self, Field};
use kinko_interop::{
    Column, Encoding, FileKind, ImportError, Mapping, RowError, RowProblem, decode, read_table,
};

use crate::access::{Access, Permission};
use crate::audit::{Event, Outcome};
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::people::{
    NewPerson, PersonNumber, code_index, normalized, number_index, person_key, read_person,
};
use crate::session::Session;

/// What an import would do, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview {
    pub kind: FileKind,
    pub encoding: Encoding,
    /// The file's name as given, for the screen only (never logged).
    pub file_name: String,
    /// The first 16 hex digits of the SHA-256 of the file: what the log records.
    pub file_id: String,
    /// Data rows in the file (good and bad).
    pub rows: usize,
    pub added: Vec<ImportLine>,
    pub updated: Vec<ImportLine>,
    pub unchanged: Vec<ImportLine>,
    /// Every bad row, in line order; a row with several problems appears once per problem.
    pub errors: Vec<ImportProblem>,
    /// Departments the file names that do not exist yet: the commit creates them.
    pub new_departments: Vec<String>,
}

impl ImportPreview {
    /// The number of distinct lines with a problem.
    pub fn bad_rows(&self) -> usize {
        self.errors
            .iter()
            .map(|e| e.line)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// One row that would be added, changed or left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    pub line: u64,
    /// The employee code (for a family row, its employee's).
    pub code: String,
    /// What changes (empty when added or unchanged).
    pub changes: Vec<Column>,
}

/// A bad row: where and why. Holds no cell's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub line: u64,
    /// The column's header as written in the file; empty for the whole row.
    pub column: String,
    pub reason: ImportReason,
}

/// Why a row cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportReason {
    /// A problem found while reading the file.
    Row(RowProblem),
    /// The number is already registered to another person (who is not said).
    NumberTaken,
    /// No employee with this code in the vault within the user's scope.
    EmployeeNotFound,
    /// The employee is outside the user's scope.
    OutOfScope,
    /// A new person needs a フリガナ.
    KanaRequired,
    /// Two stored family members of the employee fit this row.
    AmbiguousMember,
    /// The same stored family member is matched by an earlier line too.
    SameMember { first_line: u64 },
    /// The vault refuses a value (the message never holds the value).
    Rejected(String),
}

impl Localized for ImportReason {
    fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ImportReason::Row(p) => p.message(lang),
            ImportReason::NumberTaken if ja => {
                "この個人番号はすでに別の人に登録されています".into()
            }
            ImportReason::NumberTaken => "this My Number is already registered for someone else".into(),
            ImportReason::EmployeeNotFound if ja => {
                "この社員番号の社員が金庫（あなたの担当範囲）にいません。先に社員を取り込んでください".into()
            }
            ImportReason::EmployeeNotFound => {
                "no employee with this code in the vault (within your scope); import the employees first".into()
            }
            ImportReason::OutOfScope if ja => "あなたの担当範囲外の社員です".into(),
            ImportReason::OutOfScope => "this employee is outside your scope".into(),
            ImportReason::KanaRequired if ja => {
                "新しく登録する人にはフリガナが必要です".into()
            }
            ImportReason::KanaRequired => "a new person needs a kana reading".into(),
            ImportReason::AmbiguousMember if ja => {
                "登録済みの家族のうち、どの人か決められません（同じ氏名の家族が複数います）".into()
            }
            ImportReason::AmbiguousMember => {
                "more than one registered family member fits this row".into()
            }
            ImportReason::SameMember { first_line } if ja => {
                format!("{first_line}行目と同じ登録済みの家族に当たります")
            }
            ImportReason::SameMember { first_line } => {
                format!("the same registered family member as line {first_line}")
            }
            ImportReason::Rejected(m) => m.clone(),
        }
    }
}

impl fmt::Display for ImportReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Ja))
    }
}

impl Localized for ImportProblem {
    fn message(&self, lang: Lang) -> String {
        let reason = self.reason.message(lang);
        match (lang, self.column.is_empty()) {
            (Lang::Ja, true) => format!("行 {}: {reason}", self.line),
            (Lang::Ja, false) => format!("行 {}・列「{}」: {reason}", self.line, self.column),
            (Lang::En, true) => format!("line {}: {reason}", self.line),
            (Lang::En, false) => format!("line {}, column “{}”: {reason}", self.line, self.column),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Ja))
    }
}

impl From<RowError> for ImportProblem {
    fn from(e: RowError) -> ImportProblem {
        ImportProblem {
            line: e.line,
            column: e.column,
            reason: ImportReason::Row(e.reason),
        }
    }
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: FileKind,
    pub file_id: String,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Bad rows left out (only with `skip_bad`).
    pub skipped: usize,
    pub departments_added: usize,
}

/// One change the commit makes.
enum Action {
    Add {
        person: NewPerson,
        department: Option<String>,
    },
    Update {
        id: PersonId,
        person: Option<Person>,
        department: Option<String>,
        number: Option<PersonNumber>,
    },
}

/// The preview and the changes behind it.
struct Plan {
    preview: ImportPreview,
    actions: Vec<Action>,
}

/// What the plan reads the vault with.
struct Reader<'a> {
    conn: &'a Connection,
    keys: &'a Keys,
    access: &'a Access,
    today: NaiveDate,
}

impl Session {
    /// What importing `bytes` with `mapping` would do. Needs the import permission; logged as
    /// `import.preview` with the counts and the file's hash.
    pub fn import_preview(
        &mut self,
        bytes: &[u8],
        mapping: &Mapping,
        file_name: &str,
    ) -> VaultResult<ImportPreview> {
        self.import_gate("import.preview")?;
        let access = self.access().clone();
        let result = {
            let reader = Reader {
                conn: &self.conn,
                keys: self.keys()?,
                access: &access,
                today: self.today(),
            };
            plan(&reader, bytes, mapping, file_name)
        };
        match result {
            Ok(plan) => {
                let p = plan.preview;
                self.log(Event::ok("import.preview", None, preview_detail(&p)))?;
                self.touch();
                Ok(p)
            }
            Err(e) => {
                self.log(Event {
                    outcome: Outcome::Error,
                    ..Event::ok(
                        "import.preview",
                        None,
                        format!("{} {}", file_detail(bytes), e.key()),
                    )
                })?;
                Err(e)
            }
        }
    }

    /// Imports `bytes` in one transaction: everything or nothing. With a bad row it refuses
    /// ([`VaultError::ImportRefused`]) unless `skip_bad`, when the bad rows are left out and
    /// counted. Needs the import permission, and the register / update permissions for what
    /// it adds / changes.
    pub fn import_commit(
        &mut self,
        bytes: &[u8],
        mapping: &Mapping,
        file_name: &str,
        skip_bad: bool,
    ) -> VaultResult<ImportReport> {
        self.import_commit_with_progress(bytes, mapping, file_name, skip_bad, |_, _| Ok(()))
    }

    /// [`Session::import_commit`], calling `progress(done, total)` after each change; an error
    /// from it (the user cancelled) rolls everything back.
    pub fn import_commit_with_progress(
        &mut self,
        bytes: &[u8],
        mapping: &Mapping,
        file_name: &str,
        skip_bad: bool,
        mut progress: impl FnMut(usize, usize) -> VaultResult<()>,
    ) -> VaultResult<ImportReport> {
        self.import_gate("import.commit")?;
        let access = self.access().clone();
        let today = self.today();
        self.write(|w| {
            w.begin(Permission::Import, "import.commit", None)?;
            let plan = {
                let reader = Reader {
                    conn: w.tx(),
                    keys: w.keys(),
                    access: &access,
                    today,
                };
                plan(&reader, bytes, mapping, file_name)?
            };
            let preview = plan.preview;
            let bad = preview.bad_rows();
            if bad > 0 && !skip_bad {
                return Err(VaultError::ImportRefused { errors: bad });
            }
            let total = plan.actions.len();
            let mut departments: HashMap<String, DepartmentId> = HashMap::new();
            for (done, action) in plan.actions.into_iter().enumerate() {
                match action {
                    Action::Add {
                        mut person,
                        department,
                    } => {
                        if let (Some(name), Role::Employee { department: d, .. }) =
                            (department, &mut person.role)
                        {
                            *d = Some(department_id(w, &mut departments, &name)?);
                        }
                        w.add_person(person)?;
                    }
                    Action::Update {
                        id,
                        person,
                        department,
                        number,
                    } => {
                        if let Some(mut person) = person {
                            if let (Some(name), Role::Employee { department: d, .. }) =
                                (department, &mut person.role)
                            {
                                *d = Some(department_id(w, &mut departments, &name)?);
                            }
                            w.update_person(id, person)?;
                        }
                        if let Some(number) = number {
                            w.set_number(id, &number)?;
                        }
                    }
                }
                // A failure from here on is the import's, for the log.
                w.begin(Permission::Import, "import.commit", None)?;
                progress(done + 1, total)?;
            }
            let report = ImportReport {
                kind: preview.kind,
                file_id: preview.file_id.clone(),
                added: preview.added.len(),
                updated: preview.updated.len(),
                unchanged: preview.unchanged.len(),
                skipped: bad,
                departments_added: preview.new_departments.len(),
            };
            w.log(
                "import.commit",
                None,
                format!("{} skipped={bad}", preview_detail(&preview)),
            )?;
            Ok(report)
        })
    }

    /// Saves (or replaces) a custom column mapping under `name`. Needs the import or settings
    /// permission; logged as `mapping.save`.
    pub fn save_mapping(&mut self, name: &str, mapping: &Mapping) -> VaultResult<i64> {
        self.mapping_gate(Some("mapping.save"))?;
        let name = text::normalize_name(name, Field::Name)?;
        let definition = serde_json::to_string(mapping).map_err(|_| VaultError::Crypto("json"))?;
        let now = self.now_text();
        let user = self.user().0;
        let tx = self.immediate()?;
        tx.execute(
            "INSERT INTO mappings (name, kind, definition, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                 definition = excluded.definition, created_by = excluded.created_by,
                 created_at = excluded.created_at",
            params![name, kind_key(mapping.kind), definition, user, now],
        )?;
        let id: i64 = tx.query_row("SELECT id FROM mappings WHERE name = ?1", [&name], |r| {
            r.get(0)
        })?;
        self.append(
            &tx,
            &Event::ok(
                "mapping.save",
                Some(("mapping", id)),
                format!("kind={}", kind_key(mapping.kind)),
            ),
        )?;
        tx.commit()?;
        self.touch();
        Ok(id)
    }

    /// The saved mapping called `name`. Needs the import or settings permission (a mapping is
    /// configuration, not personal data: reading it is not logged).
    pub fn mapping(&mut self, name: &str) -> VaultResult<Mapping> {
        self.mapping_gate(None)?;
        let name = text::normalize_name(name, Field::Name)
            .map_err(|_| VaultError::UnknownMapping(name.trim().to_owned()))?;
        let definition: Option<String> = self
            .conn
            .query_row(
                "SELECT definition FROM mappings WHERE name = ?1",
                [&name],
                |r| r.get(0),
            )
            .optional()?;
        let definition = definition.ok_or(VaultError::UnknownMapping(name))?;
        serde_json::from_str(&definition).map_err(|_| VaultError::Corrupt("mappings".into()))
    }

    /// The names and kinds of the saved mappings.
    pub fn mappings(&mut self) -> VaultResult<Vec<(String, FileKind)>> {
        self.mapping_gate(None)?;
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind FROM mappings ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, kind) = row?;
            let kind = match kind.as_str() {
                "family" => FileKind::Family,
                _ => FileKind::Employees,
            };
            out.push((name, kind));
        }
        Ok(out)
    }

    fn import_gate(&mut self, action: &'static str) -> VaultResult<()> {
        self.ready()?;
        if !self.access().allows(Permission::Import) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(action, None, Permission::Import.key())
            })?;
            return Err(VaultError::Denied);
        }
        Ok(())
    }

    fn mapping_gate(&mut self, action: Option<&'static str>) -> VaultResult<()> {
        self.ready()?;
        let a = self.access();
        if a.allows(Permission::Import) || a.allows(Permission::Settings) {
            return Ok(());
        }
        if let Some(action) = action {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(action, None, Permission::Import.key())
            })?;
        }
        Err(VaultError::Denied)
    }

    fn today(&self) -> NaiveDate {
        let jst = chrono::FixedOffset::east_opt(9 * 3600)
            .unwrap_or_else(|| unreachable!("+09:00 is a valid offset"));
        self.clock_reading().now.with_timezone(&jst).date_naive()
    }
}

fn department_id(
    w: &mut crate::people_write::Writer<'_>,
    cache: &mut HashMap<String, DepartmentId>,
    name: &str,
) -> VaultResult<DepartmentId> {
    if let Some(id) = cache.get(name) {
        return Ok(*id);
    }
    let id = w.department(name)?;
    cache.insert(name.to_owned(), id);
    Ok(id)
}

fn kind_key(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Employees => "employees",
        FileKind::Family => "family",
    }
}

fn file_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn file_detail(bytes: &[u8]) -> String {
    format!("file={}", file_id(bytes))
}

fn preview_detail(p: &ImportPreview) -> String {
    format!(
        "file={} kind={} rows={} added={} updated={} unchanged={} bad_rows={} departments_added={}",
        p.file_id,
        kind_key(p.kind),
        p.rows,
        p.added.len(),
        p.updated.len(),
        p.unchanged.len(),
        p.bad_rows(),
        p.new_departments.len()
    )
}

/// Reads the file and compares each row with the vault.
fn plan(r: &Reader<'_>, bytes: &[u8], mapping: &Mapping, file_name: &str) -> VaultResult<Plan> {
    let decoded = decode(bytes).map_err(|e| VaultError::Import(ImportError::Read(e)))?;
    let table = read_table(decoded.text()).map_err(|e| VaultError::Import(ImportError::Read(e)))?;
    let located = mapping
        .locate(&table.headers)
        .map_err(|e| VaultError::Import(ImportError::Mapping(e)))?;
    let header = |c: Column| {
        located
            .get(&c)
            .and_then(|i| table.headers.get(*i))
            .cloned()
            .unwrap_or_default()
    };
    let has = |c: Column| located.contains_key(&c);
    let mut preview = ImportPreview {
        kind: mapping.kind,
        encoding: decoded.encoding(),
        file_name: file_name.to_owned(),
        file_id: file_id(bytes),
        rows: table.records.len() + table.errors.len(),
        added: Vec::new(),
        updated: Vec::new(),
        unchanged: Vec::new(),
        errors: Vec::new(),
        new_departments: Vec::new(),
    };
    let mut actions = Vec::new();
    let departments = read_departments(r.conn)?;
    match mapping.kind {
        FileKind::Employees => {
            let parsed = kinko_interop::employees(&table, mapping)
                .map_err(|e| VaultError::Import(ImportError::Mapping(e)))?;
            preview
                .errors
                .extend(parsed.errors.into_iter().map(Into::into));
            let cols = EmployeeColumns {
                code: header(Column::EmployeeCode),
                kana: header(if has(Column::Kana) {
                    Column::Kana
                } else {
                    Column::FamilyKana
                }),
                number: header(Column::MyNumber),
                department: header(Column::Department),
                has_status: has(Column::Status),
            };
            let mut new_departments = BTreeSet::new();
            for (line, row) in parsed.rows {
                match plan_employee(r, &cols, &departments, line, row)? {
                    Ok((entry, action, new_dept)) => {
                        if let Some(d) = new_dept {
                            new_departments.insert(d);
                        }
                        push(&mut preview, &mut actions, entry, action);
                    }
                    Err(problems) => preview.errors.extend(problems),
                }
            }
            preview.new_departments = new_departments.into_iter().collect();
        }
        FileKind::Family => {
            let parsed = kinko_interop::family(&table, mapping)
                .map_err(|e| VaultError::Import(ImportError::Mapping(e)))?;
            preview
                .errors
                .extend(parsed.errors.into_iter().map(Into::into));
            let cols = FamilyColumns {
                code: header(Column::EmployeeCode),
                name: header(if has(Column::Name) {
                    Column::Name
                } else {
                    Column::FamilyName
                }),
                kana: header(if has(Column::Kana) {
                    Column::Kana
                } else {
                    Column::FamilyKana
                }),
                number: header(Column::MyNumber),
                has_dependant: has(Column::Dependant),
            };
            let mut state = FamilyState::default();
            for (line, row) in parsed.rows {
                match plan_member(r, &cols, &mut state, line, row)? {
                    Ok((entry, action)) => push(&mut preview, &mut actions, entry, action),
                    Err(problems) => preview.errors.extend(problems),
                }
            }
        }
    }
    preview.errors.sort_by_key(|e| e.line);
    Ok(Plan { preview, actions })
}

enum Entry {
    Added(ImportLine),
    Updated(ImportLine),
    Unchanged(ImportLine),
}

fn push(
    preview: &mut ImportPreview,
    actions: &mut Vec<Action>,
    entry: Entry,
    action: Option<Action>,
) {
    match entry {
        Entry::Added(l) => preview.added.push(l),
        Entry::Updated(l) => preview.updated.push(l),
        Entry::Unchanged(l) => preview.unchanged.push(l),
    }
    actions.extend(action);
}

type RowPlan<T> = VaultResult<Result<T, Vec<ImportProblem>>>;

struct EmployeeColumns {
    code: String,
    kana: String,
    number: String,
    department: String,
    has_status: bool,
}

fn read_departments(conn: &Connection) -> VaultResult<HashMap<String, DepartmentId>> {
    let mut stmt = conn.prepare("SELECT id, name FROM departments")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(1)?, DepartmentId(r.get(0)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The stored person with this employee code, if any.
fn find_employee(r: &Reader<'_>, code: &str) -> VaultResult<Option<(PersonId, Person)>> {
    let index = code_index(r.keys, PersonKind::Employee, code);
    let id: Option<i64> = r
        .conn
        .query_row(
            "SELECT id FROM persons WHERE code_index = ?1",
            [&index[..]],
            |row| row.get(0),
        )
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    let id = PersonId(id);
    let (kind, pkey) = person_key(r.conn, r.keys, id)?;
    Ok(Some((id, read_person(r.conn, r.keys, id, kind, &pkey)?)))
}

/// Who holds this number, if anyone.
fn number_holder(r: &Reader<'_>, number: &PersonNumber) -> VaultResult<Option<PersonId>> {
    let index = number_index(r.keys, number);
    Ok(r.conn
        .query_row(
            "SELECT person_id FROM numbers WHERE number_index = ?1",
            [&index[..]],
            |row| row.get(0),
        )
        .optional()?
        .map(PersonId))
}

fn problem(line: u64, column: &str, reason: ImportReason) -> ImportProblem {
    ImportProblem {
        line,
        column: column.to_owned(),
        reason,
    }
}

fn rejected(line: u64, column: &str, e: &VaultError) -> ImportProblem {
    problem(line, column, ImportReason::Rejected(e.to_string()))
}

type EmployeePlan = (Entry, Option<Action>, Option<String>);

fn plan_employee(
    r: &Reader<'_>,
    cols: &EmployeeColumns,
    departments: &HashMap<String, DepartmentId>,
    line: u64,
    row: kinko_interop::EmployeeRow,
) -> RowPlan<EmployeePlan> {
    let mut problems = Vec::new();
    let existing = find_employee(r, &row.code)?;
    // The department: an existing one by name, or a new one (created by the commit).
    let department = match &row.department {
        Some(d) => match text::normalize_name(d, Field::Department) {
            Ok(name) => Some(name),
            Err(e) => {
                problems.push(rejected(line, &cols.department, &e.into()));
                None
            }
        },
        None => None,
    };
    let dept_id = department
        .as_ref()
        .and_then(|d| departments.get(d).copied());
    let new_dept = department.clone().filter(|_| dept_id.is_none());
    let scope = &r.access.scope;
    if let Some((_, stored)) = &existing
        && let Role::Employee { department, .. } = &stored.role
        && !scope.covers_employee(*department, &row.code)
    {
        problems.push(problem(line, &cols.code, ImportReason::OutOfScope));
        return Ok(Err(problems));
    }
    let stored_dept = existing.as_ref().and_then(|(_, p)| match &p.role {
        Role::Employee { department, .. } => *department,
        _ => None,
    });
    let target_dept = if department.is_some() {
        dept_id
    } else {
        stored_dept
    };
    if !scope.covers_employee(target_dept, &row.code) {
        problems.push(problem(line, &cols.code, ImportReason::OutOfScope));
        return Ok(Err(problems));
    }
    let number = row.number.clone().map(PersonNumber::Individual);
    let mut number_changed = false;
    if let Some(n) = &number {
        let holder = number_holder(r, n)?;
        match (holder, &existing) {
            (Some(h), Some((id, _))) if h == *id => {}
            (Some(_), _) => problems.push(problem(line, &cols.number, ImportReason::NumberTaken)),
            (None, _) => number_changed = existing.is_some(),
        }
    }
    let status_from_file = |stored: Option<EmploymentStatus>| {
        if cols.has_status {
            row.status
        } else if let Some(retired) = row.retire_date {
            if retired <= r.today {
                EmploymentStatus::Retired
            } else {
                stored.unwrap_or(EmploymentStatus::Active)
            }
        } else {
            stored.unwrap_or(EmploymentStatus::Active)
        }
    };
    let entry_line = |changes| ImportLine {
        line,
        code: row.code.clone(),
        changes,
    };
    match existing {
        None => {
            let Some(kana) = row.kana.clone() else {
                problems.push(problem(line, &cols.kana, ImportReason::KanaRequired));
                return Ok(Err(problems));
            };
            let person = Person {
                role: Role::Employee {
                    code: row.code.clone(),
                    department: dept_id,
                    hire_date: row.hire_date,
                    retire_date: row.retire_date,
                    status: status_from_file(None),
                },
                details: PersonalDetails {
                    name: row.name.clone(),
                    kana,
                    birth_date: row.birth_date,
                    address: None,
                },
                collection: CollectionStatus::NotRequested,
            };
            Ok(plan_add(line, person, number, new_dept.clone(), problems)
                .map(|action| (Entry::Added(entry_line(Vec::new())), Some(action), new_dept)))
        }
        Some((id, stored)) => {
            let Role::Employee {
                hire_date,
                retire_date,
                status,
                ..
            } = &stored.role
            else {
                return Ok(Err(vec![problem(
                    line,
                    &cols.code,
                    ImportReason::EmployeeNotFound,
                )]));
            };
            let mut target = stored.clone();
            target.role = Role::Employee {
                code: row.code.clone(),
                department: target_dept,
                hire_date: row.hire_date.or(*hire_date),
                retire_date: row.retire_date.or(*retire_date),
                status: status_from_file(Some(*status)),
            };
            merge_details(&mut target, &row.name, row.kana.as_ref(), row.birth_date);
            let change = Change {
                id,
                number,
                number_changed,
                department: new_dept.clone(),
            };
            Ok(
                plan_update(line, &stored, target, change, problems).map(|planned| match planned {
                    (changes, Some(action)) => {
                        (Entry::Updated(entry_line(changes)), Some(action), new_dept)
                    }
                    (_, None) => (Entry::Unchanged(entry_line(Vec::new())), None, None),
                }),
            )
        }
    }
}

/// A new person from a row: normalised into an action, or the row's problems.
fn plan_add(
    line: u64,
    person: Person,
    number: Option<PersonNumber>,
    department: Option<String>,
    mut problems: Vec<ImportProblem>,
) -> Result<Action, Vec<ImportProblem>> {
    let person = match normalized(person) {
        Ok(p) => p,
        Err(e) => {
            problems.push(rejected(line, "", &e));
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let person = NewPerson {
        role: person.role,
        details: person.details,
        number,
    };
    Ok(Action::Add { person, department })
}

/// What an update may change besides the profile.
struct Change {
    id: PersonId,
    number: Option<PersonNumber>,
    number_changed: bool,
    /// A department the commit creates for this person.
    department: Option<String>,
}

/// The row's name, kana (when given) and birth date (when given) over the stored details.
fn merge_details(
    target: &mut Person,
    name: &str,
    kana: Option<&String>,
    birth: Option<chrono::NaiveDate>,
) {
    target.details.name = name.to_owned();
    if let Some(k) = kana {
        target.details.kana = k.clone();
    }
    target.details.birth_date = birth.or(target.details.birth_date);
}

/// An update from a row: the changed columns and the action (none when nothing changes), or
/// the row's problems.
fn plan_update(
    line: u64,
    stored: &Person,
    target: Person,
    change: Change,
    mut problems: Vec<ImportProblem>,
) -> Result<(Vec<Column>, Option<Action>), Vec<ImportProblem>> {
    let target = match normalized(target) {
        Ok(p) => p,
        Err(e) => {
            problems.push(rejected(line, "", &e));
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut changes = person_changes(stored, &target);
    if change.department.is_some() && !changes.contains(&Column::Department) {
        changes.push(Column::Department);
    }
    let profile_changed = !changes.is_empty();
    if change.number_changed {
        changes.push(Column::MyNumber);
    }
    if changes.is_empty() {
        return Ok((changes, None));
    }
    let action = Action::Update {
        id: change.id,
        person: profile_changed.then_some(target),
        department: change.department,
        number: change.number.filter(|_| change.number_changed),
    };
    Ok((changes, Some(action)))
}

/// The columns in which two versions of a person differ.
fn person_changes(old: &Person, new: &Person) -> Vec<Column> {
    let mut out = Vec::new();
    let (a, b) = (&old.details, &new.details);
    if a.name != b.name {
        out.push(Column::Name);
    }
    if a.kana != b.kana {
        out.push(Column::Kana);
    }
    if a.birth_date != b.birth_date {
        out.push(Column::BirthDate);
    }
    match (&old.role, &new.role) {
        (
            Role::Employee {
                department: d1,
                hire_date: h1,
                retire_date: r1,
                status: s1,
                ..
            },
            Role::Employee {
                department: d2,
                hire_date: h2,
                retire_date: r2,
                status: s2,
                ..
            },
        ) => {
            if d1 != d2 {
                out.push(Column::Department);
            }
            if h1 != h2 {
                out.push(Column::HireDate);
            }
            if r1 != r2 {
                out.push(Column::RetireDate);
            }
            if s1 != s2 {
                out.push(Column::Status);
            }
        }
        (
            Role::Family {
                relation: r1,
                dependant: d1,
                ..
            },
            Role::Family {
                relation: r2,
                dependant: d2,
                ..
            },
        ) => {
            if r1 != r2 {
                out.push(Column::Relation);
            }
            if d1 != d2 {
                out.push(Column::Dependant);
            }
        }
        _ => {}
    }
    out
}

struct FamilyColumns {
    code: String,
    name: String,
    kana: String,
    number: String,
    has_dependant: bool,
}

/// An employee of the file as found in the vault, with their stored family.
struct Household {
    id: PersonId,
    members: Vec<(PersonId, Person)>,
}

#[derive(Default)]
struct FamilyState {
    households: HashMap<String, Option<Household>>,
    /// Stored members already matched, with the line that matched them.
    matched: HashMap<PersonId, u64>,
}

fn household(r: &Reader<'_>, code: &str) -> VaultResult<Option<Household>> {
    let Some((id, employee)) = find_employee(r, code)? else {
        return Ok(None);
    };
    let Role::Employee { department, .. } = employee.role else {
        return Ok(None);
    };
    if !r.access.scope.covers_employee(department, code) {
        return Ok(None);
    }
    let mut stmt = r
        .conn
        .prepare_cached("SELECT id FROM persons WHERE employee_id = ?1 ORDER BY id")?;
    let ids: Vec<i64> = stmt
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut members = Vec::with_capacity(ids.len());
    for m in ids {
        let m = PersonId(m);
        let (kind, pkey) = person_key(r.conn, r.keys, m)?;
        members.push((m, read_person(r.conn, r.keys, m, kind, &pkey)?));
    }
    Ok(Some(Household { id, members }))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn plan_member(
    r: &Reader<'_>,
    cols: &FamilyColumns,
    state: &mut FamilyState,
    line: u64,
    row: kinko_interop::FamilyRow,
) -> RowPlan<(Entry, Option<Action>)> {
    if !state.households.contains_key(&row.employee_code) {
        let h = household(r, &row.employee_code)?;
        state.households.insert(row.employee_code.clone(), h);
    }
    let Some(Some(house)) = state.households.get(&row.employee_code) else {
        return Ok(Err(vec![problem(
            line,
            &cols.code,
            ImportReason::EmployeeNotFound,
        )]));
    };
    let mut problems = Vec::new();
    let number = row.number.clone().map(PersonNumber::Individual);
    let holder = match &number {
        Some(n) => number_holder(r, n)?,
        None => None,
    };
    // Which stored member this row is: by number, else by name and birth date.
    let by_number = holder.and_then(|h| house.members.iter().find(|(id, _)| *id == h));
    let matched = match by_number {
        Some(m) => Some(m),
        None => {
            let name = squash(&row.name);
            let fits: Vec<_> = house
                .members
                .iter()
                .filter(|(_, p)| {
                    squash(&p.details.name) == name
                        && (row.birth_date.is_none()
                            || p.details.birth_date.is_none()
                            || row.birth_date == p.details.birth_date)
                })
                .collect();
            if fits.len() > 1 {
                problems.push(problem(line, &cols.name, ImportReason::AmbiguousMember));
                return Ok(Err(problems));
            }
            fits.into_iter().next()
        }
    };
    let matched_id = matched.map(|(id, _)| *id);
    if let Some(h) = holder
        && Some(h) != matched_id
    {
        problems.push(problem(line, &cols.number, ImportReason::NumberTaken));
    }
    if let Some(id) = matched_id {
        if let Some(&first_line) = state.matched.get(&id) {
            problems.push(problem(
                line,
                &cols.name,
                ImportReason::SameMember { first_line },
            ));
        } else {
            state.matched.insert(id, line);
        }
    }
    let entry_line = |changes| ImportLine {
        line,
        code: row.employee_code.clone(),
        changes,
    };
    match matched {
        None => {
            let Some(kana) = row.kana.clone() else {
                problems.push(problem(line, &cols.kana, ImportReason::KanaRequired));
                return Ok(Err(problems));
            };
            let person = Person {
                role: Role::Family {
                    employee: house.id,
                    relation: row.relation.clone(),
                    dependant: row.dependant,
                },
                details: PersonalDetails {
                    name: row.name.clone(),
                    kana,
                    birth_date: row.birth_date,
                    address: None,
                },
                collection: CollectionStatus::NotRequested,
            };
            Ok(plan_add(line, person, number, None, problems)
                .map(|action| (Entry::Added(entry_line(Vec::new())), Some(action))))
        }
        Some((id, stored)) => {
            let id = *id;
            let Role::Family { dependant, .. } = &stored.role else {
                return Ok(Err(vec![problem(
                    line,
                    &cols.name,
                    ImportReason::AmbiguousMember,
                )]));
            };
            let mut target = stored.clone();
            target.role = Role::Family {
                employee: house.id,
                relation: row.relation.clone(),
                dependant: if cols.has_dependant {
                    row.dependant
                } else {
                    *dependant
                },
            };
            merge_details(&mut target, &row.name, row.kana.as_ref(), row.birth_date);
            let number_changed = number.is_some() && holder.is_none();
            let change = Change {
                id,
                number,
                number_changed,
                department: None,
            };
            Ok(
                plan_update(line, stored, target, change, problems).map(|planned| match planned {
                    (changes, Some(action)) => (Entry::Updated(entry_line(changes)), Some(action)),
                    (_, None) => (Entry::Unchanged(entry_line(Vec::new())), None),
                }),
            )
        }
    }
}
