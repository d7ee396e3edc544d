//! Each preset reading a file laid out the way that software writes it.

mod common;

use common::{cp932, crlf, date, employee, kana, lf, member, number, utf8_bom, valid_number};
use kinko_domain::people::{DependantType, EmploymentStatus};
use kinko_interop::{
    Column, Encoding, FileKind, ImportError, Lang, Localized, Mapping, MappingError, Preset,
    employees, family, import_employees, import_family, read_table,
};

#[test]
fn bugyo_employees_cp932_with_wareki_and_half_width_kana() {
    let n1 = valid_number("12345678901");
    let file = cp932(&crlf(&[
        "社員番号,所属,氏名,フリガナ,生年月日,入社年月日,退職年月日,個人番号",
        &format!("0001,総務部,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,昭和37年03月18日,平成10年04月01日,,{n1}"),
        "0002,営業部,髙橋　①子,タカハシ イチコ,昭和50年01月01日,令和05年04月01日,令和06年03月31日,",
    ]));
    let (encoding, parsed) = import_employees(&file, &Preset::Bugyo.employees()).unwrap();
    assert_eq!(encoding, Encoding::Cp932);
    assert_eq!(parsed.errors, []);
    let mut yamada = employee("0001", "山田\u{3000}太郎");
    yamada.kana = kana("ヤマダ\u{3000}タロウ");
    yamada.birth_date = Some(date(1962, 3, 18));
    yamada.department = Some("総務部".into());
    yamada.hire_date = Some(date(1998, 4, 1));
    yamada.number = Some(number("12345678901"));
    let mut takahashi = employee("0002", "髙橋\u{3000}①子");
    takahashi.kana = kana("タカハシ\u{3000}イチコ");
    takahashi.birth_date = Some(date(1975, 1, 1));
    takahashi.department = Some("営業部".into());
    takahashi.hire_date = Some(date(2023, 4, 1));
    takahashi.retire_date = Some(date(2024, 3, 31));
    takahashi.status = EmploymentStatus::Retired;
    assert_eq!(parsed.rows, [(2, yamada), (3, takahashi)]);
}

#[test]
fn bugyo_family_cp932() {
    let file = cp932(&crlf(&[
        "社員番号,続柄,氏名,フリガナ,生年月日,扶養区分,個人番号",
        &format!(
            "0001,妻,山田　花子,ﾔﾏﾀﾞ ﾊﾅｺ,S40.5.5,源泉控除対象配偶者,{}",
            valid_number("98765432109")
        ),
        "0001,長男,山田　一郎,ﾔﾏﾀﾞ ｲﾁﾛｳ,H20.1.1,特定扶養,",
        "0001,長女,山田　桃子,やまだ ももこ,R2.2.22,16歳未満,",
    ]));
    let (_, parsed) = import_family(&file, &Preset::Bugyo.family()).unwrap();
    assert_eq!(parsed.errors, []);
    let mut wife = member("0001", "妻", "山田\u{3000}花子");
    wife.kana = kana("ヤマダ\u{3000}ハナコ");
    wife.birth_date = Some(date(1965, 5, 5));
    wife.dependant = DependantType::Spouse;
    wife.number = Some(number("98765432109"));
    let mut son = member("0001", "長男", "山田\u{3000}一郎");
    son.kana = kana("ヤマダ\u{3000}イチロウ");
    son.birth_date = Some(date(2008, 1, 1));
    son.dependant = DependantType::Dependant;
    let mut daughter = member("0001", "長女", "山田\u{3000}桃子");
    daughter.kana = kana("ヤマダ\u{3000}モモコ");
    daughter.birth_date = Some(date(2020, 2, 22));
    daughter.dependant = DependantType::Under16;
    assert_eq!(parsed.rows, [(2, wife), (3, son), (4, daughter)]);
}

