//! `kinko mapping show|save|list` and importing with a saved mapping.

mod common;

use std::process::Output;

use common::*;

/// Standard output of a command that must succeed.
fn ok(o: &Output) -> String {
    assert_ok(o);
    stdout(o)
}

#[test]
fn a_saved_custom_mapping_reads_a_file_with_our_own_headers() {
    let k = Kinko::init();
    let admin = |args: &[&str]| k.admin(args);

    // Start from the generic preset and teach it this firm's own column names.
    let mut mapping: serde_json::Value =
        serde_json::from_str(&ok(&admin(&["mapping", "show", "--preset", "generic"]))).unwrap();
    mapping["name"] = "当社の形式".into();
    mapping["columns"]["employee_code"] = serde_json::json!(["職員ID"]);
    mapping["columns"]["name"] = serde_json::json!(["職員氏名"]);
    mapping["columns"]["kana"] = serde_json::json!(["職員カナ"]);
    let file = k.path("mapping.json");
    std::fs::write(&file, mapping.to_string()).unwrap();
    ok(&admin(&["mapping", "save", "当社", file.to_str().unwrap()]));
    assert!(ok(&admin(&["mapping", "list"])).contains("当社\t社員"));

    let csv = k.path("staff.csv");
    std::fs::write(
        &csv,
        "職員ID,職員氏名,職員カナ\r\n0007,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ\r\n",
    )
    .unwrap();
    let generic = admin(&["import", csv.to_str().unwrap(), "--dry-run"]);
    assert!(
        !generic.status.success(),
        "the generic preset does not know 職員ID"
    );
    assert!(String::from_utf8_lossy(&generic.stderr).contains("必要な列が見つかりません"));
    ok(&admin(&[
        "import",
        csv.to_str().unwrap(),
        "--mapping",
        "当社",
    ]));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&admin(&["--json", "person", "list"]))).unwrap();
    assert_eq!(list[0]["code"], "0007");
    assert_eq!(list[0]["kana"], "ヤマダ\u{3000}タロウ");

    let missing = admin(&["import", csv.to_str().unwrap(), "--mapping", "ない"]);
    assert!(!missing.status.success());
    let bad = k.path("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    assert!(
        String::from_utf8_lossy(&admin(&["mapping", "save", "x", bad.to_str().unwrap()]).stderr)
            .contains("JSONが正しくありません")
    );
}
