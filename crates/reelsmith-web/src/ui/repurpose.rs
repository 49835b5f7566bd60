//! Repurposing from a script's page: a form to turn the script into other platforms' forms, and
//! the page listing what it made (each a new generation linked to the source).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use maud::{Markup, html};
use reelsmith_core::generation::Generation;
use reelsmith_core::platform::{Named, Platform};

use super::{UiResult, page, ui};
use crate::AppState;
use crate::api::scripts::repurpose_with;

/// The repurpose form of generation `g`: one checkbox per other platform.
pub fn form(g: &Generation) -> Markup {
    html! {
        div.card {
            h2 { "Repurpose" }
            form method="post" action={ "/scripts/" (g.id) "/repurpose" } #repurpose-form {
                p { @for p in Platform::ALL.iter().filter(|p| **p != g.request.platform) {
                    label.check { input type="checkbox" name=(p.as_str()) value="on"; " " (p.as_str()) } " "
                } }
                button.secondary type="submit" { "Write it for these platforms" }
            }
        }
    }
}

/// `POST /scripts/{id}/repurpose`: the ticked platforms' new generations, listed with links.
pub async fn repurpose(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(ticked): Form<HashMap<String, String>>,
) -> UiResult<Markup> {
    let targets: Vec<Platform> = Platform::ALL
        .into_iter()
        .filter(|p| ticked.contains_key(p.as_str()))
        .collect();
    let made = repurpose_with(&state, id, &targets).await.map_err(ui)?;
    Ok(page(
        "Repurposed",
        "History",
        html! {
            h1 { "Script " (id) " repurposed" }
            ul #repurposed { @for g in &made { li {
                a href={ "/scripts/" (g.id) } { "script " (g.id) } ": "
                (g.script.as_ref().map_or("script", |s| s.format().label())) " for " (g.request.platform.as_str())
                @if let Some(c) = &g.card { " · score " (format!("{:.0}", c.overall)) }
            } } }
            p { a href={ "/scripts/" (id) } { "← back to script " (id) } }
        },
    ))
}
