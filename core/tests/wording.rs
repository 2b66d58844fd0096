//! Issue 18, "Russian that reads right": every text a person reads, as the sources of the core,
//! the service, `lk` and the bindings write it, walked by `wording::problems` — Latin words
//! outside names and units, dot decimals, ungrouped thousands, nouns that disagree with the
//! number before them. A placeholder is tried as 1, 2 and 5, so `"{} цифр"` is caught by 1 and 2
//! while `count(n, …)`, which agrees by itself, is not.

use std::path::{Path, PathBuf};

use lk_core::wording::{count, number, problems, support};
use rust_decimal::Decimal;

/// The crates whose texts people read.
const SOURCES: &[&str] = &["core/src", "server/src", "cli/src", "bindings/src"];

/// Latin that a text must carry as it is, and why.
const VERBATIM: &[(&str, &str)] = &[
    ("Idempotence-Key", "the header the acquirer's API asks for, by its name"),
    ("individual", "a value of lk's --kind, typed as it is"),
    ("common-house", "a value of lk's --kind, typed as it is"),
    ("ST0001", "the payment QR's header, as GOST R 56042 names it"),
    ("windows-1251", "the encoding's name"),
    // Refusals of requests no app makes, read by whoever writes the client: HTTP's own names.
    ("Content-Type", "an HTTP header"),
    ("Idempotency-Key", "an HTTP header"),
    ("Retry-After", "an HTTP header"),
    ("JSON", "the body's format"),
    ("OpenAPI", "the standard the API is described by"),
    ("API", "the service's interface"),
    ("true или false", "JSON's words for yes and no"),
    ("ГГГГ-ММ-ДДTЧЧ:ММ:ССZ", "the wire format of an instant"),
];

#[test]
fn every_text_in_the_sources_is_russian_with_decimal_commas_and_agreeing_plurals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut walked = 0;
    for dir in SOURCES {
        for file in rust_files(&root.join(dir)) {
            let Ok(source) = std::fs::read_to_string(&file) else { continue };
            for literal in russian_literals(without_tests(&source)) {
                walked += 1;
                for problem in literal_problems(&literal) {
                    let name = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
                    found.push(format!("{name}: {problem} в «{literal}»"));
                }
            }
        }
    }
    assert!(walked > 300, "only {walked} texts found: is the walk reading the sources?");
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

#[test]
fn texts_made_from_numbers_read_right_for_every_count() {
    for n in 0..=125u32 {
        #[cfg(feature = "client")]
        if let Some(warning) = lk_core::client::sign_out_warning(n) {
            assert_eq!(problems(&warning), Vec::<String>::new(), "{warning}");
        }
        let days = count(n.into(), ["день", "дня", "дней"]);
        assert_eq!(problems(&days), Vec::<String>::new(), "{days}");
    }
    for value in ["99997.5", "0.001", "1234567.891", "-1200.50", "43.1725"] {
        let text = format!("показание {}", number(value.parse::<Decimal>().unwrap_or_default()));
        assert_eq!(problems(&text), Vec::<String>::new(), "{text}");
    }
    assert_eq!(problems(&support()), Vec::<String>::new());
}

#[test]
fn the_walk_catches_what_it_is_meant_to() {
    assert_eq!(literal_problems("на счётчике {} цифр до запятой").len(), 2, "1 and 2 цифр");
    assert!(!literal_problems("Услуга {name}: heating").is_empty());
    assert!(!literal_problems("расход 125.5 м³").is_empty());
    assert!(literal_problems("<p>Карта {}, сумма {}.</p>").is_empty(), "markup is not text");
    assert_eq!(
        russian_literals(r#"x("раз \"два\"\n три", 'й', r"четыре"); // пять"#),
        ["раз \"два\"\n три", "четыре"]
    );
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file's code without its unit tests (`#[cfg(test)]`, `#[cfg(all(test, …))]` before a
/// `mod`), whose inputs are wrong on purpose.
fn without_tests(source: &str) -> &str {
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let rest = &source[at + line.len()..];
        if line.starts_with("#[cfg(") && line.contains("test") && rest.starts_with("mod ") {
            return &source[..at];
        }
        at += line.len();
    }
    source
}

/// The string literals that carry Cyrillic, with escapes and line continuations resolved;
/// comments and character literals skipped.
fn russian_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            // A character literal ('"', '\'') or a lifetime ('a): neither opens a string.
            '\'' => {
                if chars.get(i + 1) == Some(&'\\') {
                    i += 4;
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            'r' if matches!(chars.get(i + 1), Some('"' | '#'))
                && (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '_') =>
            {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let start = i + 1 + hashes + 1;
                let close: String =
                    std::iter::once('"').chain("#".repeat(hashes).chars()).collect();
                let rest: String = chars[start..].iter().collect();
                let end = rest.find(&close).map_or(rest.len(), |e| e);
                let text: String = rest[..end].to_owned();
                i = start + text.chars().count() + close.chars().count();
                found.push(text);
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                        match chars.get(i) {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some('\n') => {
                                while chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
                                    i += 1;
                                }
                            }
                            Some('u') => {
                                let hex: String =
                                    chars[i..].iter().skip(2).take_while(|&&c| c != '}').collect();
                                if let Some(c) =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                                {
                                    text.push(c);
                                }
                                i += hex.chars().count() + 2;
                            }
                            Some(&c) => text.push(c),
                            None => {}
                        }
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
                i += 1;
                found.push(text);
            }
            _ => i += 1,
        }
    }
    found.retain(|t| t.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')));
    found
}

/// What a literal gets wrong with its placeholders filled by 1, 2 and 5, markup set aside.
/// SQL is not a text for people, whatever Russian it joins in.
fn literal_problems(literal: &str) -> Vec<String> {
    let sql = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH ", "CREATE "];
    if sql.iter().any(|s| literal.trim_start().starts_with(s)) {
        return Vec::new();
    }
    let mut text = without_markup(literal);
    for (verbatim, _why) in VERBATIM {
        text = text.replace(verbatim, "");
    }
    let mut found: Vec<String> = Vec::new();
    for n in ["1", "2", "5"] {
        for problem in problems(&fill_placeholders(&text, n)) {
            if !found.contains(&problem) {
                found.push(problem);
            }
        }
    }
    found
}

/// `<p class="x">Карта</p>` → ` Карта `: tags, styles and entities are not what a person reads.
fn without_markup(text: &str) -> String {
    let mut text = text.to_owned();
    while let (Some(open), Some(close)) = (text.find("<style>"), text.find("</style>")) {
        if close < open {
            break;
        }
        text.replace_range(open..close + "</style>".len(), " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split(['&']).map(|part| part.split_once(';').map_or(part, |(_, rest)| rest)).collect()
}

fn fill_placeholders(text: &str, n: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        if rest[open..].starts_with("{{") {
            out.push('{');
            rest = &rest[open + 2..];
            continue;
        }
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(n);
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
