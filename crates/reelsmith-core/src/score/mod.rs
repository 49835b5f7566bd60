//! The score card: timing, quality, nine viral-potential dimensions and voice match, every number 0–100
//! with the reasons behind it. Deterministic and fast (no LLM, no I/O); embedding similarity is passed in
//! by callers that have an embedder.

pub mod brief;
pub mod coherence;
mod features;
mod format;
pub mod hook_fit;
pub mod hook_model;
pub mod improve;
pub mod likelihood;
pub mod perturb;
pub mod purpose;
pub(crate) mod quality;
mod viral;
mod voice;

use serde::{Deserialize, Serialize};

use crate::language::{LanguageInfo, default_wpm, detect_language};
use crate::persona::CreatorProfile;
use crate::style::StyleProfile;
pub use features::Prepared;
pub use voice::{ClosestExample, EmbeddingEvidence};

/// One scored aspect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    /// Machine name, e.g. `hook_strength`.
    pub name: String,
    /// Score 0–100.
    pub score: f64,
    /// Why, in order of importance.
    pub reasons: Vec<String>,
}

impl Dimension {
    fn new(name: &str, score: f64, reasons: Vec<String>) -> Dimension {
        Dimension {
            name: name.into(),
            score: (score.clamp(0.0, 100.0) * 10.0).round() / 10.0,
            reasons,
        }
    }
}

/// Spoken length against the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Spoken length, seconds: as recorded when [`Timing::recorded`], else estimated (words ÷ WPM
    /// × 60).
    pub estimated_s: f64,
    /// Whether the length is the draft's recorded one ([`ScoreRequest::spoken_s`]), not an
    /// estimate; `wpm` is then the recorded rate.
    #[serde(default)]
    pub recorded: bool,
    /// Target length, seconds.
    pub target_s: f64,
    /// Speaking rate used, words per minute.
    pub wpm: f64,
    /// Where the rate comes from.
    pub wpm_source: String,
    /// Whether the estimate is within ±10 % of the target ([`WINDOW`]).
    pub within_window: bool,
    /// Words to cut (positive) or add (negative) to hit the target exactly.
    pub words_off: i64,
    /// The timing dimension.
    pub dimension: Dimension,
}

/// The accepted deviation from the target length, as a fraction (±10 %).
pub const WINDOW: f64 = 0.10;

/// Nine viral-potential dimensions and their weighted overall score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viral {
    /// The nine dimensions, in [`VIRAL_WEIGHTS`] order.
    pub dimensions: Vec<Dimension>,
    /// Weight of each dimension in `overall` (sums to 1).
    pub weights: Vec<(String, f64)>,
    /// Weighted mean, 0–100.
    pub overall: f64,
}

/// Weights of the viral dimensions in the overall viral score. reelsmith's editorial prior (the hook and
/// the value delivered weigh most, trends least), to be recalibrated from imported post performance.
pub const VIRAL_WEIGHTS: [(&str, f64); 9] = [
    ("hook_strength", 0.20),
    ("curiosity_gap", 0.10),
    ("emotional_intensity", 0.10),
    ("specificity", 0.10),
    ("relatability", 0.10),
    ("value_density", 0.15),
    ("pacing", 0.10),
    ("cta_strength", 0.10),
    ("trend_alignment", 0.05),
];

/// Weights of the four parts in [`ScoreCard::overall`]. Quality's share is split evenly between the
/// quality and coherence dimensions, and the brief when there is a topic or a requirement and the
/// embedding model to judge it by meaning (a draft that barely covers its topic ranks below one that
/// covers it; shared words alone are too weak a judge to move the overall); voice's share is spread over the
/// others when there is no persona.
pub const OVERALL_WEIGHTS: [(&str, f64); 4] = [
    ("timing", 0.2),
    ("quality", 0.2),
    ("viral", 0.4),
    ("voice", 0.2),
];

/// How well a script matches a persona's voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceMatch {
    /// Score 0–100: the authorship-attribution probability ×100 when a voice model was given
    /// ([`crate::attribution`]); without one, the writing statistics averaged with the embedding
    /// similarity.
    pub score: f64,
    /// The authorship-attribution judgement, when a voice model was given.
    #[serde(default)]
    pub attribution: Option<crate::attribution::Judgement>,
    /// The other personas the script was compared against (same workspace, same language).
    #[serde(default)]
    pub competitors: Vec<String>,
    /// Stylometric similarity to the style profile, 0–100.
    pub stylometric: f64,
    /// Embedding similarity to the persona's examples, 0–100, when an embedder was available.
    pub embedding: Option<f64>,
    /// Per-feature reasons.
    pub reasons: Vec<String>,
    /// The example scripts closest in embedding space (up to three), when embeddings were available.
    pub closest: Vec<ClosestExample>,
}

