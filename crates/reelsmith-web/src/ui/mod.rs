//! The server-rendered web UI: maud templates, one stylesheet and one small script served from the
//! binary (no build step, nothing fetched at run time), usable on a phone. Pages read and write
//! through the same services as the API.

pub mod analytics;
pub mod experiments;
pub mod performance;
pub mod personas;
pub mod repurpose;
pub mod scripts;

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use crate::{ApiError, AppState};

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");

/// The UI's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/generate") }))
        .route("/login", get(login_page).post(login))
        .route("/logout", get(logout_page).post(logout))
        .route(
            "/static/app.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS) }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    JS,
                )
            }),
        )
        .route("/personas", get(personas::list).post(personas::create))
        .route("/personas/{name}", get(personas::show))
        .route("/personas/{name}/profile", post(personas::edit))
        .route("/personas/{name}/delete", post(personas::delete))
        .route(
            "/personas/{name}/performance",
            get(performance::show).post(performance::import),
        )
        .route("/personas/{name}/calibration", post(performance::calibrate))
        .route("/personas/{name}/posts/{id}/link", post(performance::link))
        .route("/generate", get(scripts::form).post(scripts::generate))
        .route("/scripts/{id}", get(scripts::show))
        .route("/scripts/{id}/sections", post(scripts::regenerate))
        .route("/scripts/{id}/approval", post(scripts::approve))
        .route("/scripts/{id}/retry", post(scripts::retry))
        .route("/scripts/{id}/repurpose", post(repurpose::repurpose))
        .route("/history", get(scripts::history))
        .route(
            "/experiments",
            get(experiments::list).post(experiments::create),
        )
        .route("/experiments/{id}", get(experiments::show))
        .route("/experiments/{id}/posts", post(experiments::post))
        .route("/analytics", get(analytics::page))
}

/// A page: header with navigation, then `body`.
pub fn page(title: &str, active: &str, body: Markup) -> Markup {
    let nav = [
        ("/generate", "Generate"),
        ("/personas", "Personas"),
        ("/history", "History"),
        ("/experiments", "Experiments"),
        ("/analytics", "Analytics"),
        ("/api/docs", "API"),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · reelsmith" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header {
                    a.brand href="/" { "reelsmith" }
                    nav { @for (href, label) in nav {
                        a href=(href) class=[(label == active).then_some("on")] { (label) }
                    }
                        form #signout method="post" action="/logout" hidden { button.secondary type="submit" { "Sign out" } }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A form field's error, shown under the field (`id="error-FIELD"`), when `errors` name it.
pub fn field_error(
    errors: Option<&reelsmith_core::generation::FieldErrors>,
    field: &str,
) -> Markup {
    html! {
        @if let Some(reason) = errors.and_then(|e| e.reason(field)) {
            p.field-error id={ "error-" (field) } role="alert" { (reason) }
        }
    }
}

/// An error shown as a page with the API's status and message.
pub struct UiError(pub ApiError);

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let body = page(
            "Problem",
            "",
            html! {
                h1 { "That did not work" }
                div.card.error {
                    p { strong { (e.status.as_u16()) " " (e.status.canonical_reason().unwrap_or("")) } }
                    p { @if let Some(f) = &e.body.field { code { (f) } ": " } (e.body.message) }
                }
                p { a href="javascript:history.back()" { "Go back" } " and fix it; nothing was changed." }
            },
        );
        (e.status, body).into_response()
    }
}

/// Result of a UI handler.
pub type UiResult<T> = Result<T, UiError>;

/// Maps any API-mappable error into a page.
pub fn ui<E: Into<ApiError>>(e: E) -> UiError {
    UiError(e.into())
}

async fn login_page() -> Markup {
    page(
        "Sign in",
        "",
        html! {
            h1 { "Sign in" }
            form.card method="post" action="/login" {
                label for="token" { "API token" }
                input #token type="password" name="token" autocomplete="current-password" required;
                p.muted { "The token the server was started with (serve --token or REELSMITH_SERVER__TOKEN)." }
                button type="submit" { "Sign in" }
            }
        },
    )
}

async fn logout_page() -> Markup {
    page(
        "Sign out",
        "",
        html! {
            h1 { "Sign out" }
            form.card method="post" action="/logout" { button type="submit" { "Sign out" } }
        },
    )
}

/// Ends the browser's session (whatever its state) and clears its cookies.
async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(id) = crate::auth::session_of(&headers) {
        state.sessions.end(&id);
    }
    let [session, flag] = crate::auth::sign_out_cookies();
    (
        AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, flag)]),
        Redirect::to("/login"),
    )
        .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(State(state): State<AppState>, Form(f): Form<LoginForm>) -> Response {
    match &state.token {
        Some(t) if crate::auth::same(f.token.trim(), t) => {
            let Some(id) = state.sessions.start() else {
                return crate::ApiError::unavailable(
                    "no randomness for a session id — try again",
                )
                .into_response();
            };
            let [session, flag] = crate::auth::sign_in_cookies(&id);
            (
                AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, flag)]),
                Redirect::to("/generate"),
            )
                .into_response()
        }
        Some(_) => (
            StatusCode::UNAUTHORIZED,
            page("Sign in", "", html! { h1 { "Sign in" } div.card.error { "That token is not right." } p { a href="/login" { "Try again" } } }),
        )
            .into_response(),
        None => Redirect::to("/generate").into_response(),
    }
}
