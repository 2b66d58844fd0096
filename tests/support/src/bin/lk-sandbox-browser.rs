//! `lk-sandbox-browser URL [CARD]`: pays on the sandbox acquirer's page at URL as a person would
//! (the demo card unless another is given, then the 3-D Secure code), for scripts such as the
//! README's walkthrough. Prints where the browser was sent back; exits 1 if it was not.

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("использование: lk-sandbox-browser АДРЕС_СТРАНИЦЫ_ОПЛАТЫ [НОМЕР_КАРТЫ]");
        return std::process::ExitCode::from(2);
    };
    let card = args.next().unwrap_or_else(|| "4111 1111 1111 1111".to_owned());
    let back = lk_test_support::SandboxBrowser::new().pay(&url, &card).await;
    if back.is_empty() {
        eprintln!("(браузер) страница оплаты не ответила");
        return std::process::ExitCode::FAILURE;
    }
    println!("(браузер) карта оплачена, возврат на {back}");
    std::process::ExitCode::SUCCESS
}
