//! Instagram's "Download your information" export, JSON format.
//!
//! Four files carry posts (paths as in 2024–2025 exports; older ones put `content/` at the top):
//! - `your_instagram_activity/content/posts_1.json`: a bare array of `{media: [{uri,
//!   creation_timestamp, title}], title, creation_timestamp}` — captions and times, no metrics;
//! - `…/content/reels.json`: `{"ig_reels_media": [the same]}`;
//! - `logged_information/past_instagram_insights/reels.json` (professional accounts):
//!   `{"organic_insights_reels": [{"media_map_data": {"Media Thumbnail": {uri, creation_timestamp,
//!   title}}, "string_map_data": {"Upload Timestamp": {"timestamp"}, "Duration": {"value"},
//!   "Accounts reached": {"value": "40.210"}, "Instagram Plays": {"value"}, "Likes": …}}]}`;
//! - `…/past_instagram_insights/posts.json`: `{"organic_insights_posts": [the same shape]}`, with
//!   "Creation Timestamp".
//!
//! The metric labels are in the account's language and their case and wording vary between exports
//! ("Likes" / "Instagram Likes", "Profile visits" / "Profile Visits", "Instagram and Facebook
//! Plays"): [`LABELS`] lists what each metric is called in English, Spanish, Portuguese, German,
//! French and Italian, compared after folding case and punctuation. Numbers are locale-formatted
//! strings ([`super::numbers`]); text is mojibake ([`super::mojibake`]); some entries have no "Media
//! Thumbnail" (their caption and file are unknown, their metrics still count).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::mojibake::repair;
use super::numbers::parse_count;
use super::{ImportError, ImportedPost, Metrics};

pub use super::Metric;

/// What each metric is called in the export, by language (en, es, pt, de, fr, it), as exports and
/// Instagram's own app translations show them; compared after [`fold`]. A new wording is one line
/// here.
pub const LABELS: &[(Metric, &[&str])] = &[
    (
        Metric::Views,
        &[
            "instagram plays",
            "instagram and facebook plays",
            "plays",
            "views",
            "reproducciones",
            "reproducciones de instagram",
            "reproducciones de instagram y facebook",
            "visualizaciones",
            "reproduções",
            "reproduções do instagram",
            "reproduções do instagram e do facebook",
            "visualizações",
            "wiedergaben",
            "instagram wiedergaben",
            "instagram und facebook wiedergaben",
            "aufrufe",
            "lectures",
            "lectures instagram",
            "lectures sur instagram",
            "lectures sur instagram et facebook",
            "vues",
            "riproduzioni",
            "riproduzioni di instagram",
            "riproduzioni su instagram e facebook",
            "visualizzazioni",
        ],
    ),
    (
        Metric::Reach,
        &[
            "accounts reached",
            "reach",
            "cuentas alcanzadas",
            "alcance",
            "contas alcançadas",
            "erreichte konten",
            "reichweite",
            "comptes touchés",
            "couverture",
            "account raggiunti",
            "copertura",
        ],
    ),
    (
        Metric::Likes,
        &[
            "likes",
            "instagram likes",
            "me gusta",
            "curtidas",
            "gefällt mir angaben",
            "gefällt mir",
            "j aime",
            "mentions j aime",
            "mi piace",
        ],
    ),
    (
        Metric::Comments,
        &[
            "comments",
            "instagram comments",
            "comentarios",
            "comentários",
            "kommentare",
            "commentaires",
            "commenti",
        ],
    ),
    (
        Metric::Shares,
        &[
            "shares",
            "instagram shares",
            "veces compartido",
            "compartidos",
            "compartilhamentos",
            "geteilte inhalte",
            "geteilt",
            "partages",
            "condivisioni",
        ],
    ),
    (
        Metric::Saves,
        &[
            "saves",
            "instagram saves",
            "guardados",
            "veces guardado",
            "salvamentos",
            "itens salvos",
            "gespeichert",
            "speicherungen",
            "enregistrements",
            "salvataggi",
        ],
    ),
    (
        Metric::ProfileVisits,
        &[
            "profile visits",
            "visitas al perfil",
            "visitas ao perfil",
            "profilaufrufe",
            "visites du profil",
            "visite al profilo",
        ],
    ),
    (
        Metric::Follows,
        &[
            "follows",
            "seguimientos",
            "seguimentos",
            "neue follower",
            "abonnements",
            "follow",
        ],
    ),
];

/// Lower-case, every run of non-alphanumerics one space: "„Gefällt mir“-Angaben" and "gefällt
/// mir angaben" meet.
pub fn fold(label: &str) -> String {
    label
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The metric `label` names, if any.
pub fn metric(label: &str) -> Option<Metric> {
    let f = fold(label);
    LABELS
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold(n) == f))
        .map(|(m, _)| *m)
}

fn timestamp(v: &Value) -> Option<DateTime<Utc>> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .and_then(|t| DateTime::from_timestamp(t, 0))
}

