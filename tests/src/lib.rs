//! Shared helpers for Kinko's end-to-end tests: fixture people with Japanese names, generators
//! of valid (and distinct) My Numbers and 法人番号, vault set-up with a fast key derivation, and
//! a byte scanner that looks for secrets in files.
//!
//! Everything here is test data: the names, numbers and addresses are made up.

pub mod cups;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kinko_domain::number::{
    CorporateNumber, MyNumber, corporate_check_digit, my_number_check_digit,
};
use kinko_domain::people::{
    CollectionStatus, DepartmentId, DependantType, EmploymentStatus, PayeeKind, Person, PersonId,
    PersonalDetails, Role,
};
use kinko_vault::{
    Created, KdfParams, NewPerson, PersonNumber, PersonView, Session, Vault, VaultError,
};

/// The administrator made at set-up in every test vault.
pub const ADMIN: &str = "admin";
/// The administrator's password in every test vault (distinctive, so the raw-byte scan can look
/// for it).
pub const PASSWORD: &str = "Kinko-テスト-Passw0rd!2025";

/// The cheapest key derivation the engine accepts (19 MiB, 2 passes, 1 lane): tests stay fast.
pub fn fast_kdf() -> KdfParams {
    KdfParams::MINIMUM
}

/// Creates a vault in `dir` with [`ADMIN`] / [`PASSWORD`] and [`fast_kdf`].
pub fn create_vault(dir: &Path) -> Created {
    Vault::create(dir, ADMIN, PASSWORD.as_bytes(), fast_kdf())
        .unwrap_or_else(|e| panic!("creating a vault in {} failed: {e:?}", dir.display()))
}

/// Logs [`ADMIN`] in.
pub fn login(vault: &Vault) -> Session {
    vault
        .login(ADMIN, PASSWORD.as_bytes())
        .unwrap_or_else(|e| panic!("admin login failed: {e:?}"))
}

