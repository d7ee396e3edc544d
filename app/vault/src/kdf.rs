//! Password hardening with Argon2id. The parameters are stored in each keyslot, so they can be
//! raised later without touching the other slots.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::crypto::{KEY_LEN, Key};
use crate::error::{VaultError, VaultResult};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// 256 MiB, 3 passes, 4 lanes: four times the memory of RFC 9106's second recommended
    /// option, because that still unlocks in about 0.5 s on a 2-core machine
    /// (`cargo bench -p kinko-vault`), leaving room for PCs twice as slow. See ADR 0003.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 256 * 1024,
        iterations: 3,
        parallelism: 4,
    };

    /// RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), for old PCs.
    pub const RFC9106_SECOND: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 4,
    };

    /// The floor we accept: OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane). Weaker
    /// parameters would make an offline attack on a lost stick cheap, so they are refused.
    pub const MINIMUM: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// Checks these parameters are at least [`KdfParams::MINIMUM`] and within what a PC can run.
    pub fn validate(self) -> VaultResult<KdfParams> {
        let min = KdfParams::MINIMUM;
        let weak = self.memory_kib < min.memory_kib
            || self.iterations < min.iterations
            || self.parallelism < min.parallelism;
        let huge = self.memory_kib > 1024 * 1024 || self.iterations > 64 || self.parallelism > 64;
        if weak || huge {
            return Err(VaultError::KdfParams);
        }
        Ok(self)
    }

    /// Derives a key-encryption key from a secret and a salt.
    pub fn derive(self, secret: &[u8], salt: &[u8]) -> VaultResult<Key> {
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|_| VaultError::KdfParams)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut out = zeroize::Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(secret, salt, out.as_mut_slice())
            .map_err(|_| VaultError::Crypto("argon2id"))?;
        Key::from_slice(out.as_slice()).ok_or(VaultError::Crypto("argon2id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_parameters_are_refused() {
        assert!(KdfParams::DEFAULT.validate().is_ok());
        assert!(KdfParams::RFC9106_SECOND.validate().is_ok());
        assert!(KdfParams::MINIMUM.validate().is_ok());
        let weak = KdfParams {
            memory_kib: 1024,
            ..KdfParams::MINIMUM
        };
        assert!(matches!(weak.validate(), Err(VaultError::KdfParams)));
        let one_pass = KdfParams {
            iterations: 1,
            ..KdfParams::DEFAULT
        };
        assert!(one_pass.validate().is_err());
    }

    #[test]
    fn derivation_depends_on_secret_and_salt() {
        let p = KdfParams::MINIMUM;
        let a = p.derive(b"password", b"0123456789abcdef").unwrap();
        assert_eq!(
            a.expose(),
            p.derive(b"password", b"0123456789abcdef").unwrap().expose()
        );
        assert_ne!(
            a.expose(),
            p.derive(b"passwore", b"0123456789abcdef").unwrap().expose()
        );
        assert_ne!(
            a.expose(),
            p.derive(b"password", b"0123456789abcdeg").unwrap().expose()
        );
    }
}
