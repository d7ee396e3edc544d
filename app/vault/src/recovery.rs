//! The recovery code: 125 random bits written as 25 Crockford base32 characters in five groups
//! (`7K2QM-9XDRT-…`), printed once at set-up and kept in the firm's safe.

use zeroize::Zeroizing;

use crate::crypto::fill_random;
use crate::error::{VaultError, VaultResult};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHARS: usize = 25;
const GROUP: usize = 5;

/// A fresh recovery code, formatted for printing.
pub fn generate() -> VaultResult<Zeroizing<String>> {
    let mut raw = Zeroizing::new([0u8; CHARS]);
    fill_random(raw.as_mut_slice())?;
    let mut out = Zeroizing::new(String::with_capacity(CHARS + CHARS / GROUP));
    for (i, b) in raw.iter().enumerate() {
        if i > 0 && i % GROUP == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(b & 31) as usize] as char);
    }
    Ok(out)
}

/// The canonical form of a typed recovery code: upper case, no separators, and the letters
/// people confuse with digits read as those digits (Crockford's rules). This is what the KDF
/// hardens, so `7k2qm 9xdrt…` and `7K2QM-9XDRT-…` open the same slot.
pub fn canonical(typed: &str) -> VaultResult<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(CHARS));
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{3000}' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return Err(VaultError::WrongRecoveryCode),
        };
        out.push(c);
    }
    if out.len() != CHARS {
        return Err(VaultError::WrongRecoveryCode);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_canonical_after_tidying() {
        let code = generate().unwrap();
        assert_eq!(code.len(), 29);
        assert_eq!(code.matches('-').count(), 4);
        let canon = canonical(&code).unwrap();
        assert_eq!(canon.as_str(), code.replace('-', ""));
        let typed = code.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(canonical(&typed).unwrap().as_str(), canon.as_str());
        assert_ne!(generate().unwrap().as_str(), code.as_str());
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert!(canonical("").is_err());
        assert!(canonical("ABCDE-ABCDE").is_err());
        assert!(canonical("ABCDE-ABCDE-ABCDE-ABCDE-ABCDU").is_err());
    }
}