/// The full score card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreCard {
    /// Language scored in.
    pub language: LanguageInfo,
    /// Words in the script.
    pub words: usize,
    /// Timing.
    pub timing: Timing,
    /// Quality (structure, repetition, readability, clichés, filler, rhythm), capped at
    /// [`UNFIT_CAP`] when the script is unfit to post.
    pub quality: Dimension,
    /// Coherence and completeness (see [`coherence`]); `None` on cards stored before it existed.
    #[serde(default)]
    pub coherence: Option<coherence::Coherence>,
    /// Why the script is not fit to post, worst first; empty when it is.
    #[serde(default)]
    pub unfit: Vec<String>,
    /// Topic, requirements and language against the brief (see [`brief`]); `None` on cards
    /// stored before it existed.
    #[serde(default)]
    pub brief: Option<brief::BriefCheck>,
    /// Viral potential.
    pub viral: Viral,
    /// Voice match, when scored against a persona.
    pub voice: Option<VoiceMatch>,
    /// Weighted overall score 0–100 (see [`OVERALL_WEIGHTS`]).
    pub overall: f64,
    /// Caveats (e.g. a language without lexicons).
    pub notes: Vec<String>,
    /// For a text post (an X thread, a LinkedIn post), the format dimension that takes spoken
    /// timing's place in `overall`: length, the hook before the fold, readability. `None` for a
    /// video script.
    #[serde(default)]
    pub format: Option<Dimension>,
}

/// What to score and against what.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreRequest<'a> {
    /// The script text.
    pub text: &'a str,
    /// Target length, seconds; defaults to the persona's optimal length, else [`DEFAULT_TARGET_S`].
    pub target_s: Option<f64>,
    /// Spoken length as recorded, seconds, when the draft comes with its timing (a caption file:
    /// first cue's start to last cue's end; a script's `duration_s`); timing then uses it instead
    /// of estimating it from the words and a speaking rate. Ignored unless finite and positive.
    pub spoken_s: Option<f64>,
    /// The persona's learned style, for WPM, language and voice match.
    pub style: Option<&'a StyleProfile>,
    /// The persona's profile, for audience pain points and optimal length.
    pub profile: Option<&'a CreatorProfile>,
    /// The user's trend list (phrases).
    pub trends: &'a [String],
    /// Language (ISO code) when known; else the persona's, else detected.
    pub language: Option<&'a str>,
    /// Embedding similarity evidence, when the caller has an embedder.
    pub embedding: Option<&'a EmbeddingEvidence>,
    /// The persona's voice model, for voice match as authorship attribution.
    pub voice: Option<VoiceContext<'a>>,
    /// The sentence-embedding model, for hook strength by meaning (English hooks) and the brief.
    pub embedder: Option<EmbedderRef<'a>>,
    /// The requested topic, for topic relevance.
    pub topic: Option<&'a str>,
    /// The brief's requirements, each checked.
    pub requirements: &'a [String],
    /// The language the script was asked to be in (ISO 639-1), checked against the detected one.
    pub requested_language: Option<&'a str>,
    /// The creator's calibrated viral weights ([`crate::calibration`]), in [`VIRAL_WEIGHTS`] order;
    /// default: [`VIRAL_WEIGHTS`].
    pub viral_weights: Option<&'a [f64]>,
    /// The platform the text is for: an X thread or a LinkedIn post gets the format dimension in
    /// place of spoken timing; `None` (or a video platform) is scored as a video script. The brief
    /// also checks the script names only this platform's features ([`purpose`]).
    pub platform: Option<crate::platform::Platform>,
    /// The content type asked for, checked in the brief ([`purpose`]).
    pub content_type: Option<crate::platform::ContentType>,
    /// A language model for the coherence check's order evidence
    /// ([`likelihood`]); without one, order is judged by sentence embeddings and shared words.
    pub likelihood: Option<LikelihoodRef<'a>>,
}

/// A borrowed language model in a [`ScoreRequest`].
#[derive(Clone, Copy)]
pub struct LikelihoodRef<'a>(pub &'a dyn likelihood::LikelihoodModel);

