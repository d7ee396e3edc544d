//! The forms by name: the names the CLI (`kinko print FORM`) and the log use.

macro_rules! form_kinds {
    ($($variant:ident = ($key:literal, $ja:literal, $en:literal)),+ $(,)?) => {
        /// A form or record Kinko prints.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FormKind { $($variant),+ }

        impl FormKind {
            pub const ALL: &'static [FormKind] = &[$(FormKind::$variant),+];

            /// The stable name (CLI, log).
            pub fn key(self) -> &'static str {
                match self { $(FormKind::$variant => $key),+ }
            }

            /// The title printed on the form.
            pub fn ja(self) -> &'static str {
                match self { $(FormKind::$variant => $ja),+ }
            }

            pub fn en(self) -> &'static str {
                match self { $(FormKind::$variant => $en),+ }
            }

            /// Accepts the stable name or the Japanese title.
            pub fn parse(s: &str) -> Option<FormKind> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|k| k.key() == s || k.ja() == s)
            }
        }
    };
}

form_kinds! {
    Application = ("application", "マイナンバー登録申請書", "My Number registration form"),
    Notice = ("notice", "マイナンバー確認通知書", "My Number confirmation notice"),
    Checklist = ("checklist", "マイナンバーチェックリスト", "My Number checklist"),
    Receipt = ("receipt", "マイナンバー受取確認書", "My Number receipt"),
    Refusal = ("refusal", "マイナンバー提出拒否確認書", "record of refusal to provide a My Number"),
    AuditSeal = ("audit-seal", "操作履歴の封印記録", "audit-log seal"),
    AuditExtract = ("audit-log", "操作履歴", "audit-log extract"),
    Sessions = ("sessions", "利用状況報告（セッション）", "sessions report"),
    Takeouts = ("takeouts", "持出し記録", "take-out register"),
}

impl FormKind {
    /// Forms about chosen people (one or more pages each); the others are about the vault.
    pub fn is_about_people(self) -> bool {
        matches!(
            self,
            FormKind::Application
                | FormKind::Notice
                | FormKind::Checklist
                | FormKind::Receipt
                | FormKind::Refusal
        )
    }
}
