//! The log's action names, results and details in words people read (the kiosk's list, the
//! printed extract). The log itself stores short keys (`user.add`, `wrong_password`, …); an
//! unknown key is shown as it is.

use kinko_domain::lang::Lang;

use crate::{Outcome, Permission};

/// Every action the engine logs: key, Japanese, English.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("login", "ログイン", "Log-in"),
    ("logout", "ログアウト", "Log-out"),
    ("lock", "画面のロック", "Screen locked"),
    ("auto_lock", "自動ロック", "Auto-lock"),
    ("unlock", "ロック解除", "Unlocked"),
    (
        "lockout",
        "アカウントのロック（誤入力）",
        "Account locked out",
    ),
    ("password_change", "パスワード変更", "Password changed"),
    (
        "recovery.password_reset",
        "回復コードでのパスワード再設定",
        "Password reset with recovery code",
    ),
    ("vault.create", "金庫の作成", "Vault created"),
    ("person.list", "従業員等の一覧・検索", "People listed"),
    ("person.find", "従業員等の検索", "Person looked up"),
    ("person.view", "個人情報の閲覧", "Person viewed"),
    ("person.summary", "回収状況の集計", "Collection summary"),
    ("person.add", "従業員等の登録", "Person registered"),
    ("person.update", "従業員等の変更", "Person updated"),
    ("person.delete", "従業員等の削除", "Person deleted"),
    ("person.family", "家族の登録", "Family member added"),
    ("number.reveal", "個人番号の表示", "Number revealed"),
    ("number.set", "個人番号の登録・変更", "Number set"),
    ("number.delete", "個人番号の削除", "Number deleted"),
    ("record.add", "確認記録の追加", "Record added"),
    ("record.list", "確認記録の閲覧", "Records viewed"),
    ("collection.set", "回収状況の変更", "Collection status set"),
    (
        "payee.last_payment",
        "最終支払日の記録",
        "Last payment recorded",
    ),
    ("import.preview", "取込の確認", "Import previewed"),
    ("import.commit", "取込", "Import committed"),
    ("mapping.save", "取込設定の保存", "Import mapping saved"),
    ("export", "書出し", "Export"),
    (
        "takeout.list",
        "持出し記録の閲覧",
        "Take-out register viewed",
    ),
    ("form.preview", "帳票のプレビュー", "Form previewed"),
    ("form.print", "帳票の印刷", "Form printed"),
    ("form.save", "帳票の保存", "Form saved"),
    ("settings.company", "会社情報の設定", "Company settings"),
    ("settings.policy", "ポリシーの設定", "Policy settings"),
    ("settings.retention", "保存期間の設定", "Retention settings"),
    ("user.list", "利用者の一覧", "Users listed"),
    ("user.add", "利用者の追加", "User added"),
    ("user.update", "利用者の変更", "User changed"),
    ("user.disable", "利用者の無効化", "User disabled"),
    ("user.enable", "利用者の有効化", "User enabled"),
    ("user.remove", "利用者の削除", "User removed"),
    ("user.unlock", "アカウントのロック解除", "Account unlocked"),
    (
        "user.password_reset",
        "パスワードの再設定",
        "Password reset",
    ),
    ("group.add", "グループの追加", "Group added"),
    ("pc.list", "PCの一覧", "PCs listed"),
    ("pc.add", "PCの登録", "PC registered"),
    ("department.add", "部署の追加", "Department added"),
    ("audit.list", "操作ログの閲覧", "Audit log viewed"),
    ("audit.names", "操作ログの名前の参照", "Audit names read"),
    ("audit.verify", "操作ログの検査", "Audit log verified"),
    ("audit.seal", "封印コードの発行", "Audit seal issued"),
    (
        "audit.sessions",
        "セッション一覧の閲覧",
        "Sessions report viewed",
    ),
    (
        "audit.integrity",
        "操作ログの欠落・改ざんを検出",
        "Audit log damage detected",
    ),
    ("retention.due", "削除予定の一覧", "Deletions due listed"),
    (
        "retention.delete_batch",
        "保存期間経過による一括削除",
        "Year-end deletion",
    ),
    (
        "deletion.list",
        "削除記録の閲覧",
        "Deletion register viewed",
    ),
    ("deletion.preview", "削除の確認", "Deletion previewed"),
    ("medium.allow", "USBメモリの使用許可", "USB medium allowed"),
    ("medium.eject", "USBメモリの取り外し", "USB medium ejected"),
    ("wipe.start", "媒体消去の開始", "Sanitize started"),
    ("wipe.run", "媒体の消去", "Medium sanitized"),
    ("vault.destroy", "全削除", "Everything deleted"),
];

