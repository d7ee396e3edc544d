//! The sanitization certificate: NIST SP 800-88 Rev.1 Appendix G fields plus our run details,
//! as JSON signed with Ed25519.

mod signing;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use signing::{VerifiedCertificate, current_binary_sha256, key_fingerprint};
pub(crate) use signing::{sign_body, verify_body};

use crate::exceptions::{Exception, phase_name};
use crate::keystream::hex;
use crate::plan::{Method, SanitizationLevel};
use crate::probe::MediaType;
use crate::report::{DeviceCommandRecord, Outcome, Report, VerificationMethod, VerificationResult};

/// Identifies the JSON layout (and is part of what is signed).
pub const CERTIFICATE_FORMAT: &str = "kinko-sanitization-certificate/1";

/// Who performed the sanitization (NIST: name, title, organisation, location, phone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub name: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub location: Option<String>,
    pub phone: Option<String>,
}

/// What the caller adds to a report to make a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateInfo {
    pub operator: Operator,
    /// The organisation's asset tag for the medium.
    pub property_number: Option<String>,
    /// NIST "destination": reuse, recycling, destruction, …
    pub destination: Option<String>,
    pub notes: Option<String>,
    /// SHA-256 of the previous certificate's JSON, chaining certificates.
    pub previous_certificate_sha256: Option<String>,
    /// SHA-256 of the program that ran the sanitization ([`current_binary_sha256`]).
    pub tool_binary_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaRecord {
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    pub property_number: Option<String>,
    pub media_type: MediaType,
    pub capacity_bytes: u64,
    pub capacity_sectors: u64,
    pub logical_sector_size: u32,
    pub physical_sector_size: u32,
    pub bus: String,
    /// "VID:PID manufacturer product" of the USB device in front of the medium.
    pub usb_bridge: Option<String>,
    pub hidden_areas: String,
    /// Raw capability words (ATA IDENTIFY, NVMe OACS/SANICAP/FNA).
    pub device_capabilities: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanitizationRecord {
    /// Clear / Purge as reached; None when nothing can be claimed.
    pub method_type: SanitizationLevel,
    pub method: String,
    pub method_details: String,
    pub tool: String,
    pub tool_version: String,
    pub tool_binary_sha256: Option<String>,
    pub pattern: String,
    /// SHA-256 of the keystream seed (never the seed).
    pub seed_sha256: String,
    /// The device command sent and its status (absent for a host overwrite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_command: Option<DeviceCommandRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationRecord {
    /// NIST wording: "Full", "Quick Sampling" or "Other".
    pub method: String,
    pub result: VerificationResult,
    pub bytes_verified: u64,
    pub mismatched_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThroughputRecord {
    pub phase: String,
    pub bytes: u64,
    pub duration_ms: u64,
    pub avg_bytes_per_second: u64,
    pub min_bytes_per_second: Option<u64>,
    pub max_bytes_per_second: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub direct_io: bool,
    pub throughput: Vec<ThroughputRecord>,
    /// The first listed exceptions, in medium order; `exceptions_total` counts all.
    pub exceptions: Vec<Exception>,
    pub exceptions_total: u64,
}

/// Everything the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    pub format: String,
    pub certificate_id: String,
    pub previous_certificate_sha256: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub operator: Operator,
    pub media: MediaRecord,
    pub sanitization: SanitizationRecord,
    pub verification: VerificationRecord,
    pub run: RunRecord,
    pub outcome: Outcome,
    pub limitations: Vec<String>,
    pub destination: Option<String>,
    pub notes: Option<String>,
}

/// The signature block: the public key travels with the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureBlock {
    pub algorithm: String,
    pub public_key: String,
    pub signature: String,
}

/// A certificate, signed or not yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub body: CertificateBody,
    pub signature: Option<SignatureBlock>,
}

