//! How `lk` shows things: aligned tables for people, JSON for scripts, a spinner on slow calls.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// Prints `rows` under `headers`, numbers right-aligned (columns listed in `right`).
pub fn table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) {
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if right.contains(&i) {
                    format!("{}{c}", " ".repeat(pad))
                } else {
                    format!("{c}{}", " ".repeat(pad))
                }
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.to_vec());
    println!("{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  ").trim_end());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("lk: {e}"),
    }
}

/// A spinner on stderr while something slow runs (only on a terminal).
pub fn spinner(message: &str) -> ProgressBar {
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

pub fn money(m: lk_core::Money) -> String {
    m.format_ru_plain()
}

pub use lk_core::money::format_decimal_ru as decimal;

/// An instant as the person's clock shows it (the store keeps UTC).
pub fn local(at: chrono::DateTime<chrono::Utc>, format: &str) -> String {
    at.with_timezone(&chrono::Local).format(format).to_string()
}
