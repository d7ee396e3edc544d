//! The collection forms (F9): 登録申請書, 確認通知書, チェックリスト, 受取確認書, 提出拒否確認書.
//!
//! Each form has its own submodule; [`common`] holds what they share (headings, page breaks,
//! masking, the firm block, seal boxes). Only the checklist may carry a number in full, and
//! only when it is handed one; the other forms mask every number they are given (the
//! application never prints one at all).

mod application;
mod checklist;
mod common;
mod notice;
mod receipt;
mod refusal;
mod words;

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
    application::render(issue, households, purposes)
}

/// マイナンバー確認通知書: what was registered and verified, and when (numbers masked).
pub fn notice(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    notice::render(issue, households)
}

/// マイナンバーチェックリスト: people (each employee followed by their family) with their
/// collection status and number as given (masked, or in full when revealed).
pub fn checklist(
    issue: &Issue,
    people: &[FormPerson],
    numbers_revealed: bool,
) -> Result<Pdf, FormError> {
    checklist::render(issue, people, numbers_revealed)
}

/// マイナンバー受取確認書: the documents and numbers received, when, and by whom.
pub fn receipt(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    receipt::render(issue, households)
}

/// マイナンバー提出拒否確認書: the refusal with the history of requests (経過).
pub fn refusal(issue: &Issue, households: &[Household]) -> Result<Pdf, FormError> {
    refusal::render(issue, households)
}
