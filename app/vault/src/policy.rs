//! The password policy (F4): at least ten characters, not the user name, not a common password.

use crate::error::{VaultError, VaultResult};

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Common passwords of ten characters or more (shorter ones fail the length rule anyway).
const COMMON: &[&str] = &[
    "0123456789",
    "1234567890",
    "0987654321",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "qwertyuiop",
    "asdfghjkl;",
    "zxcvbnm,./",
    "password12",
    "password123",
    "password1234",
    "passw0rd12",
    "p@ssw0rd123",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "abcdefghij",
    "abcd123456",
    "abc1234567",
    "iloveyou12",
    "changeme123",
    "welcome123",
    "administrator",
    "admin12345",
    "letmein123",
    "mynumber123",
    "mynumber1234",
    "kinko12345",
    "kinko123456",
    "zaq12wsxcde",
    "1234qwerty",
    "11223344556",
    "a1b2c3d4e5",
    "trustno1234",
    "sunshine123",
    "princess123",
    "football123",
    "baseball123",
    "dragon1234",
    "monkey12345",
    "japan12345",
    "tokyo12345",
];

/// Why a password is refused, in words the user can act on.
pub fn check_password(login: &str, password: &str) -> VaultResult<()> {
    let refuse = |why: &'static str| Err(VaultError::WeakPassword(why));
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return refuse("10文字以上にしてください");
    }
    let lower = password.to_lowercase();
    let login = login.to_lowercase();
    if lower == login || (login.chars().count() >= 4 && lower.contains(&login)) {
        return refuse("ユーザー名を含めないでください");
    }
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) {
        return refuse("同じ文字の繰り返しは使えません");
    }
    if COMMON.contains(&lower.as_str()) {
        return refuse("よく使われるパスワードは使えません");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_what_is_wrong() {
        assert!(check_password("tanaka", "correct horse battery").is_ok());
        assert!(check_password("tanaka", "ながいパスワードです１２").is_ok());
        let why = |l: &str, p: &str| check_password(l, p).unwrap_err().to_string();
        assert!(why("tanaka", "short").contains("10文字以上"));
        assert!(why("tanaka", "TANAKA-2026-x").contains("ユーザー名"));
        assert!(why("a", "QWERTYUIOP").contains("よく使われる"));
        assert!(why("a", "zzzzzzzzzzzz").contains("同じ文字"));
    }
}
