//! Registering the PC a session runs on (F5), as the kiosk's administrator does on the spot:
//! the session's own identity is registered, and from then on the session knows the PC's name
//! and its log entries name the PC.

use kinko_domain::people::DepartmentId;

use crate::error::VaultResult;
use crate::session::Session;

impl Session {
    /// Registers this session's PC under `name` (needs `manage_pcs`; logged as `pc.add`).
    pub fn register_this_pc(
        &mut self,
        name: &str,
        department: Option<DepartmentId>,
    ) -> VaultResult<i64> {
        let pc = self.this_pc().clone();
        let id = self.register_pc(name, department, &pc)?;
        let stored: String =
            self.conn
                .query_row("SELECT name FROM pcs WHERE id = ?1", [id], |r| r.get(0))?;
        self.now_on_registered_pc(id, stored);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::access::{Scope, UserRole};
    use crate::audit::AuditQuery;
    use crate::error::VaultError;
    use crate::users::NewUser;
    use crate::{KdfParams, PcIdentity, SystemClock, Vault};

    const PW: &[u8] = b"a fine password";

    #[test]
    fn the_session_learns_its_pc_name_and_clerks_cannot_register() {
        let tmp = tempfile::tempdir().unwrap();
        let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
        let vault = created.vault;
        let pc = PcIdentity::from_override("this-pc");
        let clock = Arc::new(SystemClock::new());
        let mut s = vault.login_with("admin", PW, &pc, clock.clone()).unwrap();
        assert_eq!(s.pc_name(), None);
        let id = s.register_this_pc(" 受付ＰＣ ", None).unwrap();
        assert!(s.pc_name().is_some_and(|n| n.contains("受付")));
        s.users().unwrap();
        let last = s.audit_list(&AuditQuery::default()).unwrap();
        let listing = last.iter().rev().find(|e| e.action == "user.list").unwrap();
        assert_eq!(listing.actor.pc, Some(id), "later entries name the PC");
        // The same machine twice is refused.
        assert!(matches!(
            s.register_this_pc("別名", None),
            Err(VaultError::DuplicatePc(_))
        ));
        s.add_user(
            NewUser {
                login: "clerk".into(),
                role: UserRole::Clerk,
                department: None,
                grants: Vec::new(),
                scope: Scope::everyone(),
                pcs: Vec::new(),
                groups: Vec::new(),
            },
            b"initial password 1",
        )
        .unwrap();
        s.logout().unwrap();
        let other = PcIdentity::from_override("other-pc");
        let mut c = vault
            .login_with("clerk", b"initial password 1", &other, clock)
            .unwrap();
        c.change_password(b"initial password 1", b"tanto password 22")
            .unwrap();
        assert!(matches!(
            c.register_this_pc("担当者のPC", None),
            Err(VaultError::Denied)
        ));
        assert_eq!(c.pc_name(), None);
    }
}
