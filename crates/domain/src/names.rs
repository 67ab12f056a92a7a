//! Possible duplicates of a person. When a notice or an application is
//! entered, the system warns of existing persons with a similar name and the
//! same birth date; it is a warning, never a block, so the rules here lean
//! towards finding a match.
//!
//! Names arrive in Ukrainian Cyrillic or in Latin letters (passport
//! transliteration, sometimes an older or Russian-style one). Both are turned
//! into the official transliteration, then into a comparison key in which
//! the usual Latin spellings of one Ukrainian name coincide, and keys are
//! compared allowing a typo or two.

/// Apostrophes as typed in Ukrainian names (`Знам'янка`); dropped by the transliteration.
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{02BC}'];

/// The Latin letters of one lowercase Cyrillic letter: `(at the start of a word, elsewhere)`.
fn latin(c: char) -> Option<(&'static str, &'static str)> {
    let same = |s| Some((s, s));
    match c {
        'а' => same("a"),
        'б' => same("b"),
        'в' => same("v"),
        'г' => same("h"),
        'ґ' => same("g"),
        'д' => same("d"),
        'е' => same("e"),
        'є' => Some(("ye", "ie")),
        'ж' => same("zh"),
        'з' => same("z"),
        'и' => same("y"),
        'і' => same("i"),
        'ї' => Some(("yi", "i")),
        'й' => Some(("y", "i")),
        'к' => same("k"),
        'л' => same("l"),
        'м' => same("m"),
        'н' => same("n"),
        'о' => same("o"),
        'п' => same("p"),
        'р' => same("r"),
        'с' => same("s"),
        'т' => same("t"),
        'у' => same("u"),
        'ф' => same("f"),
        'х' => same("kh"),
        'ц' => same("ts"),
        'ч' => same("ch"),
        'ш' => same("sh"),
        'щ' => same("shch"),
        'ь' => same(""),
        'ю' => Some(("yu", "iu")),
        'я' => Some(("ya", "ia")),
        // Russian-only letters, for names written the Russian way.
        'ы' => same("y"),
        'э' => same("e"),
        'ё' => Some(("yo", "io")),
        'ъ' => same(""),
        _ => None,
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_cyrillic(c: char) -> bool {
    latin(lower(c)).is_some()
}

/// Official Ukrainian-to-Latin transliteration (CMU resolution 55 of
/// 27.01.2010): Є, Ї, Й, Ю, Я are Ye, Yi, Y, Yu, Ya at the start of a word and
/// ie, i, i, iu, ia elsewhere; Г is h, Ґ is g, "зг" is "zgh"; Ь and the
/// apostrophe are dropped. The Russian-only ы, э, ё, ъ are accepted too.
///
/// Case follows the Cyrillic letter: `Щ` is `Shch`, but within a word in
/// capitals (`ЩЕРБАК`, as on a passport page) it is `SHCH`. Anything that is
/// not a Cyrillic letter passes through unchanged.
pub fn transliterate(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let Some((initial, inner)) = latin(lower(c)) else {
            if APOSTROPHES.contains(&c) && prev.is_some_and(is_cyrillic) {
                continue;
            }
            out.push(c);
            continue;
        };
        let word_start = prev.is_none_or(|p| !p.is_alphabetic() && !APOSTROPHES.contains(&p));
        let after_z = prev.is_some_and(|p| lower(p) == 'з');
        let latin = match lower(c) {
            'г' if after_z => "gh",
            _ if word_start => initial,
            _ => inner,
        };
        if !c.is_uppercase() {
            out.push_str(latin);
            continue;
        }
        let upper = |x: Option<char>| x.is_some_and(|x| x.is_alphabetic() && x.is_uppercase());
        let next_is_letter = next.is_some_and(char::is_alphabetic);
        let all_caps = upper(next) || (!next_is_letter && upper(prev));
        let mut letters = latin.chars();
        if all_caps {
            out.extend(letters.flat_map(char::to_uppercase));
        } else if let Some(first) = letters.next() {
            out.extend(first.to_uppercase());
            out.extend(letters);
        }
    }
    out
}

/// A comparison key for one name, in which the common Latin spellings of one
/// Ukrainian name coincide:
///
/// 1. transliterate ([`transliterate`]), lowercase, keep the ASCII letters
///    (spaces, hyphens, apostrophes and accents go);
/// 2. spellings of one sound become one: `shch`→`sch` (Щ: Shcherbak,
///    Scherbak), `x`→`ks`, `w`→`v`, `ph`→`f`, `kh`→`h` (Х), `g`→`h` (Г is g
///    in Russian-style spelling; Ґ goes along), `ts`→`c` (Ц), `j`→`i` and
///    `y`→`i` (Й, И, the Y- of Є/Ї/Ю/Я: Julia, Yuliia);
/// 3. double letters collapse (Yuliia→iulia, Anna→ana, Kowaltschuk→kovalchuk);
/// 4. `ie`→`e` (Є and Е: Yevheniia and Evgeniia), and doubles collapse again.
///
/// `zh` (Ж) is kept, so "зг" (zgh) meets "ж"; both are rare in names and a
/// false warning is cheap. `ia` and `iu` are kept: the Russian style spells
/// Я, Ю with a y too, so they meet anyway.
pub fn name_key(name: &str) -> String {
    let mut key: String = transliterate(name)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    for (from, to) in [
        ("shch", "sch"),
        ("x", "ks"),
        ("w", "v"),
        ("ph", "f"),
        ("kh", "h"),
        ("g", "h"),
        ("ts", "c"),
        ("j", "i"),
        ("y", "i"),
    ] {
        key = key.replace(from, to);
    }
    key = collapse_doubles(&key).replace("ie", "e");
    collapse_doubles(&key)
}

fn collapse_doubles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The key of a full name: surname and given name, each [`name_key`]ed,
/// joined by a space. The patronymic is left out: Latin documents often omit it.
pub fn person_key(surname: &str, given_name: &str) -> String {
    format!("{} {}", name_key(surname), name_key(given_name))
}

/// Whether two [`person_key`]s may be the same person: equal, or at most one
/// edit apart for keys of up to 8 letters and two for longer ones (counted on
/// the whole key, the longer of the two); also when surname and given name
/// are swapped. A key without letters is similar to nothing.
pub fn similar(a: &str, b: &str) -> bool {
    let letters = |k: &str| k.chars().filter(char::is_ascii_alphabetic).count();
    if letters(a) == 0 || letters(b) == 0 {
        return false;
    }
    let allowed = if letters(a).max(letters(b)) <= 8 { 1 } else { 2 };
    let close = |x: &str, y: &str| x == y || levenshtein(x, y) <= allowed;
    close(a, b) || close(&swapped(a), b)
}

/// "surname given" → "given surname".
fn swapped(key: &str) -> String {
    match key.split_once(' ') {
        Some((surname, given)) => format!("{given} {surname}"),
        None => key.to_string(),
    }
}

/// The edit distance (insertions, deletions, substitutions) between two
/// strings, over chars. Written here rather than taken from a crate: it is
/// one small function, and the domain crate keeps its dependencies few.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_follows_the_resolution_table() {
        let examples = [
            ("Алушта", "Alushta"),
            ("Андрій", "Andrii"),
            ("Борщагівка", "Borshchahivka"),
            ("Вінниця", "Vinnytsia"),
            ("Гадяч", "Hadiach"),
            ("Згорани", "Zghorany"),
            ("Розгон", "Rozghon"),
            ("Ґалаґан", "Galagan"),
            ("Донецьк", "Donetsk"),
            ("Рівне", "Rivne"),
            ("Єнакієве", "Yenakiieve"),
            ("Гаєвич", "Haievych"),
            ("Житомир", "Zhytomyr"),
            ("Закарпаття", "Zakarpattia"),
            ("Медвин", "Medvyn"),
            ("Іршава", "Irshava"),
            ("Їжакевич", "Yizhakevych"),
            ("Кадиївка", "Kadyivka"),
            ("Йосипівка", "Yosypivka"),
            ("Стрий", "Stryi"),
            ("Олексій", "Oleksii"),
            ("Київ", "Kyiv"),
            ("Лебедин", "Lebedyn"),
            ("Миколаїв", "Mykolaiv"),
            ("Ніжин", "Nizhyn"),
            ("Одеса", "Odesa"),
            ("Полтава", "Poltava"),
            ("Ромни", "Romny"),
            ("Суми", "Sumy"),
            ("Тетерів", "Teteriv"),
            ("Ужгород", "Uzhhorod"),
            ("Фастів", "Fastiv"),
            ("Харків", "Kharkiv"),
            ("Біла Церква", "Bila Tserkva"),
            ("Чернівці", "Chernivtsi"),
            ("Шостка", "Shostka"),
            ("Гоща", "Hoshcha"),
            ("Щербухи", "Shcherbukhy"),
            ("Русь", "Rus"),
            ("Львів", "Lviv"),
            ("Юрій", "Yurii"),
            ("Крюківка", "Kriukivka"),
            ("Яготин", "Yahotyn"),
            ("Ічня", "Ichnia"),
            ("Знам'янка", "Znamianka"),
            ("Знам’янка", "Znamianka"),
            ("Знамʼянка", "Znamianka"),
            ("Гайсин", "Haisyn"),
        ];
        for (cyrillic, official) in examples {
            assert_eq!(transliterate(cyrillic), official, "{cyrillic}");
        }
    }

    #[test]
    fn transliteration_keeps_capitals_and_other_text() {
        assert_eq!(transliterate("ЩЕРБАК Юлія"), "SHCHERBAK Yuliia");
        assert_eq!(transliterate("ЗГОРАНИ"), "ZGHORANY");
        assert_eq!(transliterate("Я"), "Ya");
        assert_eq!(
            transliterate("Ковальчук-Щербак, 1990 р."),
            "Kovalchuk-Shcherbak, 1990 r."
        );
        assert_eq!(transliterate("O'Brien"), "O'Brien");
        assert_eq!(transliterate("Ёлкин Эдуард Ыч"), "Yolkyn Eduard Ych");
        assert_eq!(transliterate("Подъячев"), "Podiachev");
    }

    #[test]
    fn spellings_of_one_name_share_a_key() {
        let groups: [&[&str]; 8] = [
            &["Олександр", "Oleksandr", "Olexandr", "OLEKSANDR"],
            &["Юлія", "Yuliia", "Yuliya", "Julia", "Iuliia"],
            &["Григорій", "Hryhorii", "Hryhoriy", "Grigoriy"],
            &["Євгенія", "Yevheniia", "Evgeniia", "Yevgenia"],
            &["Ковальчук", "Kovalchuk", "Kowaltschuk"],
            &["Щербак", "Shcherbak", "Scherbak"],
            &["Андрій", "Andrii", "Andriy", "Andrij"],
            &["Кравець", "Kravets", "Kravec"],
        ];
        for group in groups {
            let key = name_key(group[0]);
            for spelling in group {
                assert_eq!(name_key(spelling), key, "{spelling} vs {}", group[0]);
            }
        }
        assert_eq!(name_key("Олександр"), "oleksandr");
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("Олена"), name_key("Олександр"));
        assert_ne!(name_key("Ковальчук"), name_key("Коваленко"));
        assert_ne!(name_key("Марія"), name_key("Мар'яна"));
    }

    #[test]
    fn cyrillic_and_latin_records_of_one_person_are_similar() {
        let cyrillic = person_key("Ковальчук", "Олександр");
        assert_eq!(cyrillic, "kovalchuk oleksandr");
        assert!(similar(&cyrillic, &person_key("Kovalchuk", "Oleksandr")));
        assert!(similar(&cyrillic, &person_key("KOVALCHUK", "OLEXANDR")));
        assert!(similar(
            &person_key("Шевченко", "Юлія"),
            &person_key("Shevchenko", "Julia")
        ));
    }

    #[test]
    fn a_typo_still_warns() {
        let a = person_key("Ковальчук", "Олександр");
        assert!(similar(&a, &person_key("Ковальчюк", "Олександр")));
        assert!(similar(&a, &person_key("Ковальчук", "Олесандр")));
        // Short keys allow one edit, not two.
        assert!(similar(&person_key("Лі", "Ія"), &person_key("Лі", "Ин")));
        assert!(!similar(&person_key("Лі", "Ія"), &person_key("Ло", "Ин")));
    }

    #[test]
    fn swapped_surname_and_given_name_still_warn() {
        let a = person_key("Ковальчук", "Олександр");
        assert!(similar(&a, &person_key("Олександр", "Ковальчук")));
        assert!(similar(&person_key("Oleksandr", "Kovalchuk"), &a));
    }

    #[test]
    fn different_people_do_not_warn() {
        assert!(!similar(
            &person_key("Ковальчук", "Олександр"),
            &person_key("Коваленко", "Олена")
        ));
        assert!(!similar(
            &person_key("Іваненко", "Марія"),
            &person_key("Петренко", "Марія")
        ));
        assert!(
            !similar(&person_key("", ""), &person_key("", "")),
            "no name, no warning"
        );
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "ab"), 2);
        assert_eq!(levenshtein("flaw", "lawn"), 2);
    }
}