/// Opens the vault in `dir` and logs [`ADMIN`] in.
pub fn open_and_login(dir: &Path) -> (Vault, Session) {
    let vault =
        Vault::open(dir).unwrap_or_else(|e| panic!("Vault::open({}) failed: {e:?}", dir.display()));
    let session = login(&vault);
    (vault, session)
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// The 11 digit values of a distinct body for every `i` below 10^11 (an affine bijection mod
/// 10^11), avoiding the "suspicious" repeated-digit bodies for small `i`.
fn body(i: u64, salt: u64) -> [u8; 11] {
    const MOD: u64 = 100_000_000_000;
    // 7_919 is coprime to 10^11, so i ↦ (a·i + b) mod 10^11 is injective.
    let mut v = (i % MOD * 7_919 + salt) % MOD;
    let mut out = [0u8; 11];
    for d in out.iter_mut().rev() {
        *d = (v % 10) as u8;
        v /= 10;
    }
    out
}

/// The 12 ASCII digits of a valid My Number, distinct for each `i` (below 10^11).
pub fn my_number_digits(i: u64) -> String {
    let b = body(i, 31_415_926_535);
    let check = my_number_check_digit(&b);
    b.iter()
        .chain(std::iter::once(&check))
        .map(|d| char::from(b'0' + d))
        .collect()
}

/// A valid My Number, distinct for each `i`.
pub fn my_number(i: u64) -> MyNumber {
    MyNumber::parse(&my_number_digits(i)).expect("generated My Number is valid")
}

/// [`my_number`] as a [`PersonNumber`].
pub fn individual(i: u64) -> PersonNumber {
    PersonNumber::Individual(my_number(i))
}

/// The 13 ASCII digits of a valid 法人番号, distinct for each `i` (below 10^11).
pub fn corporate_number_digits(i: u64) -> String {
    let b = body(i, 27_182_818_284);
    let mut base = [0u8; 12];
    base[0] = 7;
    base[1..].copy_from_slice(&b);
    let check = corporate_check_digit(&base);
    std::iter::once(&check)
        .chain(base.iter())
        .map(|d| char::from(b'0' + d))
        .collect()
}

/// A valid 法人番号 as a [`PersonNumber`], distinct for each `i`.
pub fn corporate(i: u64) -> PersonNumber {
    PersonNumber::Corporate(
        CorporateNumber::parse(&corporate_number_digits(i)).expect("generated 法人番号 is valid"),
    )
}

// ---------------------------------------------------------------------------------------------
// People

/// A made-up person: name (氏名), reading (フリガナ), birth date and address. Names and kana
/// are already in the engine's normal form (a full-width space between family and given name).
#[derive(Debug, Clone, Copy)]
pub struct Fixture {
    pub name: &'static str,
    pub kana: &'static str,
    pub birth: (i32, u32, u32),
    pub address: &'static str,
}

impl Fixture {
    pub fn birth_date(&self) -> NaiveDate {
        date(self.birth.0, self.birth.1, self.birth.2)
    }

    pub fn details(&self) -> PersonalDetails {
        PersonalDetails {
            name: self.name.into(),
            kana: self.kana.into(),
            birth_date: Some(self.birth_date()),
            address: Some(self.address.into()),
        }
    }
}

const fn fx(
    name: &'static str,
    kana: &'static str,
    birth: (i32, u32, u32),
    address: &'static str,
) -> Fixture {
    Fixture {
        name,
        kana,
        birth,
        address,
    }
}

/// 28 people, with rare and variant kanji (髙, 﨑, 齋, 邉, 𠮷, 鷗, 濵) among common names.
pub const PEOPLE: [Fixture; 28] = [
    fx(
        "髙橋　一郎",
        "タカハシ　イチロウ",
        (1980, 4, 1),
        "東京都千代田区丸の内一丁目八番三号",
    ),
    fx(
        "山﨑　花子",
        "ヤマザキ　ハナコ",
        (1985, 12, 24),
        "大阪府大阪市北区梅田二丁目四番九号",
    ),
    fx(
        "齋藤　健太",
        "サイトウ　ケンタ",
        (1992, 7, 7),
        "愛知県名古屋市中村区名駅四丁目七番一号",
    ),
    fx(
        "渡邉　美咲",
        "ワタナベ　ミサキ",
        (1978, 2, 28),
        "福岡県福岡市博多区博多駅前三丁目二番一号",
    ),
    fx(
        "𠮷田　翔太",
        "ヨシダ　ショウタ",
        (1995, 11, 3),
        "北海道札幌市中央区北五条西二丁目五番地",
    ),
    fx(
        "田中　太郎",
        "タナカ　タロウ",
        (1969, 1, 15),
        "神奈川県横浜市西区みなとみらい二丁目三番一号",
    ),
    fx(
        "佐藤　結衣",
        "サトウ　ユイ",
        (1999, 5, 5),
        "宮城県仙台市青葉区中央一丁目三番一号",
    ),
    fx(
        "鈴木　大翔",
        "スズキ　ヒロト",
        (2001, 8, 19),
        "広島県広島市中区基町六番七十八号",
    ),
    fx(
        "伊藤　陽菜",
        "イトウ　ヒナ",
        (1988, 3, 31),
        "京都府京都市下京区烏丸通塩小路下ル東塩小路町",
    ),
    fx(
        "中村　蓮",
        "ナカムラ　レン",
        (1975, 10, 10),
        "兵庫県神戸市中央区加納町六丁目五番一号",
    ),
    fx(
        "小林　さくら",
        "コバヤシ　サクラ",
        (1990, 4, 2),
        "埼玉県さいたま市浦和区高砂三丁目十五番一号",
    ),
    fx(
        "加藤　悠真",
        "カトウ　ユウマ",
        (1983, 6, 21),
        "千葉県千葉市中央区市場町一番一号",
    ),
    fx(
        "山田　優子",
        "ヤマダ　ユウコ",
        (1972, 9, 9),
        "静岡県静岡市葵区追手町九番六号",
    ),
    fx(
        "森　鷗外",
        "モリ　オウガイ",
        (1962, 1, 19),
        "東京都文京区千駄木一丁目二十三番四号",
    ),
    fx(
        "濵田　菜々子",
        "ハマダ　ナナコ",
        (1994, 2, 14),
        "鹿児島県鹿児島市鴨池新町十番一号",
    ),
    fx(
        "高木　蒼",
        "タカギ　アオイ",
        (2003, 12, 1),
        "新潟県新潟市中央区新光町四番地一",
    ),
    fx(
        "橋本　彩花",
        "ハシモト　アヤカ",
        (1986, 7, 30),
        "岡山県岡山市北区内山下二丁目四番六号",
    ),
    fx(
        "石川　隆之介",
        "イシカワ　リュウノスケ",
        (1979, 11, 11),
        "石川県金沢市鞍月一丁目一番地",
    ),
    fx(
        "前田　千尋",
        "マエダ　チヒロ",
        (1997, 3, 3),
        "熊本県熊本市中央区水前寺六丁目十八番一号",
    ),
    fx(
        "藤原　大和",
        "フジワラ　ヤマト",
        (1981, 5, 27),
        "奈良県奈良市登大路町三十番地",
    ),
    // Family members.
    fx(
        "髙橋　恵美",
        "タカハシ　エミ",
        (1982, 8, 8),
        "東京都千代田区丸の内一丁目八番三号　髙橋方",
    ),
    fx(
        "髙橋　陽斗",
        "タカハシ　ハルト",
        (2015, 6, 6),
        "東京都千代田区丸の内一丁目八番三号　髙橋方Ａ",
    ),
    fx(
        "山﨑　誠",
        "ヤマザキ　マコト",
        (1983, 1, 9),
        "大阪府大阪市北区梅田二丁目四番九号　山﨑方",
    ),
    fx(
        "齋藤　千代",
        "サイトウ　チヨ",
        (1948, 4, 29),
        "愛知県名古屋市中村区名駅四丁目七番一号　齋藤方",
    ),
    fx(
        "田中　凛",
        "タナカ　リン",
        (2012, 10, 1),
        "神奈川県横浜市西区みなとみらい二丁目三番一号　田中方",
    ),
    fx(
        "𠮷田　芽衣",
        "ヨシダ　メイ",
        (1996, 9, 16),
        "北海道札幌市中央区北五条西二丁目五番地　𠮷田方",
    ),
    // Individual payee.
    fx(
        "長谷川　蒼真",
        "ハセガワ　ソウマ",
        (1958, 2, 11),
        "沖縄県那覇市泉崎一丁目二番二号",
    ),
    // Corporate payee (its "birth date" is its founding date).
    fx(
        "株式会社金庫データサービス",
        "カブシキガイシャキンコデータサービス",
        (2004, 4, 1),
        "東京都港区芝公園四丁目二番八号",
    ),
];

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("bad fixture date {y}-{m}-{d}"))
}