/// A `{uri, creation_timestamp, title}` media object's parts.
fn media(m: &Value) -> (Option<String>, Option<DateTime<Utc>>, Option<String>) {
    let text = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .map(|s| repair(s).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    (
        text("uri"),
        m.get("creation_timestamp").and_then(timestamp),
        text("title"),
    )
}

/// Seconds from "30", "30.5", "0:30" or "1:02:03".
fn seconds(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() == 1 {
        return s
            .trim()
            .replace(',', ".")
            .parse()
            .ok()
            .filter(|v: &f64| *v >= 0.0);
    }
    parts.iter().try_fold(0.0, |acc, p| {
        p.trim().parse::<f64>().ok().map(|v| acc * 60.0 + v)
    })
}

/// The entries of an Instagram post file and whether they are insights: a bare array
/// (`posts_1.json`), `ig_reels_media` (`reels.json`) or `organic_insights_reels` / `_posts`
/// (`past_instagram_insights`); `None` for any other JSON.
pub(crate) fn shape(v: &Value) -> Option<(&[Value], bool)> {
    match v {
        Value::Array(a) => Some((a.as_slice(), false)),
        Value::Object(o) => o
            .get("ig_reels_media")
            .and_then(Value::as_array)
            .map(|a| (a.as_slice(), false))
            .or_else(|| {
                o.get("organic_insights_reels")
                    .or_else(|| o.get("organic_insights_posts"))
                    .and_then(Value::as_array)
                    .map(|a| (a.as_slice(), true))
            }),
        _ => None,
    }
}

/// Every post in one export file, whichever of the four it is (told apart by its shape). `file`
/// names it in errors and in each post's `source`.
///
/// # Errors
/// [`ImportError`] when the text is not JSON, is none of the four shapes, or an insights file
/// names no metric reelsmith knows (the labels found are listed, so a new language can be added).
pub fn read(file: &str, json: &str) -> Result<Vec<ImportedPost>, ImportError> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        ImportError::new(
            file,
            format!("is not JSON ({e}) — choose the JSON format, not HTML, when downloading your information"),
        )
    })?;
    let Some((entries, insights)) = shape(&v) else {
        return Err(ImportError::new(
            file,
            match v.as_object() {
                Some(o) => {
                    let keys: Vec<&str> = o.keys().map(String::as_str).take(5).collect();
                    format!(
                        "is not an Instagram posts, reels or insights file (its keys: {}) — give posts_1.json, reels.json or past_instagram_insights/*.json",
                        keys.join(", ")
                    )
                }
                None => "is not an Instagram export file (expected a JSON array or object)".into(),
            },
        ));
    };
    let mut posts = Vec::with_capacity(entries.len());
    let mut unknown: Vec<String> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let source = format!("{file} #{}", i + 1);
        let post = if insights {
            insight_entry(e, &source, &mut unknown)
        } else {
            content_entry(e, &source)
        };
        posts.push(post.map_err(|d| ImportError::new(file, format!("entry {}: {d}", i + 1)))?);
    }
    if insights && !posts.is_empty() && posts.iter().all(|p| p.metrics.is_empty()) {
        unknown.sort();
        unknown.dedup();
        return Err(ImportError::new(
            file,
            format!(
                "names no metric reelsmith knows (labels found: {}) — the export may be in a language reelsmith does not read yet; export again with the app in English",
                unknown.join(", ")
            ),
        ));
    }
    Ok(posts)
}

/// A `posts_1.json` / `reels.json` entry: captions and times only.
fn content_entry(e: &Value, source: &str) -> Result<ImportedPost, String> {
    let first = e
        .get("media")
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .ok_or("has no media list")?;
    let (uri, at, title) = media(first);
    let caption = e
        .get("title")
        .and_then(Value::as_str)
        .map(|s| repair(s).trim().to_string())
        .filter(|s| !s.is_empty())
        .or(title);
    Ok(ImportedPost {
        posted_at: e.get("creation_timestamp").and_then(timestamp).or(at),
        caption,
        media_uri: uri,
        url: None,
        duration_s: None,
        transcript: None,
        metrics: Metrics::default(),
        source: source.to_string(),
    })
}

/// An insights entry: `media_map_data` (may lack the thumbnail) and `string_map_data`.
fn insight_entry(
    e: &Value,
    source: &str,
    unknown: &mut Vec<String>,
) -> Result<ImportedPost, String> {
    let map = e
        .get("string_map_data")
        .and_then(Value::as_object)
        .ok_or("has no string_map_data")?;
    let thumb = e
        .get("media_map_data")
        .and_then(Value::as_object)
        .and_then(|m| m.values().next());
    let (uri, mut at, caption) = thumb.map(media).unwrap_or((None, None, None));
    let mut metrics = Metrics::default();
    let mut duration_s = None;
    for (label, field) in map {
        if let Some(t) = field.get("timestamp").and_then(timestamp) {
            // "Upload Timestamp" / "Creation Timestamp", in any language.
            at = at.or(Some(t));
            continue;
        }
        let Some(value) = field.get("value").and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }) else {
            continue;
        };
        let f = fold(label);
        if [
            "duration",
            "duración",
            "duração",
            "dauer",
            "durée",
            "durata",
        ]
        .contains(&f.as_str())
        {
            duration_s = seconds(&value);
            continue;
        }
        let Some(m) = metric(label) else {
            unknown.push(repair(label));
            continue;
        };
        let n = parse_count(&value)
            .ok_or_else(|| format!("“{}” is “{value}”, not a count", repair(label)))?;
        let slot = m.slot(&mut metrics);
        // Two labels for one metric ("Instagram Plays" and "Instagram and Facebook Plays"): the
        // larger, which counts more surfaces.
        *slot = Some(slot.map_or(n, |old| old.max(n)));
    }
    Ok(ImportedPost {
        posted_at: at,
        caption,
        media_uri: uri,
        url: None,
        duration_s,
        transcript: None,
        metrics,
        source: source.to_string(),
    })
}