#[test]
fn yayoi_employees_and_family_cp932() {
    let file = cp932(&crlf(&[
        "従業員コード,氏名,フリガナ,性別,生年月日,部門,入社年月日,退職年月日",
        "001,佐藤　次郎,サトウ　ジロウ,男,1980/04/01,経理部,2005/04/01,",
    ]));
    let (_, parsed) = import_employees(&file, &Preset::Yayoi.employees()).unwrap();
    let mut sato = employee("001", "佐藤\u{3000}次郎");
    sato.kana = kana("サトウ\u{3000}ジロウ");
    sato.birth_date = Some(date(1980, 4, 1));
    sato.department = Some("経理部".into());
    sato.hire_date = Some(date(2005, 4, 1));
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, sato)], vec![]));

    let file = cp932(&crlf(&[
        "従業員コード,扶養親族等名,続柄,生年月日",
        "001,佐藤花子,妻,1982/02/02",
    ]));
    let (_, parsed) = import_family(&file, &Preset::Yayoi.family()).unwrap();
    let mut wife = member("001", "妻", "佐藤花子");
    wife.birth_date = Some(date(1982, 2, 2));
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, wife)], vec![]));
}

#[test]
fn pca_split_names_half_width_kana_and_compact_dates() {
    let file = cp932(&crlf(&[
        "社員コード,姓,名,フリガナ(姓),フリガナ(名),生年月日,部門コード,部門名,入社年月日,退職年月日",
        "00001234,鈴木,一郎,ｽｽﾞｷ,ｲﾁﾛｳ,19700101,001,製造部,19920401,20240331",
    ]));
    let (_, parsed) = import_employees(&file, &Preset::Pca.employees()).unwrap();
    let mut suzuki = employee("00001234", "鈴木\u{3000}一郎");
    suzuki.kana = kana("スズキ\u{3000}イチロウ");
    suzuki.birth_date = Some(date(1970, 1, 1));
    suzuki.department = Some("製造部".into());
    suzuki.hire_date = Some(date(1992, 4, 1));
    suzuki.retire_date = Some(date(2024, 3, 31));
    suzuki.status = EmploymentStatus::Retired;
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, suzuki)], vec![]));

    let file = cp932(&crlf(&[
        "社員コード,続柄,家族氏名,家族フリガナ,生年月日,扶養区分",
        "00001234,妻,鈴木　和子,ｽｽﾞｷ ｶｽﾞｺ,19720303,国民年金第３号被保険者",
    ]));
    let (_, parsed) = import_family(&file, &Preset::Pca.family()).unwrap();
    let mut wife = member("00001234", "妻", "鈴木\u{3000}和子");
    wife.kana = kana("スズキ\u{3000}カズコ");
    wife.birth_date = Some(date(1972, 3, 3));
    wife.dependant = DependantType::PensionCategory3;
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, wife)], vec![]));
}

#[test]
fn freee_utf8_without_bom() {
    let file = lf(&[
        "従業員番号,姓,名,姓カナ,名カナ,生年月日,入社日,退職日,部門",
        "E-001,田中,美咲,タナカ,ミサキ,1990-08-11,2024-09-01,,開発部",
    ]);
    let (encoding, parsed) = import_employees(file.as_bytes(), &Preset::Freee.employees()).unwrap();
    assert_eq!(encoding, Encoding::Utf8);
    let mut tanaka = employee("E-001", "田中\u{3000}美咲");
    tanaka.kana = kana("タナカ\u{3000}ミサキ");
    tanaka.birth_date = Some(date(1990, 8, 11));
    tanaka.hire_date = Some(date(2024, 9, 1));
    tanaka.department = Some("開発部".into());
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, tanaka)], vec![]));

    let file = lf(&[
        "従業員番号,続柄,姓,名,姓カナ,名カナ,生年月日",
        "E-001,子,田中,陽太,タナカ,ヨウタ,2015-06-01",
    ]);
    let (_, parsed) = import_family(file.as_bytes(), &Preset::Freee.family()).unwrap();
    let mut child = member("E-001", "子", "田中\u{3000}陽太");
    child.kana = kana("タナカ\u{3000}ヨウタ");
    child.birth_date = Some(date(2015, 6, 1));
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, child)], vec![]));
}

