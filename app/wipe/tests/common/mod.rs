//! Test targets and helpers shared by the integration tests.
#![allow(dead_code)]

use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;

use kinko_wipe::{Keystream, Pattern, Seed, Target, probe};

/// A medium in memory.
pub struct MemTarget {
    pub data: Mutex<Vec<u8>>,
}

impl MemTarget {
    pub fn new(len: usize) -> Self {
        Self {
            data: Mutex::new(vec![0x5A; len]),
        }
    }
}

fn range(offset: u64, len: usize, size: usize) -> io::Result<Range<usize>> {
    let start = usize::try_from(offset).map_err(|_| io::Error::other("offset"))?;
    let end = start
        .checked_add(len)
        .filter(|&e| e <= size)
        .ok_or_else(|| io::Error::other("beyond end"))?;
    Ok(start..end)
}

impl Target for MemTarget {
    fn size(&self) -> u64 {
        self.data.lock().unwrap().len() as u64
    }
    fn alignment(&self) -> usize {
        512
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        let mut data = self.data.lock().unwrap();
        let r = range(offset, buf.len(), data.len())?;
        data[r].copy_from_slice(buf);
        Ok(())
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let data = self.data.lock().unwrap();
        let r = range(offset, buf.len(), data.len())?;
        buf.copy_from_slice(&data[r]);
        Ok(())
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
}

/// A fake-capacity stick: claims `claimed` bytes, stores `real`, and byte X lands at X mod real.
pub struct WrappingTarget {
    pub real: Mutex<Vec<u8>>,
    pub claimed: u64,
}

impl Target for WrappingTarget {
    fn size(&self) -> u64 {
        self.claimed
    }
    fn alignment(&self) -> usize {
        512
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        let mut real = self.real.lock().unwrap();
        let n = real.len() as u64;
        for (i, b) in buf.iter().enumerate() {
            real[((offset + i as u64) % n) as usize] = *b;
        }
        Ok(())
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let real = self.real.lock().unwrap();
        let n = real.len() as u64;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = real[((offset + i as u64) % n) as usize];
        }
        Ok(())
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
}

/// A medium whose writes and reads fail with EIO anywhere in `bad`.
pub struct FailingTarget {
    pub inner: MemTarget,
    pub bad: Range<u64>,
}

impl FailingTarget {
    fn touches_bad(&self, offset: u64, len: usize) -> bool {
        offset < self.bad.end && offset + len as u64 > self.bad.start
    }
}

impl Target for FailingTarget {
    fn size(&self) -> u64 {
        self.inner.size()
    }
    fn alignment(&self) -> usize {
        512
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        if self.touches_bad(offset, buf.len()) {
            return Err(io::Error::from_raw_os_error(libc_eio()));
        }
        self.inner.write_at(buf, offset)
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        if self.touches_bad(offset, buf.len()) {
            return Err(io::Error::from_raw_os_error(libc_eio()));
        }
        self.inner.read_at(buf, offset)
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
}

fn libc_eio() -> i32 {
    5
}

/// The probe of a small temporary file, used as the plan's medium for in-memory targets.
pub fn file_probe(len: u64) -> (tempfile::NamedTempFile, kinko_wipe::Probe) {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(len).unwrap();
    let probe = probe(file.path()).unwrap();
    (file, probe)
}

/// Whether `data` is exactly the complement keystream for `seed` from offset 0, checked from
/// first principles (AES-256 of each big-endian block counter), not through the engine.
pub fn is_complement_keystream(data: &[u8], seed: &Seed) -> bool {
    use aes::Aes256;
    use aes::cipher::{BlockCipherEncrypt, KeyInit};
    let aes = Aes256::new(&(*seed.as_bytes()).into());
    let mut blocks = vec![aes::Block::default(); 4096];
    for (batch, chunk) in data.chunks(16 * 4096).enumerate() {
        for (i, block) in blocks.iter_mut().enumerate() {
            let counter = (batch * 4096 + i) as u128;
            *block = counter.to_be_bytes().into();
        }
        aes.encrypt_blocks(&mut blocks);
        let stream = blocks.iter().flat_map(|b| b.iter().copied());
        if !stream.zip(chunk).all(|(k, d)| !k == *d) {
            return false;
        }
    }
    true
}

/// Expected complement bytes through the engine's generator (for in-memory checks).
pub fn complement(seed: &Seed, offset: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    Keystream::new(seed.clone())
        .fill(Pattern::Complement, offset, &mut buf)
        .unwrap();
    buf
}

pub fn temp_dir() -> PathBuf {
    std::env::temp_dir()
}
