//! The firm's own details (PRODUCT.md F16): name, 法人番号, address, representative, phone,
//! printed at the head or foot of every form.
//!
//! Stored in `settings` under the key `company`, as JSON sealed with the meta subkey (the
//! associated data names that place). Anyone logged in may read it (it is the firm's, not a
//! person's, and every form prints it; not logged); changing it needs [`Permission::Settings`],
//! and the change is logged as `settings.company` with the names of the fields that are set,
//! never their text.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use kinko_domain::number::CorporateNumber;

use crate::access::Permission;
use crate::crypto::Aad;
use crate::error::{VaultError, VaultResult};
use crate::keys::Keys;
use crate::session::Session;

/// The longest name, address, representative or phone accepted, in characters.
pub const MAX_COMPANY_CHARS: usize = 100;

/// What forms print when no company name has been set.
pub const UNSET_COMPANY_NAME: &str = "（会社名未設定）";

/// The firm's details. The default (nothing set) has an empty name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Company {
    pub name: String,
    /// 法人番号 (public; checked digit), when the firm is a corporation.
    pub corporate_number: Option<CorporateNumber>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
}

impl Company {
    /// The details normalised as they are stored: text trimmed with runs of spaces made one,
    /// no control characters, at most [`MAX_COMPANY_CHARS`] characters; empty optional text
    /// becomes `None`; the phone keeps only digits, `-`, `(`, `)`, `+` and spaces (full-width
    /// ones are made half-width).
    ///
    /// # Errors
    ///
    /// [`VaultError::CompanyNameRequired`] for an empty name, [`VaultError::CompanyText`]
    /// naming the field that is too long or holds a control character, and
    /// [`VaultError::BadPhone`].
    pub fn normalized(&self) -> VaultResult<Company> {
        let name = text(&self.name, "会社名")?.ok_or(VaultError::CompanyNameRequired)?;
        let phone = match self.phone.as_deref().map(|p| text(p, "電話番号")) {
            Some(p) => p?.map(phone).transpose()?,
            None => None,
        };
        Ok(Company {
            name,
            corporate_number: self.corporate_number.clone(),
            address: optional(self.address.as_deref(), "住所")?,
            representative: optional(self.representative.as_deref(), "代表者")?,
            phone,
        })
    }

    /// The name as forms print it: [`UNSET_COMPANY_NAME`] when none has been set.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            UNSET_COMPANY_NAME
        } else {
            &self.name
        }
    }

    /// The firm as the forms take it.
    pub fn firm(&self) -> kinko_forms::Firm {
        kinko_forms::Firm {
            name: self.display_name().to_owned(),
            corporate_number: self
                .corporate_number
                .as_ref()
                .map(|n| n.expose_digits().to_owned()),
            address: self.address.clone(),
            representative: self.representative.clone(),
            phone: self.phone.clone(),
        }
    }

    /// The names of the fields that are set (for the log: never their text).
    fn fields(&self) -> Vec<&'static str> {
        [
            ("name", !self.name.is_empty()),
            ("corporate_number", self.corporate_number.is_some()),
            ("address", self.address.is_some()),
            ("representative", self.representative.is_some()),
            ("phone", self.phone.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect()
    }
}

/// What `settings.company` holds (sealed). The JSON shape is the on-disk format.
#[derive(Serialize, Deserialize)]
struct SealedCompany {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    corporate_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    representative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

const SETTINGS_KEY: &str = "company";

fn company_aad(keys: &Keys) -> Aad {
    keys.aad("settings.company", 0, "key=company")
}

impl Session {
    /// The firm's details; the default (empty name) when none have been set.
    pub fn company(&mut self) -> VaultResult<Company> {
        self.ready()?;
        let sealed: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SETTINGS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Ok(Company::default());
        };
        let keys = self.keys()?;
        let plain = keys.meta.open(&company_aad(keys), &sealed)?;
        let bad = || VaultError::Tampered {
            place: "settings.company",
        };
        let s: SealedCompany = serde_json::from_slice(&plain).map_err(|_| bad())?;
        Ok(Company {
            name: s.name,
            corporate_number: s
                .corporate_number
                .map(|d| CorporateNumber::parse(&d).map_err(|_| bad()))
                .transpose()?,
            address: s.address,
            representative: s.representative,
            phone: s.phone,
        })
    }

    /// Replaces the firm's details (needs the settings permission; see [`Company::normalized`]
    /// for what is accepted). One transaction holds the change and its `settings.company`
    /// entry; a refusal or failure is logged.
    pub fn set_company(&mut self, company: &Company) -> VaultResult<()> {
        let checked = company.normalized();
        self.admin_write(Permission::Settings, "settings.company", |s, tx| {
            let company = checked?;
            let keys = s.keys()?;
            let stored = SealedCompany {
                name: company.name.clone(),
                corporate_number: company
                    .corporate_number
                    .as_ref()
                    .map(|n| n.expose_digits().to_owned()),
                address: company.address.clone(),
                representative: company.representative.clone(),
                phone: company.phone.clone(),
            };
            let mut json = Zeroizing::new(Vec::with_capacity(512));
            serde_json::to_writer(&mut *json, &stored)
                .map_err(|_| VaultError::Crypto("serialize"))?;
            let sealed = keys.meta.seal(&company_aad(keys), &json)?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SETTINGS_KEY, sealed],
            )?;
            Ok((0, format!("fields={}", company.fields().join(","))))
        })?;
        Ok(())
    }
}

