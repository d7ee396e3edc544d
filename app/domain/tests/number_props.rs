//! Properties of My Number and 法人番号 parsing.
//!
//! What the check digits can and cannot detect, asserted exactly:
//!
//! - My Number. Σ mod 11 changes with every single-digit substitution and every adjacent
//!   transposition inside the 11-digit body (weights differ by 1 or 5, coprime to 11), but the
//!   remainders 0 and 1 both give check digit 0. So such an error is missed exactly when the
//!   remainder moves between 0 and 1 (e.g. `000000000000` → `200000000000`). A substitution of
//!   the check digit itself is always caught. Swapping the last body digit with the check digit
//!   is missed only when the two digits are 0 and 1 (and then only for some numbers).
//! - 法人番号. A substitution in the 12-digit base is missed exactly when it is 0↔9 (weights 1
//!   and 2 are coprime to 9); one in the check digit is always caught. An adjacent
//!   transposition inside the base is missed exactly when the digits are 0 and 9; swapping the
//!   check digit with the first base digit is always caught.

use kinko_domain::lang::{Lang, Localized};
use kinko_domain::number::{
    CorporateNumber, MyNumber, NumberError, NumberKind, corporate_check_digit,
    my_number_check_digit,
};
use proptest::prelude::*;

// Independent oracles (python-stdnum's formulation), so the tests do not just repeat the code.

fn my_number_remainder(body: &[u8]) -> u32 {
    const WEIGHTS: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    body.iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum::<u32>()
        % 11
}

fn my_number_cd(body: &[u8]) -> u8 {
    // -Σ mod 11 mod 10
    ((11 - my_number_remainder(body)) % 11 % 10) as u8
}

fn corporate_cd(base: &[u8]) -> u8 {
    // Left to right the weights are 2,1,2,1,… (the leftmost base digit is n = 12, even).
    let sum: u32 = base
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 2 } else { 1 })
        .sum();
    9 - (sum % 9) as u8
}

fn render(values: &[u8]) -> String {
    values.iter().map(|d| char::from(b'0' + d)).collect()
}

fn values(digits: &str) -> Vec<u8> {
    digits.bytes().map(|b| b - b'0').collect()
}

fn valid_my_number(body: [u8; 11]) -> Vec<u8> {
    let mut digits = body.to_vec();
    digits.push(my_number_cd(&body));
    digits
}

fn valid_corporate(base: [u8; 12]) -> Vec<u8> {
    let mut digits = vec![corporate_cd(&base)];
    digits.extend_from_slice(&base);
    digits
}

fn accepted_my_number(digits: &[u8]) -> bool {
    MyNumber::parse(&render(digits)).is_ok()
}

fn accepted_corporate(digits: &[u8]) -> bool {
    CorporateNumber::parse(&render(digits)).is_ok()
}

/// The exact rule for a changed body: missed iff the remainders are {0, 1}.
fn my_number_body_change_missed(original: &[u8], changed: &[u8]) -> bool {
    let (a, b) = (
        my_number_remainder(&original[..11]),
        my_number_remainder(&changed[..11]),
    );
    a != b && a <= 1 && b <= 1
}

fn assert_my_number_substitutions(digits: &[u8]) {
    for position in 0..12 {
        for replacement in (0..10).filter(|&d| d != digits[position]) {
            let mut changed = digits.to_vec();
            changed[position] = replacement;
            let missed = position < 11 && my_number_body_change_missed(digits, &changed);
            assert_eq!(
                accepted_my_number(&changed),
                missed,
                "{} at position {position}",
                render(&changed)
            );
        }
    }
}

