//! The core's route table (issue 13) is what the service serves and what its OpenAPI document
//! describes: one list of paths for the server, the client and the apps.

mod common;

use std::collections::BTreeSet;

use lk_core::api::{HttpMethod, Route};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn method(route: &Route) -> Method {
    match route.method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
    }
}

#[tokio::test]
async fn every_route_of_the_table_is_served_with_its_method() {
    let s = common::start().await;
    for route in Route::ALL {
        let params = ["x"; 3];
        let path = route.at(&params).path;
        let (status, body) = s.call(method(route), &path, None, Some(json!({}))).await;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{route:?}: {body}");
        let unrouted =
            status == StatusCode::NOT_FOUND && body["message"] == "Нет такого адреса API";
        assert!(!unrouted, "{route:?} is not served: {body}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_table() {
    let s = common::start().await;
    let (_, doc) = s.get("/openapi.json", None).await;
    let mut described = BTreeSet::new();
    // The demo pages are served with --demo only and are no part of the API.
    let paths =
        doc["paths"].as_object().unwrap().iter().filter(|(p, _)| !p.starts_with("/api/v1/demo/"));
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            described.insert((method.to_uppercase(), path.clone()));
        }
    }
    let table: BTreeSet<(String, String)> = Route::ALL
        .iter()
        .filter(|r| !Route::PAGES.contains(r))
        .map(|r| (r.method.as_str().to_owned(), format!("/api/v1{}", r.template)))
        .collect();
    let missing: Vec<_> = table.difference(&described).collect();
    let extra: Vec<_> = described.difference(&table).collect();
    assert!(missing.is_empty(), "in the table, not in the OpenAPI document: {missing:?}");
    assert!(extra.is_empty(), "in the OpenAPI document, not in the table: {extra:?}");
}
