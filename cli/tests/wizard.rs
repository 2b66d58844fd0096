//! The registration wizard driven through a pseudo-terminal, as a person types at it (R1–R3):
//! the CAPTCHA picture saved, consent, the account with its proof and the address shown, the
//! code from the SMS; then `lk login` works with the new profile. Exit codes of bad input,
//! refusal and no connection.

use std::time::Duration;

use expectrl::{Eof, Regex, Session};
use lk_e2e::{Person, Scratch, loopback, start_service};

fn lk(server: &str, home: &std::path::Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_lk"));
    command.args(args).env("LK_SERVER", server).env("LK_HOME", home);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registration_wizard_takes_a_person_from_nothing_to_signed_in() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let person = Person::new(&url);
    let home = Scratch::new("wizard");
    let free = person.get("/demo/accounts").await;
    let number = free[1]["number"].as_str().unwrap().to_owned();
    let proof = free[1]["latest_document_total"].as_str().unwrap().replace('.', ",");
    let phone = "+79120000777";

    let command = lk(&url, home.dir(), &["register"]);
    let mut p = Session::spawn(command).expect("a pseudo-terminal");
    p.set_expect_timeout(Some(Duration::from_secs(30)));
    p.expect("Логин").unwrap();
    p.send_line("wizard2026").unwrap();
    p.expect("Пароль").unwrap();
    p.send_line("Wizard-2026").unwrap();
    p.expect("Пароль ещё раз").unwrap();
    p.send_line("Wizard-2026").unwrap();
    p.expect("телефону").unwrap();
    p.send_line("т").unwrap();
    p.expect("Телефон").unwrap();
    p.send_line(phone).unwrap();
    p.expect("Город").unwrap();
    p.send_line("Шадринск").unwrap();
    let captcha = p.expect(Regex(r"lk-captcha-([A-Za-z0-9_-]+)\.png")).unwrap();
    let id = String::from_utf8_lossy(captcha.get(1).unwrap()).into_owned();
    let picture = std::env::temp_dir().join(format!("lk-captcha-{id}.png"));
    assert!(
        std::fs::read(&picture).unwrap().starts_with(b"\x89PNG"),
        "the picture is saved to open"
    );
    p.expect("Цифры с картинки").unwrap();
    p.send_line(person.read_captcha(&id).await).unwrap();
    p.expect("Согласны?").unwrap();
    p.send_line("да").unwrap();
    p.expect("Номер лицевого счёта").unwrap();
    p.send_line(&number).unwrap();
    p.expect("Итого к оплате").unwrap();
    p.send_line("1,00").unwrap();
    p.expect("не найден").unwrap();
    p.expect("Номер лицевого счёта").unwrap();
    p.send_line(&number).unwrap();
    p.expect("Итого к оплате").unwrap();
    p.send_line(&proof).unwrap();
    p.expect(Regex(r"Владелец: \S*\*")).unwrap();
    p.expect("Данные верны").unwrap();
    p.send_line("д").unwrap();
    p.expect("Код из сообщения").unwrap();
    p.send_line("000000").unwrap();
    p.expect("Код из сообщения").unwrap();
    let code = person.code_sent_to(phone).await;
    p.send_line(&code).unwrap();
    p.expect("Регистрация завершена").unwrap();
    p.expect(Eof).unwrap();
    let _ = std::fs::remove_file(picture);

    let mut login = lk(&url, home.dir(), &["login", "--login", "wizard2026", "--password-stdin"]);
    let out = login_with(&mut login, "Wizard-2026");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Лицевых счетов: 1"));
    let accounts = lk(&url, home.dir(), &["--json", "accounts"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&accounts.stdout).unwrap();
    assert_eq!(list[0]["number"], number);

    // A profile made by phone has no e-mail: the service refuses receipts by e-mail, and lk says
    // so at once rather than "saved".
    let refused = lk(&url, home.dir(), &["settings", "notifications", "--receipt-by-email", "on"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(3), "{}", String::from_utf8_lossy(&refused.stdout));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("укажите и подтвердите адрес"));
    assert!(!String::from_utf8_lossy(&refused.stdout).contains("сохранены"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lk_reaches_the_document_by_e_mail_a_receipt_and_the_paper_refusal_form() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let person = Person::new(&url);
    let home = Scratch::new("promises");
    let login = &mut lk(&url, home.dir(), &["login", "--login", "demo", "--password-stdin"]);
    assert!(login_with(login, "Demo-2026").status.success());
    let run = |args: &[&str]| {
        let out = lk(&url, home.dir(), args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // R8: the document by e-mail, to the profile's address.
    assert!(run(&["document", "--email"]).contains("отправлен на e-mail"));
    let mail = person.get("/demo/outbox?recipient=demo%40example.ru").await;
    assert!(mail[0]["subject"].as_str().unwrap().starts_with("Платёжный документ"), "{mail}");
    // R13: a receipt of an earlier payment, and its PDF.
    let payments: serde_json::Value = serde_json::from_str(&run(&[
        "--json",
        "reports",
        "payments",
        "--from",
        "2026-01-01",
        "--to",
        "2026-11-21",
    ]))
    .unwrap();
    let id = payments["payments"][0]["id"].as_str().unwrap().to_owned();
    let pdf = home.dir().join("receipt.pdf");
    let shown = run(&["receipt", &id, "--pdf", pdf.to_str().unwrap()]);
    assert!(shown.contains("Кассовый чек") && shown.contains("ФН 9999078900012345"), "{shown}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // R20: the paper-refusal application, filled in, and as PDF to print.
    let form_pdf = home.dir().join("form.pdf");
    let form = run(&["paper-refusal", "--pdf", form_pdf.to_str().unwrap()]);
    assert!(form.contains("demo@example.ru") && form.contains("Прошу прекратить"), "{form}");
    assert!(std::fs::read(&form_pdf).unwrap().starts_with(b"%PDF-"));
}

fn login_with(command: &mut std::process::Command, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_tell_bad_input_refusal_sign_in_and_offline_apart() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let home = Scratch::new("exit-codes");
    let code = |out: std::process::Output| out.status.code().unwrap();

    assert_eq!(code(lk(&url, home.dir(), &["charges"]).output().unwrap()), 5, "sign in first");
    assert_eq!(
        code(login_with(
            &mut lk(&url, home.dir(), &["login", "--login", "demo", "--password-stdin"]),
            "Wrong-2026"
        )),
        3
    );
    assert!(
        login_with(
            &mut lk(&url, home.dir(), &["login", "--login", "demo", "--password-stdin"]),
            "Demo-2026"
        )
        .status
        .success()
    );
    assert_eq!(
        code(lk(&url, home.dir(), &["charges", "--period", "2026-13"]).output().unwrap()),
        2
    );
    assert_eq!(
        code(lk(&url, home.dir(), &["pay", "--total", "abc", "--yes"]).output().unwrap()),
        2
    );
    let charges = lk(&url, home.dir(), &["charges"]).output().unwrap();
    assert!(String::from_utf8_lossy(&charges.stdout).contains("8 К оплате"));

    // The server goes away: the charges seen before still show; a new period cannot be had.
    let meters = lk(&url, home.dir(), &["--json", "meters"]).output().unwrap();
    let meters: serde_json::Value = serde_json::from_slice(&meters.stdout).unwrap();
    service.running.stop().await.unwrap();
    let offline = lk(&url, home.dir(), &["charges"]).output().unwrap();
    assert!(
        offline.status.success(),
        "from the store: {}",
        String::from_utf8_lossy(&offline.stderr)
    );
    assert_eq!(
        code(lk(&url, home.dir(), &["charges", "--period", "2026-01"]).output().unwrap()),
        4
    );
    // A reading made offline is kept for later.
    let cold = meters["meters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meter"]["kind"] == "cold_water")
        .unwrap();
    let value: f64 = cold["start"]["values"][0]["value"].as_str().unwrap().parse().unwrap();
    let id = cold["meter"]["id"].as_str().unwrap();
    let submitted = lk(
        &url,
        home.dir(),
        &["readings", "submit", "--meter", id, &format!("{:.3}", value + 1.0), "--yes"],
    )
    .output()
    .unwrap();
    assert!(submitted.status.success(), "{}", String::from_utf8_lossy(&submitted.stderr));
    assert!(String::from_utf8_lossy(&submitted.stdout).contains("будут отправлены"));
    let outbox = lk(&url, home.dir(), &["readings", "outbox"]).output().unwrap();
    assert!(String::from_utf8_lossy(&outbox.stdout).contains("ждёт связи"));

    // Signing out with it unsent: a script must say what becomes of it; kept, it is hidden.
    let unsaid = lk(&url, home.dir(), &["logout"]).output().unwrap();
    let said = String::from_utf8_lossy(&unsaid.stderr);
    assert_eq!(code(unsaid.clone()), 2, "{said}");
    assert!(said.contains("1 запись") && said.contains("--keep"), "{said}");
    let kept = lk(&url, home.dir(), &["logout", "--keep"]).output().unwrap();
    assert!(String::from_utf8_lossy(&kept.stdout).contains("сохранено: 1"));
    let outbox = lk(&url, home.dir(), &["readings", "outbox"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&outbox.stdout).contains("ждёт связи"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readings_take_a_decimal_comma_and_each_finding_is_confirmed_on_its_own() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let home = Scratch::new("reading-entry");
    let login = &mut lk(&url, home.dir(), &["login", "--login", "demo", "--password-stdin"]);
    assert!(login_with(login, "Demo-2026").status.success());
    let meters = lk(&url, home.dir(), &["--json", "meters"]).output().unwrap();
    let meters: serde_json::Value = serde_json::from_slice(&meters.stdout).unwrap();
    let meter = |kind: &str| {
        meters["meters"].as_array().unwrap().iter().find(|m| m["meter"]["kind"] == kind).unwrap()
    };
    // Cold water with a decimal comma, as people write it.
    let cold = meter("cold_water");
    let start: f64 = cold["start"]["values"][0]["value"].as_str().unwrap().parse().unwrap();
    let typed = format!("{:.1}", start + 1.5).replace('.', ",");
    let id = cold["meter"]["id"].as_str().unwrap();
    let out = lk(&url, home.dir(), &["readings", "submit", "--meter", id, &typed, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "«{typed}»: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Спасибо, Ваши показания приняты"));

    // With --json, stdout is the JSON alone: the question, the resubmission's finding and the
    // thanks go to stderr.
    let again = format!("{:.1}", start + 2.0).replace('.', ",");
    let mut json = lk(&url, home.dir(), &["--json", "readings", "submit", "--meter", id, &again])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut json.stdin.take().unwrap(), "д\n".as_bytes()).unwrap();
    let out = json.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let item: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(item["state"], "sent", "{item}");
    assert!(said.contains("Отправить эти показания?") && said.contains("приняты"), "{said}");

    // Hot water about to pass 99 999: a rollover with a huge use needs two answers; one «д»
    // for the rollover and «н» for the use sends nothing.
    let hot = meter("hot_water");
    let id = hot["meter"]["id"].as_str().unwrap();
    let mut p =
        Session::spawn(lk(&url, home.dir(), &["readings", "submit", "--meter", id, "00900"]))
            .expect("a pseudo-terminal");
    p.set_expect_timeout(Some(Duration::from_secs(30)));
    p.expect("Подтверждаете?").unwrap();
    p.send_line("д").unwrap();
    p.expect("Подтверждаете?").unwrap();
    p.send_line("н").unwrap();
    p.expect("не отправлено").unwrap();
    p.expect(Eof).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_lk_quietly() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let home = Scratch::new("closed-pipe");
    let login = &mut lk(&url, home.dir(), &["login", "--login", "demo", "--password-stdin"]);
    assert!(login_with(login, "Demo-2026").status.success());
    let lk_path = env!("CARGO_BIN_EXE_lk");
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            &format!(
                "'{lk_path}' meters | head -c 1 > /dev/null; '{lk_path}' reports charges | true"
            ),
        ])
        .env("LK_SERVER", &url)
        .env("LK_HOME", home.dir())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_by_e_mail_waits_for_the_link_instead_of_asking_for_a_code() {
    let service = start_service(None, loopback()).await;
    let url = service.url();
    let person = Person::new(&url);
    let home = Scratch::new("wizard-email");
    let free = person.get("/demo/accounts").await;
    let number = free[2]["number"].as_str().unwrap().to_owned();
    let proof = free[2]["latest_document_total"].as_str().unwrap().replace('.', ",");
    let email = "wizard-mail@example.ru";

    let mut p = Session::spawn(lk(&url, home.dir(), &["register"])).expect("a pseudo-terminal");
    p.set_expect_timeout(Some(Duration::from_secs(30)));
    for (prompt, answer) in [
        ("Логин", "mailwizard"),
        ("Пароль", "Letter-2026x"),
        ("Пароль ещё раз", "Letter-2026x"),
        ("телефону", "e"),
        ("E-mail", email),
        ("Город", "Курган"),
    ] {
        p.expect(prompt).unwrap();
        p.send_line(answer).unwrap();
    }
    let captcha = p.expect(Regex(r"lk-captcha-([A-Za-z0-9_-]+)\.png")).unwrap();
    let id = String::from_utf8_lossy(captcha.get(1).unwrap()).into_owned();
    p.expect("Цифры с картинки").unwrap();
    p.send_line(person.read_captcha(&id).await).unwrap();
    p.expect("Согласны?").unwrap();
    p.send_line("да").unwrap();
    p.expect("Номер лицевого счёта").unwrap();
    p.send_line(&number).unwrap();
    p.expect("Итого к оплате").unwrap();
    p.send_line(&proof).unwrap();
    p.expect("Данные верны").unwrap();
    p.send_line("д").unwrap();
    p.expect("Откройте ссылку из письма").unwrap();
    // The person opens the link from the letter in a browser.
    let letter = person.get(&format!("/demo/outbox?recipient={}", email.replace('@', "%40"))).await;
    let body = letter[0]["body"].as_str().unwrap();
    let link = body.split_whitespace().find(|w| w.starts_with("http")).unwrap();
    let page = reqwest::get(link).await.unwrap();
    assert!(page.status().is_success());
    p.expect("Регистрация завершена").unwrap();
    p.expect(Eof).unwrap();
    let _ = std::fs::remove_file(std::env::temp_dir().join(format!("lk-captcha-{id}.png")));
}
