//! Script pages: the generate form with live progress, one generation (sections, timing bar, score
//! card with reasons, runner-up attempts, regenerate a section, approve, exports) and the history.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use reelsmith_app::request::{
    DEFAULT_ATTEMPTS, DEFAULT_CONTENT_TYPE, DEFAULT_DURATION_S, DEFAULT_PLATFORM, DEFAULT_STYLE,
    DEFAULT_URGENCY, ScriptInput,
};
use reelsmith_app::write::revise_section;
use reelsmith_core::export::{ExportFormat, export};
use reelsmith_core::formats;
use reelsmith_core::generation::{
    Approval, FieldError, FieldErrors, Generation, HistoryFilter, MAX_ATTEMPTS, MAX_CONTEXT_CHARS,
    MAX_TOPIC_CHARS, ScriptBody,
};
use reelsmith_core::persona::{MAX_DURATION_S, MIN_DURATION_S, PersonaSummary};
use reelsmith_core::platform::{
    ContentType, Format, GenerationStatus, Named, Platform, Style, Urgency,
};
use reelsmith_core::score::{Dimension, ScoreCard};
use reelsmith_core::store::{GenerationStore, PersonaStore};
use serde::Deserialize;

use super::{UiResult, field_error, page, ui};
use crate::ApiError;
use crate::AppState;
use crate::api::scripts::{GenerationJob, ListQuery, spawn_generation};

/// Query of the generate form.
#[derive(Debug, Deserialize)]
pub struct FormQuery {
    persona: Option<String>,
}

fn options(values: &[&str], selected: &str) -> Markup {
    html! { @for v in values { option value=(v) selected[*v == selected] { (v) } } }
}

/// The generate form as typed (every field text, so a wrong value comes back to the form with its
/// error instead of a bare 422 page).
#[derive(Debug, Default, Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    persona: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    duration_s: String,
    #[serde(default)]
    content_type: String,
    #[serde(default)]
    style: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    attempts: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    requirements: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    urgency: String,
}

impl GenerateForm {
    /// The request input; numbers that do not parse are field errors.
    fn input(&self) -> Result<ScriptInput, FieldErrors> {
        let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut errors = Vec::new();
        let duration_s = blank(&self.duration_s).and_then(|d| {
            d.parse::<f64>()
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "duration_s",
                        format!("'{d}' is not a number of seconds"),
                    ))
                })
                .ok()
        });
        let attempts = blank(&self.attempts).and_then(|a| {
            a.parse::<u32>()
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "attempts",
                        format!("'{a}' is not a whole number"),
                    ))
                })
                .ok()
        });
        if !errors.is_empty() {
            return Err(FieldErrors(errors));
        }
        Ok(ScriptInput {
            persona: self.persona.clone(),
            topic: self.topic.clone(),
            duration_s,
            content_type: blank(&self.content_type),
            style: blank(&self.style),
            language: blank(&self.language),
            platform: blank(&self.platform),
            attempts,
            requirements: self.requirements.lines().map(str::to_string).collect(),
            context: blank(&self.context),
            urgency: blank(&self.urgency),
        })
    }
}

