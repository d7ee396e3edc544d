//! The collection forms (F9): 登録申請書, 確認通知書, チェックリスト, 受取確認書, 提出拒否確認書.
//! STUB: being written (helper A).

use crate::document::Pdf;
use crate::error::FormError;
use crate::model::{FormPerson, Household, Issue};

/// マイナンバー登録申請書: one form (one or more pages) per household, pre-filled with what the
/// vault knows, with 12 boxes per number for the person to fill in. `purposes` empty means
/// [`crate::model::DEFAULT_PURPOSES`].
pub fn application(
    issue: &Issue,
    households: &[Household],
    purposes: &[String],
) -> Result<Pdf, FormError> {
    let _ = (issue, households, purposes);
    Err(FormError::Pdf("not yet".into()))
}

/// マイナンバー確認通知書: what was registered and verified, and when (numbers masked).
pub fn notice(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    let _ = (issue, households);
    Err(FormError::Pdf("not yet".into()))
}

/// マイナンバーチェックリスト: people (each employee followed by their family) with their
/// collection status and number as given (masked, or in full when revealed).
pub fn checklist(
    issue: &Issue,
    people: &[FormPerson],
    numbers_revealed: bool,
) -> Result<Pdf, FormError> {
    let _ = (issue, people, numbers_revealed);
    Err(FormError::Pdf("not yet".into()))
}

/// マイナンバー受取確認書: the documents and numbers received, when, and by whom.
pub fn receipt(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    let _ = (issue, households);
    Err(FormError::Pdf("not yet".into()))
}

/// マイナンバー提出拒否確認書: the refusal with the history of requests (経過).
pub fn refusal(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    let _ = (issue, households);
    Err(FormError::Pdf("not yet".into()))
}
