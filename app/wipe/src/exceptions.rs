//! What went wrong where: I/O errors and read-back mismatches, with their offsets.

use serde::{Deserialize, Serialize};

use crate::progress::Phase;

/// At most this many exceptions are listed one by one; the rest are only counted.
pub const MAX_LISTED_EXCEPTIONS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    WriteError,
    ReadError,
    /// Read back fine, but not the bytes that were written.
    Mismatch,
    /// Flushing to the medium failed; what was written may not be on it.
    SyncError,
}

/// One failed range of the medium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub kind: ExceptionKind,
    /// Which pass: "write_keystream", "write_complement", "verify", or for device commands
    /// "write_markers", "device_command", "verify_markers".
    pub phase: String,
    pub offset: u64,
    pub length: u64,
    /// Operating-system error text, or how many bytes differ. Never medium contents.
    pub detail: String,
}

/// Exceptions of a run: the first [`MAX_LISTED_EXCEPTIONS`] listed, all counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExceptionLog {
    pub listed: Vec<Exception>,
    pub total: u64,
    /// Bytes covered by all exceptions (listed or not).
    pub bytes_affected: u64,
}

impl ExceptionLog {
    pub(crate) fn record(
        &mut self,
        kind: ExceptionKind,
        phase: Phase,
        offset: u64,
        length: u64,
        detail: String,
    ) {
        self.total += 1;
        self.bytes_affected = self.bytes_affected.saturating_add(length);
        if self.listed.len() < MAX_LISTED_EXCEPTIONS {
            let phase = phase_name(phase).to_owned();
            self.listed.push(Exception {
                kind,
                phase,
                offset,
                length,
                detail,
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Listed exceptions in medium order (workers record them out of order).
    pub(crate) fn sort(&mut self) {
        self.listed.sort_by_key(|e| (e.offset, e.kind as u8));
    }
}

pub(crate) fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::WriteKeystream => "write_keystream",
        Phase::WriteComplement => "write_complement",
        Phase::Verify => "verify",
        Phase::WriteMarkers => "write_markers",
        Phase::DeviceCommand => "device_command",
        Phase::VerifyMarkers => "verify_markers",
    }
}