impl Certificate {
    /// An unsigned certificate for a report. `certificate_id` is random.
    pub fn from_report(report: &Report, info: &CertificateInfo) -> Result<Self, crate::WipeError> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| crate::WipeError::Random(e.to_string()))?;
        let body = CertificateBody {
            format: CERTIFICATE_FORMAT.to_owned(),
            certificate_id: hex(&id),
            previous_certificate_sha256: info.previous_certificate_sha256.clone(),
            issued_at: Utc::now(),
            operator: info.operator.clone(),
            media: media_record(report, info),
            sanitization: sanitization_record(report, info),
            verification: VerificationRecord {
                method: match report.verification.method {
                    VerificationMethod::FullReadBack => "Full".to_owned(),
                    VerificationMethod::MarkersAndSample => format!(
                        "Quick Sampling: {} marker blocks written before the command must all be \
                         gone; {} evenly spaced 64 KiB samples read",
                        report
                            .device_command
                            .as_ref()
                            .map_or(0, |c| c.markers_placed),
                        crate::device::SAMPLE_COUNT
                    ),
                },
                result: report.verification.result,
                bytes_verified: report.verification.bytes_verified,
                mismatched_bytes: report.verification.mismatched_bytes,
            },
            run: run_record(report),
            outcome: report.outcome,
            limitations: report.limitations.clone(),
            destination: info.destination.clone(),
            notes: info.notes.clone(),
        };
        Ok(Self {
            body,
            signature: None,
        })
    }

    pub fn to_json(&self) -> Result<String, crate::CertError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    pub fn from_json(text: &str) -> Result<Self, crate::CertError> {
        Ok(serde_json::from_str(text)?)
    }
}

fn media_record(report: &Report, info: &CertificateInfo) -> MediaRecord {
    let probe = &report.media;
    let capabilities = match (&probe.ata, &probe.nvme) {
        (Some(ata), _) => Some(format!("ATA IDENTIFY {}", ata.raw_capability_words)),
        (None, Some(n)) => Some(format!(
            "NVMe OACS={:#06x} SANICAP={:#010x} FNA={:#04x}",
            n.oacs, n.sanicap, n.fna
        )),
        (None, None) => None,
    };
    let usb_bridge = probe.usb.as_ref().map(|u| {
        let names = [u.manufacturer.as_deref(), u.product.as_deref()]
            .into_iter()
            .flatten();
        std::iter::once(format!("{}:{}", u.vendor_id, u.product_id))
            .chain(names.map(str::to_owned))
            .collect::<Vec<_>>()
            .join(" ")
    });
    MediaRecord {
        manufacturer: probe
            .vendor
            .clone()
            .or_else(|| probe.usb.as_ref().and_then(|u| u.manufacturer.clone())),
        model: probe.model.clone(),
        serial: probe
            .serial
            .clone()
            .or_else(|| probe.usb.as_ref().and_then(|u| u.serial.clone())),
        firmware: probe.firmware.clone(),
        property_number: info.property_number.clone(),
        media_type: probe.media_type,
        capacity_bytes: report.capacity_bytes,
        capacity_sectors: report.capacity_bytes / u64::from(probe.logical_sector_size.max(1)),
        logical_sector_size: probe.logical_sector_size,
        physical_sector_size: probe.physical_sector_size,
        bus: format!("{:?}", probe.bus),
        usb_bridge,
        hidden_areas: probe.hidden_areas.summary(),
        device_capabilities: capabilities,
    }
}

fn sanitization_record(report: &Report, info: &CertificateInfo) -> SanitizationRecord {
    let details = match report.method {
        Method::Overwrite => {
            "2 passes: keystream, then its bitwise complement; full read-back of the complement"
                .to_owned()
        }
        other => match &report.device_command {
            Some(c) => format!("{} [{}]: {}", c.command, c.encoding, c.status),
            None => format!("{other:?}"),
        },
    };
    SanitizationRecord {
        method_type: report.level,
        method: report.method.nist_name().to_owned(),
        method_details: details,
        tool: env!("CARGO_PKG_NAME").to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        tool_binary_sha256: info.tool_binary_sha256.clone(),
        pattern: report.keystream_algorithm.clone(),
        seed_sha256: report.seed_sha256.clone(),
        device_command: report.device_command.clone(),
    }
}

fn run_record(report: &Report) -> RunRecord {
    let throughput = report
        .passes
        .iter()
        .map(|p| ThroughputRecord {
            phase: phase_name(p.phase).to_owned(),
            bytes: p.bytes,
            duration_ms: p.duration_ms,
            avg_bytes_per_second: p.avg_bytes_per_second,
            min_bytes_per_second: p.min_bytes_per_second,
            max_bytes_per_second: p.max_bytes_per_second,
        })
        .collect();
    let duration = report.finished_at - report.started_at;
    RunRecord {
        started_at: report.started_at,
        finished_at: report.finished_at,
        duration_ms: u64::try_from(duration.num_milliseconds()).unwrap_or(0),
        bytes_written: report.bytes_written,
        bytes_verified: report.verification.bytes_verified,
        direct_io: report.direct_io,
        throughput,
        exceptions: report.exceptions.listed.clone(),
        exceptions_total: report.exceptions.total,
    }
}
