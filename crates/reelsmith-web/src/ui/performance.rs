//! The performance page of a persona: import an export, the calibration of the scores against the
//! posts' outcomes (table and score-versus-outcome scatter), the best-time heatmap and every post
//! with its metrics, outcome, score and link (a suggested link confirmed in one click). SVG drawn
//! on the server.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use reelsmith_app::feedback::{LinkChange, change_link};
use reelsmith_app::import::ImportReport;
use reelsmith_app::insights::{
    PostInsight, ScoresReport, best_time_to_post, post_insights, scores, scores_of,
};
use reelsmith_core::best_time::{BestTime, Evidence, WEEKDAYS, label};
use reelsmith_core::platform::Named;
use reelsmith_ingest::performance::Zone;
use serde::Deserialize;

use super::{UiResult, page, ui};
use crate::AppState;
use crate::api::performance::import_upload;

/// The page's time zone.
#[derive(Debug, Deserialize)]
pub struct ZoneQuery {
    tz: Option<String>,
}

/// The score-versus-outcome scatter: overall score (x, 0–100) against log2 lift (y, clamped to
/// ±3), one dot per scored post with an outcome.
fn scatter(posts: &[PostInsight], rho: Option<f64>) -> Markup {
    let points: Vec<(f64, f64, String)> = posts
        .iter()
        .filter_map(|p| {
            let o = p.outcome.as_ref().filter(|o| o.settled)?;
            let text = p.post.text().unwrap_or("");
            Some((
                p.overall?,
                o.log_lift.clamp(-3.0, 3.0),
                format!(
                    "score {:.0} · {:.2}× median · {}",
                    p.overall?,
                    o.lift,
                    reelsmith_core::text::truncate_chars(text, 50)
                ),
            ))
        })
        .collect();
    let (w, h, left, bottom) = (320.0, 200.0, 24.0, 24.0);
    let x = |s: f64| left + 4.0 + s / 100.0 * (w - left - 16.0);
    let y = |l: f64| (h - bottom) / 2.0 - l / 3.0 * ((h - bottom) / 2.0 - 6.0);
    html! {
        figure {
            svg #scatter viewBox={ "0 0 " (w) " " (h) } width="100%" role="img" aria-label="overall score against outcome" {
                line x1=(left) y1=(y(0.0)) x2=(w) y2=(y(0.0)) stroke="#999" stroke-dasharray="3 3" {}
                line x1=(left) y1="0" x2=(left) y2=(h - bottom) stroke="#999" {}
                text x="4" y=(y(2.0) + 3.0) font-size="8" { "4×" }
                text x="4" y=(y(0.0) + 3.0) font-size="8" { "1×" }
                text x="4" y=(y(-2.0) + 3.0) font-size="8" { "¼×" }
                @for s in [0.0, 50.0, 100.0] {
                    text x=(x(s)) y=(h - 10.0) font-size="8" text-anchor="middle" { (s) }
                }
                text x=(w - 6.0) y=(h - 1.0) font-size="7" text-anchor="end" { "overall score" }
                @for (s, l, t) in &points {
                    circle.dot cx=(format!("{:.1}", x(*s))) cy=(format!("{:.1}", y(*l))) r="4" fill="#c2185b" fill-opacity="0.7" { title { (t) } }
                }
                @if points.is_empty() { text x=(left + 10.0) y="20" { "No scored posts with settled metrics yet" } }
            }
            figcaption {
                "Overall score (x) against views over your median (y, log scale), "
                (points.len()) " posts"
                @if let Some(r) = rho { " · Spearman's rho " (format!("{r:.2}")) }
            }
        }
    }
}

/// The weekday × hour heatmap: green above the creator's median, red below, blank without posts;
/// each cell's title gives its posts, lift and evidence.
fn heatmap(b: &BestTime) -> Markup {
    let cell = 12.0;
    let left = 22.0;
    html! {
        figure {
            svg #heatmap viewBox={ "0 0 " (left + 24.0 * cell + 2.0) " " (7.0 * cell + 16.0) } width="100%" role="img" aria-label="best time to post" {
                @for h in (0..24).step_by(3) {
                    text x=(left + f64::from(h) * cell) y="9" font-size="6" { (format!("{h:02}")) }
                }
                @for (d, name) in WEEKDAYS.iter().enumerate() {
                    text x="0" y=(14.0 + d as f64 * cell + 8.0) font-size="6" { (&name[..3]) }
                }
                @for s in &b.slots {
                    @let fill = match (s.evidence, s.log_lift) {
                        (Evidence::NoData, _) | (_, None) => "#f2f2f2".to_string(),
                        (_, Some(l)) => {
                            let a = (l.abs() / 1.5).min(1.0) * if s.evidence == Evidence::Ok { 1.0 } else { 0.5 } + 0.1;
                            if l >= 0.0 { format!("rgba(46,125,50,{a:.2})") } else { format!("rgba(198,40,40,{a:.2})") }
                        }
                    };
                    rect x=(left + f64::from(s.hour) * cell) y=(14.0 + s.weekday as f64 * cell) width=(cell - 1.0) height=(cell - 1.0) fill=(fill) {
                        title { (label(s.weekday, s.hour)) " · " (s.posts) " posts"
                            @if let Some(l) = s.lift { " · " (format!("{l:.1}")) "× median" }
                            " · " (match s.evidence { Evidence::NoData => "no data", Evidence::Thin => "thin", Evidence::Ok => "ok" }) }
                    }
                }
            }
            figcaption { (b.message) }
        }
    }
}