fn assert_my_number_transpositions(digits: &[u8]) {
    for position in 0..11 {
        if digits[position] == digits[position + 1] {
            continue;
        }
        let mut changed = digits.to_vec();
        changed.swap(position, position + 1);
        let accepted = accepted_my_number(&changed);
        if position < 10 {
            assert_eq!(accepted, my_number_body_change_missed(digits, &changed));
        } else if accepted {
            let mut pair = [digits[10], digits[11]];
            pair.sort_unstable();
            assert_eq!(pair, [0, 1], "{}", render(&changed));
        }
    }
}

fn assert_corporate_substitutions(digits: &[u8]) {
    for position in 0..13 {
        for replacement in (0..10).filter(|&d| d != digits[position]) {
            let mut changed = digits.to_vec();
            changed[position] = replacement;
            let zero_nine = matches!((digits[position], replacement), (0, 9) | (9, 0));
            let missed = position > 0 && zero_nine;
            assert_eq!(accepted_corporate(&changed), missed, "{}", render(&changed));
        }
    }
}

fn assert_corporate_transpositions(digits: &[u8]) {
    for position in 0..12 {
        let (a, b) = (digits[position], digits[position + 1]);
        if a == b {
            continue;
        }
        let mut changed = digits.to_vec();
        changed.swap(position, position + 1);
        let missed = position > 0 && matches!((a, b), (0, 9) | (9, 0));
        assert_eq!(accepted_corporate(&changed), missed, "{}", render(&changed));
    }
}

const KNOWN_MY_NUMBERS: [&str; 6] = [
    "123456789018",
    "621498320257",
    "548836529885",
    "000000000000",
    "111111111118",
    "200000000000",
];

const KNOWN_CORPORATE: [&str; 5] = [
    "5835678256246",
    "7010705000725",
    "4011001098993",
    "1010601008968",
    "9234567890123",
];

#[test]
fn oracles_agree_with_the_library() {
    for known in KNOWN_MY_NUMBERS {
        let digits = values(known);
        let body: [u8; 11] = digits[..11].try_into().unwrap();
        assert_eq!(my_number_check_digit(&body), my_number_cd(&body));
        assert_eq!(my_number_cd(&body), digits[11]);
    }
    for known in KNOWN_CORPORATE {
        let digits = values(known);
        let base: [u8; 12] = digits[1..].try_into().unwrap();
        assert_eq!(corporate_check_digit(&base), corporate_cd(&base));
        assert_eq!(corporate_cd(&base), digits[0]);
    }
}

#[test]
fn single_digit_substitutions_exhaustively() {
    for known in KNOWN_MY_NUMBERS {
        assert_my_number_substitutions(&values(known));
    }
    for known in KNOWN_CORPORATE {
        assert_corporate_substitutions(&values(known));
    }
}

#[test]
fn my_number_substitution_is_missed_only_between_remainders_0_and_1() {
    // 123456789018 has remainder 3: every substitution is caught.
    let digits = values("123456789018");
    assert_eq!(my_number_remainder(&digits[..11]), 3);
    for position in 0..12 {
        for replacement in (0..10).filter(|&d| d != digits[position]) {
            let mut changed = digits.clone();
            changed[position] = replacement;
            assert!(!accepted_my_number(&changed));
        }
    }
    // 000000000000 has remainder 0; 200000000000 (remainder 1) is accepted too.
    assert!(accepted_my_number(&values("200000000000")));
}

#[test]
fn adjacent_transpositions_exhaustively() {
    for known in KNOWN_MY_NUMBERS {
        assert_my_number_transpositions(&values(known));
    }
    for known in KNOWN_CORPORATE {
        assert_corporate_transpositions(&values(known));
    }
}

