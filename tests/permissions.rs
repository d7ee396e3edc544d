//! The permission matrix (F4: "every rule is enforced by the engine, not by the UI").
//!
//! Every role preset, and users whose permissions come from grants or groups, meet every person
//! operation against people inside and outside their data scope (departments, code ranges,
//! single codes, payees, and scopes that come from groups). What each attempt must do is
//! computed from the permission sets (`UserRole::permissions()` ∪ grants ∪ the groups' grants)
//! and from an independent model of the scopes, then checked against the engine: allowed,
//! `Denied`, or `UnknownPerson` (out of scope, answered exactly like a missing ID). Afterwards
//! the administrator reads each user's log and finds every attempt, in order, with the right
//! outcome. A few cases are also spelled out as literals (the system administrator never sees a
//! number, whatever their scope).
//!
//! User administration: a clerk cannot manage users, PCs or settings; the last administrator
//! cannot be disabled or demoted; a disabled user cannot log in; a user limited to a PC cannot
//! log in elsewhere, and every refusal is in the log.

use std::collections::{BTreeMap, BTreeSet};

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::people::{
    CollectionStatus, DepartmentId, DependantType, PayeeKind, PersonId, PersonKind, PurposeNotice,
    UserId,
};
use kinko_e2e::{
    ADMIN, Expected, PASSWORD, PEOPLE, add_ready_user, corporate, create_vault, date, employee,
    expect_err, family, individual, login_at, new_user, payee, t0, user_password,
};
use kinko_vault::{
    AuditEntry, AuditQuery, ManualClock, NewUser, Outcome, PeopleQuery, Permission, PersonRecord,
    Policy, Scope, Session, UserRole, Vault, VaultError,
};

// ---------------------------------------------------------------------------------------------
// The firm

/// One person of the fixture, with what decides whether a user sees them.
struct Target {
    label: &'static str,
    id: PersonId,
    kind: PersonKind,
    /// The department and code that decide scope (the employee's, for a family member).
    dept: Option<DepartmentId>,
    code: Option<&'static str>,
    expected: Expected,
}

struct World {
    _tmp: tempfile::TempDir,
    vault: Vault,
    clock: ManualClock,
    admin: Session,
    sales: DepartmentId,
    general: DepartmentId,
    targets: Vec<Target>,
}

/// Groups: name, grants, scope.
fn groups(sales: DepartmentId) -> Vec<(&'static str, Vec<Permission>, Scope)> {
    vec![
        // Grants the reveal only; adds nobody to the scope.
        ("番号表示", vec![Permission::RevealNumber], Scope::default()),
        // Adds a department and the payees to the scope; grants nothing.
        (
            "営業チーム",
            Vec::new(),
            Scope {
                departments: vec![sales],
                payees: true,
                ..Scope::default()
            },
        ),
        // Grants viewing people, and adds the 02xx employees.
        (
            "閲覧",
            vec![Permission::ViewPerson],
            Scope {
                code_ranges: vec![("0200".into(), "0299".into())],
                ..Scope::default()
            },
        ),
    ]
}

