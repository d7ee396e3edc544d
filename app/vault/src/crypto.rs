//! The cryptographic primitives of the vault, each in one small function.
//!
//! - AES-256-GCM with a fresh random 96-bit nonce per seal; the nonce is stored in front of the
//!   ciphertext. Every seal carries associated data naming where the ciphertext lives
//!   ([`Aad`]), so a ciphertext copied to another row, column or vault does not open.
//! - HKDF-SHA256 subkeys of the vault master key, one per purpose, labelled by constants.
//! - HMAC-SHA256 blind indexes, truncated to 128 bits.
//!
//! Keys live in [`Key`], which zeroizes itself when dropped and never prints.

use aes_gcm::aead::AeadInOut;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{VaultError, VaultResult};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;
/// Bytes a seal adds to its plaintext.
pub const SEAL_OVERHEAD: usize = NONCE_LEN + TAG_LEN;
/// Length of a blind index.
pub const INDEX_LEN: usize = 16;

/// A 256-bit secret key. Zeroized on drop; `Debug` never shows it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; KEY_LEN]);

impl Key {
    /// A fresh key from the operating system's CSPRNG.
    pub fn random() -> VaultResult<Key> {
        let mut k = Key([0; KEY_LEN]);
        fill_random(&mut k.0)?;
        Ok(k)
    }

    /// Takes a key out of a decrypted buffer (which the caller zeroizes).
    pub fn from_slice(bytes: &[u8]) -> Option<Key> {
        let arr: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Key(arr))
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A subkey for one purpose: HKDF-SHA256 with the vault ID as salt and the label as info.
    pub fn derive(&self, vault_id: &[u8], label: &str) -> Key {
        let hk = Hkdf::<Sha256>::new(Some(vault_id), &self.0);
        let mut out = Key([0; KEY_LEN]);
        // 32 bytes is always a valid HKDF-SHA256 output length.
        if hk.expand(label.as_bytes(), &mut out.0).is_err() {
            unreachable!("HKDF-SHA256 can always expand to 32 bytes");
        }
        out
    }

    /// Seals `plaintext` so that only this key and the same `aad` open it.
    pub fn seal(&self, aad: &Aad, plaintext: &[u8]) -> VaultResult<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let mut out = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .cipher()
            .encrypt_inout_detached(
                &Nonce::from(nonce),
                aad.as_bytes(),
                (&mut out[NONCE_LEN..]).into(),
            )
            .map_err(|_| VaultError::Crypto("encrypt"))?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Opens what [`Key::seal`] made with the same `aad`. The plaintext zeroizes on drop.
    pub fn open(&self, aad: &Aad, sealed: &[u8]) -> VaultResult<Zeroizing<Vec<u8>>> {
        let len = sealed.len().saturating_sub(SEAL_OVERHEAD);
        let mut buf = Zeroizing::new(vec![0u8; len]);
        self.open_into(aad, sealed, &mut buf)?;
        Ok(buf)
    }

    /// Opens a sealed key, straight into the key's own (zeroizing) memory.
    pub fn open_key(&self, aad: &Aad, sealed: &[u8]) -> VaultResult<Key> {
        let mut key = Key([0; KEY_LEN]);
        self.open_into(aad, sealed, &mut key.0)?;
        Ok(key)
    }

    /// Opens `sealed` into `out`, which must be exactly as long as the plaintext.
    fn open_into(&self, aad: &Aad, sealed: &[u8], out: &mut [u8]) -> VaultResult<()> {
        let fail = || VaultError::Tampered { place: aad.place() };
        if sealed.len() != out.len() + SEAL_OVERHEAD {
            return Err(fail());
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let (ct, tag) = rest.split_at(rest.len() - TAG_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| fail())?;
        let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| fail())?;
        out.copy_from_slice(ct);
        self.cipher()
            .decrypt_inout_detached(&Nonce::from(nonce), aad.as_bytes(), out.into(), &tag.into())
            .map_err(|_| fail())
    }

