//! Persona pages: the list with a create form (paste or upload story and examples) and one
//! persona's profile and learned style with its evidence.

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use reelsmith_app::learn::LearnInput;
use reelsmith_core::experiment::Preference;
use reelsmith_core::generation::{FieldError, FieldErrors};
use reelsmith_core::persona::{CreatorProfile, PersonaSummary, PersonaVersion};
use reelsmith_core::store::PersonaStore;
use reelsmith_core::style::WpmSource;
use serde::Deserialize;

use super::{UiResult, field_error, page, ui};
use crate::api::experiments::preferences_of;
use crate::api::personas::{learn, read_upload};
use crate::{ApiError, AppState};

/// `GET /personas`.
pub async fn list(State(state): State<AppState>) -> UiResult<Markup> {
    let personas = state.store.personas(state.workspace).await.map_err(ui)?;
    Ok(list_page(&personas, None))
}

/// The form field an error of learning belongs to: the name, the story or the examples.
fn learn_field(e: &ApiError) -> &'static str {
    let m = e.body.message.as_str();
    match e.body.field.as_deref() {
        _ if m.contains("persona name") => "name",
        Some("story") => "story",
        _ if m.contains("story") => "story",
        Some("files" | "examples") => "examples",
        _ if m.contains("example") || m.contains("script") => "examples",
        _ => "form",
    }
}