impl World {
    /// Departments 営業部 (sales) and 総務部 (general); employees E1 (0150, sales) with family
    /// F1, E2 (0250, general) with family F2, E3 (0120, general), E4 (0199, no department);
    /// payees P1 (individual) and P2 (corporation); the three groups. Everyone has a number.
    fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("vault");
        let vault = create_vault(&dir).vault;
        let clock = ManualClock::new(t0());
        let mut admin = login_at(&vault, ADMIN, PASSWORD, "pc-admin", &clock).expect("admin login");
        let (sales, general) = admin
            .write(|w| Ok((w.department("営業部")?, w.department("総務部")?)))
            .expect("departments");
        for (name, grants, scope) in groups(sales) {
            admin.add_group(name, &grants, &scope).expect("add_group");
        }
        let mut targets = Vec::new();
        let mut add = |admin: &mut Session,
                       label: &'static str,
                       dept: Option<DepartmentId>,
                       code: Option<&'static str>,
                       e: Expected| {
            let kind = e.role.kind();
            let id = admin
                .add_person(e.new_person())
                .unwrap_or_else(|err| panic!("adding {label}: {err:?}"));
            targets.push(Target {
                label,
                id,
                kind,
                dept,
                code,
                expected: e,
            });
            id
        };
        let e1 = add(
            &mut admin,
            "E1 (0150, 営業部)",
            Some(sales),
            Some("0150"),
            employee("0150", &PEOPLE[0], Some(sales), Some(individual(1))),
        );
        add(
            &mut admin,
            "F1 (family of E1)",
            Some(sales),
            Some("0150"),
            family(
                e1,
                "配偶者",
                DependantType::Spouse,
                &PEOPLE[20],
                Some(individual(2)),
            ),
        );
        let e2 = add(
            &mut admin,
            "E2 (0250, 総務部)",
            Some(general),
            Some("0250"),
            employee("0250", &PEOPLE[1], Some(general), Some(individual(3))),
        );
        add(
            &mut admin,
            "F2 (family of E2)",
            Some(general),
            Some("0250"),
            family(
                e2,
                "夫",
                DependantType::PensionCategory3,
                &PEOPLE[22],
                Some(individual(4)),
            ),
        );
        add(
            &mut admin,
            "E3 (0120, 総務部)",
            Some(general),
            Some("0120"),
            employee("0120", &PEOPLE[2], Some(general), Some(individual(5))),
        );
        add(
            &mut admin,
            "E4 (0199, no department)",
            None,
            Some("0199"),
            employee("0199", &PEOPLE[3], None, Some(individual(6))),
        );
        add(
            &mut admin,
            "P1 (individual payee)",
            None,
            None,
            payee(
                "P-0001",
                PayeeKind::Individual,
                &PEOPLE[26],
                Some(individual(7)),
            ),
        );
        add(
            &mut admin,
            "P2 (corporate payee)",
            None,
            None,
            payee(
                "P-0002",
                PayeeKind::Corporation,
                &PEOPLE[27],
                Some(corporate(1)),
            ),
        );
        World {
            _tmp: tmp,
            vault,
            clock,
            admin,
            sales,
            general,
            targets,
        }
    }

    fn target(&self, prefix: &str) -> &Target {
        self.targets
            .iter()
            .find(|t| t.label.starts_with(prefix))
            .unwrap_or_else(|| panic!("no target {prefix}"))
    }

    fn sales_only(&self) -> Scope {
        Scope {
            departments: vec![self.sales],
            ..Scope::default()
        }
    }

    /// Creates the user (with the named groups), logs them in and changes the password.
    fn actor(&mut self, s: Subject) -> Actor {
        let group_list = groups(self.sales);
        let mut perms = s.role.permissions();
        perms.extend(s.grants.iter().copied());
        let mut scopes = vec![s.scope.clone()];
        let mut group_ids = Vec::new();
        for g in &s.groups {
            let (_, grants, scope) = group_list
                .iter()
                .find(|(name, _, _)| name == g)
                .unwrap_or_else(|| panic!("no group {g}"));
            perms.extend(grants.iter().copied());
            scopes.push(scope.clone());
            group_ids.push(self.admin.group_id(g).expect("group_id"));
        }
        let new = NewUser {
            groups: group_ids,
            grants: s.grants.clone(),
            ..new_user(&s.login, s.role, s.scope.clone())
        };
        let (id, session) = add_ready_user(&mut self.admin, &self.vault, new, "pc-a", &self.clock);
        // The engine's idea of the user's permissions is the union we computed.
        assert_eq!(
            session.access().permissions,
            perms,
            "{}: effective permissions in the session",
            s.login
        );
        let listed = self
            .admin
            .users()
            .expect("users")
            .into_iter()
            .find(|u| u.login == s.login)
            .expect("the new user is listed");
        assert_eq!(
            listed.effective, perms,
            "{}: effective permissions in users()",
            s.login
        );
        assert_eq!(listed.role, s.role);
        Actor {
            login: s.login,
            id,
            session,
            perms,
            scopes,
            log: Vec::new(),
        }
    }

    /// Every person as the administrator sees them: id → (kind, department, code) deciding
    /// scope. Family members take their employee's.
    fn all_people(&mut self) -> BTreeMap<i64, (PersonKind, Option<DepartmentId>, Option<String>)> {
        let all = self
            .admin
            .list(&PeopleQuery::default())
            .expect("admin list");
        let employees: BTreeMap<i64, (Option<DepartmentId>, Option<String>)> = all
            .iter()
            .filter(|p| p.kind == PersonKind::Employee)
            .map(|p| (p.id.0, (p.department, p.code.clone())))
            .collect();
        all.iter()
            .map(|p| {
                let facts = match p.kind {
                    PersonKind::Employee => (p.department, p.code.clone()),
                    PersonKind::Family => {
                        employees[&p.employee.expect("a family member has an employee").0].clone()
                    }
                    PersonKind::Payee => (None, None),
                };
                (p.id.0, (p.kind, facts.0, facts.1))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Users and what they should be allowed

struct Subject {
    login: String,
    role: UserRole,
    grants: Vec<Permission>,
    groups: Vec<&'static str>,
    scope: Scope,
}

fn subject(login: &str, role: UserRole, scope: Scope) -> Subject {
    Subject {
        login: login.into(),
        role,
        grants: Vec::new(),
        groups: Vec::new(),
        scope,
    }
}

/// One line of the log as the matrix expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Logged {
    action: String,
    target: Option<i64>,
    outcome: Outcome,
    /// Checked for refusals only.
    detail: Option<String>,
}

struct Actor {
    login: String,
    id: UserId,
    session: Session,
    perms: BTreeSet<Permission>,
    /// The user's own scope and their groups'.
    scopes: Vec<Scope>,
    /// What the log must hold for the operations tried, in order.
    log: Vec<Logged>,
}

/// Numeric comparison when all three are digits (zero padding ignored), else text.
fn code_in_range(code: &str, lo: &str, hi: &str) -> bool {
    match (code.parse::<u64>(), lo.parse::<u64>(), hi.parse::<u64>()) {
        (Ok(c), Ok(l), Ok(h)) => l <= c && c <= h,
        _ => lo <= code && code <= hi,
    }
}

/// The model of F4's scopes, written independently of the engine's.
fn scope_sees(
    scope: &Scope,
    kind: PersonKind,
    dept: Option<DepartmentId>,
    code: Option<&str>,
) -> bool {
    if scope.all {
        return true;
    }
    match kind {
        PersonKind::Payee => scope.payees,
        PersonKind::Employee | PersonKind::Family => {
            dept.is_some_and(|d| scope.departments.contains(&d))
                || code.is_some_and(|c| {
                    scope.codes.iter().any(|x| x == c)
                        || scope
                            .code_ranges
                            .iter()
                            .any(|(lo, hi)| code_in_range(c, lo, hi))
                })
        }
    }
}

impl Actor {
    fn may(&self, p: Permission) -> bool {
        self.perms.contains(&p)
    }

    fn sees(&self, kind: PersonKind, dept: Option<DepartmentId>, code: Option<&str>) -> bool {
        self.scopes.iter().any(|s| scope_sees(s, kind, dept, code))
    }

    fn sees_target(&self, t: &Target) -> bool {
        self.sees(t.kind, t.dept, t.code)
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    View,
    Reveal,
    Family,
    Records,
    Update,
    SetNumber,
    SetCollection,
    AddRecord,
    AddFamily,
}

const OPS: [Op; 9] = [
    Op::View,
    Op::Reveal,
    Op::Family,
    Op::Records,
    Op::Update,
    Op::SetNumber,
    Op::SetCollection,
    Op::AddRecord,
    Op::AddFamily,
];

/// What an attempt must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    Denied,
    /// `UnknownPerson(id)`, as for an ID that does not exist.
    Unknown,
}

impl Op {
    fn perm(self) -> Permission {
        match self {
            Op::View | Op::Family | Op::Records => Permission::ViewPerson,
            Op::Reveal => Permission::RevealNumber,
            Op::Update | Op::SetCollection | Op::AddRecord => Permission::Update,
            Op::SetNumber | Op::AddFamily => Permission::Register,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Op::View => "person.view",
            Op::Reveal => "number.reveal",
            Op::Family => "person.family",
            Op::Records => "record.list",
            Op::Update => "person.update",
            Op::SetNumber => "number.set",
            Op::SetCollection => "collection.set",
            Op::AddRecord => "record.add",
            Op::AddFamily => "person.add",
        }
    }

    fn writes(self) -> bool {
        matches!(
            self,
            Op::Update | Op::SetNumber | Op::SetCollection | Op::AddRecord | Op::AddFamily
        )
    }

    /// Adding a family member only makes sense for an employee.
    fn applies_to(self, t: &Target) -> bool {
        self != Op::AddFamily || t.kind == PersonKind::Employee
    }

    /// Runs the operation on `t`; `Ok(Some(id))` for a person added.
    fn run(self, s: &mut Session, t: &Target) -> Result<Option<PersonId>, VaultError> {
        let id = t.id;
        match self {
            Op::View => {
                let v = s.person(id)?;
                assert_eq!(v.id, id);
                t.expected
                    .check_view(t.label, &v)
                    .unwrap_or_else(|m| panic!("{m}"));
                Ok(None)
            }
            Op::Reveal => {
                let n = s.reveal_number(id)?;
                t.expected
                    .check_number(t.label, n.as_ref())
                    .unwrap_or_else(|m| panic!("{m}"));
                Ok(None)
            }
            Op::Family => {
                let fam = s.family_of(id)?;
                assert!(
                    fam.iter().all(|f| matches!(
                        f.person.role,
                        kinko_domain::people::Role::Family { employee, .. } if employee == id
                    )),
                    "family_of({}) answered someone else's family",
                    t.label
                );
                Ok(None)
            }
            Op::Records => s.records(id).map(|_| None),
            Op::Update => s
                .write(|w| w.update_person(id, t.expected.person()))
                .map(|_| None),
            Op::SetNumber => {
                let n = t
                    .expected
                    .number
                    .as_ref()
                    .expect("every target has a number");
                s.set_number(id, n).map(|_| None)
            }
            Op::SetCollection => s
                .write(|w| w.set_collection_status(id, CollectionStatus::Collected))
                .map(|_| None),
            Op::AddRecord => s
                .write(|w| {
                    w.add_record(
                        id,
                        &PersonRecord::Purpose(PurposeNotice {
                            notified_on: date(2026, 4, 1),
                            purposes: vec!["源泉徴収票作成事務".into()],
                        }),
                    )
                })
                .map(|_| None),
            Op::AddFamily => s
                .add_person(
                    family(id, "長女", DependantType::Under16, &PEOPLE[24], None).new_person(),
                )
                .map(Some),
        }
    }
}

/// Runs `op` on `t` as `a`, checks the answer against what the permission sets and the scope
/// model say, and records what the log must hold.
fn attempt(a: &mut Actor, op: Op, t: &Target) {
    let expect = if !a.may(op.perm()) {
        Expect::Denied
    } else if a.sees_target(t) {
        Expect::Allowed
    } else {
        Expect::Unknown
    };
    let got = op.run(&mut a.session, t);
    let what = format!("{} {op:?} on {}", a.login, t.label);
    let (outcome, detail, target) = match (expect, &got) {
        (Expect::Allowed, Ok(added)) => (
            Outcome::Ok,
            None,
            match (op, added) {
                (Op::AddFamily, Some(new)) => Some(new.0),
                (Op::AddFamily, None) => panic!("{what}: no ID for the added person"),
                _ => Some(t.id.0),
            },
        ),
        (Expect::Denied, Err(VaultError::Denied)) => (
            Outcome::Denied,
            Some(if op.writes() {
                "denied".to_owned()
            } else {
                op.perm().key().to_owned()
            }),
            (op != Op::AddFamily).then_some(t.id.0),
        ),
        (Expect::Unknown, Err(VaultError::UnknownPerson(id))) if *id == t.id.0 => (
            Outcome::Denied,
            Some(if op.writes() {
                "unknown_person".to_owned()
            } else {
                "out_of_scope".to_owned()
            }),
            (op != Op::AddFamily).then_some(t.id.0),
        ),
        (_, got) => panic!(
            "{what}: expected {expect:?} (permissions {:?}), got {got:?}",
            a.perms.iter().map(|p| p.key()).collect::<Vec<_>>()
        ),
    };
    a.log.push(Logged {
        action: op.action().into(),
        target,
        outcome,
        detail,
    });
}

/// The actions the matrix tracks in the log.
const TRACKED: [&str; 11] = [
    "person.find",
    "person.view",
    "number.reveal",
    "person.family",
    "record.list",
    "person.update",
    "number.set",
    "collection.set",
    "record.add",
    "person.add",
    "person.list",
];

const WRITES: [&str; 5] = [
    "person.update",
    "number.set",
    "collection.set",
    "record.add",
    "person.add",
];

fn tracked(entries: &[AuditEntry]) -> Vec<&AuditEntry> {
    entries
        .iter()
        .filter(|e| TRACKED.contains(&e.action.as_str()))
        .collect()
}

/// The administrator reads `a`'s log: every attempt is there, in order, with its outcome; the
/// refusals with their detail. Nothing else of the tracked kinds is there.
fn check_log(admin: &mut Session, a: &Actor) {
    let entries = admin
        .audit_list(&AuditQuery {
            user: Some(a.id.0),
            ..AuditQuery::default()
        })
        .expect("audit_list");
    let got: Vec<Logged> = tracked(&entries)
        .into_iter()
        .map(|e| {
            assert_eq!(e.actor.user, Some(a.id.0));
            assert!(
                e.actor.session.is_some(),
                "{}: entry #{} has no session",
                a.login,
                e.seq
            );
            Logged {
                action: e.action.clone(),
                target: e.target_id,
                outcome: e.outcome,
                // A write to an out-of-scope person is logged as "unknown_person" (like a
                // missing ID); "out_of_scope", as reads say, would do as well.
                detail: (e.outcome != Outcome::Ok).then(|| match e.detail.as_str() {
                    "out_of_scope" if WRITES.contains(&e.action.as_str()) => {
                        "unknown_person".to_owned()
                    }
                    d => d.to_owned(),
                }),
            }
        })
        .collect();
    let denied = a
        .log
        .iter()
        .filter(|l| l.outcome == Outcome::Denied)
        .count();
    assert!(
        a.log.len() == got.len(),
        "{}: {} attempts but {} log entries:\nexpected {:#?}\ngot {:#?}",
        a.login,
        a.log.len(),
        got.len(),
        a.log,
        got
    );
    for (i, (want, have)) in a.log.iter().zip(&got).enumerate() {
        assert_eq!(want, have, "{}: log entry {i} of the attempts", a.login);
    }
    let denied_in_log = got.iter().filter(|l| l.outcome == Outcome::Denied).count();
    assert_eq!(denied, denied_in_log, "{}: denied attempts", a.login);
}

/// The people `a` must find in the list, from the administrator's full list and the model.
fn expected_list(world: &mut World, a: &Actor) -> BTreeSet<i64> {
    world
        .all_people()
        .into_iter()
        .filter(|(_, (kind, dept, code))| a.sees(*kind, *dept, code.as_deref()))
        .map(|(id, _)| id)
        .collect()
}

fn list_ids(s: &mut Session) -> Result<BTreeSet<i64>, VaultError> {
    Ok(s.list(&PeopleQuery::default())?
        .into_iter()
        .map(|p| p.id.0)
        .collect())
}

fn check_list(world: &mut World, a: &mut Actor) {
    let want = expected_list(world, a);
    let got = list_ids(&mut a.session);
    if a.may(Permission::ViewList) {
        let got = got.unwrap_or_else(|e| panic!("{}: list: {e:?}", a.login));
        assert_eq!(got, want, "{}: the people listed", a.login);
        a.log.push(Logged {
            action: "person.list".into(),
            target: None,
            outcome: Outcome::Ok,
            detail: None,
        });
    } else {
        expect_err(&format!("{}: list", a.login), got, |e| {
            matches!(e, VaultError::Denied)
        });
        a.log.push(Logged {
            action: "person.list".into(),
            target: None,
            outcome: Outcome::Denied,
            detail: Some("view_list".into()),
        });
    }
}

/// Code lookups: only someone who works with people (list, view, register or update) may
/// look a code up, and a refusal is logged; out of scope is `None`, exactly like a code nobody
/// has; an allowed look-up is not logged.
fn check_find_by_code(world: &World, a: &mut Actor) {
    let works_with_people = [
        Permission::ViewList,
        Permission::ViewPerson,
        Permission::Register,
        Permission::Update,
    ]
    .into_iter()
    .any(|p| a.may(p));
    for t in &world.targets {
        let Some(code) = t.expected.role.code() else {
            continue;
        };
        let found = a.session.find_by_code(t.kind, code);
        let what = format!("{}: find_by_code({})", a.login, t.label);
        if !works_with_people {
            expect_err(&what, found, |e| matches!(e, VaultError::Denied));
            a.log.push(Logged {
                action: "person.find".into(),
                target: None,
                outcome: Outcome::Denied,
                detail: Some("view_person".into()),
            });
            continue;
        }
        let found = found.unwrap_or_else(|e| panic!("{what}: {e:?}"));
        let want = a.sees_target(t).then_some(t.id);
        assert_eq!(found, want, "{what} (in scope: {})", a.sees_target(t));
    }
    if works_with_people {
        let none = a
            .session
            .find_by_code(PersonKind::Employee, "9999")
            .expect("find_by_code");
        assert_eq!(none, None, "{}: a code nobody has", a.login);
    }
}

fn subjects(world: &World) -> Vec<Subject> {
    let sales_only = world.sales_only();
    let mut out: Vec<Subject> = UserRole::ALL
        .iter()
        .map(|&r| subject(&format!("role-{}", r.key()), r, sales_only.clone()))
        .collect();
    out.push(subject(
        "clerk-range",
        UserRole::Clerk,
        Scope {
            code_ranges: vec![("0100".into(), "0199".into())],
            ..Scope::default()
        },
    ));
    out.push(subject(
        "clerk-payees",
        UserRole::Clerk,
        Scope {
            payees: true,
            ..Scope::default()
        },
    ));
    out.push(subject("clerk-all", UserRole::Clerk, Scope::everyone()));
    out.push(subject("clerk-none", UserRole::Clerk, Scope::default()));
    out.push(subject(
        "manager-code",
        UserRole::Manager,
        Scope {
            codes: vec!["0250".into()],
            ..Scope::default()
        },
    ));
    out.push(Subject {
        grants: vec![Permission::RevealNumber],
        ..subject("sys-grant", UserRole::SystemAdmin, sales_only.clone())
    });
    out.push(Subject {
        groups: vec!["番号表示"],
        ..subject("sys-group", UserRole::SystemAdmin, sales_only.clone())
    });
    // Grants that tell "update" from "register" apart.
    out.push(Subject {
        grants: vec![Permission::Update, Permission::ViewPerson],
        ..subject("auditor-update", UserRole::Auditor, Scope::everyone())
    });
    out.push(Subject {
        grants: vec![Permission::Register],
        ..subject("sys-register", UserRole::SystemAdmin, sales_only.clone())
    });
    out.push(Subject {
        groups: vec!["営業チーム"],
        ..subject("clerk-team", UserRole::Clerk, Scope::default())
    });
    out.push(Subject {
        groups: vec!["閲覧"],
        ..subject("auditor-view", UserRole::Auditor, sales_only)
    });
    out
}

// ---------------------------------------------------------------------------------------------
// The matrix

#[test]
fn every_role_and_grant_meets_every_person_operation_in_and_out_of_scope() {
    let mut world = World::new();
    let subjects = subjects(&world);
    assert!(subjects.len() >= 16);
    let mut actors: Vec<Actor> = subjects.into_iter().map(|s| world.actor(s)).collect();
    let mut tried = 0;
    for a in &mut actors {
        check_list(&mut world, a);
        for t in &world.targets {
            for op in OPS {
                if op.applies_to(t) {
                    attempt(a, op, t);
                    tried += 1;
                }
            }
        }
        check_find_by_code(&world, a);
        check_list(&mut world, a);
    }
    eprintln!(
        "{tried} attempts by {} users on {} people",
        actors.len(),
        world.targets.len()
    );
    for a in &actors {
        check_log(&mut world.admin, a);
    }
    // Sanity of the matrix itself: it exercised all three answers, and every operation was
    // both allowed and refused somewhere.
    let all: Vec<&Logged> = actors.iter().flat_map(|a| &a.log).collect();
    for op in OPS {
        let of_op: Vec<&&Logged> = all.iter().filter(|l| l.action == op.action()).collect();
        assert!(
            of_op.iter().any(|l| l.outcome == Outcome::Ok),
            "{op:?} never allowed"
        );
        for detail in [
            if op.writes() {
                "denied"
            } else {
                op.perm().key()
            },
            if op.writes() {
                "unknown_person"
            } else {
                "out_of_scope"
            },
        ] {
            assert!(
                of_op.iter().any(|l| l.detail.as_deref() == Some(detail)),
                "{op:?} never refused with {detail}"
            );
        }
    }
}

fn clone_target(t: &Target) -> Target {
    Target {
        label: t.label,
        id: t.id,
        kind: t.kind,
        dept: t.dept,
        code: t.code,
        expected: t.expected.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Spot checks with literal expectations

fn ids(list: &[&Target]) -> BTreeSet<i64> {
    list.iter().map(|t| t.id.0).collect()
}

#[test]
fn spot_checks_with_literal_expectations() {
    let mut w = World::new();
    let sales_only = w.sales_only();
    let e1 = clone_target(w.target("E1"));
    let f1 = clone_target(w.target("F1"));
    let e2 = clone_target(w.target("E2"));
    let f2 = clone_target(w.target("F2"));
    let e3 = clone_target(w.target("E3"));
    let e4 = clone_target(w.target("E4"));
    let p1 = clone_target(w.target("P1"));
    let p2 = clone_target(w.target("P2"));

    // The system administrator never sees a number, even with everyone in scope.
    let mut sys = w.actor(subject(
        "sys-everyone",
        UserRole::SystemAdmin,
        Scope::everyone(),
    ));
    assert!(!sys.may(Permission::RevealNumber) && !sys.may(Permission::ViewPerson));
    for t in [&e1, &f1, &e2, &p1, &p2] {
        assert!(matches!(
            sys.session.reveal_number(t.id),
            Err(VaultError::Denied)
        ));
        assert!(matches!(sys.session.person(t.id), Err(VaultError::Denied)));
    }
    assert!(matches!(
        sys.session.list(&PeopleQuery::default()),
        Err(VaultError::Denied)
    ));
    // Nor can they probe whether a code exists.
    assert!(matches!(
        sys.session.find_by_code(PersonKind::Employee, "0150"),
        Err(VaultError::Denied)
    ));

    // Granted the reveal (directly, or through a group): reveals in scope only, and still
    // cannot view the person.
    for (login, grants, groups) in [
        ("sys-reveal", vec![Permission::RevealNumber], vec![]),
        ("sys-reveal-group", vec![], vec!["番号表示"]),
    ] {
        let mut a = w.actor(Subject {
            grants,
            groups,
            ..subject(login, UserRole::SystemAdmin, sales_only.clone())
        });
        let n = a
            .session
            .reveal_number(e1.id)
            .unwrap_or_else(|e| panic!("{login}: reveal E1: {e:?}"))
            .expect("E1 has a number");
        assert_eq!(n.expose_digits(), individual(1).expose_digits());
        let n = a.session.reveal_number(f1.id).expect("reveal F1");
        assert!(n.is_some());
        assert!(matches!(
            a.session.reveal_number(e2.id),
            Err(VaultError::UnknownPerson(id)) if id == e2.id.0
        ));
        assert!(matches!(
            a.session.reveal_number(p1.id),
            Err(VaultError::UnknownPerson(id)) if id == p1.id.0
        ));
        assert!(matches!(a.session.person(e1.id), Err(VaultError::Denied)));
    }

    // A plain clerk (no grants) limited to 営業部: E1 and F1, nobody else; may reveal them.
    let mut clerk = w.actor(subject("clerk-sales", UserRole::Clerk, sales_only.clone()));
    assert_eq!(list_ids(&mut clerk.session).unwrap(), ids(&[&e1, &f1]));
    assert!(clerk.session.reveal_number(e1.id).unwrap().is_some());
    assert!(matches!(
        clerk.session.family_of(e2.id),
        Err(VaultError::UnknownPerson(_))
    ));
    assert_eq!(clerk.session.family_of(e1.id).unwrap().len(), 1);
    // Moving E1 to a department outside the scope is refused (a change must land in scope).
    let mut moved = e1.expected.person();
    if let kinko_domain::people::Role::Employee { department, .. } = &mut moved.role {
        *department = Some(w.general);
    }
    assert!(matches!(
        clerk
            .session
            .write(|wr| wr.update_person(e1.id, moved.clone())),
        Err(VaultError::Denied)
    ));
    // Registering an employee outside the scope is refused too.
    let outside = employee("0777", &PEOPLE[9], Some(w.general), None);
    assert!(matches!(
        clerk.session.add_person(outside.new_person()),
        Err(VaultError::Denied)
    ));

    // Code range 0100–0199 (bounds inclusive): E1, its family, E3, E4; not E2 (0250), payees.
    let mut range = w.actor(subject(
        "clerk-range",
        UserRole::Clerk,
        Scope {
            code_ranges: vec![("0100".into(), "0199".into())],
            ..Scope::default()
        },
    ));
    assert_eq!(
        list_ids(&mut range.session).unwrap(),
        ids(&[&e1, &f1, &e3, &e4])
    );

    // Payees only: P1 and P2. Payees false (the clerk above): none.
    let mut payees = w.actor(subject(
        "clerk-payees",
        UserRole::Clerk,
        Scope {
            payees: true,
            ..Scope::default()
        },
    ));
    assert_eq!(list_ids(&mut payees.session).unwrap(), ids(&[&p1, &p2]));
    assert!(matches!(
        payees.session.person(e1.id),
        Err(VaultError::UnknownPerson(_))
    ));

    // A scope from a group: 営業部 and payees, on top of an empty own scope.
    let mut team = w.actor(Subject {
        groups: vec!["営業チーム"],
        ..subject("clerk-team", UserRole::Clerk, Scope::default())
    });
    assert_eq!(
        list_ids(&mut team.session).unwrap(),
        ids(&[&e1, &f1, &p1, &p2])
    );

    // An auditor lists (in scope) but cannot open anyone; with the 閲覧 group they can open
    // the 02xx employees too, but still not reveal.
    let mut auditor = w.actor(subject("auditor", UserRole::Auditor, sales_only.clone()));
    assert_eq!(list_ids(&mut auditor.session).unwrap(), ids(&[&e1, &f1]));
    assert!(matches!(
        auditor.session.person(e1.id),
        Err(VaultError::Denied)
    ));
    let mut viewer = w.actor(Subject {
        groups: vec!["閲覧"],
        ..subject("auditor-view", UserRole::Auditor, sales_only.clone())
    });
    assert_eq!(
        list_ids(&mut viewer.session).unwrap(),
        ids(&[&e1, &f1, &e2, &f2])
    );
    assert_eq!(viewer.session.person(f2.id).unwrap().id, f2.id);
    assert!(matches!(
        viewer.session.reveal_number(e2.id),
        Err(VaultError::Denied)
    ));
    assert!(matches!(
        viewer.session.person(e3.id),
        Err(VaultError::UnknownPerson(_))
    ));

    // A scope that sees nobody lists nobody.
    let mut nobody = w.actor(subject("clerk-none", UserRole::Clerk, Scope::default()));
    assert!(list_ids(&mut nobody.session).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Out of scope is answered like missing

/// The error's texts with the ID replaced, so two answers for different IDs compare.
fn texts(e: &VaultError, id: i64) -> (String, String, String, &'static str) {
    let id = id.to_string();
    (
        e.to_string().replace(&id, "<ID>"),
        e.message(Lang::En).replace(&id, "<ID>"),
        format!("{e:?}").replace(&id, "<ID>"),
        e.key(),
    )
}

#[test]
fn out_of_scope_is_answered_exactly_like_a_missing_person() {
    let mut w = World::new();
    let sales_only = w.sales_only();
    let mut clerk = w.actor(subject("clerk-sales", UserRole::Clerk, sales_only));
    let missing = PersonId(987_654);
    let s = &mut clerk.session;
    type Attempt = fn(&mut Session, PersonId) -> Result<(), VaultError>;
    let attempts: [(&str, Attempt); 7] = [
        ("person", |s, id| s.person(id).map(drop)),
        ("reveal_number", |s, id| s.reveal_number(id).map(drop)),
        ("family_of", |s, id| s.family_of(id).map(drop)),
        ("records", |s, id| s.records(id).map(drop)),
        ("set_collection_status", |s, id| {
            s.write(|w| w.set_collection_status(id, CollectionStatus::Requested))
        }),
        ("set_number", |s, id| s.set_number(id, &individual(999))),
        ("add_record", |s, id| {
            s.write(|w| {
                w.add_record(
                    id,
                    &PersonRecord::Purpose(PurposeNotice {
                        notified_on: date(2026, 4, 1),
                        purposes: vec!["給与所得の源泉徴収票".into()],
                    }),
                )
                .map(drop)
            })
        }),
    ];
    let outside: Vec<(&str, PersonId)> = ["E2", "F2", "E3", "E4", "P1", "P2"]
        .iter()
        .map(|l| (*l, w.target(l).id))
        .collect();
    for (name, f) in attempts {
        let m = f(s, missing).expect_err("a missing person");
        assert!(
            matches!(m, VaultError::UnknownPerson(id) if id == missing.0),
            "{name} on a missing ID: {m:?}"
        );
        for (label, id) in &outside {
            let e = f(s, *id).expect_err("an out-of-scope person");
            assert!(
                matches!(e, VaultError::UnknownPerson(x) if x == id.0),
                "{name} on {label}: {e:?}"
            );
            assert_eq!(
                texts(&e, id.0),
                texts(&m, missing.0),
                "{name} on {label} answers differently from a missing ID"
            );
        }
    }
    // The administrator's log tells them apart: out-of-scope reads are refusals naming the
    // reason; a missing ID on a read is an error.
    let entries = w
        .admin
        .audit_list(&AuditQuery {
            user: Some(clerk.id.0),
            action: Some("person.view".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    let e2 = w.target("E2").id.0;
    assert!(entries.iter().any(|e| e.target_id == Some(e2)
        && e.outcome == Outcome::Denied
        && e.detail == "out_of_scope"));
    assert!(entries.iter().any(|e| e.target_id == Some(missing.0)));
}

// ---------------------------------------------------------------------------------------------
// User administration

fn denied_entries(admin: &mut Session, user: UserId, action: &str) -> Vec<AuditEntry> {
    admin
        .audit_list(&AuditQuery {
            user: Some(user.0),
            action: Some(action.into()),
            ..AuditQuery::default()
        })
        .expect("audit_list")
        .into_iter()
        .filter(|e| e.outcome == Outcome::Denied)
        .collect()
}

#[test]
fn a_clerk_cannot_administer_users_pcs_or_settings_and_each_refusal_is_logged() {
    let mut w = World::new();
    let mut clerk = w.actor(subject("clerk", UserRole::Clerk, Scope::everyone()));
    let s = &mut clerk.session;
    let e = s.add_user(
        new_user("intruder", UserRole::Administrator, Scope::everyone()),
        b"Sehr-Geheim-Eindringling-9",
    );
    expect_err("clerk add_user", e, |e| matches!(e, VaultError::Denied));
    expect_err("clerk users()", s.users(), |e| {
        matches!(e, VaultError::Denied)
    });
    expect_err("clerk unlock_user", s.unlock_user(ADMIN), |e| {
        matches!(e, VaultError::Denied)
    });
    expect_err(
        "clerk disables the administrator",
        s.set_user_disabled(ADMIN, true),
        |e| matches!(e, VaultError::Denied),
    );
    expect_err(
        "clerk register_pc",
        s.register_pc("私物PC", None, &kinko_e2e::pc("pc-private")),
        |e| matches!(e, VaultError::Denied),
    );
    expect_err(
        "clerk set_policy",
        s.set_policy(Policy {
            lockout_threshold: 100,
            lockout_minutes: 1,
            idle_minutes: 240,
        }),
        |e| matches!(e, VaultError::Denied),
    );
    expect_err(
        "clerk audit_list",
        s.audit_list(&AuditQuery::default()),
        |e| matches!(e, VaultError::Denied),
    );
    // Nothing changed.
    let users = w.admin.users().unwrap();
    assert!(users.iter().all(|u| u.login != "intruder"));
    assert!(users.iter().all(|u| !u.disabled));
    assert_eq!(w.admin.policy().unwrap(), Policy::default());
    // Each refusal is in the log, by the clerk, with the permission that was missing.
    for (action, perm) in [
        ("user.add", "manage_users"),
        ("user.list", "manage_users"),
        ("user.unlock", "manage_users"),
        ("user.disable", "manage_users"),
        ("pc.add", "manage_pcs"),
        ("settings.policy", "settings"),
        ("audit.list", "read_audit"),
    ] {
        let found = denied_entries(&mut w.admin, clerk.id, action);
        assert_eq!(found.len(), 1, "{action}: {found:?}");
        assert_eq!(found[0].detail, perm, "{action}");
        assert_eq!(found[0].actor.user, Some(clerk.id.0));
    }
}

#[test]
fn the_last_administrator_cannot_be_disabled_or_demoted() {
    let mut w = World::new();
    let mut sys = w.actor(subject(
        "sysadmin",
        UserRole::SystemAdmin,
        Scope::everyone(),
    ));
    let admin_id = w
        .admin
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == ADMIN)
        .unwrap()
        .id;
    // With the system administrator disabled, the set-up account is the last one.
    w.admin.set_user_disabled("sysadmin", true).unwrap();
    expect_err(
        "disabling the last administrator",
        w.admin.set_user_disabled(ADMIN, true),
        |e| matches!(e, VaultError::LastAdministrator),
    );
    expect_err(
        "demoting the last administrator",
        w.admin
            .update_user(ADMIN, new_user(ADMIN, UserRole::Clerk, Scope::everyone())),
        |e| matches!(e, VaultError::LastAdministrator),
    );
    let me = w
        .admin
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == ADMIN)
        .unwrap();
    assert_eq!(me.role, UserRole::Administrator);
    assert!(!me.disabled);
    assert!(me.effective.contains(&Permission::ManageUsers));
    let failures: Vec<AuditEntry> = w
        .admin
        .audit_list(&AuditQuery {
            user: Some(admin_id.0),
            action: Some("user".into()),
            ..AuditQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.detail == "last_administrator")
        .collect();
    assert_eq!(
        failures
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["user.disable", "user.update"]
    );
    assert!(failures.iter().all(|e| e.outcome != Outcome::Ok));

    // Once the system administrator is back, the set-up account may be demoted (by them);
    // then the system administrator is the last one and cannot leave either.
    w.admin.set_user_disabled("sysadmin", false).unwrap();
    drop(std::mem::replace(
        &mut sys.session,
        login_at(
            &w.vault,
            "sysadmin",
            &user_password("sysadmin"),
            "pc-a",
            &w.clock,
        )
        .expect("sysadmin logs in again"),
    ));
    sys.session
        .update_user(ADMIN, new_user(ADMIN, UserRole::Manager, Scope::everyone()))
        .expect("demoting the set-up account while another administrator exists");
    expect_err(
        "the sysadmin disabling themselves",
        sys.session.set_user_disabled("sysadmin", true),
        |e| matches!(e, VaultError::LastAdministrator),
    );
    expect_err(
        "the sysadmin demoting themselves",
        sys.session.update_user(
            "sysadmin",
            new_user("sysadmin", UserRole::Auditor, Scope::everyone()),
        ),
        |e| matches!(e, VaultError::LastAdministrator),
    );
    // A grant of manage_users counts as much as a role: with it the demotion goes through.
    sys.session
        .update_user(
            "sysadmin",
            NewUser {
                grants: vec![Permission::ManageUsers],
                ..new_user("sysadmin", UserRole::Auditor, Scope::everyone())
            },
        )
        .expect("demotion that keeps manage_users by grant");
    assert!(sys.session.access().allows(Permission::ManageUsers));
    assert!(!sys.session.access().allows(Permission::ManagePcs));
}

#[test]
fn a_disabled_user_cannot_log_in() {
    let mut w = World::new();
    let clerk = w.actor(subject("clerk", UserRole::Clerk, Scope::everyone()));
    drop(clerk.session);
    let pw = user_password("clerk");
    w.admin.set_user_disabled("clerk", true).unwrap();
    expect_err(
        "a disabled user with the right password",
        login_at(&w.vault, "clerk", &pw, "pc-a", &w.clock).map(drop),
        |e| matches!(e, VaultError::Disabled),
    );
    expect_err(
        "a disabled user with a wrong password",
        login_at(&w.vault, "clerk", "Falsches-Passwort-1", "pc-a", &w.clock).map(drop),
        |e| matches!(e, VaultError::WrongPassword),
    );
    // The refusal reaches the log at the next successful log-in (the administrator's).
    drop(std::mem::replace(
        &mut w.admin,
        login_at(&w.vault, ADMIN, PASSWORD, "pc-admin", &w.clock).unwrap(),
    ));
    let refusals: Vec<String> = denied_entries(&mut w.admin, clerk.id, "login")
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert_eq!(refusals, ["disabled", "wrong_password"]);
    w.admin.set_user_disabled("clerk", false).unwrap();
    let mut s = login_at(&w.vault, "clerk", &pw, "pc-a", &w.clock).expect("enabled again");
    assert!(!s.list(&PeopleQuery::default()).unwrap().is_empty());
}

#[test]
fn a_user_limited_to_a_pc_logs_in_only_there() {
    let mut w = World::new();
    let pc_a = w
        .admin
        .register_pc("受付PC", Some(w.sales), &kinko_e2e::pc("pc-a"))
        .unwrap();
    let pc_b = w
        .admin
        .register_pc("経理PC", Some(w.general), &kinko_e2e::pc("pc-b"))
        .unwrap();
    assert_eq!(w.admin.pc_id("受付PC").unwrap(), pc_a);
    let new = NewUser {
        pcs: vec![pc_a],
        ..new_user("clerk-pc", UserRole::Clerk, Scope::everyone())
    };
    // add_ready_user logs in from pc-a: allowed.
    let (id, s) = add_ready_user(&mut w.admin, &w.vault, new, "pc-a", &w.clock);
    assert_eq!(s.pc_name(), Some("受付PC"));
    drop(s);
    let pw = user_password("clerk-pc");
    for other in ["pc-b", "pc-unregistered"] {
        expect_err(
            &format!("clerk-pc from {other}"),
            login_at(&w.vault, "clerk-pc", &pw, other, &w.clock).map(drop),
            |e| matches!(e, VaultError::PcNotAllowed),
        );
    }
    let s = login_at(&w.vault, "clerk-pc", &pw, "pc-a", &w.clock).expect("pc-a again");
    drop(s);
    // Both refusals are in the log, naming the user and the PC (or its tag if unregistered).
    let refused = denied_entries(&mut w.admin, id, "login");
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused.iter().all(|e| e.detail == "pc_not_allowed"
        && e.target_id == Some(id.0)
        && e.actor.session.is_none()));
    assert_eq!(refused[0].actor.pc, Some(pc_b));
    assert_eq!(refused[0].actor.pc_tag, None);
    assert_eq!(refused[1].actor.pc, None);
    assert!(refused[1].actor.pc_tag.is_some());
    // Only the two real sessions are in the sessions report, both on 受付PC.
    let sessions: Vec<_> = w
        .admin
        .audit_sessions()
        .unwrap()
        .into_iter()
        .filter(|r| r.login == "clerk-pc")
        .collect();
    assert_eq!(sessions.len(), 2);
    assert!(sessions.iter().all(|r| r.pc.as_deref() == Some("受付PC")));
    // A user without listed PCs may log in anywhere, even on an unregistered PC.
    let free = login_at(&w.vault, ADMIN, PASSWORD, "pc-unregistered", &w.clock).unwrap();
    assert_eq!(free.pc_name(), None);
}

#[test]
fn a_new_user_must_change_the_password_before_anything_else() {
    let mut w = World::new();
    w.admin
        .add_user(
            new_user("newbie", UserRole::Manager, Scope::everyone()),
            kinko_e2e::INITIAL_PASSWORD.as_bytes(),
        )
        .unwrap();
    let mut s = login_at(
        &w.vault,
        "newbie",
        kinko_e2e::INITIAL_PASSWORD,
        "pc-a",
        &w.clock,
    )
    .unwrap();
    assert!(s.must_change_password());
    let e1 = w.target("E1").id;
    expect_err("list", s.list(&PeopleQuery::default()), |e| {
        matches!(e, VaultError::PasswordChangeRequired)
    });
    expect_err("person", s.person(e1), |e| {
        matches!(e, VaultError::PasswordChangeRequired)
    });
    expect_err("reveal", s.reveal_number(e1), |e| {
        matches!(e, VaultError::PasswordChangeRequired)
    });
    expect_err("audit", s.audit_list(&AuditQuery::default()), |e| {
        matches!(e, VaultError::PasswordChangeRequired)
    });
    expect_err(
        "a weak new password",
        s.change_password(kinko_e2e::INITIAL_PASSWORD.as_bytes(), b"newbie-2026-x"),
        |e| matches!(e, VaultError::WeakPassword(_)),
    );
    expect_err(
        "a wrong current password",
        s.change_password(b"Not-The-Initial-1", b"Ganz-Neues-Kennwort-5"),
        |e| matches!(e, VaultError::WrongPassword),
    );
    s.change_password(
        kinko_e2e::INITIAL_PASSWORD.as_bytes(),
        b"Ganz-Neues-Kennwort-5",
    )
    .unwrap();
    assert!(!s.must_change_password());
    assert_eq!(s.person(e1).unwrap().id, e1);
    drop(s);
    // The initial password no longer opens the account; the new one does, without a change.
    expect_err(
        "the initial password after the change",
        login_at(
            &w.vault,
            "newbie",
            kinko_e2e::INITIAL_PASSWORD,
            "pc-a",
            &w.clock,
        )
        .map(drop),
        |e| matches!(e, VaultError::WrongPassword),
    );
    let s = login_at(
        &w.vault,
        "newbie",
        "Ganz-Neues-Kennwort-5",
        "pc-a",
        &w.clock,
    )
    .unwrap();
    assert!(!s.must_change_password());
}
