//! A meter reader's round with `lk` (R24): the route downloaded, half the meters captured with
//! the service up, the network gone for the other half (a skip, an unusual value that asks for a
//! photo), `lk` closed and opened again, the service back: every capture sent once and answered.

use lk_e2e::{Scratch, loopback, start_service};
use serde_json::Value;

fn lk(server: &str, home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_lk"));
    command.args(args).env("LK_SERVER", server).env("LK_HOME", home);
    command.stdin(std::process::Stdio::null()).output().expect("lk runs")
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r24_a_reader_walks_a_round_with_lk_and_the_network_unplugged_halfway() {
    let data = Scratch::new("lk-rounds-server");
    let home = Scratch::new("lk-rounds-phone");
    let service = start_service(Some(data.dir()), loopback()).await;
    let (addr, url) = (service.running.addr, service.url());

    let mut login = std::process::Command::new(env!("CARGO_BIN_EXE_lk"));
    login.args(["login", "--login", "reader2", "--password-stdin"]);
    login.env("LK_SERVER", &url).env("LK_HOME", home.dir());
    login.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let mut child = login.spawn().expect("lk login");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "Reader2-2026").expect("the password");
    }
    assert!(child.wait_with_output().expect("lk login ends").status.success());

    assert!(ok(&lk(&url, home.dir(), &["rounds"])).contains("R-2"));
    assert!(ok(&lk(&url, home.dir(), &["rounds", "download", "R-2"])).contains("без связи"));
    let route: Value =
        serde_json::from_str(&ok(&lk(&url, home.dir(), &["--json", "rounds", "show", "R-2"])))
            .expect("the route as JSON");
    // Meters with one expected zone, from the end of the route (the flats the demo's residents
    // submit for come first).
    let meters: Vec<(String, String, f64, f64)> = route["stops"]
        .as_array()
        .expect("stops")
        .iter()
        .rev()
        .filter(|s| s["cancelled"] == false)
        .filter_map(|s| {
            let m = s["meters"]
                .as_array()?
                .iter()
                .find(|m| m["expected"].as_array().map(Vec::len) == Some(1))?;
            let range = &m["expected"][0];
            let number = |v: &Value| v.as_str().and_then(|t| t.parse::<f64>().ok());
            Some((
                s["id"].as_str()?.to_owned(),
                m["meter"]["id"].as_str()?.to_owned(),
                number(&range["low"])?,
                number(&range["high"])?,
            ))
        })
        .take(6)
        .collect();
    assert_eq!(meters.len(), 6, "{route}");
    let inside = |low: f64| format!("{:.1}", low + 0.5).replace('.', ",");

    // Online: three meters read.
    for (stop, meter, low, _) in &meters[..3] {
        let said = ok(&lk(
            &url,
            home.dir(),
            &["rounds", "capture", "R-2", "--stop", stop, "--meter", meter, &inside(*low)],
        ));
        assert!(said.contains("Сохранено"), "{said}");
    }
    ok(&lk(&url, home.dir(), &["rounds", "sync", "R-2"]));

    // The network goes: one read, one skipped, one far above its range.
    service.running.stop().await.expect("the service stops");
    let (stop, meter, low, _) = &meters[3];
    ok(&lk(
        &url,
        home.dir(),
        &["rounds", "capture", "R-2", "--stop", stop, "--meter", meter, &inside(*low)],
    ));
    let (stop, meter, _, _) = &meters[4];
    let fault = lk(
        &url,
        home.dir(),
        &["rounds", "skip", "R-2", "--stop", stop, "--meter", meter, "--reason", "faulty"],
    );
    assert_eq!(
        fault.status.code(),
        Some(2),
        "a fault needs a photo: {}",
        String::from_utf8_lossy(&fault.stdout)
    );
    ok(&lk(
        &url,
        home.dir(),
        &[
            "rounds",
            "skip",
            "R-2",
            "--stop",
            stop,
            "--meter",
            meter,
            "--reason",
            "no_access",
            "--note",
            "Не открыли",
        ],
    ));
    let (stop, meter, _, high) = &meters[5];
    let far = format!("{:.0}", high + 50.0);
    let asked =
        lk(&url, home.dir(), &["rounds", "capture", "R-2", "--stop", stop, "--meter", meter, &far]);
    assert_eq!(asked.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&asked.stderr).contains("без фото не сохранить"),
        "{}",
        String::from_utf8_lossy(&asked.stderr)
    );
    let photo = home.path("dial.jpg");
    std::fs::write(&photo, [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[0; 64]].concat()).expect("a photo");
    let photo = photo.to_string_lossy().into_owned();
    ok(&lk(
        &url,
        home.dir(),
        &["rounds", "capture", "R-2", "--stop", stop, "--meter", meter, &far, "--photo", &photo],
    ));
    let status = ok(&lk(&url, home.dir(), &["rounds", "status", "R-2"]));
    assert_eq!(status.matches("на устройстве").count(), 3, "{status}");
    assert!(status.contains("Снято: 5, пропущено: 1"), "{status}");

    // Back in signal: everything goes once and comes back answered.
    let service = start_service(Some(data.dir()), addr).await;
    let url = service.url();
    let mut journal = Value::Null;
    for _ in 0..50 {
        ok(&lk(&url, home.dir(), &["rounds", "sync", "R-2"]));
        journal = serde_json::from_str(&ok(&lk(
            &url,
            home.dir(),
            &["--json", "rounds", "status", "R-2"],
        )))
        .expect("the journal");
        if journal.as_array().is_some_and(|j| j.iter().all(|e| e["state"] != "saved")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let states: Vec<&str> =
        journal.as_array().expect("entries").iter().filter_map(|e| e["state"].as_str()).collect();
    assert_eq!(
        states,
        ["accepted", "accepted", "accepted", "accepted", "accepted", "needs_review"],
        "{journal}"
    );
    let sheet = home.path("sheet.pdf");
    ok(&lk(&url, home.dir(), &["rounds", "sheet", "R-2", "--pdf", &sheet.to_string_lossy()]));
    assert!(std::fs::read(&sheet).expect("the sheet").starts_with(b"%PDF"));
}
