//! Persona pages: the list with a create form (paste or upload story and examples) and one
//! persona's profile and learned style with its evidence.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use reelsmith_core::store::PersonaStore;
use reelsmith_core::style::WpmSource;

use super::{UiResult, page, ui};
use crate::AppState;
use crate::api::personas::{learn, read_upload};

/// `GET /personas`.
pub async fn list(State(state): State<AppState>) -> UiResult<Markup> {
    let personas = state.store.personas(state.workspace).await.map_err(ui)?;
    Ok(page(
        "Personas",
        "Personas",
        html! {
            h1 { "Personas" }
            @if personas.is_empty() {
                p.card { "No persona yet. Learn one below from the creator's story and a few of their scripts." }
            } @else {
                div.card { table {
                    thead { tr { th { "Name" } th { "Version" } th { "Examples" } th { "Language" } th { "Updated" } } }
                    tbody { @for p in &personas {
                        tr {
                            td { a href={ "/personas/" (p.name) } { (p.name) } @if let Some(d) = &p.display_name { br; span.muted { (d) } } }
                            td { (p.latest_version) }
                            td { (p.examples) }
                            td { (p.language) }
                            td.muted { (p.updated_at.format("%Y-%m-%d %H:%M")) }
                        }
                    } }
                } }
            }
            h2 { "Learn a persona" }
            form.card #persona-form method="post" action="/personas" enctype="multipart/form-data" {
                label for="name" { "Short name" }
                input #name type="text" name="name" required pattern="[A-Za-z0-9._-]+" placeholder="maya";
                p.muted { "Letters, digits, '-', '_' and '.'; learning an existing name makes a new version." }
                label for="story_text" { "Story (paste)" }
                textarea #story_text name="story_text" placeholder="Who the creator is, in their own words." {}
                label for="story" { "…or upload the story (txt, md, pdf, docx)" }
                input #story type="file" name="story" accept=".txt,.md,.markdown,.pdf,.docx";
                label for="examples_text" { "Example scripts (paste; separate scripts with a line of ---)" }
                textarea #examples_text name="examples_text" rows="8" {}
                label for="examples" { "…or upload example scripts (one or more files)" }
                input #examples type="file" name="examples" multiple accept=".txt,.md,.markdown,.pdf,.docx";
                label { input type="checkbox" name="append"; " Keep the previous version's examples and add these" }
                label { input type="checkbox" name="analyze"; " Ask the language model to fill audience, expertise and topics" }
                button type="submit" { "Learn persona" }
            }
        },
    ))
}

/// `POST /personas`: learns from the form, then shows the persona.
pub async fn create(State(state): State<AppState>, form: Multipart) -> UiResult<Response> {
    let (input, analyze) = read_upload(form).await.map_err(ui)?;
    let learned = learn(&state, input, Some(analyze.unwrap_or(false)))
        .await
        .map_err(ui)?;
    Ok(Redirect::to(&format!("/personas/{}", learned.persona.name)).into_response())
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// `GET /personas/{name}`.
pub async fn show(State(state): State<AppState>, Path(name): Path<String>) -> UiResult<Markup> {
    let p = state
        .store
        .persona(state.workspace, &name, None)
        .await
        .map_err(ui)?;
    let s = &p.style;
    let prof = &p.profile;
    Ok(page(
        &p.name,
        "Personas",
        html! {
            h1 { (prof.display_name.as_deref().unwrap_or(&p.name)) " " span.muted { "v" (p.version) " of " (p.versions) } }
            p { a.button href={ "/generate?persona=" (p.name) } { "Write a script as " (p.name) } }
            div.card {
                h2 { "Profile" }
                table { tbody {
                    @for (label, value) in [
                        ("Niche", prof.niche.clone()),
                        ("Audience", prof.target_audience.clone()),
                        ("Unique voice", prof.unique_voice.clone()),
                        ("Storytelling", prof.storytelling_style.clone()),
                        ("Expertise", (!prof.expertise.is_empty()).then(|| prof.expertise.join(", "))),
                        ("Traits", (!prof.personality_traits.is_empty()).then(|| prof.personality_traits.join(", "))),
                        ("Pain points", (!prof.pain_points.is_empty()).then(|| prof.pain_points.join(", "))),
                        ("Desires", (!prof.desires.is_empty()).then(|| prof.desires.join(", "))),
                        ("Topics that worked", (!prof.successful_topics.is_empty()).then(|| prof.successful_topics.join(", "))),
                    ] {
                        tr { th { (label) } td { @if let Some(v) = value { (v) } @else { span.muted { "—" } } } }
                    }
                } }
                @if let Some(story) = &prof.story { details { summary { "Story" } p { (story) } } }
            }
            div.card #style {
                h2 { "Learned style" }
                p { "From " (s.examples) " example scripts in " (s.language.name) "." }
                h2 { "Pace" }
                p {
                    strong { (format!("{:.0} WPM", s.pace.wpm)) } " · "
                    @match &s.pace.wpm_source {
                        WpmSource::Learned { examples, total_s } => { "learned from " (examples) " examples with durations (" (format!("{total_s:.0}")) " s)" }
                        _ => { "the language's default (give example durations to learn it)" }
                    }
                    " · typically " (format!("{:.0}", s.pace.words_median)) " words, " (format!("{:.0} s", s.pace.typical_duration_s))
                    " · " (format!("{:.1}", s.pace.sentence_words_mean)) " words a sentence"
                }
                h2 { "Hooks" }
                @for h in &s.hooks {
                    p { strong { (h.kind.label()) } " — " (h.count) " of " (s.examples) " (" (pct(h.share)) ")" }
                    ul { @for e in &h.evidence { li.muted { "“" (e) "”" } } }
                }
                h2 { "Calls to action" }
                @for c in &s.ctas {
                    p { strong { (c.kind.label()) } " — " (c.count) " (" (pct(c.share)) ")" }
                    ul { @for e in &c.evidence { li.muted { "“" (e) "”" } } }
                }
                @if s.no_cta > 0 { p.muted { (s.no_cta) " example(s) have no call to action." } }
                h2 { "Voice" }
                p { "You/your: " (pct(s.voice.second_person_rate)) " of sentences · I/my: " (pct(s.voice.first_person_rate))
                    " · questions: " (pct(s.voice.question_rate)) " · exclamations: " (pct(s.voice.exclamation_rate))
                    " · emoji per 100 words: " (format!("{:.1}", s.voice.emoji_per_100_words)) }
                @if !s.voice.signature_phrases.is_empty() {
                    p { "Signature phrases: " @for (i, ph) in s.voice.signature_phrases.iter().enumerate() {
                        @if i > 0 { ", " } "“" (ph.text) "” (" (ph.scripts) " scripts)"
                    } }
                }
                @for n in &s.notes { p.muted { (n) } }
            }
            div.card {
                h2 { "Examples (" (p.examples.len()) ")" }
                @for e in &p.examples {
                    details { summary { (e.example.title.as_deref().unwrap_or("untitled")) " " span.muted { (e.words) " words · " (e.example.source) } }
                        p { (e.example.text) } }
                }
            }
        },
    ))
}