/// What a person should read back as: role, details and number. Build the [`NewPerson`] from
/// it with [`Expected::new_person`] and compare with [`Expected::check`].
#[derive(Debug, Clone)]
pub struct Expected {
    pub role: Role,
    pub details: PersonalDetails,
    pub number: Option<PersonNumber>,
    pub collection: CollectionStatus,
}

impl Expected {
    pub fn new(role: Role, details: PersonalDetails, number: Option<PersonNumber>) -> Expected {
        let collection = if number.is_some() {
            CollectionStatus::Collected
        } else {
            CollectionStatus::NotRequested
        };
        Expected {
            role,
            details,
            number,
            collection,
        }
    }

    pub fn new_person(&self) -> NewPerson {
        NewPerson {
            role: self.role.clone(),
            details: self.details.clone(),
            number: self.number.clone(),
        }
    }

    pub fn person(&self) -> Person {
        Person {
            role: self.role.clone(),
            details: self.details.clone(),
            collection: self.collection,
        }
    }

    /// Compares a [`PersonView`] with what was stored. The message names the person by `label`
    /// and never prints a number.
    pub fn check_view(&self, label: &str, view: &PersonView) -> Result<(), String> {
        if view.person != self.person() {
            return Err(format!(
                "{label}: read back {:?}, expected {:?}",
                view.person,
                self.person()
            ));
        }
        let masked = self.number.as_ref().map(|n| n.masked());
        if view.masked_number != masked {
            return Err(format!(
                "{label}: masked number {:?}, expected {:?}",
                view.masked_number, masked
            ));
        }
        Ok(())
    }

