//! Ed25519 signing and verification of certificates.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use serde::Serialize;

use super::{CERTIFICATE_FORMAT, Certificate, CertificateBody, SignatureBlock};
use crate::error::CertError;
use crate::keystream::hex;

const ALGORITHM: &str = "Ed25519";

/// A certificate whose signature checked out, with who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCertificate {
    pub body: CertificateBody,
    pub public_key: VerifyingKey,
    /// Compare with the vault's key fingerprint to know the certificate is ours.
    pub key_fingerprint: String,
}

impl Certificate {
    /// Signs the body and embeds the public key; replaces any earlier signature.
    pub fn sign(&mut self, key: &SigningKey) -> Result<(), CertError> {
        self.signature = Some(sign_body(CERTIFICATE_FORMAT, &self.body, key)?);
        Ok(())
    }

    /// Checks the signature against the embedded public key.
    pub fn verify(&self) -> Result<VerifiedCertificate, CertError> {
        let block = self.signature.as_ref().ok_or(CertError::Unsigned)?;
        let public_key = verify_body(CERTIFICATE_FORMAT, &self.body, block)?;
        Ok(VerifiedCertificate {
            body: self.body.clone(),
            key_fingerprint: key_fingerprint(&public_key),
            public_key,
        })
    }

    /// SHA-256 of the certificate's JSON (as [`Certificate::to_json`] writes it), for chaining
    /// the next certificate to this one.
    pub fn sha256_hex(&self) -> Result<String, CertError> {
        Ok(hex(&Sha256::digest(self.to_json()?.as_bytes())))
    }
}

/// "SHA256:" and the hex SHA-256 of the raw 32-byte public key.
pub fn key_fingerprint(key: &VerifyingKey) -> String {
    format!("SHA256:{}", hex(&Sha256::digest(key.as_bytes())))
}

/// SHA-256 of the running program, for the certificate's "tool" record.
pub fn current_binary_sha256() -> Option<String> {
    let path = std::env::current_exe().ok()?;
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match std::io::Read::read(&mut file, &mut buf).ok()? {
            0 => return Some(hex(&hasher.finalize())),
            n => hasher.update(&buf[..n]),
        }
    }
}

/// Signs `body` of a document in `format` (certificate, destruction statement); the public key
/// travels in the block.
pub(crate) fn sign_body<T: Serialize>(
    format: &str,
    body: &T,
    key: &SigningKey,
) -> Result<SignatureBlock, CertError> {
    let signature = key.sign(&signed_message(format, body)?);
    Ok(SignatureBlock {
        algorithm: ALGORITHM.to_owned(),
        public_key: hex(key.verifying_key().as_bytes()),
        signature: hex(&signature.to_bytes()),
    })
}

/// Checks `block` over `body` and returns the key that signed it.
pub(crate) fn verify_body<T: Serialize>(
    format: &str,
    body: &T,
    block: &SignatureBlock,
) -> Result<VerifyingKey, CertError> {
    if block.algorithm != ALGORITHM {
        return Err(CertError::Algorithm(block.algorithm.clone()));
    }
    let key_bytes: [u8; 32] = unhex(&block.public_key).ok_or(CertError::Encoding("public key"))?;
    let sig_bytes: [u8; 64] = unhex(&block.signature).ok_or(CertError::Encoding("signature"))?;
    let public_key = VerifyingKey::from_bytes(&key_bytes).map_err(|_| CertError::PublicKey)?;
    public_key
        .verify_strict(
            &signed_message(format, body)?,
            &Signature::from_bytes(&sig_bytes),
        )
        .map_err(|_| CertError::Signature)?;
    Ok(public_key)
}

/// Domain-separated: the format name, a NUL, then the body's compact JSON (serde writes
/// struct fields in declaration order, so the bytes are reproducible from the parsed body).
fn signed_message<T: Serialize>(format: &str, body: &T) -> Result<Vec<u8>, CertError> {
    let mut message = Vec::with_capacity(4096);
    message.extend_from_slice(format.as_bytes());
    message.push(0);
    serde_json::to_writer(&mut message, body)?;
    Ok(message)
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let digits = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(out)
}
