//! Policies (F16 in part): lock-out and idle lock. Stored in the clear in `settings`, read
//! before log-in (the lock-out must work before the vault is unlocked).

use std::time::Duration;

use rusqlite::{Connection, params};

use crate::access::Permission;
use crate::error::{VaultError, VaultResult};
use crate::session::Session;

/// The lock-out and idle-lock policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failed log-ins in a row that lock an account.
    pub lockout_threshold: u32,
    /// How long a lock-out lasts, in minutes (an administrator can lift it sooner).
    pub lockout_minutes: u32,
    /// Idle minutes before a session locks itself.
    pub idle_minutes: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            lockout_threshold: 5,
            lockout_minutes: 15,
            idle_minutes: 10,
        }
    }
}

impl Policy {
    pub fn idle_limit(&self) -> Duration {
        Duration::from_secs(u64::from(self.idle_minutes) * 60)
    }

    pub fn lockout(&self) -> chrono::Duration {
        chrono::Duration::minutes(i64::from(self.lockout_minutes))
    }

    fn validate(self) -> VaultResult<Policy> {
        let ok = (1..=100).contains(&self.lockout_threshold)
            && (1..=7 * 24 * 60).contains(&self.lockout_minutes)
            && (1..=240).contains(&self.idle_minutes);
        if ok {
            Ok(self)
        } else {
            Err(VaultError::BadPolicy)
        }
    }

    pub(crate) fn load(conn: &Connection) -> VaultResult<Policy> {
        let d = Policy::default();
        let get = |key: &str, default: u32| -> VaultResult<u32> {
            let v: Option<i64> = rusqlite::OptionalExtension::optional(conn.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            ))?;
            Ok(v.and_then(|v| u32::try_from(v).ok()).unwrap_or(default))
        };
        let p = Policy {
            lockout_threshold: get("lockout_threshold", d.lockout_threshold)?,
            lockout_minutes: get("lockout_minutes", d.lockout_minutes)?,
            idle_minutes: get("idle_minutes", d.idle_minutes)?,
        };
        // A tampered or out-of-range value falls back to the defaults rather than to nothing.
        Ok(p.validate().unwrap_or(d))
    }
}

impl Session {
    /// The policy in force.
    pub fn policy(&self) -> VaultResult<Policy> {
        Policy::load(&self.conn)
    }

    /// Changes the policy (needs the settings permission).
    pub fn set_policy(&mut self, policy: Policy) -> VaultResult<()> {
        let policy = policy.validate()?;
        self.admin_write(Permission::Settings, "settings.policy", |_, tx| {
            for (k, v) in [
                ("lockout_threshold", policy.lockout_threshold),
                ("lockout_minutes", policy.lockout_minutes),
                ("idle_minutes", policy.idle_minutes),
            ] {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )?;
            }
            Ok((
                0,
                format!(
                    "lockout_threshold={} lockout_minutes={} idle_minutes={}",
                    policy.lockout_threshold, policy.lockout_minutes, policy.idle_minutes
                ),
            ))
        })?;
        self.set_policy_cache(policy);
        Ok(())
    }
}