    /// Compares a revealed number with what was stored, without printing either.
    pub fn check_number(&self, label: &str, got: Option<&PersonNumber>) -> Result<(), String> {
        let same = match (got, &self.number) {
            (None, None) => true,
            (Some(a), Some(b)) => a.expose_digits() == b.expose_digits(),
            _ => false,
        };
        if same {
            Ok(())
        } else {
            Err(format!(
                "{label}: revealed number differs from the stored one (got {}, expected {})",
                got.map_or("none".into(), |n| n.masked()),
                self.number.as_ref().map_or("none".into(), |n| n.masked())
            ))
        }
    }

    /// Reads the person `id` back through `session` and checks everything.
    pub fn verify(&self, session: &mut Session, id: PersonId, label: &str) -> Result<(), String> {
        let view = session
            .person(id)
            .map_err(|e| format!("{label}: person({id:?}) failed: {e:?}"))?;
        if view.id != id {
            return Err(format!(
                "{label}: person({id:?}) answered for {:?}",
                view.id
            ));
        }
        self.check_view(label, &view)?;
        let number = session
            .reveal_number(id)
            .map_err(|e| format!("{label}: reveal_number({id:?}) failed: {e:?}"))?;
        self.check_number(label, number.as_ref())
    }
}

/// An employee with `code`, the fixture's details and a number.
pub fn employee(
    code: &str,
    f: &Fixture,
    department: Option<DepartmentId>,
    number: Option<PersonNumber>,
) -> Expected {
    let role = Role::Employee {
        code: code.into(),
        department,
        hire_date: Some(date(2010 + (f.birth.1 as i32 % 10), f.birth.1, 1)),
        retire_date: None,
        status: EmploymentStatus::Active,
    };
    Expected::new(role, f.details(), number)
}

/// A family member of `employee`.
pub fn family(
    employee: PersonId,
    relation: &str,
    dependant: DependantType,
    f: &Fixture,
    number: Option<PersonNumber>,
) -> Expected {
    let role = Role::Family {
        employee,
        relation: relation.into(),
        dependant,
    };
    Expected::new(role, f.details(), number)
}

/// A payee.
pub fn payee(code: &str, kind: PayeeKind, f: &Fixture, number: Option<PersonNumber>) -> Expected {
    let role = Role::Payee {
        code: code.into(),
        kind,
    };
    Expected::new(role, f.details(), number)
}

/// A generated employee for bulk tests: code `C{i:05}`, a name, kana and birth date from `i`
/// and the number [`my_number`]`(i)`.
pub fn generated_employee(i: u64) -> Expected {
    const FAMILY: [(&str, &str); 10] = [
        ("田中", "タナカ"),
        ("髙橋", "タカハシ"),
        ("山﨑", "ヤマザキ"),
        ("佐藤", "サトウ"),
        ("鈴木", "スズキ"),
        ("渡邉", "ワタナベ"),
        ("伊藤", "イトウ"),
        ("齋藤", "サイトウ"),
        ("中村", "ナカムラ"),
        ("小林", "コバヤシ"),
    ];
    const GIVEN: [(&str, &str); 8] = [
        ("太郎", "タロウ"),
        ("花子", "ハナコ"),
        ("翔太", "ショウタ"),
        ("美咲", "ミサキ"),
        ("健一", "ケンイチ"),
        ("結衣", "ユイ"),
        ("大輔", "ダイスケ"),
        ("陽菜", "ヒナ"),
    ];
    let (fam, fam_kana) = FAMILY[(i % 10) as usize];
    let (given, given_kana) = GIVEN[((i / 10) % 8) as usize];
    let details = PersonalDetails {
        name: format!("{fam}　{given}"),
        kana: format!("{fam_kana}　{given_kana}"),
        birth_date: Some(date(
            1960 + (i % 40) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )),
        address: Some(format!(
            "東京都新宿区西新宿二丁目{}番{}号",
            1 + i % 50,
            1 + i / 50 % 30
        )),
    };
    let role = Role::Employee {
        code: generated_code(i),
        department: None,
        hire_date: Some(date(2000 + (i % 25) as i32, 4, 1)),
        retire_date: None,
        status: EmploymentStatus::Active,
    };
    Expected::new(role, details, Some(individual(i)))
}