impl std::fmt::Debug for LikelihoodRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LikelihoodRef({})", self.0.model())
    }
}

/// A borrowed embedding model in a [`ScoreRequest`].
#[derive(Clone, Copy)]
pub struct EmbedderRef<'a>(pub &'a dyn crate::embed::Embedder);

impl std::fmt::Debug for EmbedderRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EmbedderRef({})", self.0.model())
    }
}

/// A fitted voice model and which of its voices is the persona.
#[derive(Debug, Clone, Copy)]
pub struct VoiceContext<'a> {
    /// The model (the persona and its competitors).
    pub model: &'a crate::attribution::VoiceModel,
    /// The persona's voice in it.
    pub index: usize,
    /// The competitors' names, in the model's order without the persona.
    pub competitors: &'a [String],
}

/// The highest overall and quality score of a script that is not fit to post (cut off, a fragment,
/// repeating itself, a call to action before the end): a broken script never looks good. Its
/// overall is further scaled by its coherence score.
pub const UNFIT_CAP: f64 = 40.0;

/// "Not fit to post" for a script with no number, name, example, action or step: all talk, nothing
/// a viewer could repeat or do (measured false alarms on real scripts and transcripts: README,
/// `reelsmith eval coherence`).
pub const SAYS_NOTHING: &str = "says nothing concrete (no number, name or example, nothing to do)";

/// Words below which a draft is too short to be called empty (a one-line hook is not a script).
pub const EMPTY_MIN_WORDS: usize = 30;

/// Target length used when neither the request nor the persona gives one, seconds.
pub const DEFAULT_TARGET_S: f64 = 30.0;

/// Scores a script. Never fails: empty or odd text gets low scores with reasons.
pub fn score(req: &ScoreRequest<'_>) -> ScoreCard {
    let language = match (req.language, req.style) {
        (Some(code), _) => detect_language("", Some(code)),
        (None, Some(style)) => style.language.clone(),
        (None, None) => detect_language(req.text, None),
    };
    let p = Prepared::new(req.text, &language.code);
    let mut notes = Vec::new();
    if p.lex.is_none() {
        notes.push(format!(
            "no lexicons for {} ({}): hook types, CTAs, clichés, filler and emotion use language-neutral signals only",
            language.name, language.code
        ));
    }
    let timing = timing(&p, req, &language.code);
    let mut quality = quality::quality(&p);
    // One embedding pass over the sentences and the hook line serves coherence, the brief and
    // hook strength.
    let (sentence_vectors, hook_vector) = req
        .embedder
        .filter(|_| !p.sentences.is_empty())
        .and_then(|e| {
            let mut texts: Vec<&str> = p.sentences.clone();
            texts.push(&p.analysis.hook);
            let mut v = e.0.embed(&texts).ok()?;
            if v.len() != texts.len() {
                return None;
            }
            let hook = v.pop()?;
            Some((Some(v), Some(hook)))
        })
        .unwrap_or((None, None));
    let likelihoods = req
        .likelihood
        .filter(|_| p.sentences.len() >= 3)
        .and_then(|m| match m.0.likelihoods(&p.sentences) {
            Ok(l) => Some(l),
            Err(e) => {
                notes.push(format!(
                    "the coherence check could not use {} ({e}): order judged without it",
                    m.0.model()
                ));
                None
            }
        });
    let coherence = coherence::coherence(
        &p,
        &language.code,
        sentence_vectors.as_deref(),
        likelihoods.as_ref(),
    );
    let brief = brief::brief(
        &p,
        &language.code,
        brief::Asked {
            topic: req.topic,
            requirements: req.requirements,
            language: req.requested_language,
            content_type: req.content_type,
            platform: req.platform,
        },
        req.embedder.map(|e| e.0),
        sentence_vectors.as_deref(),
    );
    let mut unfit = brief.failures();
    unfit.extend(coherence.problems.iter().map(|pr| pr.label().to_string()));
    let viral = viral::viral(&p, req, hook_vector.as_deref());
    if viral::says_nothing(&p) == Some(true) && p.words.len() >= EMPTY_MIN_WORDS {
        unfit.push(SAYS_NOTHING.to_string());
    }
    let voice = req
        .style
        .map(|s| voice::voice_match(&p, s, req.embedding, req.voice));
    let mut craft = vec![quality.score, coherence.dimension.score];
    if brief.by_meaning && (req.topic.is_some() || !req.requirements.is_empty()) {
        craft.push(brief.dimension.score);
    }
    let format = req
        .platform
        .filter(|pl| pl.format() != crate::platform::Format::Video)
        .map(|pl| {
            notes.push(format!(
                "a text post for {}: no spoken timing — the format dimension takes its place",
                crate::platform::Named::as_str(pl)
            ));
            format::format(&p, pl)
        });
    let mut parts = vec![
        (
            OVERALL_WEIGHTS[0].1,
            format.as_ref().map_or(timing.dimension.score, |f| f.score),
        ),
        (
            OVERALL_WEIGHTS[1].1,
            craft.iter().sum::<f64>() / craft.len() as f64,
        ),
        (OVERALL_WEIGHTS[2].1, viral.overall),
    ];
    if let Some(v) = &voice {
        parts.push((OVERALL_WEIGHTS[3].1, v.score));
    }
    let total_w: f64 = parts.iter().map(|(w, _)| w).sum();
    let mut overall = parts.iter().map(|(w, s)| w * s).sum::<f64>() / total_w;
    if !unfit.is_empty() {
        // Capped, then scaled by coherence: a broken script scores below any script that holds
        // together, even a weak one.
        overall = overall.min(UNFIT_CAP) * coherence.dimension.score / 100.0;
        if quality.score > UNFIT_CAP {
            quality.score = UNFIT_CAP;
            quality
                .reasons
                .insert(0, format!("not fit to post: {}", unfit.join(", ")));
        }
    }
    ScoreCard {
        language,
        words: p.words.len(),
        timing,
        quality,
        coherence: Some(coherence),
        unfit,
        brief: Some(brief),
        viral,
        voice,
        overall: round1(overall),
        notes,
        format,
    }
}

