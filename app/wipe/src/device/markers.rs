//! Verification of a device command that can fail: before the command, marker blocks (keystream
//! bytes for their own offset) are written at places derived from the seed; afterwards every
//! marker place is read and none may still hold its marker, and a sample spread over the whole
//! medium is read to show it answers everywhere.

use sha2::{Digest, Sha256};

use crate::exceptions::{ExceptionKind, ExceptionLog};
use crate::keystream::{Keystream, Pattern};
use crate::progress::Phase;
use crate::target::{AlignedBuf, Target};

/// Marker blocks per run: first, last, and the rest at seed-derived places.
pub(crate) const MARKER_COUNT: u64 = 256;
/// Sampled reads of the rest of the medium, evenly spaced.
pub(crate) const SAMPLE_COUNT: u64 = 1024;
const BLOCK: u64 = 4096;
const SAMPLE_LEN: u64 = 64 * 1024;

/// Block-aligned marker offsets for a medium of `capacity` bytes, sorted and distinct.
pub(crate) fn marker_offsets(keystream_seed: &[u8; 32], capacity: u64) -> Vec<u64> {
    let blocks = capacity / BLOCK;
    if blocks == 0 {
        return Vec::new();
    }
    let mut out = vec![0, (blocks - 1) * BLOCK];
    for i in 0..MARKER_COUNT.saturating_sub(2) {
        let digest = Sha256::new()
            .chain_update(b"kinko-wipe marker")
            .chain_update(keystream_seed)
            .chain_update(i.to_le_bytes())
            .finalize();
        let n = u64::from_le_bytes(digest[..8].try_into().unwrap_or_default());
        out.push((n % blocks) * BLOCK);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Evenly spaced sample ranges covering the medium (offset, length).
pub(crate) fn sample_ranges(capacity: u64) -> Vec<(u64, u64)> {
    let len = SAMPLE_LEN.min(capacity / BLOCK * BLOCK);
    if len == 0 {
        return Vec::new();
    }
    let span = capacity - len;
    let count = SAMPLE_COUNT.min(capacity / len).max(1);
    (0..count)
        .map(|i| {
            (
                (span / BLOCK * i / count.max(2).saturating_sub(1).max(1)) * BLOCK,
                len,
            )
        })
        .collect()
}

fn marker(keystream: &Keystream, offset: u64) -> AlignedBuf {
    let mut buf = AlignedBuf::new(BLOCK as usize);
    // a range error is impossible for block offsets below 2^64; an empty marker would fail
    // the pre-check, not pass it
    let _ = keystream.fill(Pattern::Keystream, offset, buf.as_mut_slice());
    buf
}

/// Writes the markers; a failed write is an exception. Returns the offsets written.
pub(crate) fn write(
    target: &dyn Target,
    keystream: &Keystream,
    offsets: &[u64],
    log: &mut ExceptionLog,
) -> Vec<u64> {
    let mut written = Vec::new();
    for &offset in offsets {
        match target.write_at(marker(keystream, offset).as_slice(), offset) {
            Ok(()) => written.push(offset),
            Err(e) => log.record(
                ExceptionKind::WriteError,
                Phase::WriteMarkers,
                offset,
                BLOCK,
                e.to_string(),
            ),
        }
    }
    written
}

/// Reads every marker place. Returns (places still holding their marker, bytes read).
/// Read errors are exceptions (the place is not shown erased).
pub(crate) fn count_present(
    target: &dyn Target,
    keystream: &Keystream,
    offsets: &[u64],
    phase: Phase,
    log: &mut ExceptionLog,
) -> (u64, u64) {
    let mut buf = AlignedBuf::new(BLOCK as usize);
    let (mut present, mut read) = (0, 0);
    for &offset in offsets {
        match target.read_at(buf.as_mut_slice(), offset) {
            Ok(()) => {
                read += BLOCK;
                if buf.as_slice() == marker(keystream, offset).as_slice() {
                    present += 1;
                }
            }
            Err(e) => log.record(
                ExceptionKind::ReadError,
                phase,
                offset,
                BLOCK,
                e.to_string(),
            ),
        }
    }
    (present, read)
}

/// Reads the sample ranges; returns the bytes read. Read errors are exceptions.
pub(crate) fn read_samples(target: &dyn Target, log: &mut ExceptionLog) -> u64 {
    let mut read = 0;
    for (offset, len) in sample_ranges(target.size()) {
        let mut buf = AlignedBuf::new(len as usize);
        match target.read_at(buf.as_mut_slice(), offset) {
            Ok(()) => read += len,
            Err(e) => log.record(
                ExceptionKind::ReadError,
                Phase::VerifyMarkers,
                offset,
                len,
                e.to_string(),
            ),
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_cover_both_ends_and_depend_on_the_seed() {
        let capacity = 1 << 30;
        let a = marker_offsets(&[1; 32], capacity);
        let b = marker_offsets(&[2; 32], capacity);
        assert_eq!(a.first(), Some(&0));
        assert_eq!(a.last(), Some(&(capacity - BLOCK)));
        assert!(a.len() > 250 && a.iter().all(|o| o % BLOCK == 0 && *o < capacity));
        assert_ne!(a, b);
    }

    #[test]
    fn samples_stay_inside_and_reach_the_end() {
        for capacity in [BLOCK, 10 * BLOCK + 7, 1 << 30] {
            let s = sample_ranges(capacity);
            assert!(!s.is_empty());
            assert!(s.iter().all(|(o, l)| o + l <= capacity && o % BLOCK == 0));
            let (last, len) = *s.last().unwrap();
            assert!(
                last + len + BLOCK > capacity / BLOCK * BLOCK,
                "{capacity}: {last}"
            );
        }
    }
}