/// The spouse added with [`generated_employee`]`(i)` in the crash test: number
/// [`my_number`]`(1_000_000 + i)`.
pub fn generated_spouse(employee: PersonId, i: u64) -> Expected {
    let details = PersonalDetails {
        name: format!("配偶者　第{i}号"),
        kana: "ハイグウシャ　ダイイチ".into(),
        birth_date: Some(date(
            1970 + (i % 30) as i32,
            1 + (i % 12) as u32,
            1 + (i % 27) as u32,
        )),
        address: None,
    };
    let role = Role::Family {
        employee,
        relation: "配偶者".into(),
        dependant: DependantType::Spouse,
    };
    Expected::new(role, details, Some(individual(1_000_000 + i)))
}

/// The code of [`generated_employee`]`(i)`: `C00001` for 1.
pub fn generated_code(i: u64) -> String {
    format!("C{i:05}")
}

/// Parses `C00012` back to 12.
pub fn parse_generated_code(code: &str) -> Option<u64> {
    code.strip_prefix('C')?.parse().ok()
}

/// Asserts `result` is the error `matches` accepts, naming `what` otherwise.
#[track_caller]
pub fn expect_err<T: std::fmt::Debug>(
    what: &str,
    result: Result<T, VaultError>,
    matches: impl Fn(&VaultError) -> bool,
) -> VaultError {
    match result {
        Ok(v) => panic!("{what}: expected an error, got Ok({v:?})"),
        Err(e) if matches(&e) => e,
        Err(e) => panic!("{what}: unexpected error {e:?} ({e})"),
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning bytes for secrets

/// Something that must not be found, with a label that says what it is without being it.
#[derive(Debug, Clone)]
pub struct Needle {
    pub label: String,
    pub bytes: Vec<u8>,
}

/// A needle found in a file.
#[derive(Debug, Clone)]
pub struct Hit {
    pub label: String,
    pub file: PathBuf,
    pub offset: usize,
}

/// Shortest needle accepted: shorter ones would be found by chance in megabytes of ciphertext.
pub const MIN_NEEDLE: usize = 6;

/// Every (needle index, offset) where a needle occurs in `hay`, first occurrence per needle.
/// One pass over `hay`, keyed by each needle's first four bytes.
pub fn find_needles(hay: &[u8], needles: &[Needle]) -> Vec<(usize, usize)> {
    let mut by_prefix: HashMap<[u8; 4], Vec<usize>> = HashMap::new();
    for (i, n) in needles.iter().enumerate() {
        assert!(
            n.bytes.len() >= MIN_NEEDLE,
            "needle '{}' is too short ({} bytes)",
            n.label,
            n.bytes.len()
        );
        let key: [u8; 4] = n.bytes[..4].try_into().expect("4 bytes");
        by_prefix.entry(key).or_default().push(i);
    }
    let mut found = vec![None; needles.len()];
    for pos in 0..hay.len().saturating_sub(3) {
        let key: [u8; 4] = hay[pos..pos + 4].try_into().expect("4 bytes");
        if let Some(candidates) = by_prefix.get(&key) {
            for &i in candidates {
                if found[i].is_none() && hay[pos..].starts_with(&needles[i].bytes) {
                    found[i] = Some(pos);
                }
            }
        }
    }
    found
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect()
}

/// Every file under `dir` (recursively), sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read_dir({}): {e}", d.display()));
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Reads every byte of every file under `dir` and reports each needle found. Also returns
/// the files and their sizes, so a caller can check what was scanned.
pub fn scan_dir(dir: &Path, needles: &[Needle]) -> (Vec<Hit>, Vec<(PathBuf, usize)>) {
    let mut hits = Vec::new();
    let mut scanned = Vec::new();
    for file in files_under(dir) {
        let bytes =
            std::fs::read(&file).unwrap_or_else(|e| panic!("read({}): {e}", file.display()));
        for (i, offset) in find_needles(&bytes, needles) {
            hits.push(Hit {
                label: needles[i].label.clone(),
                file: file.clone(),
                offset,
            });
        }
        scanned.push((file, bytes.len()));
    }
    (hits, scanned)
}

/// A small deterministic PRNG (SplitMix64), so failures can be replayed from their seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        assert!(lo < hi);
        lo + self.next_u64() % (hi - lo)
    }
}

