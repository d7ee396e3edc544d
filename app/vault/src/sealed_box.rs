//! Sealing to the vault's public key, for what must be recorded before anyone has unlocked the
//! vault (failed log-ins, lock-outs). Anyone can seal; only an unlocked session can open, and
//! then moves the events into the MAC-chained audit log.
//!
//! Construction: an ephemeral X25519 key agreement with the vault's static key, HKDF-SHA256 of
//! the shared secret (salt = both public keys), then AES-256-GCM with the usual [`Aad`].

use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::crypto::{Aad, KEY_LEN, Key, fill_random};
use crate::error::{VaultError, VaultResult};

const LABEL: &str = "kinko/v1/sealed-box";

/// A new static key pair: (secret bytes, public bytes).
pub(crate) fn generate() -> VaultResult<(Key, [u8; 32])> {
    let secret = random_secret()?;
    let public = PublicKey::from(&secret).to_bytes();
    let key = Key::from_slice(secret.as_bytes()).ok_or(VaultError::Crypto("x25519"))?;
    Ok((key, public))
}

/// Seals `plaintext` to the holder of `public`'s secret key.
pub(crate) fn seal(public: &[u8; 32], aad: &Aad, plaintext: &[u8]) -> VaultResult<Vec<u8>> {
    let ephemeral = random_secret()?;
    let eph_public = PublicKey::from(&ephemeral).to_bytes();
    let key = shared_key(&ephemeral, &eph_public, public)?;
    let mut out = eph_public.to_vec();
    out.extend(key.seal(aad, plaintext)?);
    Ok(out)
}

/// Opens what [`seal`] made, with the secret key.
pub(crate) fn open(secret: &Key, aad: &Aad, sealed: &[u8]) -> VaultResult<Zeroizing<Vec<u8>>> {
    let tampered = VaultError::Tampered { place: aad.place() };
    if sealed.len() < 32 {
        return Err(tampered);
    }
    let (eph, body) = sealed.split_at(32);
    let eph: [u8; 32] = eph
        .try_into()
        .map_err(|_| VaultError::Tampered { place: aad.place() })?;
    let secret = StaticSecret::from(*secret.expose());
    let public = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(eph));
    if !shared.was_contributory() {
        return Err(tampered);
    }
    let key = hkdf_key(shared.as_bytes(), &eph, &public)?;
    key.open(aad, body)
}

fn shared_key(
    ephemeral: &StaticSecret,
    eph_public: &[u8; 32],
    public: &[u8; 32],
) -> VaultResult<Key> {
    let shared = ephemeral.diffie_hellman(&PublicKey::from(*public));
    if !shared.was_contributory() {
        return Err(VaultError::Crypto("x25519"));
    }
    hkdf_key(shared.as_bytes(), eph_public, public)
}

fn hkdf_key(shared: &[u8; 32], eph_public: &[u8; 32], public: &[u8; 32]) -> VaultResult<Key> {
    let ikm = Key::from_slice(shared).ok_or(VaultError::Crypto("x25519"))?;
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(eph_public);
    salt[32..].copy_from_slice(public);
    Ok(ikm.derive(&salt, LABEL))
}

fn random_secret() -> VaultResult<StaticSecret> {
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    fill_random(bytes.as_mut_slice())?;
    Ok(StaticSecret::from(*bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_secret_key_opens() {
        let (secret, public) = generate().unwrap();
        let aad = Aad::new(b"v", "pending_events.sealed", 1, "");
        let sealed = seal(&public, &aad, b"login_failed").unwrap();
        assert_eq!(
            open(&secret, &aad, &sealed).unwrap().as_slice(),
            b"login_failed"
        );
        let (other, _) = generate().unwrap();
        assert!(open(&other, &aad, &sealed).is_err());
        assert!(
            open(
                &secret,
                &Aad::new(b"v", "pending_events.sealed", 2, ""),
                &sealed
            )
            .is_err()
        );
        assert!(open(&secret, &aad, &sealed[..20]).is_err());
    }
}