pub fn action(lang: Lang, key: &str) -> String {
    match ACTIONS.iter().find(|(k, _, _)| *k == key) {
        Some((_, ja, en)) => pick(lang, ja, en).to_owned(),
        None => key.to_owned(),
    }
}

/// The choices of the action filter: the engine's filter key (an action, or the part before
/// the dot for a whole family), and the label.
pub const ACTION_FILTERS: &[(&str, &str, &str)] = &[
    ("login", "ログイン", "Log-in"),
    ("logout", "ログアウト", "Log-out"),
    ("lockout", "アカウントのロック", "Lock-out"),
    ("person", "従業員等の閲覧・登録・変更", "People"),
    ("number", "個人番号の表示・登録・削除", "Numbers"),
    ("number.reveal", "個人番号の表示", "Number reveals"),
    ("import", "取込", "Import"),
    ("export", "書出し", "Export"),
    ("form", "帳票", "Forms"),
    ("user", "利用者の管理", "User administration"),
    ("pc", "PCの管理", "PC administration"),
    ("settings", "設定", "Settings"),
    ("retention", "保存期間と削除", "Retention"),
    ("audit", "操作ログ", "Audit log"),
    ("medium", "USBメモリの使用", "USB media"),
    ("wipe", "媒体の消去", "Sanitize"),
    ("vault.destroy", "全削除", "Everything deleted"),
];

/// A filter key in words: a family from [`ACTION_FILTERS`], else the action it names.
pub fn family(lang: Lang, key: &str) -> String {
    match ACTION_FILTERS.iter().find(|(k, _, _)| *k == key) {
        Some((_, ja, en)) => pick(lang, ja, en).to_owned(),
        None => action(lang, key),
    }
}

pub fn outcome(lang: Lang, o: Outcome) -> &'static str {
    match o {
        Outcome::Ok => pick(lang, "成功", "ok"),
        Outcome::Denied => pick(lang, "拒否", "denied"),
        Outcome::Error => pick(lang, "エラー", "error"),
    }
}

/// The details the engine writes, in words; a permission key names the missing permission.
pub fn detail(lang: Lang, detail: &str) -> String {
    let words = match detail {
        "unregistered_pc" => Some(("未登録のPC", "unregistered PC")),
        "wrong_password" => Some(("パスワードの誤り", "wrong password")),
        "unknown_user" => Some(("存在しないユーザー名", "unknown user")),
        "locked" => Some(("ロック中", "locked")),
        "disabled" => Some(("無効なアカウント", "disabled account")),
        "pc_not_allowed" => Some(("許可されていないPC", "PC not allowed")),
        "out_of_scope" => Some(("担当範囲外", "out of scope")),
        "weak_password" => Some(("パスワードの規則違反", "weak password")),
        "denied" => Some(("権限なし", "no permission")),
        "identity=weak" => Some(("識別情報が弱いPC", "weak PC identity")),
        _ => None,
    };
    if let Some((ja, en)) = words {
        return pick(lang, ja, en).to_owned();
    }
    if let Some(p) = Permission::parse(detail).filter(|p| p.key() == detail) {
        return match lang {
            Lang::Ja => format!("権限なし（{}）", p.ja()),
            Lang::En => format!("no permission ({})", p.en()),
        };
    }
    detail.to_owned()
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
    fn actions_and_details_read_as_words() {
        assert_eq!(action(Lang::Ja, "user.add"), "利用者の追加");
        assert_eq!(action(Lang::En, "pc.add"), "PC registered");
        assert_eq!(action(Lang::Ja, "wipe.run"), "媒体の消去");
        assert_eq!(action(Lang::Ja, "vault.destroy"), "全削除");
        assert_eq!(action(Lang::Ja, "something.new"), "something.new");
        assert_eq!(detail(Lang::Ja, "manage_users"), "権限なし（ユーザー管理）");
        assert_eq!(detail(Lang::Ja, "role=clerk"), "role=clerk");
        assert_eq!(outcome(Lang::Ja, Outcome::Denied), "拒否");
        assert_eq!(family(Lang::Ja, "form"), "帳票");
        assert_eq!(family(Lang::Ja, "form.save"), "帳票の保存");
    }

    #[test]
    fn every_filter_names_a_logged_action_or_family() {
        for (key, _, _) in ACTION_FILTERS {
            assert!(
                ACTIONS
                    .iter()
                    .any(|(a, _, _)| a == key || a.starts_with(&format!("{key}."))),
                "{key}"
            );
        }
    }
}
