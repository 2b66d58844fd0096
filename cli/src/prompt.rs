//! Questions in the terminal: a line, a secret (not echoed), yes or no.

use std::io::{BufRead, Write};

use crate::Failure;

pub fn line(question: &str) -> Result<String, Failure> {
    // A question is not output: it goes to stderr (as `read -p` puts it), so stdout carries
    // only what was asked for, JSON alone with --json.
    eprint!("{question}: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::input(crate::io_failure("терминал", &e)))?;
    if read == 0 {
        return Err(Failure::input("ввод закончился"));
    }
    Ok(answer.trim().to_owned())
}

pub fn secret(question: &str) -> Result<String, Failure> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        rpassword::prompt_password(format!("{question}: "))
            .map_err(|e| Failure::input(crate::io_failure("терминал", &e)))
    } else {
        line(question)
    }
}

pub fn yes(question: &str) -> Result<bool, Failure> {
    let answer = line(&format!("{question} [д/н]"))?;
    Ok(matches!(answer.to_lowercase().as_str(), "д" | "да" | "y" | "yes"))
}
