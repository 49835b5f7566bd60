//! The experiments pages: every A/B test with a form to start one, and one experiment — its
//! variants side by side with what they vary highlighted, each variant's posts and metrics, each
//! lift with its 95 % interval drawn, the verdict in words and a form to record a post. SVG drawn
//! on the server.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use reelsmith_app::experiments::{
    ArmPost, ExperimentReport, MAX_VARIANTS, analyze_experiment, variant_generations,
    variant_patterns, variant_warnings,
};
use reelsmith_core::experiment::{Pattern, StoredExperiment, Vary, Verdict};
use reelsmith_core::generation::Generation;
use reelsmith_core::platform::{Named, Platform};
use reelsmith_core::store::PersonaStore;
use serde::Deserialize;

use super::{UiResult, page, ui};
use crate::AppState;
use crate::api::experiments::{
    ExperimentInput, PostInput, create_experiment, experiments, record_post,
};
use crate::api::performance::ZoneQuery;

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    persona: String,
    topic: String,
    #[serde(default)]
    vary: String,
    #[serde(default)]
    variants: String,
    /// Existing script ids, comma-separated.
    #[serde(default)]
    from: String,
    #[serde(default)]
    duration: String,
}

impl CreateForm {
    fn input(self) -> Result<ExperimentInput, crate::ApiError> {
        let number = |field: &str, v: &str| -> Result<Option<f64>, crate::ApiError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse::<f64>()
                .map(Some)
                .map_err(|_| crate::ApiError::invalid(field, format!("“{v}” is not a number")))
        };
        let from = self
            .from
            .split(',')
            .map(|s| s.trim().trim_start_matches('#'))
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<i64>().map_err(|_| {
                    crate::ApiError::invalid("from", format!("“{s}” is not a script number"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ExperimentInput {
            persona: self.persona,
            topic: self.topic,
            vary: Some(self.vary),
            variants: number("variants", &self.variants)?.map(|v| v.clamp(0.0, 99.0) as usize),
            from,
            duration_s: number("duration", &self.duration)?,
        })
    }
}

/// The list with the create form; `error` shows above it.
async fn list_page(state: &AppState, error: Option<&str>) -> UiResult<Markup> {
    let all = experiments(state, None).await.map_err(ui)?;
    let personas = state.store.personas(state.workspace).await.map_err(ui)?;
    Ok(page(
        "Experiments",
        "Experiments",
        html! {
            h1 { "Experiments" }
            p.muted { "Post two to five versions of one idea, import how they did, and get a verdict with the statistics behind it: a winner only when the posts support one." }
            @if let Some(e) = error { div.card.error role="alert" { "Not created: " (e) } }
            div.card {
                h2 { "Start an experiment" }
                form #experiment-form method="post" action="/experiments" {
                    div.row {
                        div { label for="persona" { "Persona" }
                            select #persona name="persona" required { @for p in &personas { option value=(p.name) { (p.name) } } } }
                        div { label for="vary" { "Vary the" }
                            select #vary name="vary" { option value="hook" { "hook" } option value="cta" { "call to action" } option value="length" { "length" } } }
                        div { label for="variants" { "Variants" }
                            input #variants type="number" name="variants" min="2" max=(MAX_VARIANTS) value="2"; }
                        div { label for="duration" { "Length, s (optional)" }
                            input #duration type="number" name="duration" min="15" max="90"; }
                    }
                    label for="topic" { "The idea" }
                    input #topic type="text" name="topic" required placeholder="caffeine on night shifts";
                    label for="from" { "Or use existing scripts (numbers, comma-separated)" }
                    input #from type="text" name="from" placeholder="12, 14";
                    button type="submit" { "Write the variants" }
                }
            }
            div.card {
                h2 { "All experiments (" (all.len()) ")" }
                @if all.is_empty() { p { "None yet." } }
                @else {
                    table #experiments { thead { tr { th { "#" } th { "Persona" } th { "Idea" } th { "Varies" } th { "Variants" } th { "Posts" } } }
                        tbody { @for e in &all { tr {
                            td { a href={ "/experiments/" (e.id) } { (e.id) } }
                            td { (e.persona) }
                            td { a href={ "/experiments/" (e.id) } { (e.topic) } }
                            td { (e.vary.as_str()) }
                            td { (e.variants.len()) }
                            td { (e.variants.iter().map(|v| v.post_ids.len()).sum::<usize>()) }
                        } } }
                    }
                }
            }
        },
    ))
}

/// `GET /experiments`.
pub async fn list(State(state): State<AppState>) -> UiResult<Markup> {
    list_page(&state, None).await
}

/// `POST /experiments`: writes the variants and shows the new experiment; a wrong field comes back
/// on the list page (422).
pub async fn create(
    State(state): State<AppState>,
    axum::Form(f): axum::Form<CreateForm>,
) -> UiResult<Response> {
    let created = match f.input().and_then(ExperimentInput::resolve) {
        Ok(input) => create_experiment(&state, input).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(e) => Ok(Redirect::to(&format!("/experiments/{}", e.id)).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            list_page(&state, Some(&e.body.message)).await?,
        )
            .into_response()),
        Err(e) => Err(ui(e)),
    }
}

/// A variant's script with the part the experiment varies marked.
fn variant_card(
    label: &str,
    g: Option<&Generation>,
    vary: Vary,
    pattern: Option<Pattern>,
    winner: bool,
) -> Markup {
    let sections = g
        .and_then(|g| g.script.as_ref())
        .map(|s| s.sections())
        .unwrap_or(&[]);
    let last = sections.len().saturating_sub(1);
    html! {
        div.card.variant data-label=(label) {
            h3 { "Variant " (label) @if winner { " " span.pill.approved { "winner" } } }
            @match g {
                None => p.muted { "Not a stored script." },
                Some(g) => {
                    p.muted {
                        a href={ "/scripts/" (g.id) } { "script " (g.id) }
                        @if let Some(s) = &g.script {
                            " · " @if vary == Vary::Length { mark { (format!("{:.0} s", s.duration_s)) } } @else { (format!("{:.0} s", s.duration_s)) }
                            " · " (s.words) " words"
                        }
                        @if let Some(c) = &g.card { " · score " (format!("{:.0}", c.overall)) }
                    }
                    @if let Some(p) = pattern { p { "Uses " strong.pattern { (p.label()) } } }
                    @for (i, sec) in sections.iter().enumerate() {
                        @let varied = (vary == Vary::Hook && i == 0) || (vary == Vary::Cta && i == last && i > 0);
                        @if varied { p { mark { (sec.voiceover) } } } @else { p { (sec.voiceover) } }
                    }
                }
            }
        }
    }
}

/// Each variant's lift over A with its 95 % credible interval, on a log scale from ¼× to 4×.
fn lift_chart(r: &ExperimentReport) -> Markup {
    let arms = &r.analysis.arms;
    let (w, row, left) = (320.0, 22.0, 28.0);
    let h = row * arms.len() as f64 + 18.0;
    let x = |lift: f64| {
        let l = (1.0 + lift).max(1e-3).log2().clamp(-2.0, 2.0);
        left + (l + 2.0) / 4.0 * (w - left - 8.0)
    };
    html! {
        figure {
            svg #lift-chart viewBox={ "0 0 " (w) " " (h) } width="100%" style="max-width:36rem" role="img" aria-label="lift of each variant over A with its 95 % interval" {
                line x1=(x(0.0)) y1="0" x2=(x(0.0)) y2=(h - 14.0) stroke="#999" stroke-dasharray="3 3" {}
                @for (t, v) in [("¼×", -0.75), ("½×", -0.5), ("1×", 0.0), ("2×", 1.0), ("4×", 3.0)] {
                    text x=(x(v)) y=(h - 3.0) font-size="8" text-anchor="middle" { (t) }
                }
                @for (i, a) in arms.iter().enumerate() {
                    @let y = row * i as f64 + row / 2.0;
                    text x="2" y=(y + 3.0) font-size="9" { (a.label) }
                    @match a.lift {
                        None => @if i == 0 { circle cx=(x(0.0)) cy=(y) r="3" fill="#555" { title { (a.label) ": the reference" } } },
                        Some((m, lo, hi)) => {
                            line.interval x1=(format!("{:.1}", x(lo))) y1=(y) x2=(format!("{:.1}", x(hi))) y2=(y) stroke="#c2185b" stroke-width="3" stroke-linecap="round" {}
                            circle cx=(format!("{:.1}", x(m))) cy=(y) r="4" fill="#c2185b" {
                                title { (a.label) ": " (format!("{:+.0} % ({:+.0} % to {:+.0} %)", m * 100.0, lo * 100.0, hi * 100.0)) }
                            }
                        }
                    }
                }
            }
            figcaption { "Views over variant A (log scale): the dot is the estimate, the bar its 95 % credible interval. An interval that crosses the dashed line allows no difference." }
        }
    }
}

fn posts_table(posts: &[ArmPost]) -> Markup {
    html! {
        table #experiment-posts { thead { tr { th { "Variant" } th { "Post" } th { "Posted" } th { "Views" } th { "Engagement" } th { "vs your median" } } }
            tbody { @for p in posts { tr {
                td { (p.label) }
                td { (p.post.platform.as_str()) " "
                    @if let Some(u) = &p.post.url { a href=(u) rel="noopener noreferrer" { "link" } } @else { "#" (p.post.id) } }
                td { (p.post.posted_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| "—".into())) }
                td { (p.post.metrics.as_ref().and_then(|m| m.views).map_or_else(|| "—".into(), |v| v.to_string())) }
                td { (p.outcome.as_ref().and_then(|o| o.engagement_rate).map_or_else(|| "—".into(), |r| format!("{:.1} %", r * 100.0))) }
                td { @match &p.outcome {
                    None => "no metrics yet",
                    Some(o) => { (format!("{:.2}×", o.lift)) @if !o.settled { " (still growing)" } },
                } }
            } } }
        }
    }
}

