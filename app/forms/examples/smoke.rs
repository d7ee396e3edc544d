use kinko_forms::layout::*;
use kinko_forms::table::*;
use kinko_forms::*;
fn main() {
    let mut doc = Document::new(DocInfo {
        title: "テスト帳票".into(),
        firm: "株式会社サンプル".into(),
        created: chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    })
    .unwrap();
    let p = doc.page();
    p.text(
        MARGIN_LEFT,
        30.0,
        16.0,
        Align::Left,
        "マイナンバー登録申請書",
    );
    p.char_boxes(MARGIN_LEFT, 40.0, 12, 7.0, 9.0, 4);
    p.field(
        MARGIN_LEFT,
        55.0,
        30.0,
        CONTENT_WIDTH,
        9.0,
        "氏名",
        "山田　太郎",
    );
    let cols = [
        Column::new("コード", 20.0, Align::Left),
        Column::new("氏名", 50.0, Align::Left),
        Column::new("状態", 30.0, Align::Center),
    ];
    let t = Table {
        columns: &cols,
        size: 9.0,
    };
    let rows = (0..120).map(|i| {
        vec![
            format!("E{i:04}"),
            format!("山田 太郎{i}"),
            "回収済".to_string(),
        ]
    });
    t.render(&mut doc, 70.0, rows, &|p: &mut Page| {
        p.text(MARGIN_LEFT, 25.0, 12.0, Align::Left, "テスト帳票（続き）");
        32.0
    });
    let t0 = std::time::Instant::now();
    let pdf = doc.finish().unwrap();
    eprintln!(
        "{} pages {} bytes {:?}",
        pdf.pages,
        pdf.bytes.len(),
        t0.elapsed()
    );
    std::fs::write("/tmp/smoke.pdf", &*pdf.bytes).unwrap();
}