    /// A keyed blind index of `value`: equal values give equal indexes, nothing else is learnt.
    pub fn blind_index(&self, domain: &str, value: &[u8]) -> [u8; INDEX_LEN] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(domain.as_bytes());
        mac.update(b":");
        mac.update(value);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; INDEX_LEN];
        out.copy_from_slice(&full[..INDEX_LEN]);
        out
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.0.into())
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

/// Associated data: which vault, which table and column, which row, which schema version.
///
/// The bytes are `kinko\0v{schema}\0{vault_id hex}\0{place}\0{row}\0{extra}`: unambiguous, since
/// no part contains a NUL.
pub struct Aad {
    bytes: Vec<u8>,
    place: &'static str,
}

impl Aad {
    pub fn new(vault_id: &[u8], place: &'static str, row: i64, extra: &str) -> Aad {
        use std::io::Write;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        // Built in one buffer: this runs twice per person when the index is loaded.
        let mut bytes = Vec::with_capacity(48 + 2 * vault_id.len() + place.len() + extra.len());
        let _ = write!(bytes, "kinko\0v{}\0", crate::schema::SEAL_VERSION);
        for b in vault_id {
            bytes.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
        let _ = write!(bytes, "\0{place}\0{row}\0{extra}");
        Aad { bytes, place }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Where the sealed value lives, for error messages ("persons.sealed_profile").
    pub fn place(&self) -> &'static str {
        self.place
    }
}

/// Fills `buf` from the operating system's CSPRNG.
pub fn fill_random(buf: &mut [u8]) -> VaultResult<()> {
    getrandom::fill(buf).map_err(|_| VaultError::Crypto("random"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aad(row: i64) -> Aad {
        Aad::new(b"vault-id", "persons.sealed_profile", row, "")
    }

    #[test]
    fn seal_opens_with_the_same_key_and_place_only() {
        let k = Key::random().unwrap();
        let sealed = k.seal(&aad(1), "山田太郎".as_bytes()).unwrap();
        assert_eq!(sealed.len(), "山田太郎".len() + SEAL_OVERHEAD);
        assert_eq!(
            k.open(&aad(1), &sealed).unwrap().as_slice(),
            "山田太郎".as_bytes()
        );
        assert!(matches!(
            k.open(&aad(2), &sealed),
            Err(VaultError::Tampered { .. })
        ));
        let other = Key::random().unwrap();
        assert!(other.open(&aad(1), &sealed).is_err());
        let mut flipped = sealed.clone();
        flipped[NONCE_LEN] ^= 1;
        assert!(k.open(&aad(1), &flipped).is_err());
        assert!(k.open(&aad(1), &sealed[..10]).is_err());
    }

    #[test]
    fn associated_data_is_byte_for_byte_stable() {
        // These bytes are bound into every ciphertext on disk: changing them is a migration.
        let aad = Aad::new(&[0x01, 0xab, 0xff], "persons.sealed_key", 42, "epoch=1");
        assert_eq!(
            aad.as_bytes(),
            b"kinko\x00v1\x0001abff\x00persons.sealed_key\x0042\x00epoch=1"
        );
    }

    #[test]
    fn nonces_are_fresh() {
        let k = Key::random().unwrap();
        let a = k.seal(&aad(1), b"same").unwrap();
        let b = k.seal(&aad(1), b"same").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn subkeys_and_indexes_differ_by_label() {
        let k = Key::random().unwrap();
        let a = k.derive(b"v", "a");
        assert_eq!(a.expose(), k.derive(b"v", "a").expose());
        assert_ne!(a.expose(), k.derive(b"v", "b").expose());
        assert_ne!(a.expose(), k.derive(b"w", "a").expose());
        assert_eq!(a.blind_index("n", b"1"), a.blind_index("n", b"1"));
        assert_ne!(a.blind_index("n", b"1"), a.blind_index("m", b"1"));
        assert_eq!(format!("{a:?}"), "Key(…)");
    }
}