/// `GET /experiments/{id}[?tz=ZONE]`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ZoneQuery>,
) -> UiResult<Markup> {
    render(&state, id, &q, None).await
}

async fn render(state: &AppState, id: i64, q: &ZoneQuery, error: Option<&str>) -> UiResult<Markup> {
    let zone = q.zone().map_err(ui)?;
    let r = analyze_experiment(&state.store, state.workspace, id, &zone)
        .await
        .map_err(ui)?;
    let e: &StoredExperiment = &r.experiment;
    let generations = variant_generations(&state.store, state.workspace, e).await;
    let patterns = variant_patterns(e, &generations);
    let warnings = variant_warnings(e, &generations);
    let winner = match &r.analysis.verdict {
        Verdict::Winner { label } => Some(label.clone()),
        _ => None,
    };
    let verdict_class = match r.analysis.verdict {
        Verdict::Winner { .. } => "flash",
        Verdict::NoDetectableDifference => "",
        Verdict::NeedMorePosts { .. } => "",
    };
    Ok(page(
        &format!("Experiment {id}"),
        "Experiments",
        html! {
            h1 { "Experiment " (id) ": " (e.topic) }
            p.muted { a href={ "/personas/" (e.persona) } { (e.persona) } " · varies the " (e.vary.as_str()) " · started " (e.created_at.format("%Y-%m-%d")) " · " a href="/experiments" { "all experiments" } }
            @if let Some(err) = error { div.card.error role="alert" { "Not recorded: " (err) } }
            div.card.(verdict_class) #verdict { h2 { "Verdict" } p { (r.analysis.message) } }
            div.charts #variants {
                @for (i, v) in e.variants.iter().enumerate() {
                    (variant_card(&v.label, generations[i].as_ref(), e.vary, patterns[i], winner.as_deref() == Some(v.label.as_str())))
                }
            }
            @for w in &warnings { p.card.unfit { "Careful: " (w) } }
            div.card {
                h2 { "How each variant did" }
                table #arms { thead { tr { th { "Variant" } th { "Posts" } th { "P(best)" } th { "Expected loss" } th { "Lift over A (95 % interval)" } } }
                    tbody { @for a in &r.analysis.arms { tr {
                        td { (a.label) } td { (a.posts) }
                        td { (format!("{:.0} %", a.p_best * 100.0)) }
                        td { (format!("{:.1} %", a.expected_loss * 100.0)) }
                        td { (a.lift.map_or_else(|| "reference".into(), |(m, lo, hi)| format!("{:+.0} % ({:+.0} % to {:+.0} %)", m * 100.0, lo * 100.0, hi * 100.0))) }
                    } } }
                }
                (lift_chart(&r))
                @if let Some((t, df, p)) = r.analysis.welch { p.muted { "Welch's t-test of the two leading variants: t = " (format!("{t:.2}")) ", df = " (format!("{df:.1}")) ", p = " (format!("{p:.3}")) } }
                @for c in &r.confounders { p.unfit { "Careful: " (c) } }
                @for l in &r.left_out { p.muted { "Left out: " (l) } }
            }
            div.card {
                h2 { "Posts (" (r.posts.len()) ")" }
                @if r.posts.is_empty() { p { "No variant posted yet." } } @else { (posts_table(&r.posts)) }
                p.muted { "Metrics arrive with an import of the platform's export on " a href={ "/personas/" (e.persona) "/performance" } { "the performance page" } "." }
            }
            div.card {
                h2 { "Record a post" }
                form #post-form method="post" action={ "/experiments/" (id) "/posts" } {
                    div.row {
                        div { label for="variant" { "Variant" } select #variant name="variant" { @for v in &e.variants { option value=(v.label) { (v.label) } } } }
                        div { label for="platform" { "Platform" } select #platform name="platform" { @for p in Platform::ALL { option value=(p.as_str()) { (p.as_str()) } } } }
                        div { label for="posted_at" { "Posted at" } input #posted_at type="datetime-local" name="posted_at"; }
                        div { label for="tz" { "Time zone" } input #tz type="text" name="tz" value=(q.tz.clone().unwrap_or_else(|| "UTC".into())); }
                    }
                    label for="url" { "Link" }
                    input #url type="url" name="url" placeholder="https://www.tiktok.com/@you/video/…";
                    button type="submit" { "Record" }
                }
            }
        },
    ))
}

/// `POST /experiments/{id}/posts`: records a variant's post and shows the experiment; a wrong field
/// comes back on the page (422).
pub async fn post(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<PostInput>,
) -> UiResult<Response> {
    // The page shown with an error keeps the zone typed, when it is one.
    let q = ZoneQuery {
        tz: f
            .tz
            .clone()
            .filter(|t| reelsmith_ingest::performance::Zone::parse(t).is_ok()),
    };
    match record_post(&state, id, f).await {
        Ok(_) => Ok(Redirect::to(&format!("/experiments/{id}")).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, id, &q, Some(&e.body.message)).await?,
        )
            .into_response()),
        Err(e) => Err(ui(e)),
    }
}