/// Trimmed, spaces collapsed; `None` when empty.
fn text(input: &str, field: &'static str) -> VaultResult<Option<String>> {
    let out = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > MAX_COMPANY_CHARS || out.chars().any(char::is_control) {
        return Err(VaultError::CompanyText {
            field,
            max: MAX_COMPANY_CHARS,
        });
    }
    Ok((!out.is_empty()).then_some(out))
}

fn optional(input: Option<&str>, field: &'static str) -> VaultResult<Option<String>> {
    Ok(input.map(|t| text(t, field)).transpose()?.flatten())
}

fn phone(input: String) -> VaultResult<String> {
    let out: String = input
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | 'ー' | '−' | '‐' => '-',
            '（' => '(',
            '）' => ')',
            '＋' => '+',
            c => c,
        })
        .collect();
    let ok = out.chars().any(|c| c.is_ascii_digit())
        && out
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '+' | ' '));
    if ok {
        Ok(out)
    } else {
        Err(VaultError::BadPhone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditQuery, Outcome};
    use crate::kdf::KdfParams;
    use crate::vault::Vault;

    const PW: &[u8] = b"a fine password";

    fn vault() -> (tempfile::TempDir, Session) {
        let tmp = tempfile::tempdir().unwrap();
        let created = Vault::create(tmp.path(), "admin", PW, KdfParams::MINIMUM).unwrap();
        let session = created.vault.login("admin", PW).unwrap();
        (tmp, session)
    }

    fn sample() -> Company {
        Company {
            name: "  株式会社　金庫   商事 ".into(),
            corporate_number: Some(crate::demo::sample_corporate_number(7)),
            address: Some("東京都千代田区1-1".into()),
            representative: Some("".into()),
            phone: Some("０３－１２３４－５６７８".into()),
        }
    }

    #[test]
    fn text_is_normalised_and_bad_text_named() {
        let c = sample().normalized().unwrap();
        assert_eq!(c.name, "株式会社 金庫 商事");
        assert_eq!(c.representative, None);
        assert_eq!(c.phone.as_deref(), Some("03-1234-5678"));
        let long = Company {
            address: Some("あ".repeat(MAX_COMPANY_CHARS + 1)),
            ..sample()
        };
        assert!(matches!(
            long.normalized(),
            Err(VaultError::CompanyText {
                field: "住所", ..
            })
        ));
        let control = Company {
            representative: Some("代表\u{7}".into()),
            ..sample()
        };
        assert!(matches!(
            control.normalized(),
            Err(VaultError::CompanyText {
                field: "代表者",
                ..
            })
        ));
        let blank = Company {
            name: "  ".into(),
            ..sample()
        };
        assert!(matches!(
            blank.normalized(),
            Err(VaultError::CompanyNameRequired)
        ));
        let phone = Company {
            phone: Some("call me".into()),
            ..sample()
        };
        assert!(matches!(phone.normalized(), Err(VaultError::BadPhone)));
    }

    #[test]
    fn unset_company_prints_a_placeholder() {
        let (_tmp, mut s) = vault();
        let c = s.company().unwrap();
        assert_eq!(c, Company::default());
        assert_eq!(c.firm().name, UNSET_COMPANY_NAME);
    }

    #[test]
    fn company_is_sealed_logged_without_text_and_read_back() {
        let (tmp, mut s) = vault();
        s.set_company(&sample()).unwrap();
        let back = s.company().unwrap();
        assert_eq!(back, sample().normalized().unwrap());
        assert_eq!(
            back.firm().corporate_number.as_deref(),
            Some(crate::demo::sample_corporate_number(7).expose_digits())
        );
        let entries = s
            .audit_list(&AuditQuery {
                action: Some("settings.company".into()),
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].outcome, Outcome::Ok);
        assert_eq!(
            entries[0].detail,
            "fields=name,corporate_number,address,phone"
        );
        drop(s);
        let raw = std::fs::read(tmp.path().join(crate::store::DB_FILE)).unwrap();
        let needle = "金庫".as_bytes();
        assert!(!raw.windows(needle.len()).any(|w| w == needle));
    }

    #[test]
    fn setting_the_company_needs_the_settings_permission() {
        let (tmp, mut s) = vault();
        s.add_user(
            crate::users::NewUser {
                login: "clerk".into(),
                role: crate::access::UserRole::Clerk,
                department: None,
                grants: vec![],
                scope: crate::access::Scope::everyone(),
                pcs: vec![],
                groups: vec![],
            },
            b"first password 1",
        )
        .unwrap();
        let mut c = Vault::open(tmp.path())
            .unwrap()
            .login("clerk", b"first password 1")
            .unwrap();
        c.change_password(b"first password 1", b"second password 2")
            .unwrap();
        assert!(matches!(c.set_company(&sample()), Err(VaultError::Denied)));
        assert_eq!(c.company().unwrap(), Company::default());
        let entries = s
            .audit_list(&AuditQuery {
                action: Some("settings.company".into()),
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].outcome, Outcome::Denied);
        assert_eq!(entries[0].detail, "settings");
    }
}