/// The generate form, filled with `f` (defaults when empty) and each error under its field.
fn generate_page(
    personas: &[PersonaSummary],
    f: &GenerateForm,
    errors: Option<&FieldErrors>,
) -> Markup {
    let or = |v: &str, d: &str| {
        if v.trim().is_empty() {
            d.to_string()
        } else {
            v.to_string()
        }
    };
    let platforms: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
    let err = |field: &str| field_error(errors, field);
    page(
        "Generate",
        "Generate",
        html! {
            h1 { "Write a script" }
            @if personas.is_empty() {
                p.card { "Learn a persona first: " a href="/personas" { "Personas" } "." }
            } @else {
                @if errors.is_some() { p.card.error role="alert" { "Some fields need fixing: see below." } }
                form.card #generate-form method="post" action="/generate" {
                    div.row {
                        div { label for="persona" { "Persona" }
                            select #persona name="persona" { @for p in personas { option value=(p.name) selected[p.name == f.persona] { (p.name) } } }
                            (err("persona")) }
                        div { label for="duration_s" { "Length (seconds)" }
                            input #duration_s type="number" name="duration_s" min=(MIN_DURATION_S) max=(MAX_DURATION_S) value=(or(&f.duration_s, &DEFAULT_DURATION_S.to_string())) required;
                            (err("duration_s")) }
                    }
                    label for="topic" { "Topic" }
                    input #topic type="text" name="topic" required maxlength=(MAX_TOPIC_CHARS) placeholder="why your morning routine fails" value=(f.topic);
                    (err("topic"))
                    div.row {
                        div { label for="content_type" { "Type" } select #content_type name="content_type" { (options(&ContentType::names(), &or(&f.content_type, DEFAULT_CONTENT_TYPE.as_str()))) } (err("content_type")) }
                        div { label for="style" { "Style" } select #style name="style" { (options(&Style::names(), &or(&f.style, DEFAULT_STYLE.as_str()))) } (err("style")) }
                        div { label for="platform" { "Platform" } select #platform name="platform" { (options(&platforms, &or(&f.platform, DEFAULT_PLATFORM.as_str()))) } (err("platform")) }
                        div { label for="attempts" { "Attempts" } input #attempts type="number" name="attempts" min="1" max=(MAX_ATTEMPTS) value=(or(&f.attempts, &DEFAULT_ATTEMPTS.to_string())); (err("attempts")) }
                        div { label for="language" { "Language" } input #language type="text" name="language" maxlength="3" placeholder="persona's" value=(f.language); (err("language")) }
                        div { label for="urgency" { "Urgency" } select #urgency name="urgency" { (options(&Urgency::names(), &or(&f.urgency, DEFAULT_URGENCY.as_str()))) } (err("urgency")) }
                    }
                    label for="requirements" { "Must do (one per line)" }
                    textarea #requirements name="requirements" rows="2" placeholder="mention the free guide" { (f.requirements) }
                    (err("requirements"))
                    label for="context" { "Background to draw on (facts, an offer, a story)" }
                    textarea #context name="context" rows="3" maxlength=(MAX_CONTEXT_CHARS) { (f.context) }
                    (err("context"))
                    button type="submit" { "Write it" }
                    p #status.muted aria-live="polite" {}
                    pre #progress hidden {}
                }
            }
        },
    )
}

/// `GET /generate`: the form, with the persona of the query, else the one last written for.
pub async fn form(State(state): State<AppState>, Query(q): Query<FormQuery>) -> UiResult<Markup> {
    let ws = state.workspace;
    let personas = state.store.personas(ws).await.map_err(ui)?;
    let chosen = match q.persona {
        Some(p) => p,
        None => {
            let last = HistoryFilter {
                limit: 1,
                ..HistoryFilter::default()
            };
            let (rows, _) = state.store.generations(ws, &last).await.map_err(ui)?;
            rows.into_iter()
                .map(|r| r.persona)
                .next()
                .or_else(|| personas.last().map(|p| p.name.clone()))
                .unwrap_or_default()
        }
    };
    let f = GenerateForm {
        persona: chosen,
        ..GenerateForm::default()
    };
    Ok(generate_page(&personas, &f, None))
}

/// `POST /generate` (without JavaScript): waits for the script, then shows it; wrong fields come
/// back in the form, each error under its field (422).
pub async fn generate(
    State(state): State<AppState>,
    Form(f): Form<GenerateForm>,
) -> UiResult<Response> {
    match f.input().and_then(ScriptInput::resolve) {
        Ok(request) => {
            let g = spawn_generation(&state, GenerationJob::New(request), None)
                .map_err(ui)?
                .outcome()
                .await
                .map_err(ui)?;
            Ok(Redirect::to(&format!("/scripts/{}", g.id)).into_response())
        }
        Err(errors) => {
            let personas = state.store.personas(state.workspace).await.map_err(ui)?;
            let body = generate_page(&personas, &f, Some(&errors));
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// `POST /scripts/{id}/retry`: runs a failed or interrupted generation again in place and shows it
/// (failed again, the page says why and offers the button again).
pub async fn retry(State(state): State<AppState>, Path(id): Path<i64>) -> UiResult<Response> {
    reelsmith_app::write::retryable(&state.store, state.workspace, id)
        .await
        .map_err(ui)?;
    let spawned = spawn_generation(&state, GenerationJob::Retry(id), None).map_err(ui)?;
    match spawned.outcome().await {
        // A model failure is stored on the generation, which the page shows.
        Ok(_)
        | Err(ApiError {
            status: axum::http::StatusCode::BAD_GATEWAY,
            ..
        }) => Ok(Redirect::to(&format!("/scripts/{id}")).into_response()),
        Err(e) => Err(ui(e)),
    }
}

/// The serialized (snake_case) name of an enum value.
fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Colours of the timing bar's sections.
const COLOURS: [&str; 6] = [
    "#c2185b", "#6a1b9a", "#1565c0", "#00838f", "#2e7d32", "#ef6c00",
];

fn dimension(d: &Dimension) -> Markup {
    html! {
        tr {
            td { (d.name.replace('_', " ")) }
            td style="width:40%" { div.bar { span style={ "width:" (format!("{:.0}", d.score.clamp(0.0, 100.0))) "%" } {} } }
            td { (format!("{:.0}", d.score)) }
        }
        @if !d.reasons.is_empty() { tr { td colspan="3" .muted { (d.reasons.join(" · ")) } } }
    }
}

fn card(c: &ScoreCard) -> Markup {
    html! {
        div.card #score {
            h2 { "Score " (format!("{:.0}", c.overall)) "/100" }
            @if !c.unfit.is_empty() { p.unfit { strong { "Not fit to post: " } (c.unfit.join(", ")) } }
            @let fixes = c.to_improve();
            @if !fixes.is_empty() { p { strong { "To improve" } } ul #to-improve { @for f in &fixes { li { (f) } } } }
            @if c.format.is_none() {
                p.muted { "Timing: " (format!("{:.1} s spoken for a {:.0} s target at {:.0} WPM", c.timing.estimated_s, c.timing.target_s, c.timing.wpm))
                    @if c.timing.within_window { " — within ±10 %" } @else { " — outside ±10 %" } }
            }
            table { tbody {
                @if let Some(f) = &c.format { (dimension(f)) }
                (dimension(&c.quality))
                @if let Some(coh) = &c.coherence { (dimension(&coh.dimension)) }
                @if let Some(b) = &c.brief { (dimension(&b.dimension)) }
                tr { th colspan="3" { "Viral potential " (format!("{:.0}", c.viral.overall)) } }
                @for d in &c.viral.dimensions { (dimension(d)) }
                @if let Some(v) = &c.voice {
                    tr { th colspan="3" { "Voice match " (format!("{:.0}", v.score)) } }
                    @if !v.reasons.is_empty() { tr { td colspan="3" .muted { (v.reasons.join(" · ")) } } }
                }
            } }
            @for n in &c.notes { p.muted { (n) } }
        }
    }
}

/// `GET /scripts/{id}`.
pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> UiResult<Markup> {
    let g = state
        .store
        .generation(state.workspace, id)
        .await
        .map_err(ui)?;
    let title = g
        .script
        .as_ref()
        .map_or_else(|| g.request.topic.clone(), |s| s.title.clone());
    Ok(page(&title, "History", script_body(&g)))
}

fn script_body(g: &Generation) -> Markup {
    let total = g.script.as_ref().map_or(0.0, |s| s.duration_s).max(0.1);
    html! {
        h1 { (g.request.topic) }
        p.muted {
            "Generation " (g.id) " · version " (g.version)
            @if let Some(p) = g.parent_id { " (revises " a href={ "/scripts/" (p) } { (p) } ")" }
            @if let Some(p) = g.request.repurposed_from { " (repurposed from " a href={ "/scripts/" (p) } { (p) } ")" }
            " · " a href={ "/personas/" (g.persona) } { (g.persona) } " v" (g.persona_version)
            " · " (g.request.style.as_str()) " · " (g.request.platform.as_str()) " · "
            span class={ "pill " (g.approval.as_str()) } { (g.approval.as_str().replace('_', " ")) }
            " · LLM cost " (reelsmith_core::text::usd(g.cost_usd)) " (" (g.calls) " model calls)"
        }
        @if g.deleted_at.is_some() { p.card.error { "This generation was deleted; it stays readable here." } }
        // The verdict first, above the script: a user must not copy out a script the card rejects.
        @if let Some(c) = g.card.as_ref().filter(|c| !c.unfit.is_empty()) {
            p.unfit #verdict { strong { "Not fit to post: " } (c.unfit.join(", ")) " — " a href="#score" { "see the score card" } }
        }
        @if g.status != GenerationStatus::Completed {
            div.card.error #outcome {
                p { strong { (g.status.as_str()) } @if let Some(err) = &g.error { ": " (err) } }
                p.muted { (g.attempts.len()) " attempt(s) kept · " (g.calls) " model call(s) · LLM cost so far " (reelsmith_core::text::usd(g.cost_usd)) }
                @if g.status.retryable() {
                    form method="post" action={ "/scripts/" (g.id) "/retry" } #retry-form {
                        button type="submit" { "Retry" }
                    }
                }
            }
        }
        @if let Some(s) = &g.script {
            div.card #script {
                @match &s.body {
                    ScriptBody::Video { sections } => {
                        div.timing role="img" aria-label="section timing" {
                            @for (i, sec) in sections.iter().enumerate() {
                                span style={ "width:" (format!("{:.2}", (sec.end_s - sec.start_s) / total * 100.0)) "%;background:" (COLOURS[i % COLOURS.len()]) }
                                    title={ (name(&sec.kind)) " " (format!("{:.1}–{:.1} s", sec.start_s, sec.end_s)) } { (name(&sec.kind)) }
                            }
                        }
                        p.muted { (format!("{:.1} s", s.duration_s)) " · " (s.words) " words · " (format!("{:.0} WPM", s.wpm)) " · fit: " (s.fit.name().replace('_', " ")) }
                        @for (i, sec) in sections.iter().enumerate() {
                            div.section {
                                div.meta { (i + 1) ". " (name(&sec.kind)) " · " (name(&sec.scene)) " · " (format!("{:.1}–{:.1} s", sec.start_s, sec.end_s)) }
                                p { (sec.voiceover) }
                                @if !sec.on_screen_text.is_empty() { div.meta { "On screen: " (sec.on_screen_text) } }
                                @if !sec.visual_cue.is_empty() { div.meta { "Visuals: " (sec.visual_cue) @if sec.visuals_derived { " (derived)" } } }
                                @if !sec.camera.is_empty() { div.meta { "Camera: " (sec.camera) } }
                            }
                        }
                    }
                    ScriptBody::Thread { posts } => {
                        p.muted { "X thread · " (posts.len()) " posts · " (s.words) " words" }
                        @for (i, post) in posts.iter().enumerate() {
                            div.section.post {
                                div.meta { "Post " (i + 1) " of " (posts.len()) " · "
                                    span.count { (formats::count(Platform::X, post)) " / " (formats::limit_label(Platform::X)) " characters" } }
                                p.post-text id={ "post-" (i + 1) } { (post) }
                                button.secondary type="button" data-copy={ "post-" (i + 1) } { "Copy post " (i + 1) }
                            }
                        }
                    }
                    ScriptBody::Post { text } => {
                        p.muted { "LinkedIn post · " (s.words) " words · "
                            span.count { (formats::count(Platform::Linkedin, text)) " / " (formats::limit_label(Platform::Linkedin)) " characters" } }
                        div.section.post {
                            p.post-text #post-1 { (text) }
                            button.secondary type="button" data-copy="post-1" { "Copy post" }
                        }
                    }
                }
                @if !s.fitted.is_empty() { p.muted #fitted { "To keep to " (g.request.platform.as_str()) "'s limits: " (s.fitted.join("; ")) "." } }
                @if !s.drew_on.is_empty() {
                    details #drew-on {
                        summary { "What the prompt drew on" }
                        ul { @for d in &s.drew_on { li { (d) } } }
                    }
                }
                @if s.format() == Format::Video {
                    h2 { "Caption" }
                    p #caption { (s.caption) " " (s.hashtags.join(" ")) }
                    button.secondary type="button" data-copy="caption" { "Copy caption" }
                }
                h2 { "Exports" }
                p { @for f in ExportFormat::ALL {
                    @if s.format() == Format::Video || !matches!(f, ExportFormat::Srt | ExportFormat::Teleprompter) {
                        a.button.secondary href={ "/api/v1/scripts/" (g.id) "/export?format=" (f.as_str()) } download { (f.as_str()) }
                    }
                } }
                @if let Ok(text) = export(g, ExportFormat::Teleprompter) {
                    pre #teleprompter hidden { (text) }
                    button.secondary type="button" data-copy="teleprompter" { "Copy teleprompter text" }
                }
            }
            @if s.format() == Format::Video { div.card {
                h2 { "Regenerate a section" }
                form method="post" action={ "/scripts/" (g.id) "/sections" } #regenerate-form {
                    div.row {
                        div { label for="section" { "Section" }
                            select #section name="section" { @for (i, sec) in s.sections().iter().enumerate() { option value=(i + 1) { (i + 1) ". " (name(&sec.kind)) } } } }
                        div { label for="instructions" { "Instructions" }
                            input #instructions type="text" name="instructions" required placeholder="more energetic"; }
                    }
                    button type="submit" { "Rewrite it (new version)" }
                }
            } }
            (super::repurpose::form(g))
            div.card {
                h2 { "Review" }
                form method="post" action={ "/scripts/" (g.id) "/approval" } #approval-form {
                    div.row {
                        div { label for="status" { "Decision" }
                            select #status name="status" { @for a in ["approved", "needs_revision", "rejected", "draft"] { option value=(a) selected[a == g.approval.as_str()] { (a.replace('_', " ")) } } } }
                        div { label for="by" { "By" } input #by type="text" name="by" value=[g.approval_by.as_deref()]; }
                    }
                    label for="notes" { "Notes" }
                    textarea #notes name="notes" rows="2" { (g.approval_notes.as_deref().unwrap_or("")) }
                    button type="submit" { "Save review" }
                }
            }
        }
        @if let Some(c) = &g.card {
            @if let Some(note) = g.score_note() { p.card.muted #score-note { (note) } }
            (card(c))
        }
        @if g.attempts.len() > 1 {
            div.card #attempts {
                h2 { "Attempts" }
                @for a in &g.attempts {
                    details open[a.winner] {
                        summary { "Attempt " (a.index + 1) " — "
                            @match (a.overall, &a.error) {
                                (Some(o), _) => { (format!("{o:.0}/100")) @if a.winner { " (kept)" } }
                                (None, Some(e)) => { "dropped: " (e) }
                                _ => { "—" }
                            } }
                        pre style="white-space:pre-wrap" { (a.raw_text) }
                    }
                }
            }
        }
    }
}

/// The regenerate form.
#[derive(Debug, Deserialize)]
pub struct SectionForm {
    section: usize,
    instructions: String,
}

/// `POST /scripts/{id}/sections`: a new version, then shows it.
pub async fn regenerate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<SectionForm>,
) -> UiResult<Response> {
    let g = revise_section(
        &state.store,
        state.workspace,
        state.models(),
        id,
        f.section,
        &f.instructions,
    )
    .await
    .map_err(ui)?;
    Ok(Redirect::to(&format!("/scripts/{}", g.id)).into_response())
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ApprovalForm {
    status: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    notes: String,
}

/// `POST /scripts/{id}/approval`.
pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ApprovalForm>,
) -> UiResult<Response> {
    let status = Approval::parse(&f.status).map_err(ui)?;
    let (by, notes) = (f.by.trim(), f.notes.trim());
    state
        .store
        .set_approval(
            state.workspace,
            id,
            status,
            (!by.is_empty()).then_some(by),
            (!notes.is_empty()).then_some(notes),
        )
        .await
        .map_err(ui)?;
    Ok(Redirect::to(&format!("/scripts/{id}")).into_response())
}

/// `GET /history`: filters, topic search and pages of 20.
pub async fn history(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> UiResult<Markup> {
    let f = q.filter().map_err(ui)?;
    let (rows, total) = state
        .store
        .generations(state.workspace, &f)
        .await
        .map_err(ui)?;
    let personas = state.store.personas(state.workspace).await.map_err(ui)?;
    let link = |offset: u32| {
        let mut params = vec![format!("offset={offset}"), format!("limit={}", f.limit)];
        let style = f.style.map(|s| s.as_str().to_string());
        let platform = f.platform.map(|p| p.as_str().to_string());
        for (k, v) in [
            ("persona", &f.persona),
            ("style", &style),
            ("platform", &platform),
            ("q", &f.query),
        ] {
            if let Some(v) = v {
                params.push(format!("{k}={}", v.replace(['&', '#', ' '], "+")));
            }
        }
        if let Some(a) = f.approval {
            params.push(format!("status={}", a.as_str()));
        }
        format!("/history?{}", params.join("&"))
    };
    let sel = |o: &Option<String>| o.clone().unwrap_or_default();
    Ok(page(
        "History",
        "History",
        html! {
            h1 { "History" }
            form.card method="get" action="/history" #history-form {
                div.row {
                    div { label for="q" { "Topic contains" } input #q type="search" name="q" value=(sel(&f.query)); }
                    div { label for="persona" { "Persona" } select #persona name="persona" { option value="" { "any" } @for p in &personas { option value=(p.name) selected[Some(&p.name) == f.persona.as_ref()] { (p.name) } } } }
                    div { label for="status" { "Review" } select #status name="status" { option value="" { "any" } @for a in ["draft", "approved", "needs_revision", "rejected"] { option value=(a) selected[f.approval.map(Approval::as_str) == Some(a)] { (a) } } } }
                    div { label for="style" { "Style" } select #style name="style" { option value="" { "any" } @for s in Style::names() { option value=(s) selected[f.style.map(Style::as_str) == Some(s)] { (s) } } } }
                    div { label for="platform" { "Platform" } select #platform name="platform" { option value="" { "any" } @for s in Platform::names() { option value=(s) selected[f.platform.map(Platform::as_str) == Some(s)] { (s) } } } }
                }
                button type="submit" { "Filter" }
            }
            p.muted #count { (total) " generation" @if total != 1 { "s" } }
            div.card { table {
                thead { tr { th { "#" } th { "Topic" } th { "Persona" } th { "Score" } th { "Review" } th { "Made" } } }
                tbody { @for r in &rows {
                    tr {
                        td { a href={ "/scripts/" (r.id) } { (r.id) } @if r.version > 1 { " v" (r.version) } }
                        td { a href={ "/scripts/" (r.id) } { (r.topic) } @if r.status != GenerationStatus::Completed { " " span.pill.rejected { (r.status) } } }
                        td { (r.persona) }
                        td { @if let Some(o) = r.overall { (format!("{o:.0}")) } }
                        td { span class={ "pill " (r.approval.as_str()) } { (r.approval.as_str().replace('_', " ")) } }
                        td.muted { (r.created_at.format("%Y-%m-%d %H:%M")) }
                    }
                } }
            } }
            p {
                @if f.offset > 0 { a.button.secondary href=(link(f.offset.saturating_sub(f.limit))) { "Newer" } }
                @if u64::from(f.offset + f.limit) < total { a.button.secondary href=(link(f.offset + f.limit)) { "Older" } }
            }
        },
    ))
}