#[test]
fn money_forward_status_column_wins_over_the_retirement_date() {
    let file = utf8_bom(&crlf(&[
        "従業員番号,姓,名,姓（カナ）,名（カナ）,生年月日,部門,入社年月日,退職年月日,在籍状況",
        "A_01,中村,翔,ナカムラ,ショウ,1985-12-24,営業部,2010-04-01,2024-12-31,退職予定",
        "A_02,小林,,コバヤシ,,1970-01-01,営業部,2000-04-01,2020-03-31,退職済み",
    ]));
    let (encoding, parsed) = import_employees(&file, &Preset::MoneyForward.employees()).unwrap();
    assert_eq!(encoding, Encoding::Utf8Bom);
    let mut nakamura = employee("A_01", "中村\u{3000}翔");
    nakamura.kana = kana("ナカムラ\u{3000}ショウ");
    nakamura.birth_date = Some(date(1985, 12, 24));
    nakamura.department = Some("営業部".into());
    nakamura.hire_date = Some(date(2010, 4, 1));
    nakamura.retire_date = Some(date(2024, 12, 31));
    let mut kobayashi = employee("A_02", "小林");
    kobayashi.kana = kana("コバヤシ");
    kobayashi.birth_date = Some(date(1970, 1, 1));
    kobayashi.department = Some("営業部".into());
    kobayashi.hire_date = Some(date(2000, 4, 1));
    kobayashi.retire_date = Some(date(2020, 3, 31));
    kobayashi.status = EmploymentStatus::Retired;
    assert_eq!(
        (parsed.rows, parsed.errors),
        (vec![(2, nakamura), (3, kobayashi)], vec![])
    );

    let file = cp932(&crlf(&[
        "従業員番号,続柄,姓,名,生年月日,税法上の扶養",
        "A_01,母,中村,幸子,S30.3.3,老人扶養",
    ]));
    let (_, parsed) = import_family(&file, &Preset::MoneyForward.family()).unwrap();
    let mut mother = member("A_01", "母", "中村\u{3000}幸子");
    mother.birth_date = Some(date(1955, 3, 3));
    mother.dependant = DependantType::Dependant;
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, mother)], vec![]));
}

#[test]
fn generic_accepts_full_width_headers_hiragana_kana_and_full_width_codes() {
    let file = cp932(&crlf(&[
        "社員ＮＯ,氏名,ふりがな,生年月日,部署名,入社日,退職日,マイナンバー",
        &format!(
            "０００５,山本 　 花,やまだ はなこ,令和元年5月1日,総務部,Ｒ１．５．１,,{}",
            valid_number("11111111111").replace("", " ").trim()
        ),
    ]));
    let (_, parsed) = import_employees(&file, &Preset::Generic.employees()).unwrap();
    let mut yamamoto = employee("0005", "山本\u{3000}花");
    yamamoto.kana = kana("ヤマダ\u{3000}ハナコ");
    yamamoto.birth_date = Some(date(2019, 5, 1));
    yamamoto.department = Some("総務部".into());
    yamamoto.hire_date = Some(date(2019, 5, 1));
    yamamoto.number = Some(number("11111111111"));
    assert_eq!((parsed.rows, parsed.errors), (vec![(2, yamamoto)], vec![]));
}

#[test]
fn a_missing_code_column_names_the_preset_and_the_column() {
    let table = read_table("姓,名\n山田,太郎\n").unwrap();
    let error = employees(&table, &Preset::Freee.employees()).unwrap_err();
    assert_eq!(
        error,
        MappingError::MissingColumns {
            mapping: "freee人事労務・社員".into(),
            missing: vec![Column::EmployeeCode],
        }
    );
    assert_eq!(
        error.to_string(),
        "「freee人事労務・社員」の形式で必要な列が見つかりません：「社員番号」。見出しの行（1行目）の列名を確認するか、列の対応を設定してください"
    );
    assert_eq!(
        error.message(Lang::En),
        "Columns required by the “freee人事労務・社員” layout were not found: “employee code”; \
         check the header row or set up the column mapping"
    );
}

