//! Session endings and lengths in words. The log's actions, results and details are worded
//! by the engine (`kinko_vault::audit_words`), which the printed extract shares.

use kinko_domain::lang::Lang;

pub(super) use kinko_vault::audit_words::{ACTION_FILTERS, action, detail, outcome};

/// How a session ended.
pub(super) fn ending(lang: Lang, reason: Option<&str>, current: bool) -> String {
    let (ja, en) = match reason {
        None if current => ("利用中", "in use"),
        None => ("（終了の記録なし）", "(no end recorded)"),
        Some("logout") => ("ログアウト", "log-out"),
        Some("closed") => ("終了", "closed"),
        Some("logout_while_locked") => ("ログアウト（ロック中）", "log-out while locked"),
        Some("closed_while_locked") => ("終了（ロック中）", "closed while locked"),
        Some(other) => return other.to_owned(),
    };
    pick(lang, ja, en).to_owned()
}

/// A duration in hours, minutes and seconds.
pub(super) fn length(lang: Lang, seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (lang, h) {
        (Lang::Ja, 0) => format!("{m}分{s}秒"),
        (Lang::Ja, _) => format!("{h}時間{m}分{s}秒"),
        (Lang::En, 0) => format!("{m} min {s} s"),
        (Lang::En, _) => format!("{h} h {m} min {s} s"),
    }
}

fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_endings_read_as_words() {
        assert_eq!(length(Lang::Ja, 3723), "1時間2分3秒");
        assert_eq!(length(Lang::Ja, 65), "1分5秒");
        assert_eq!(ending(Lang::Ja, Some("logout"), false), "ログアウト");
        assert_eq!(ending(Lang::En, None, true), "in use");
    }
}
