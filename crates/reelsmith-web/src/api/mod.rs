//! The REST API under `/api/v1`, built with utoipa-axum so every route is registered in the
//! router and in the OpenAPI 3.1 document by the same call; the document is served at
//! `/api/openapi.json` and as a readable page at `/api/docs`.

pub mod experiments;
pub mod misc;
pub mod performance;
pub mod personas;
pub mod scripts;

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use maud::{Markup, html};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The document's fixed parts; paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "reelsmith API",
        description = "Learn a creator's persona, write short-form video scripts in that voice, score them, keep the history. Errors are `{error, field, message}` with 422 for a wrong field, 404 for an unknown id, 401 without the token, 502/503 when the language model failed or is unavailable. Send `Authorization: Bearer TOKEN` when the server has a token.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&BearerToken),
    tags(
        (name = "personas", description = "Creator personas learned from a story and example scripts"),
        (name = "scripts", description = "Generated scripts: generate, history, versions, approval, exports"),
        (name = "scoring", description = "Score cards for any text"),
        (name = "performance", description = "How posted scripts performed: imports, posts and their links, calibration of the scores, best time to post"),
        (name = "experiments", description = "A/B tests of versions of one idea: variants, their posts, the verdict with P(best) and lift intervals, and what won experiments taught"),
        (name = "usage", description = "LLM calls, tokens and cost"),
        (name = "health", description = "Liveness and readiness")
    )
)]
struct ApiDoc;

/// The `bearer` security scheme: every operation takes `Authorization: Bearer TOKEN`, which is
/// required when the server has a token (always beyond localhost) and optional on a localhost
/// server without one — hence each operation lists both requirements.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, doc: &mut Document) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The server's API token (`reelsmith serve --token`); a browser signs in at /login instead",
                    ))
                    .build(),
            ),
        );
        doc.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::default(),
        ]);
    }
}

/// The API router (paths relative to `/api/v1`) and its OpenAPI document (paths absolute).
pub fn router() -> (Router<AppState>, Document) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(personas::list, personas::create))
        .routes(routes!(personas::upload))
        .routes(routes!(personas::get, personas::update, personas::delete))
        .routes(routes!(personas::similar))
        .routes(routes!(scripts::generate))
        .routes(routes!(scripts::list))
        .routes(routes!(scripts::get, scripts::delete))
        .routes(routes!(scripts::export_script))
        .routes(routes!(scripts::regenerate_section))
        .routes(routes!(scripts::approval))
        .routes(routes!(scripts::retry))
        .routes(routes!(scripts::repurpose))
        .routes(routes!(performance::import))
        .routes(routes!(performance::posts))
        .routes(routes!(performance::link))
        .routes(routes!(performance::insight_scores))
        .routes(routes!(performance::calibrate))
        .routes(routes!(performance::best_time))
        .routes(routes!(experiments::list, experiments::create))
        .routes(routes!(experiments::get))
        .routes(routes!(experiments::post))
        .routes(routes!(experiments::preferences))
        .routes(routes!(misc::score_text))
        .routes(routes!(misc::usage))
        .routes(routes!(misc::health))
        .routes(routes!(misc::ready))
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::server::Server::new("/api/v1")]);
    (router, describe_responses(doc))
}

/// Completes what OpenAPI requires and the annotations leave out: every response gets a description
/// (the status's reason phrase, e.g. "Unprocessable Entity"), and every operation id is made unique
/// by its tag (`personas_list`, `scripts_list`: handlers of different modules share names).
fn describe_responses(doc: Document) -> Document {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    for ops in v["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for op in ops.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
            if let (Some(tag), Some(id)) = (op["tags"][0].as_str(), op["operationId"].as_str()) {
                op["operationId"] = serde_json::Value::from(format!("{tag}_{id}"));
            }
            for (code, r) in op["responses"]
                .as_object_mut()
                .into_iter()
                .flat_map(|r| r.iter_mut())
            {
                if r["description"].as_str().is_none_or(str::is_empty) {
                    let reason = code
                        .parse::<u16>()
                        .ok()
                        .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
                        .and_then(|c| c.canonical_reason())
                        .unwrap_or("Response");
                    r["description"] = serde_json::Value::from(reason);
                }
            }
        }
    }
    serde_json::from_value(v).unwrap_or(doc)
}

/// `/api/openapi.json` and `/api/docs`.
pub fn docs_router(doc: Arc<Document>) -> Router<AppState> {
    let json = Arc::clone(&doc);
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || {
                let d = Arc::clone(&json);
                async move { Json(d.as_ref().clone()) }
            }),
        )
        .route(
            "/api/docs",
            get(move |State(_): State<AppState>| {
                let d = Arc::clone(&doc);
                async move { docs_page(&d) }
            }),
        )
}

/// Every operation of the document with its parameters and answers, as one readable page.
fn docs_page(doc: &Document) -> Markup {
    let value = serde_json::to_value(doc).unwrap_or_default();
    let empty = serde_json::Map::new();
    let paths = value["paths"].as_object().unwrap_or(&empty);
    html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "reelsmith API" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                main {
                    h1 { "reelsmith API" }
                    p { (value["info"]["description"].as_str().unwrap_or("")) }
                    p { "Base path " code { "/api/v1" } " · machine-readable: " a href="/api/openapi.json" { "openapi.json" } " (OpenAPI " (value["openapi"].as_str().unwrap_or("")) ")" }
                    @for (path, ops) in paths {
                        @for (method, op) in ops.as_object().unwrap_or(&empty) {
                            section.op {
                                h2 { code { (method.to_uppercase()) " " (path) } }
                                p { (op["summary"].as_str().or(op["description"].as_str()).unwrap_or("")) }
                                @if let Some(params) = op["parameters"].as_array() {
                                    ul { @for p in params {
                                        li { code { (p["name"].as_str().unwrap_or("")) } " (" (p["in"].as_str().unwrap_or("")) ") " (p["description"].as_str().unwrap_or("")) }
                                    } }
                                }
                                p { "Answers: " @for (code, r) in op["responses"].as_object().unwrap_or(&empty) {
                                    code { (code) } " " (r["description"].as_str().unwrap_or("")) " · "
                                } }
                            }
                        }
                    }
                }
            }
        }
    }
}
