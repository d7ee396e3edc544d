//! The home screen's figures (PRODUCT.md §1, step 3): where the collection of numbers stands,
//! department by department, counted from the session's index of the people in scope.
//!
//! Counting is a read of the list: it needs [`Permission::ViewList`] and is logged as
//! `person.summary` (the detail holds only how many departments and people were counted).
//! Also here: the front telling the engine that the user is active, so that the idle lock
//! measures the user's inactivity and not only the engine's.

use std::collections::HashMap;

use kinko_domain::people::{CollectionStatus, DepartmentId, EmploymentStatus, PersonKind};

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::error::{VaultError, VaultResult};
use crate::session::Session;

/// How many people of one group stand at each collection status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Indexed like [`CollectionStatus::ALL`]: 未依頼, 依頼済, 回収済, 確認済, 提出拒否.
    pub by_status: [usize; 5],
}

impl StatusCounts {
    pub fn get(&self, status: CollectionStatus) -> usize {
        self.by_status[status_index(status)]
    }

    pub fn total(&self) -> usize {
        self.by_status.iter().sum()
    }

    fn add(&mut self, status: CollectionStatus) {
        self.by_status[status_index(status)] += 1;
    }
}

/// One line of the home screen's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentStatus {
    /// `None` for employees without a department (and their families).
    pub department: Option<DepartmentId>,
    /// The department's name; empty when `department` is `None` (the front names that row).
    pub name: String,
    pub counts: StatusCounts,
}

/// Collection status by department, for the people in the user's scope.
///
/// Employees who have left (退職) are not counted; family members count in their employee's
/// department; payees are counted on their own line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionSummary {
    /// Every department in the vault, in the order they were made, then the line without a
    /// department if anyone is on it.
    pub departments: Vec<DepartmentStatus>,
    pub payees: StatusCounts,
    pub total: StatusCounts,
}

impl CollectionSummary {
    /// People whose collection has not been asked for yet (未依頼), payees included.
    pub fn not_requested(&self) -> usize {
        self.total.get(CollectionStatus::NotRequested)
    }

    /// People who refused to give their number (提出拒否), payees included.
    pub fn refused(&self) -> usize {
        self.total.get(CollectionStatus::Refused)
    }
}

fn status_index(status: CollectionStatus) -> usize {
    CollectionStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or_default()
}

impl Session {
    /// Collection status by department (see [`CollectionSummary`]).
    pub fn collection_summary(&mut self) -> VaultResult<CollectionSummary> {
        self.ready()?;
        if !self.access().allows(Permission::ViewList) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("person.summary", None, Permission::ViewList.key())
            })?;
            return Err(VaultError::Denied);
        }
        let departments = self.departments()?;
        let index = self.index()?;
        // Employees' departments (None: left the firm), for their families, who come later.
        let mut employee_dept: HashMap<i64, Option<Option<DepartmentId>>> = HashMap::new();
        let mut by_dept: HashMap<Option<DepartmentId>, StatusCounts> = HashMap::new();
        let mut summary = CollectionSummary::default();
        let mut people = 0usize;
        for s in index.summaries() {
            let dept = match s.kind {
                PersonKind::Payee => {
                    summary.payees.add(s.collection);
                    summary.total.add(s.collection);
                    people += 1;
                    continue;
                }
                PersonKind::Employee => {
                    let counted =
                        (s.employment != Some(EmploymentStatus::Retired)).then_some(s.department);
                    employee_dept.insert(s.id.0, counted);
                    counted
                }
                PersonKind::Family => s
                    .employee
                    .and_then(|e| employee_dept.get(&e.0).copied())
                    .flatten(),
            };
            if let Some(dept) = dept {
                by_dept.entry(dept).or_default().add(s.collection);
                summary.total.add(s.collection);
                people += 1;
            }
        }
        for (id, name) in departments {
            let counts = by_dept.remove(&Some(id)).unwrap_or_default();
            summary.departments.push(DepartmentStatus {
                department: Some(id),
                name,
                counts,
            });
        }
        if let Some(counts) = by_dept.remove(&None) {
            summary.departments.push(DepartmentStatus {
                department: None,
                name: String::new(),
                counts,
            });
        }
        let detail = format!("departments={} people={people}", summary.departments.len());
        self.log(Event::ok("person.summary", None, detail))?;
        self.touch();
        Ok(summary)
    }

    /// The front reports keyboard or mouse input: the idle lock starts counting again. An
    /// overdue session is locked first, so a late report cannot keep it open.
    pub fn user_active(&mut self) -> VaultResult<()> {
        if !self.check_idle()? {
            self.touch();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::clock::ManualClock;
    use crate::kdf::KdfParams;
    use crate::pc::PcIdentity;
    use crate::vault::Vault;

    fn session(clock: Arc<ManualClock>) -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let created = Vault::create(
            &dir.path().join("v"),
            "admin",
            b"correct horse battery",
            KdfParams::MINIMUM,
        )
        .unwrap();
        let s = created
            .vault
            .login_with(
                "admin",
                b"correct horse battery",
                &PcIdentity::from_override("test-pc"),
                clock,
            )
            .unwrap();
        (dir, s)
    }

    #[test]
    fn counts_by_department_add_up_and_are_logged() {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let (_dir, mut s) = session(clock);
        crate::demo::populate(&mut s, 40, 7).unwrap();
        let summary = s.collection_summary().unwrap();
        assert_eq!(summary.departments.len(), 5);
        let by_line: usize = summary
            .departments
            .iter()
            .map(|d| d.counts.total())
            .sum::<usize>()
            + summary.payees.total();
        assert_eq!(by_line, summary.total.total());
        assert_eq!(summary.payees.total(), 3);
        let everyone = s.list(&Default::default()).unwrap().len();
        assert!(summary.total.total() <= everyone);
        assert!(summary.total.get(CollectionStatus::Collected) > 0);
        let log = s.audit_list(&Default::default()).unwrap();
        assert!(log.iter().any(|e| e.action == "person.summary"));
    }

    #[test]
    fn user_activity_postpones_the_idle_lock_but_cannot_revive_an_overdue_session() {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let (_dir, mut s) = session(clock.clone());
        clock.advance(Duration::from_secs(9 * 60));
        s.user_active().unwrap();
        clock.advance(Duration::from_secs(9 * 60));
        assert!(!s.check_idle().unwrap());
        clock.advance(Duration::from_secs(2 * 60));
        s.user_active().unwrap();
        assert!(s.is_locked());
    }
}
