//! The printed copies of the two signed records a vault issues, shared by every front: the
//! sanitize certificate (データ消去証明書, F12) and the destruction statement of "delete
//! everything" (全削除記録, F11). Both are built from the verified JSON, so what is printed is
//! what the signature covers.

use kinko_forms::{Firm, Issue, Pdf, SanitizeSheet};
use kinko_wipe::{Outcome, SanitizationLevel, VerifiedCertificate, VerifiedStatement};

use crate::error::VaultResult;

/// The NIST level in words.
pub fn level_ja(level: SanitizationLevel) -> &'static str {
    match level {
        SanitizationLevel::Purge => "Purge（除去）",
        SanitizationLevel::Clear => "Clear（消去）",
        SanitizationLevel::None => "なし（消去を主張できません）",
    }
}

/// An erasure outcome in words.
pub fn outcome_ja(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Erased => "消去済み（全領域を検証）",
        Outcome::ErasedWithExceptions => "消去済み（一部に例外あり）",
        Outcome::NotErased => "消去できませんでした",
        Outcome::Cancelled => "中止されました",
    }
}

/// A size in GB with the exact byte count.
pub fn bytes_ja(n: u64) -> String {
    format!("{:.2} GB（{n} バイト）", n as f64 / 1e9)
}

/// The printed copy of a verified sanitize certificate.
pub fn sanitize_sheet(v: &VerifiedCertificate) -> SanitizeSheet {
    let b = &v.body;
    let text = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    let row = |l: &str, v: String| (l.to_string(), v);
    let run = &b.run;
    let mbps = run.bytes_written as f64 / 1e6 / (run.duration_ms.max(1) as f64 / 1000.0);
    SanitizeSheet {
        certificate_id: b.certificate_id.clone(),
        outcome: outcome_ja(b.outcome).into(),
        level: level_ja(b.sanitization.method_type).into(),
        rows: vec![
            row(
                "媒体",
                format!(
                    "{} {}（シリアル {}）",
                    text(&b.media.manufacturer),
                    text(&b.media.model),
                    text(&b.media.serial)
                ),
            ),
            row(
                "容量",
                format!(
                    "{}、論理 {} / 物理 {} バイト",
                    bytes_ja(b.media.capacity_bytes),
                    b.media.logical_sector_size,
                    b.media.physical_sector_size
                ),
            ),
            row(
                "方式",
                format!("{}（{}）", b.sanitization.method, b.sanitization.pattern),
            ),
            row(
                "ツール",
                format!("{} {}", b.sanitization.tool, b.sanitization.tool_version),
            ),
            row(
                "検証",
                format!(
                    "{}: {} バイトを読み返し、不一致 {} バイト",
                    b.verification.method,
                    b.verification.bytes_verified,
                    b.verification.mismatched_bytes
                ),
            ),
            row(
                "書込み量・時間",
                format!(
                    "{} バイト、{} 秒（平均 {mbps:.1} MB/s）",
                    run.bytes_written,
                    run.duration_ms / 1000
                ),
            ),
            row(
                "実施日時",
                format!("{} 〜 {}", japan(run.started_at), japan(run.finished_at)),
            ),
            row("乱数種のSHA-256", b.sanitization.seed_sha256.clone()),
        ]
        .into_iter()
        .chain(b.media.property_number.clone().map(|v| row("管理番号", v)))
        .chain(b.destination.clone().map(|v| row("消去後の扱い", v)))
        .collect(),
        limitations: b.limitations.clone(),
        exceptions: run.exceptions.iter().map(exception_ja).collect(),
        fingerprint: v.key_fingerprint.clone(),
        operator: b.operator.name.clone(),
    }
}

fn exception_ja(e: &kinko_wipe::Exception) -> String {
    use kinko_wipe::ExceptionKind as K;
    let kind = match e.kind {
        K::WriteError => "書込みエラー",
        K::ReadError => "読取りエラー",
        K::Mismatch => "読み返し不一致",
        K::SyncError => "書き出しエラー",
    };
    format!(
        "オフセット {} から {} バイト: {kind}（{}、{}）",
        e.offset, e.length, e.phase, e.detail
    )
}

fn japan(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::print::japan_datetime(t)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The sanitize certificate, printed (データ消去証明書).
pub fn sanitize_certificate_pdf(v: &VerifiedCertificate) -> VaultResult<Pdf> {
    let issue = issue(
        v.body.operator.organisation.clone().unwrap_or_default(),
        None,
        v.body.issued_at,
        &v.body.operator.name,
    );
    Ok(kinko_forms::records::sanitize_certificate(
        &issue,
        &sanitize_sheet(v),
    )?)
}

/// The destruction statement of "delete everything", printed (全削除記録).
pub fn destruction_record_pdf(v: &VerifiedStatement) -> VaultResult<Pdf> {
    let b = &v.body;
    let issue = issue(
        b.organisation.clone(),
        b.corporate_number.clone(),
        b.issued_at,
        &b.operator,
    );
    Ok(kinko_forms::records::destruction_record(
        &issue,
        &destruction_sheet(v),
    )?)
}

/// The printed copy of a verified destruction statement: counts, method, files, never a name.
pub fn destruction_sheet(v: &VerifiedStatement) -> SanitizeSheet {
    let b = &v.body;
    let h = &b.held;
    let row = |l: &str, v: String| (l.to_string(), v);
    let mut rows = vec![
        row("理由", b.reason.clone()),
        row(
            "保有していた件数",
            format!(
                "社員 {}、家族 {}、支払先 {}、個人番号 {}、添付記録 {}、利用者 {}、操作ログ {}",
                h.employees,
                h.family_members,
                h.payees,
                h.numbers,
                h.records,
                h.users,
                h.audit_entries
            ),
        ),
        row("最終の封印コード", b.final_audit_seal.clone()),
        row("PC", b.pc.clone().unwrap_or_else(|| "未登録のPC".into())),
        row("実施日時", japan(b.issued_at)),
        row("金庫ID", b.vault_id.clone()),
    ];
    for (i, m) in b.method.iter().enumerate() {
        rows.push(row(&format!("方法 {}", i + 1), m.clone()));
    }
    for f in &b.files {
        rows.push(row(
            &format!("ファイル {}", f.name),
            format!(
                "{} バイト、書込み {}、読み戻し照合 {}、{}{}",
                f.bytes,
                f.bytes_written,
                f.bytes_verified,
                outcome_ja(f.outcome),
                if f.removed {
                    "、削除済み"
                } else {
                    "、削除できず"
                }
            ),
        ));
    }
    SanitizeSheet {
        certificate_id: b.statement_id.clone(),
        outcome: outcome_ja(b.outcome).into(),
        level: "鍵階層の破棄（暗号化消去）と全ファイルの2回上書き・全量読み戻し".into(),
        rows,
        limitations: b.limitations.clone(),
        exceptions: b
            .files
            .iter()
            .filter(|f| f.outcome != Outcome::Erased || !f.removed)
            .map(|f| format!("{}: {}", f.name, outcome_ja(f.outcome)))
            .collect(),
        fingerprint: v.key_fingerprint.clone(),
        operator: b.operator.clone(),
    }
}

fn issue(
    organisation: String,
    corporate_number: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
    operator: &str,
) -> Issue {
    Issue {
        firm: Firm {
            name: organisation,
            corporate_number,
            ..Firm::default()
        },
        created: crate::print::japan_datetime(at),
        issued_by: operator.to_owned(),
    }
}