#[test]
fn a_family_file_without_name_or_relation_lists_both() {
    let table = read_table("社員コード,生年月日\n0001,2000-01-01\n").unwrap();
    let error = family(&table, &Preset::Pca.family()).unwrap_err();
    assert_eq!(
        error,
        MappingError::MissingColumns {
            mapping: "PCA給与・家族".into(),
            missing: vec![Column::Name, Column::Relation],
        }
    );
    assert!(
        error
            .to_string()
            .contains("「氏名（または姓と名）」、「続柄」")
    );
}

#[test]
fn a_headerless_file_never_echoes_its_first_row() {
    let n = valid_number("12345678901");
    let file = format!("0001,山田,{n}\n0002,鈴木,{n}\n");
    let error = import_employees(file.as_bytes(), &Preset::Generic.employees()).unwrap_err();
    assert!(matches!(
        error,
        ImportError::Mapping(MappingError::MissingColumns { .. })
    ));
    for lang in [Lang::Ja, Lang::En] {
        let message = error.message(lang);
        assert!(
            !message.contains(&n[..4]) && !message.contains("山田"),
            "{message}"
        );
    }
}

#[test]
fn the_same_column_twice_is_ambiguous() {
    let table = read_table("社員番号,氏名,氏名\n1,a,b\n").unwrap();
    assert_eq!(
        employees(&table, &Preset::Generic.employees()).unwrap_err(),
        MappingError::AmbiguousColumn {
            column: Column::Name,
            header: "氏名".into()
        }
    );
}

#[test]
fn custom_mappings_serialise_and_work() {
    let mapping = Mapping::new(FileKind::Employees, "当社形式")
        .with(Column::EmployeeCode, "ID")
        .with(Column::Name, "なまえ");
    let json = serde_json::to_string(&mapping).unwrap();
    assert_eq!(
        json,
        r#"{"name":"当社形式","kind":"employees","columns":{"employee_code":["ID"],"name":["なまえ"]}}"#
    );
    let back: Mapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, mapping);
    let (_, parsed) = import_employees("ID,なまえ\n0042,山田\n".as_bytes(), &back).unwrap();
    assert_eq!(parsed.rows, [(2, employee("0042", "山田"))]);
}

#[test]
fn no_header_name_maps_to_two_columns_in_any_preset() {
    for preset in Preset::ALL {
        for kind in [FileKind::Employees, FileKind::Family] {
            let mapping = preset.mapping(kind);
            let mut seen = std::collections::HashMap::new();
            for (column, names) in &mapping.columns {
                for name in names {
                    let key = name.replace(['（', '）'], "");
                    if let Some(other) = seen.insert(key, *column) {
                        assert_eq!(other, *column, "{} {name}", mapping.name);
                    }
                }
            }
        }
    }
}

#[test]
fn preset_keys_are_stable() {
    let keys: Vec<_> = Preset::ALL.iter().map(|p| p.key()).collect();
    assert_eq!(
        keys,
        [
            "bugyo",
            "yayoi",
            "pca",
            "freee",
            "moneyforward",
            "generic",
            "kinko"
        ]
    );
    for preset in Preset::ALL {
        assert_eq!(Preset::from_key(preset.key()), Some(preset));
    }
    assert_eq!(Preset::Bugyo.name_ja(), "給与奉行（OBC）");
}

#[test]
fn locate_shows_where_each_item_comes_from() {
    let headers: Vec<String> = ["社員コード", "姓", "名", "フリガナ(姓)", "生年月日"]
        .map(String::from)
        .to_vec();
    let found = Preset::Pca.employees().locate(&headers).unwrap();
    let found: Vec<(Column, usize)> = found.into_iter().collect();
    assert_eq!(
        found,
        [
            (Column::EmployeeCode, 0),
            (Column::FamilyName, 1),
            (Column::GivenName, 2),
            (Column::FamilyKana, 3),
            (Column::BirthDate, 4),
        ]
    );
}