#[test]
fn my_number_last_swap_can_miss_0_and_1() {
    // Body ending in 0 with remainder 10 has check digit 1; swapped, the remainder is 1 → 0.
    let body = (0..=9u8)
        .flat_map(|first| (0..=9u8).map(move |second| [first, second, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        .find(|body| my_number_remainder(body) == 10)
        .unwrap();
    let digits = valid_my_number(body);
    assert_eq!(digits[11], 1);
    let mut swapped = digits.clone();
    swapped.swap(10, 11);
    assert!(accepted_my_number(&swapped), "{}", render(&swapped));
}

const SEPARATORS: [&str; 14] = [
    "", " ", "\u{3000}", "\t", "-", "\u{FF0D}", "\u{2212}", "\u{2010}", "\u{2011}", "\u{2012}",
    "\u{2013}", "\u{2014}", "\u{2015}", "\u{30FC}",
];

const EDGE_SPACE: [&str; 4] = ["", " ", "\u{3000}", "\n "];

fn digit_char(value: u8, full_width: bool) -> char {
    if full_width {
        char::from_u32('０' as u32 + u32::from(value)).unwrap()
    } else {
        char::from(b'0' + value)
    }
}

fn typed(
    digits: &[u8],
    full_width: &[bool],
    separators: &[usize],
    edges: (usize, usize),
) -> String {
    let mut text = EDGE_SPACE[edges.0].to_owned();
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 {
            text.push_str(SEPARATORS[separators[i - 1]]);
        }
        text.push(digit_char(d, full_width[i]));
    }
    text.push_str(EDGE_SPACE[edges.1]);
    text
}

/// Every ASCII and full-width digit moved up by one, full-width staying full-width.
fn shift_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from(b'0' + (c as u8 - b'0' + 1) % 10),
            '０'..='９' => digit_char(((c as u32 - '０' as u32 + 1) % 10) as u8, true),
            _ => c,
        })
        .collect()
}

fn error_texts(error: &NumberError) -> [String; 4] {
    [
        error.to_string(),
        error.message(Lang::Ja),
        error.message(Lang::En),
        format!("{error:?}"),
    ]
}

fn junk() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => (0u8..10).prop_map(|d| char::from(b'0' + d)),
        2 => (0u8..10).prop_map(|d| digit_char(d, true)),
        2 => (0..SEPARATORS.len()).prop_map(|i| SEPARATORS[i].chars().next().unwrap_or(' ')),
        1 => any::<char>(),
        1 => prop::sample::select(vec!['a', 'Ｘ', '①', '٣', '三', '\u{A0}', '\u{200B}', '\n', '。']),
    ];
    prop::collection::vec(piece, 0..32).prop_map(|chars| chars.into_iter().collect())
}

fn check_error_shape(error: &NumberError) {
    if let NumberError::InvalidCharacter { character, .. } = error {
        assert!(!character.is_numeric() && !character.is_ascii_digit());
    }
    for text in error_texts(error) {
        assert!(!text.chars().any(|c| ('０'..='９').contains(&c)), "{text}");
    }
}