/// The persona list and the learn form, each error under its field.
fn list_page(personas: &[PersonaSummary], problem: Option<&FieldErrors>) -> Markup {
    let err = |field: &str| field_error(problem, field);
    page(
        "Personas",
        "Personas",
        html! {
            h1 { "Personas" }
            @if personas.is_empty() {
                p.card { "No persona yet. Learn one below from the creator's story and a few of their scripts." }
            } @else {
                div.card { table {
                    thead { tr { th { "Name" } th { "Version" } th { "Examples" } th { "Language" } th { "Updated" } } }
                    tbody { @for p in personas {
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
                input #name type="text" name="name" required maxlength="64" placeholder="maya";
                (err("name"))
                p.muted { "Letters of any alphabet, digits, '-', '_' and '.'; learning an existing name makes a new version." }
                label for="story_text" { "Story (paste)" }
                textarea #story_text name="story_text" placeholder="Who the creator is, in their own words." {}
                label for="story" { "…or upload the story (txt, md, pdf, docx, srt, vtt)" }
                input #story type="file" name="story" accept=".txt,.md,.markdown,.pdf,.docx,.srt,.vtt";
                (err("story"))
                label for="examples_text" { "Example scripts (paste; separate scripts with a line of ---)" }
                textarea #examples_text name="examples_text" rows="8" {}
                label for="examples" { "…or upload example scripts (one or more files)" }
                input #examples type="file" name="examples" multiple accept=".txt,.md,.markdown,.pdf,.docx,.srt,.vtt";
                (err("examples"))
                label { input type="checkbox" name="append"; " Keep the previous version's examples and add these" }
                label { input type="checkbox" name="analyze"; " Ask the language model to fill audience, expertise and topics" }
                (err("form"))
                button type="submit" { "Learn persona" }
            }
        },
    )
}

/// `POST /personas`: learns from the form, then shows the persona; what is wrong comes back in the
/// form, under the field it concerns (422), and nothing is stored.
pub async fn create(State(state): State<AppState>, form: Multipart) -> UiResult<Response> {
    let learned = match read_upload(&state, form).await {
        Ok((input, analyze)) => learn(&state, input, Some(analyze.unwrap_or(false))).await,
        Err(e) => Err(e),
    };
    match learned {
        Ok(l) => Ok(Redirect::to(&format!("/personas/{}", l.persona.name)).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let personas = state.store.personas(state.workspace).await.map_err(ui)?;
            let problem = FieldErrors::from(FieldError::new(learn_field(&e), e.body.message));
            let body = list_page(&personas, Some(&problem));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Which version of a persona to show.
#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    version: Option<u32>,
}

/// `GET /personas/{name}[?version=N]`.
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<VersionQuery>,
) -> UiResult<Markup> {
    let p = state
        .store
        .persona(state.workspace, &name, q.version)
        .await
        .map_err(ui)?;
    let prefs = preferences_of(&state, &p.name).await.map_err(ui)?;
    Ok(persona_page(&p, &prefs, None))
}

/// The persona's latest version in the request's workspace, with what its experiments taught.
async fn latest(state: &AppState, name: &str) -> UiResult<(PersonaVersion, Vec<Preference>)> {
    let p = state
        .store
        .persona(state.workspace, name, None)
        .await
        .map_err(ui)?;
    let prefs = preferences_of(state, &p.name).await.map_err(ui)?;
    Ok((p, prefs))
}

/// The profile form as typed: list fields comma-separated, the length as text.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    niche: String,
    #[serde(default)]
    target_audience: String,
    #[serde(default)]
    unique_voice: String,
    #[serde(default)]
    storytelling_style: String,
    #[serde(default)]
    expertise: String,
    #[serde(default)]
    personality_traits: String,
    #[serde(default)]
    pain_points: String,
    #[serde(default)]
    desires: String,
    #[serde(default)]
    successful_topics: String,
    #[serde(default)]
    optimal_length_s: String,
}

impl ProfileForm {
    fn profile(&self) -> Result<CreatorProfile, (&'static str, String)> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let list = |s: &str| -> Vec<String> {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let optimal_length_s = match text(&self.optimal_length_s) {
            None => None,
            Some(t) => Some(t.parse::<u32>().map_err(|_| {
                (
                    "optimal_length_s",
                    format!("'{t}' is not a whole number of seconds"),
                )
            })?),
        };
        Ok(CreatorProfile {
            display_name: text(&self.display_name),
            niche: text(&self.niche),
            target_audience: text(&self.target_audience),
            unique_voice: text(&self.unique_voice),
            storytelling_style: text(&self.storytelling_style),
            expertise: list(&self.expertise),
            personality_traits: list(&self.personality_traits),
            pain_points: list(&self.pain_points),
            desires: list(&self.desires),
            successful_topics: list(&self.successful_topics),
            optimal_length_s,
            ..CreatorProfile::default()
        })
    }
}

/// `POST /personas/{name}/profile`: the edited profile as a new version with the same examples;
/// a wrong field comes back in the form, under the field (422).
pub async fn edit(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Form(f): Form<ProfileForm>,
) -> UiResult<Response> {
    let (current, prefs) = latest(&state, &name).await?;
    let refused = |field: &'static str, reason: String| {
        let body = persona_page(
            &current,
            &prefs,
            Some(&FieldError::new(field, reason).into()),
        );
        (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
    };
    let profile = match f.profile() {
        Ok(p) => p,
        Err((field, reason)) => return Ok(refused(field, reason)),
    };
    if let Err(e) = profile.validate() {
        let reason = e.to_string();
        let field = PROFILE_FIELDS
            .iter()
            .map(|(f, _)| *f)
            .find(|f| reason.contains(f))
            .unwrap_or("profile");
        return Ok(refused(field, reason));
    }
    let input = LearnInput {
        name,
        profile,
        examples: Vec::new(),
        append: false,
    };
    let learned = learn(&state, input, Some(false)).await.map_err(ui)?;
    Ok(Redirect::to(&format!("/personas/{}", learned.persona.name)).into_response())
}

/// The delete confirmation.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    force: String,
}

/// `POST /personas/{name}/delete`: deletes every version once confirmed, then lists the rest.
pub async fn delete(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Form(f): Form<DeleteForm>,
) -> UiResult<Response> {
    let (current, prefs) = latest(&state, &name).await?;
    if f.confirm != "yes" {
        let problem = FieldError::new(
            "confirm",
            "tick the box to confirm: deleting removes every version and example",
        );
        let body = persona_page(&current, &prefs, Some(&problem.into()));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let force = f.force == "yes";
    match reelsmith_app::persona::delete_persona(&state.store, state.workspace, &name, force).await
    {
        Ok(_) => Ok(Redirect::to("/personas").into_response()),
        Err(reelsmith_app::ServiceError::Invalid(e)) => {
            let body = persona_page(&current, &prefs, Some(&e));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(ui(e)),
    }
}

/// The profile fields the form edits, with their labels.
const PROFILE_FIELDS: [(&str, &str); 11] = [
    ("display_name", "Display name"),
    ("niche", "Niche"),
    ("target_audience", "Audience"),
    ("unique_voice", "Unique voice"),
    ("storytelling_style", "Storytelling"),
    ("expertise", "Expertise (comma-separated)"),
    ("personality_traits", "Traits (comma-separated)"),
    ("pain_points", "Pain points (comma-separated)"),
    ("desires", "Desires (comma-separated)"),
    ("successful_topics", "Topics that worked (comma-separated)"),
    ("optimal_length_s", "Optimal length (seconds)"),
];

/// A profile field's current value as the form shows it.
fn field_value(prof: &CreatorProfile, field: &str) -> String {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    match field {
        "display_name" => opt(&prof.display_name),
        "niche" => opt(&prof.niche),
        "target_audience" => opt(&prof.target_audience),
        "unique_voice" => opt(&prof.unique_voice),
        "storytelling_style" => opt(&prof.storytelling_style),
        "expertise" => prof.expertise.join(", "),
        "personality_traits" => prof.personality_traits.join(", "),
        "pain_points" => prof.pain_points.join(", "),
        "desires" => prof.desires.join(", "),
        "successful_topics" => prof.successful_topics.join(", "),
        "optimal_length_s" => prof
            .optimal_length_s
            .map(|s| s.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// One persona version's page, each error under its field.
fn persona_page(p: &PersonaVersion, prefs: &[Preference], problem: Option<&FieldErrors>) -> Markup {
    let s = &p.style;
    let prof = &p.profile;
    let err = |field: &str| field_error(problem, field);
    // The delete form's own fields; any other problem is the profile form's.
    let deleting =
        problem.is_some_and(|e| e.reason("confirm").is_some() || e.reason("force").is_some());
    page(
        &p.name,
        "Personas",
        html! {
            h1 { (prof.display_name.as_deref().unwrap_or(&p.name)) " " span.muted { "v" (p.version) " of " (p.versions) } }
            @if problem.is_some() { p.card.error role="alert" { "Something needs fixing: see below." } }
            p { a.button href={ "/generate?persona=" (p.name) } { "Write a script as " (p.name) } " "
                a #performance-link href={ "/personas/" (p.name) "/performance" } { "How the posts did" } " · "
                a href="/experiments" { "Experiments" } }
            @if !prefs.is_empty() {
                div.card #preferences {
                    h2 { "What your A/B tests found" }
                    p.muted { "Retrieval and the prompt prefer these." }
                    ul { @for pref in prefs { li { strong { (pref.label) } ": "
                        @for (i, w) in pref.wins.iter().enumerate() {
                            @if i > 0 { "; " }
                            a href={ "/experiments/" (w.experiment_id) } { "experiment " (w.experiment_id) }
                            " (“" (w.topic) "”, " (w.winner) " beat " (w.beat.join(", ")) ", P(best) " (format!("{:.0} %", w.p_best * 100.0)) ")"
                        }
                    } } }
                }
            }
            @if p.versions > 1 {
                nav.versions aria-label="versions" { "Versions: "
                    @for v in 1..=p.versions {
                        @if v == p.version { strong { "v" (v) } } @else { a href={ "/personas/" (p.name) "?version=" (v) } { "v" (v) } }
                        " "
                    }
                    @if p.version < p.versions { span.muted { "(an older version: scripts are written from the latest)" } }
                }
            }
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
            details.card #edit open[problem.is_some() && !deleting] {
                summary { strong { "Edit the profile" } " — saves a new version with the same examples" }
                form #profile-form method="post" action={ "/personas/" (p.name) "/profile" } {
                    @for (field, label) in PROFILE_FIELDS {
                        label for=(field) { (label) }
                        input id=(field) type="text" name=(field) value=(field_value(prof, field));
                        (err(field))
                    }
                    (err("profile"))
                    p.muted { "An emptied field keeps its value (learning again only adds)." }
                    button type="submit" { "Save as version " (p.versions + 1) }
                }
            }
            details.card #delete open[deleting] {
                summary { strong { "Delete this persona" } }
                form #delete-form method="post" action={ "/personas/" (p.name) "/delete" } {
                    label { input type="checkbox" name="confirm" value="yes"; " Delete " (p.name) " with its " (p.versions) " version(s) and their examples" }
                    (err("confirm"))
                    label { input type="checkbox" name="force" value="yes"; " …and its approved scripts, if any" }
                    (err("force"))
                    button.danger type="submit" { "Delete" }
                }
            }
        },
    )
}