fn calibration_table(r: &ScoresReport) -> Markup {
    let c = &r.calibration;
    html! {
        p #calibration-message { (c.message) }
        @if c.enough {
            table #calibration { thead { tr { th { "Score" } th { "Spearman's rho" } th { "95 % interval" } } }
                tbody { @for k in &c.correlations { tr {
                    td { (k.name) }
                    @match k.rho {
                        Some(e) => { td { (format!("{:.2}", e.value)) } td { (format!("{:.2} to {:.2}", e.low, e.high)) } }
                        None => { td { "—" } td.muted { "does not vary" } }
                    }
                } } }
            }
        }
        p { strong { "Viral weights in force: " } (c.weights.reason) }
    }
}

fn posts_table(name: &str, posts: &[PostInsight], tz: &str) -> Markup {
    html! {
        table #posts { thead { tr {
            th { "Posted (UTC)" } th { "Platform" } th { "Views" } th { "Engagement" } th { "× median" } th { "Percentile" } th { "Score" } th { "Made from" }
        } }
        tbody { @for p in posts {
            @let post = &p.post;
            @let o = p.outcome.as_ref();
            tr {
                td { (post.posted_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "—".into())) }
                td { (post.platform.as_str()) }
                td { (post.metrics.as_ref().and_then(|m| m.views).map_or_else(|| "—".into(), |v| v.to_string())) }
                td { (o.and_then(|o| o.engagement_rate).map_or_else(|| "—".into(), |e| format!("{:.1} %", e * 100.0))) }
                td { (o.map_or_else(|| "—".into(), |o| format!("{:.2}", o.lift))) }
                td { (o.map_or_else(|| "—".into(), |o| if o.settled { format!("{:.0}", o.percentile) } else { "still growing".into() })) }
                td { (p.overall.map_or_else(|| "—".into(), |s| format!("{s:.0}"))) }
                td {
                    @match &post.link {
                        None => { span.muted { "not linked" } }
                        Some(l) => {
                            @if let Some(g) = l.generation_id { a href={ "/scripts/" (g) } { "script " (g) } }
                            @if let Some(e) = &l.example { (e) }
                            @if l.confirmed { " ✓" } @else {
                                " " span.muted title=(l.evidence.clone().unwrap_or_default()) { "(suggested, " (format!("{:.0}", l.similarity.unwrap_or(0.0) * 100.0)) " %)" }
                                form.inline method="post" action={ "/personas/" (name) "/posts/" (post.id) "/link?tz=" (tz) } {
                                    input type="hidden" name="action" value="confirm";
                                    button.secondary type="submit" { "Confirm" }
                                }
                            }
                        }
                    }
                    @if let Some(t) = post.text() { br; span.muted { (reelsmith_core::text::truncate_chars(t, 60)) } }
                    br;
                    form.inline.link-form method="post" action={ "/personas/" (name) "/posts/" (post.id) "/link?tz=" (tz) } {
                        input type="text" name="generation" size="4" placeholder="script #" aria-label="made from script number";
                        button.secondary type="submit" { "Link" }
                    }
                }
            }
        } } }
    }
}

fn import_summary(r: &ImportReport) -> Markup {
    let c = &r.counts;
    html! {
        div.card #import-report role="status" {
            p { "Imported " (c.read) " posts: " (c.new) " new, " (c.updated) " updated, " (c.unchanged) " unchanged"
                @if !r.feedback.linked.is_empty() { "; " (r.feedback.linked.len()) " linked to what they were made from" }
                @if r.feedback.examples_added > 0 { "; " (r.feedback.examples_added) " added as example scripts" }
                "." }
            @for f in &r.files { @if let Some(e) = &f.error { p.error { (f.file) ": " (e) } } }
        }
    }
}

