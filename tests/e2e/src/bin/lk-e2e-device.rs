//! A phone for the offline test: opens the device store, submits the readings it is given while
//! the server is down, says so, and waits to be killed.
//!
//! `lk-e2e-device BASE_URL DEVICE_DIR ACCOUNT METER=ZONE:VALUE[,ZONE:VALUE]…`

use std::io::Write;
use std::path::PathBuf;

use lk_core::readings::ZoneInput;
use lk_core::service::TariffZone;

fn zone(code: &str) -> TariffZone {
    match code {
        "day" => TariffZone::Day,
        "night" => TariffZone::Night,
        "peak" => TariffZone::Peak,
        "semi_peak" => TariffZone::SemiPeak,
        _ => TariffZone::Single,
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, dir, number, readings @ ..] = args.as_slice() else {
        eprintln!("usage: lk-e2e-device BASE_URL DEVICE_DIR ACCOUNT METER=ZONE:VALUE…");
        std::process::exit(2);
    };
    let lk = lk_e2e::device(base, &PathBuf::from(dir));
    let _sync = lk.start_sync();
    for reading in readings {
        let (meter, values) = reading.split_once('=').unwrap_or_default();
        let values: Vec<ZoneInput> = values
            .split(',')
            .filter_map(|v| v.split_once(':'))
            .map(|(z, text)| ZoneInput { zone: zone(z), text: text.to_owned() })
            .collect();
        if let Err(e) = lk.readings().submit(number, meter, &values, &[], None, false).await {
            eprintln!("{meter}: {e}");
            std::process::exit(1);
        }
    }
    println!("queued {}", readings.len());
    let _ = std::io::stdout().flush();
    std::future::pending::<()>().await;
}