fn timing(p: &Prepared<'_>, req: &ScoreRequest<'_>, lang: &str) -> Timing {
    let words = p.words.len() as f64;
    let recorded = req
        .spoken_s
        .filter(|s| s.is_finite() && *s > 0.0 && words > 0.0);
    let (wpm, wpm_source) = match (recorded, req.style) {
        (Some(s), _) => (words / s * 60.0, "the draft's recorded length".to_string()),
        (None, Some(s)) => (
            s.pace.wpm,
            match &s.pace.wpm_source {
                crate::style::WpmSource::Learned { examples, .. } => {
                    format!("the persona's rate, learned from {examples} timed examples")
                }
                crate::style::WpmSource::LanguageDefault { source } => source.clone(),
            },
        ),
        (None, None) => {
            let d = default_wpm(lang);
            (d.wpm, d.source)
        }
    };
    let (target_s, target_from) = match (req.target_s, req.profile.and_then(|p| p.optimal_length_s))
    {
        (Some(t), _) => (t, "requested"),
        (None, Some(t)) => (f64::from(t), "the persona's optimal length"),
        (None, None) => (DEFAULT_TARGET_S, "default"),
    };
    let estimated_s = words / wpm * 60.0;
    let deviation = (estimated_s - target_s) / target_s;
    let within = deviation.abs() <= WINDOW + 1e-9;
    let words_off = (words - target_s * wpm / 60.0).round() as i64;
    // Full marks inside the window, falling linearly to 0 at 50 % off.
    let score = if within {
        100.0
    } else {
        100.0 * (1.0 - (deviation.abs() - WINDOW) / 0.40).max(0.0)
    };
    let mut reasons = vec![if recorded.is_some() {
        format!(
            "{words:.0} words spoken in {estimated_s:.1} s, {wpm:.0} WPM ({wpm_source}); target {target_s:.0} s ({target_from})"
        )
    } else {
        format!(
            "{words:.0} words ≈ {estimated_s:.1} s at {wpm:.0} WPM ({wpm_source}); target {target_s:.0} s ({target_from})"
        )
    }];
    reasons.push(if within {
        format!(
            "within ±{:.0} % of the target ({:+.0} %)",
            WINDOW * 100.0,
            deviation * 100.0
        )
    } else if words_off > 0 {
        format!(
            "{:.0} % too long: cut about {words_off} words",
            deviation * 100.0
        )
    } else {
        format!(
            "{:.0} % too short: add about {} words",
            -deviation * 100.0,
            -words_off
        )
    });
    Timing {
        estimated_s: round1(estimated_s),
        recorded: recorded.is_some(),
        target_s,
        wpm,
        wpm_source,
        within_window: within,
        words_off,
        dimension: Dimension::new("timing", score, reasons),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests;