/// The error may depend on where the digits are, never on which digits they are.
fn assert_independent_of_digit_values<T>(
    parse: impl Fn(&str) -> Result<T, NumberError>,
    input: &str,
) {
    let shifted = shift_digits(input);
    match (parse(input), parse(&shifted)) {
        (Err(a), Err(b)) => assert_eq!(a, b),
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => {
            assert!(matches!(e, NumberError::CheckDigit { .. }), "{e:?}");
        }
        (Ok(_), Ok(_)) => {}
    }
    for result in [parse(input).err(), parse(&shifted).err()]
        .into_iter()
        .flatten()
    {
        check_error_shape(&result);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_body_with_its_check_digit_parses(body in prop::array::uniform11(0u8..10)) {
        let digits = valid_my_number(body);
        let number = MyNumber::parse(&render(&digits)).unwrap();
        prop_assert_eq!(number.expose_digits(), render(&digits));
        prop_assert_eq!(my_number_check_digit(&body), digits[11]);
        prop_assert_eq!(number.last4(), &render(&digits)[8..]);
        prop_assert_eq!(format!("{number:?}"), "MyNumber(**** **** ****)");
    }

    #[test]
    fn every_base_with_its_check_digit_parses(base in prop::array::uniform12(0u8..10)) {
        let digits = valid_corporate(base);
        let number = CorporateNumber::parse(&render(&digits)).unwrap();
        prop_assert_eq!(number.expose_digits(), render(&digits));
        prop_assert_eq!(corporate_check_digit(&base), digits[0]);
    }

    #[test]
    fn wrong_check_digits_are_refused(body in prop::array::uniform11(0u8..10), cd in 0u8..10) {
        let mut digits = body.to_vec();
        digits.push(cd);
        prop_assert_eq!(accepted_my_number(&digits), cd == my_number_cd(&body));
    }

    #[test]
    fn substitutions_and_transpositions_follow_the_rules(
        body in prop::array::uniform11(0u8..10),
        base in prop::array::uniform12(0u8..10),
    ) {
        assert_my_number_substitutions(&valid_my_number(body));
        assert_my_number_transpositions(&valid_my_number(body));
        assert_corporate_substitutions(&valid_corporate(base));
        assert_corporate_transpositions(&valid_corporate(base));
    }

    #[test]
    fn typed_forms_parse_to_the_same_number(
        body in prop::array::uniform11(0u8..10),
        full_width in prop::collection::vec(any::<bool>(), 13),
        separators in prop::collection::vec(0..SEPARATORS.len(), 12),
        edges in (0..EDGE_SPACE.len(), 0..EDGE_SPACE.len()),
        base in prop::array::uniform12(0u8..10),
    ) {
        let digits = valid_my_number(body);
        let text = typed(&digits, &full_width, &separators, edges);
        let number = MyNumber::parse(&text).unwrap();
        prop_assert_eq!(number.expose_digits(), render(&digits));

        let digits = valid_corporate(base);
        let text = typed(&digits, &full_width, &separators, edges);
        let number = CorporateNumber::parse(&text).unwrap();
        prop_assert_eq!(number.expose_digits(), render(&digits));
    }

    #[test]
    fn errors_depend_on_the_shape_of_the_input_only(input in junk()) {
        assert_independent_of_digit_values(MyNumber::parse, &input);
        assert_independent_of_digit_values(CorporateNumber::parse, &input);
    }

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        for error in [MyNumber::parse(&input).err(), CorporateNumber::parse(&input).err()]
            .into_iter()
            .flatten()
        {
            check_error_shape(&error);
        }
    }

    /// Inputs of at most six characters whose only digits are 7 and 8: no message has a
    /// reason to print 7 or 8 (positions and counts stay ≤ 6; 12, 13, 0–9 and 1 are fixed
    /// text), so a 7 or 8 in any rendering of the error would be a leak.
    #[test]
    fn errors_never_print_the_input_digits(
        chars in prop::collection::vec(
            prop::sample::select(vec!['7', '8', '７', '８', ' ', '-', 'a', 'ア', '③', '\u{A0}']),
            0..=6,
        ),
    ) {
        let input: String = chars.into_iter().collect();
        for error in [MyNumber::parse(&input).err(), CorporateNumber::parse(&input).err()]
            .into_iter()
            .flatten()
        {
            for text in error_texts(&error) {
                prop_assert!(
                    !text.contains(['7', '8', '７', '８']),
                    "{:?} leaked into {}", input, text
                );
            }
        }
    }
}

#[test]
fn kinds_are_named_in_errors() {
    let my = MyNumber::parse("1").unwrap_err();
    let corporate = CorporateNumber::parse("1").unwrap_err();
    assert_eq!(my.kind(), NumberKind::MyNumber);
    assert_eq!(corporate.kind(), NumberKind::Corporate);
    assert_eq!(my.to_string(), "個人番号は12桁です（入力は1桁）");
    assert_eq!(corporate.to_string(), "法人番号は13桁です（入力は1桁）");
    assert_eq!(
        corporate.message(Lang::En),
        "A corporate number has 13 digits (1 entered)"
    );
}