// ---------------------------------------------------------------------------------------------
// Users, PCs and time (permission and audit tests)

/// The moment every test with a [`kinko_vault::ManualClock`] starts: 2026-04-01 09:00 JST.
pub fn t0() -> chrono::DateTime<chrono::Utc> {
    "2026-04-01T00:00:00Z"
        .parse()
        .expect("a valid RFC 3339 time")
}

/// The identity of the PC a test plays (`KINKO_PC_ID` / `--pc-id` in the CLI).
pub fn pc(name: &str) -> kinko_vault::PcIdentity {
    kinko_vault::PcIdentity::from_override(name)
}

/// Logs `login` in from the PC `pc_name` at the time `clock` says.
pub fn login_at(
    vault: &Vault,
    login: &str,
    password: &str,
    pc_name: &str,
    clock: &kinko_vault::ManualClock,
) -> Result<Session, VaultError> {
    vault.login_with(
        login,
        password.as_bytes(),
        &pc(pc_name),
        std::sync::Arc::new(clock.clone()),
    )
}

/// The initial password administrators give new users in tests.
pub const INITIAL_PASSWORD: &str = "Erst-Passwort-初期-4711";

/// The password a test user chooses at first log-in: distinctive per user, so the raw-byte
/// scan can look for it.
pub fn user_password(login: &str) -> String {
    let hash = login.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:010x}-Geheim-秘密!", hash & 0xff_ffff_ffff)
}

/// Creates `new` (as `admin`) with [`INITIAL_PASSWORD`], logs them in from `pc_name` and
/// replaces the initial password with [`user_password`]: a session ready to work.
pub fn add_ready_user(
    admin: &mut Session,
    vault: &Vault,
    new: kinko_vault::NewUser,
    pc_name: &str,
    clock: &kinko_vault::ManualClock,
) -> (kinko_domain::people::UserId, Session) {
    let login = new.login.clone();
    let id = admin
        .add_user(new, INITIAL_PASSWORD.as_bytes())
        .unwrap_or_else(|e| panic!("add_user({login}): {e:?}"));
    let mut s = login_at(vault, &login, INITIAL_PASSWORD, pc_name, clock)
        .unwrap_or_else(|e| panic!("first login of {login}: {e:?}"));
    assert!(
        s.must_change_password(),
        "{login}: a new user must change the password"
    );
    s.change_password(
        INITIAL_PASSWORD.as_bytes(),
        user_password(&login).as_bytes(),
    )
    .unwrap_or_else(|e| panic!("{login} changing the initial password: {e:?}"));
    (id, s)
}

/// A user with `role`, everything else empty (no department, grants, PCs or groups) and the
/// given scope.
pub fn new_user(
    login: &str,
    role: kinko_vault::UserRole,
    scope: kinko_vault::Scope,
) -> kinko_vault::NewUser {
    kinko_vault::NewUser {
        login: login.into(),
        role,
        department: None,
        grants: Vec::new(),
        scope,
        pcs: Vec::new(),
        groups: Vec::new(),
    }
}

/// Copies the files of a closed vault directory (no subdirectories) to `dst`, which is created.
pub fn copy_vault_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap_or_else(|e| panic!("mkdir {}: {e}", dst.display()));
    for file in files_under(src) {
        let name = file.file_name().expect("a file name");
        std::fs::copy(&file, dst.join(name))
            .unwrap_or_else(|e| panic!("copy {}: {e}", file.display()));
    }
}

/// `s` as UTF-16 little-endian bytes.
pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// `s` as UTF-16 big-endian bytes.
pub fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}
