//! Render time and size of the payment document PDF (`cargo bench -p lk-core --features pdf`),
//! from the demo document in `tests/fixtures/document-view.json`.

use std::time::{Duration, Instant};

use lk_core::api::DocumentView;

fn main() {
    let json = include_str!("../../tests/fixtures/document-view.json");
    let view: DocumentView = serde_json::from_str(json).expect("the fixture is a DocumentView");
    let first = lk_core::pdf::payment_document(&view).expect("renders");
    let mut samples: Vec<Duration> = (0..50)
        .map(|_| {
            let started = Instant::now();
            let pdf = lk_core::pdf::payment_document(&view).expect("renders");
            assert_eq!(pdf, first, "deterministic");
            started.elapsed()
        })
        .collect();
    samples.sort();
    println!(
        "payment document PDF: median {:?}, p95 {:?}, {} bytes ({} KiB)",
        samples[samples.len() / 2],
        samples[samples.len() * 95 / 100],
        first.len(),
        first.len() / 1024
    );
}
