//! The export/backup medium (issue 7): the kiosk asks the appliance to authorise one blocked
//! USB stick, and later to eject it. The engine logs both with the device's identity (USB IDs,
//! name, serial number as the device reports them), never anything about files on it.
//!
//! Authorising needs one of the permissions whose work goes through the medium: import,
//! export, print (PDFs saved to it) or backup. Ejecting needs none: it only closes the way out,
//! and a user who finds a stick left mounted must be able to take it out. Both are logged.

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::error::{VaultError, VaultResult};
use crate::session::Session;

/// The permissions any one of which lets a user authorise a medium.
pub const MEDIUM_PERMISSIONS: [Permission; 4] = [
    Permission::Import,
    Permission::Export,
    Permission::Print,
    Permission::Backup,
];

/// What happens to the medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediumAction {
    /// The user asked for the device to be authorised and mounted.
    Allow,
    /// The user asked for the mounted medium to be ejected.
    Eject,
}

impl MediumAction {
    fn key(self) -> &'static str {
        match self {
            MediumAction::Allow => "medium.allow",
            MediumAction::Eject => "medium.eject",
        }
    }
}

/// The longest identity kept in the log (the helper already shortens each field).
const MAX_IDENTITY_CHARS: usize = 200;

impl Session {
    /// Checks that this user may `action` the medium and logs it with `identity` (e.g.
    /// `id=7 usb=46f4:0001 name="…" serial="…"`). A refused allow is logged as denied and
    /// answered with [`VaultError::Denied`]: the caller must then not send the request.
    pub fn medium_event(&mut self, action: MediumAction, identity: &str) -> VaultResult<()> {
        self.ready()?;
        let identity: String = identity
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_IDENTITY_CHARS)
            .collect();
        let allowed = action == MediumAction::Eject
            || MEDIUM_PERMISSIONS.iter().any(|p| self.access().allows(*p));
        if !allowed {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok(action.key(), None, identity)
            })?;
            return Err(VaultError::Denied);
        }
        self.log(Event::ok(action.key(), None, identity))?;
        self.touch();
        Ok(())
    }
}