async fn render(
    state: &AppState,
    name: &str,
    tz: Option<&str>,
    imported: Option<&ImportReport>,
) -> UiResult<Markup> {
    let zone = match tz.filter(|t| !t.trim().is_empty()) {
        Some(t) => Zone::parse(t).map_err(|e| ui(crate::ApiError::invalid("tz", e)))?,
        None => Zone::utc(),
    };
    let tz = tz.unwrap_or("UTC");
    let embedder = state.embedder.as_deref();
    let posts = post_insights(&state.store, state.workspace, name, embedder)
        .await
        .map_err(ui)?;
    let report = scores_of(&state.store, state.workspace, name, &posts, false)
        .await
        .map_err(ui)?;
    let best = best_time_to_post(&state.store, state.workspace, name, &zone)
        .await
        .map_err(ui)?;
    let rho = report
        .calibration
        .correlations
        .first()
        .and_then(|c| c.rho)
        .map(|e| e.value);
    Ok(page(
        &format!("{name} · performance"),
        "Personas",
        html! {
            h1 { "How " (name) "'s posts did" }
            p { a href={ "/personas/" (name) } { "← " (name) } }
            @if let Some(r) = imported { (import_summary(r)) }
            div.card {
                h2 { "Do the scores rank your posts?" }
                (scatter(&posts, rho))
                (calibration_table(&report))
                form method="post" action={ "/personas/" (name) "/calibration?tz=" (tz) } {
                    button.secondary type="submit" { "Calibrate and keep" }
                }
            }
            div.card {
                h2 { "Best time to post (" (tz) ")" }
                form method="get" action={ "/personas/" (name) "/performance" } {
                    label { "Time zone" input type="text" name="tz" value=(tz); }
                    button.secondary type="submit" { "Show" }
                }
                (heatmap(&best))
                @if !best.top.is_empty() {
                    ol #top-slots { @for s in &best.top { li {
                        (label(s.weekday, s.hour)) ": " (s.posts) " posts, " (format!("{:.1}", s.lift.unwrap_or(1.0))) "× your median"
                        @if let Some((lo, hi)) = s.interval { " (95 % interval " (format!("{lo:.1}")) "× to " (format!("{hi:.1}")) "×)" }
                    } } }
                }
            }
            div.card {
                h2 { "Posts (" (posts.len()) ")" }
                @if posts.is_empty() { p { "No posts yet: import an export below." } }
                @else { (posts_table(name, &posts, tz)) }
            }
            div.card {
                h2 { "Import results" }
                form method="post" action={ "/personas/" (name) "/performance?tz=" (tz) } enctype="multipart/form-data" {
                    label { "Export files (an Instagram or TikTok export .zip or its JSON files, instaloader .json, a CSV)"
                        input type="file" name="file" multiple required; }
                    label { "Time zone of times without one" input type="text" name="tz" value=(tz); }
                    button type="submit" { "Import" }
                }
            }
        },
    ))
}

/// `GET /personas/{name}/performance[?tz=ZONE]`.
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ZoneQuery>,
) -> UiResult<Markup> {
    render(&state, &name, q.tz.as_deref(), None).await
}

/// `POST /personas/{name}/performance`: imports the uploaded files and shows the page with what
/// the import did; a file that cannot be read comes back as an error on the page (422).
pub async fn import(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ZoneQuery>,
    form: Multipart,
) -> UiResult<Response> {
    match import_upload(&state, &name, form).await {
        Ok(report) => Ok(render(&state, &name, q.tz.as_deref(), Some(&report))
            .await?
            .into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let body = html! {
                div.card.error role="alert" { "Nothing imported: " (e.body.message) }
                (render(&state, &name, q.tz.as_deref(), None).await?)
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /personas/{name}/calibration`: calibrates, keeps the report, shows the page.
pub async fn calibrate(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ZoneQuery>,
) -> UiResult<Response> {
    scores(
        &state.store,
        state.workspace,
        &name,
        state.embedder.as_deref(),
        true,
    )
    .await
    .map_err(ui)?;
    Ok(Redirect::to(&back(&name, q.tz.as_deref())).into_response())
}

/// The page's address, with the time zone when it is a real one (so nothing else reaches the
/// `Location` header).
fn back(name: &str, tz: Option<&str>) -> String {
    let safe_name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    match tz.filter(|t| Zone::parse(t).is_ok()) {
        Some(t) => format!("/personas/{safe_name}/performance?tz={}", t.trim()),
        None => format!("/personas/{safe_name}/performance"),
    }
}

/// The link form of one post.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    /// "confirm", "clear", or empty with `generation` set.
    #[serde(default)]
    action: String,
    /// The generation (script) id the post was made from.
    #[serde(default)]
    generation: String,
}

/// `POST /personas/{name}/posts/{id}/link`: confirms a suggested link, links the post to the
/// script id typed in, or clears the link; a wrong id comes back as an error page.
pub async fn link(
    State(state): State<AppState>,
    Path((name, id)): Path<(String, i64)>,
    Query(q): Query<ZoneQuery>,
    axum::Form(f): axum::Form<LinkForm>,
) -> UiResult<Response> {
    let change = match f.action.as_str() {
        "confirm" => LinkChange::Confirm,
        "clear" => LinkChange::Clear,
        _ => match f.generation.trim().trim_start_matches('#').parse::<i64>() {
            Ok(g) => LinkChange::Generation(g),
            Err(_) => {
                return Err(ui(crate::ApiError::invalid(
                    "generation",
                    "give the number of the script the post was made from (see History)",
                )));
            }
        },
    };
    change_link(&state.store, state.workspace, &name, id, change)
        .await
        .map_err(ui)?;
    Ok(Redirect::to(&back(&name, q.tz.as_deref())).into_response())
}
