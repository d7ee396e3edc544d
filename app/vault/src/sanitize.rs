//! Sanitizing a medium through the engine (F12): the wipe permission is checked, the start
//! and the outcome are logged, and the certificate is signed with the vault's certificate key
//! (derived from the vault master key, so every certificate of one vault carries the same
//! fingerprint and nobody without the vault can forge one).
//!
//! The start is committed to the log before anything is written to the medium, so a wipe that
//! is cut short still shows in the log; the outcome follows as a second entry. Neither holds
//! typed text: method, level, outcome and byte counts only.

use kinko_wipe::{
    Certificate, CertificateInfo, Method, Observer, Operator, Plan, Report, RunOptions, SigningKey,
    key_fingerprint,
};

use crate::access::Permission;
use crate::audit::{Event, Outcome};
use crate::error::{VaultError, VaultResult};
use crate::session::Session;

/// The HKDF label of the certificate-signing key. Changing it changes every fingerprint.
const LABEL_CERT_SIGNING: &str = "kinko/v1/certificate-signing";

/// What the operator adds to the certificate.
#[derive(Debug, Clone, Default)]
pub struct SanitizeDetails {
    /// The firm's asset tag for the medium.
    pub property_number: Option<String>,
    /// NIST "destination": 再利用, 廃棄, 返却 …
    pub destination: Option<String>,
    pub notes: Option<String>,
}

impl Session {
    pub(crate) fn signing_key(&self) -> VaultResult<SigningKey> {
        let keys = self.keys()?;
        let seed = keys.vmk.derive(&keys.vault_id, LABEL_CERT_SIGNING);
        Ok(SigningKey::from_bytes(seed.expose()))
    }

    /// The fingerprint (`SHA256:…`) of this vault's certificate key, to compare with a
    /// certificate's.
    pub fn certificate_key_fingerprint(&mut self) -> VaultResult<String> {
        self.ready()?;
        Ok(key_fingerprint(&self.signing_key()?.verifying_key()))
    }

    /// Runs `plan` (see `kinko_wipe::run`) and returns the signed certificate. Needs the wipe
    /// permission. The certificate is the caller's to keep off the wiped medium.
    pub fn sanitize(
        &mut self,
        plan: &Plan,
        options: &RunOptions,
        details: &SanitizeDetails,
        observer: &mut dyn Observer,
    ) -> VaultResult<Certificate> {
        self.ready()?;
        if !self.access().allows(Permission::Wipe) {
            self.log(Event {
                outcome: Outcome::Denied,
                ..Event::ok("wipe.run", None, Permission::Wipe.key())
            })?;
            return Err(VaultError::Denied);
        }
        let start = format!(
            "method={} level={:?} bytes={}",
            method_key(&plan.method),
            plan.level,
            plan.probe.capacity_bytes
        );
        self.log(Event::ok("wipe.start", None, start))?;
        let report = match kinko_wipe::run(plan, options, observer) {
            Ok(report) => report,
            Err(e) => {
                self.log(Event {
                    outcome: Outcome::Error,
                    ..Event::ok("wipe.run", None, "error=wipe")
                })?;
                return Err(VaultError::Wipe(e));
            }
        };
        self.log(Event::ok("wipe.run", None, outcome_detail(&report)))?;
        let info = CertificateInfo {
            operator: Operator {
                name: self.login().to_string(),
                title: None,
                organisation: Some(self.company()?.display_name().to_string()),
                location: self.pc_name().map(str::to_string),
                phone: None,
            },
            property_number: details.property_number.clone(),
            destination: details.destination.clone(),
            notes: details.notes.clone(),
            previous_certificate_sha256: None,
            tool_binary_sha256: kinko_wipe::current_binary_sha256(),
        };
        let mut cert = Certificate::from_report(&report, &info).map_err(VaultError::Wipe)?;
        cert.sign(&self.signing_key()?)
            .map_err(|_| VaultError::CertificateSigning)?;
        self.touch();
        Ok(cert)
    }
}

fn outcome_detail(report: &Report) -> String {
    format!(
        "outcome={:?} level={:?} written={} exceptions={}",
        report.outcome, report.level, report.bytes_written, report.exceptions.total
    )
    .to_lowercase()
}

fn method_key(method: &Method) -> &'static str {
    match method {
        Method::Overwrite => "overwrite",
        Method::NvmeSanitize { .. } => "nvme_sanitize",
        Method::NvmeFormat { .. } => "nvme_format",
        Method::AtaSanitize { .. } => "ata_sanitize",
    }
}
