//! Screenshots of 保管期限と削除: the due list years later, after the batch deletion (the
//! register), the deletion panel on a person, and the screen after 全削除.

use chrono::{TimeZone, Utc};
use kinko_domain::lang::Lang;
use kinko_kiosk::{PersonApi, RetentionApi, demo};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{Checker, DemoShot};

pub fn shots(c: &mut Checker) {
    for lang in [Lang::Ja, Lang::En] {
        let shot = DemoShot::new(lang, demo::ADMIN);
        shot.clock
            .set_wall(Utc.with_ymd_and_hms(2045, 1, 20, 1, 0, 0).unwrap());
        let r = shot.app.ui().global::<RetentionApi>();
        r.invoke_show();
        if lang == Lang::En {
            c.check("retention-en", &shot.window);
            continue;
        }
        c.check("retention", &shot.window);
        r.set_batch_reason("保存期間満了による年度末の廃棄".into());
        r.invoke_delete_due();
        c.check("retention-register", &shot.window);

        let p = shot.app.ui().global::<PersonApi>();
        p.invoke_open(2);
        shot.app
            .ui()
            .global::<kinko_kiosk::DeleteApi>()
            .invoke_open();
        c.check("person-delete", &shot.window);
    }

    let shot = DemoShot::new(Lang::Ja, demo::MANAGER);
    let r = shot.app.ui().global::<RetentionApi>();
    r.invoke_show();
    r.set_destroy_reason("事業廃止に伴う特定個人情報の廃棄".into());
    r.set_destroy_confirm("全削除".into());
    r.invoke_destroy();
    // The statement's number, key and folder are random: fixed ones stand in for them.
    let lines: Vec<SharedString> = [
        "結果：消去済み（全領域を検証）",
        "消去した件数：社員 120、家族 48、支払先 3、個人番号 160、添付記録 0",
        "記録番号：0123456789abcdef0123456789abcdef",
        "署名鍵：SHA256:4f2a…",
    ]
    .into_iter()
    .map(SharedString::from)
    .collect();
    r.set_destroyed_lines(ModelRc::new(VecModel::from(lines)));
    r.set_destroyed_where("署名付きの全削除記録：/data/kinko-zensakujo-20260401-100000.json（印刷用のPDFも同じ場所にあります）。削除した日から保存期間のあいだ保管してください。".into());
    r.set_printer_available(false);
    c.check("destroyed", &shot.window);
}
