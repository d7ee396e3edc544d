//! Sample data for demonstrations and screenshots: a firm with departments, employees, their
//! families and payees, all with valid (but made-up) numbers. Deterministic for a given seed.

use chrono::NaiveDate;

use kinko_domain::number::{
    CorporateNumber, MyNumber, corporate_check_digit, my_number_check_digit,
};
use kinko_domain::people::{DependantType, EmploymentStatus, PayeeKind, PersonalDetails, Role};

use crate::error::VaultResult;
use crate::people::{NewPerson, PersonNumber};
use crate::session::Session;

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("髙橋", "タカハシ"),
];
const GIVEN: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("翔太", "ショウタ"),
    ("美咲", "ミサキ"),
    ("健一", "ケンイチ"),
    ("由美", "ユミ"),
    ("大輔", "ダイスケ"),
    ("陽子", "ヨウコ"),
    ("拓也", "タクヤ"),
    ("真由美", "マユミ"),
    ("誠", "マコト"),
    ("恵子", "ケイコ"),
    ("隆", "タカシ"),
    ("明美", "アケミ"),
    ("直樹", "ナオキ"),
    ("彩", "アヤ"),
];
const DEPARTMENTS: &[&str] = &["総務部", "営業部", "製造部", "経理部", "開発部"];

/// A tiny deterministic generator (xorshift64*): sample data only, never keys.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A valid made-up My Number, distinct for each `serial`.
pub fn sample_my_number(serial: u64) -> MyNumber {
    let body = digits::<11>(serial.wrapping_mul(7_919) + 10_000_000_000);
    let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
    s.push(char::from(b'0' + my_number_check_digit(&body)));
    MyNumber::parse(&s).unwrap_or_else(|_| unreachable!("the check digit was just computed"))
}

/// A valid made-up 法人番号, distinct for each `serial`.
pub fn sample_corporate_number(serial: u64) -> CorporateNumber {
    let base = digits::<12>(serial + 100_000_000_000);
    let mut s = String::from(char::from(b'0' + corporate_check_digit(&base)));
    s.extend(base.iter().map(|d| char::from(b'0' + d)));
    CorporateNumber::parse(&s).unwrap_or_else(|_| unreachable!("the check digit was just computed"))
}

fn digits<const N: usize>(mut v: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for d in out.iter_mut().rev() {
        *d = (v % 10) as u8;
        v /= 10;
    }
    out
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d.min(28))
}

/// Fills the session's vault with `employees` employees (about half with a spouse and some with
/// children), three payees, and five departments, in one transaction.
pub fn populate(session: &mut Session, employees: usize, seed: u64) -> VaultResult<()> {
    let mut dice = Dice(seed | 1);
    let mut serial = seed.wrapping_mul(1_000_003) % 1_000_000;
    session.write(|w| {
        let depts: Vec<_> = DEPARTMENTS
            .iter()
            .map(|d| w.department(d))
            .collect::<VaultResult<_>>()?;
        for i in 0..employees {
            let (sur, sur_kana) = *dice.pick(SURNAMES);
            let (given, given_kana) = *dice.pick(GIVEN);
            let born = 1960 + dice.below(40) as i32;
            let retired = dice.below(10) == 0;
            serial += 1;
            let number =
                (dice.below(5) != 0).then(|| PersonNumber::Individual(sample_my_number(serial)));
            let id = w.add_person(NewPerson {
                role: Role::Employee {
                    code: format!("{:04}", i + 1),
                    department: Some(*dice.pick(&depts)),
                    hire_date: date(born + 22, 4, 1),
                    retire_date: retired.then(|| date(2024, 3, 31)).flatten(),
                    status: if retired {
                        EmploymentStatus::Retired
                    } else {
                        EmploymentStatus::Active
                    },
                },
                details: PersonalDetails {
                    name: format!("{sur}　{given}"),
                    kana: format!("{sur_kana}　{given_kana}"),
                    birth_date: date(born, 1 + dice.below(12) as u32, 1 + dice.below(28) as u32),
                    address: Some(format!(
                        "東京都千代田区千代田{}-{}",
                        1 + dice.below(9),
                        1 + dice.below(30)
                    )),
                },
                number,
            })?;
            if dice.below(2) == 0 {
                let (partner, partner_kana) = *dice.pick(GIVEN);
                serial += 1;
                w.add_person(NewPerson {
                    role: Role::Family {
                        employee: id,
                        relation: "配偶者".into(),
                        dependant: DependantType::Spouse,
                    },
                    details: PersonalDetails {
                        name: format!("{sur}　{partner}"),
                        kana: format!("{sur_kana}　{partner_kana}"),
                        birth_date: date(born + 1, 6, 15),
                        address: None,
                    },
                    number: Some(PersonNumber::Individual(sample_my_number(serial))),
                })?;
            }
        }
        for (i, (name, kana, kind)) in [
            (
                "株式会社みらい設計",
                "ミライセッケイ",
                PayeeKind::Corporation,
            ),
            (
                "中島　法律事務所",
                "ナカジマホウリツジムショ",
                PayeeKind::Corporation,
            ),
            ("森　一郎", "モリ　イチロウ", PayeeKind::Individual),
        ]
        .into_iter()
        .enumerate()
        {
            serial += 1;
            let number = match kind {
                PayeeKind::Corporation => PersonNumber::Corporate(sample_corporate_number(serial)),
                PayeeKind::Individual => PersonNumber::Individual(sample_my_number(serial)),
            };
            w.add_person(NewPerson {
                role: Role::Payee {
                    code: format!("P{:03}", i + 1),
                    kind,
                },
                details: PersonalDetails {
                    name: name.into(),
                    kana: kana.into(),
                    birth_date: None,
                    address: None,
                },
                number: Some(number),
            })?;
        }
        Ok(())
    })
}
