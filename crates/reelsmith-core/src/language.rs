//! Language facts: detection, default speaking rates and readability formulas per language.

use serde::{Deserialize, Serialize};

use crate::text::{sentences, syllables, words};

/// The language of a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code where one exists (`en`, `es`), else ISO 639-3 (`tgl`); `und` when undetermined.
    pub code: String,
    /// English name, e.g. `Spanish`.
    pub name: String,
    /// Detector confidence 0.0–1.0; 1.0 when the user stated the language.
    pub confidence: f64,
    /// Whether reelsmith has a full hook/CTA lexicon for it (see [`crate::lexicon::SUPPORTED`]).
    pub has_lexicon: bool,
}

/// Detects the language of `text` with `whatlang` (trigram model, 69 languages), or takes `hint`
/// (an ISO 639-1 or 639-3 code) when given. Only the first 20,000 characters are read: enough for a
/// stable answer and bounded in time.
pub fn detect_language(text: &str, hint: Option<&str>) -> LanguageInfo {
    let info = |code: String, name: String, confidence: f64| LanguageInfo {
        has_lexicon: crate::lexicon::lexicon(&code).is_some(),
        code,
        name,
        confidence,
    };
    if let Some(h) = hint {
        let h = h.trim().to_lowercase();
        let lang = whatlang::Lang::from_code(&h).or_else(|| {
            whatlang::Lang::all()
                .iter()
                .copied()
                .find(|l| iso639_1(*l) == h)
        });
        return match lang {
            Some(l) => info(iso639_1(l).to_string(), l.eng_name().to_string(), 1.0),
            None => info(h.clone(), h, 1.0),
        };
    }
    let sample: String = text.chars().take(20_000).collect();
    match whatlang::detect(&sample) {
        Some(d) => info(
            iso639_1(d.lang()).to_string(),
            d.lang().eng_name().to_string(),
            d.confidence(),
        ),
        None => info("und".into(), "undetermined".into(), 0.0),
    }
}

/// The language a user names by its ISO 639-1 or 639-3 code (`en`, `es`, `tgl`), normalized to the
/// code reelsmith stores; `None` when no language has that code (`xx`).
pub fn known_language(code: &str) -> Option<LanguageInfo> {
    let h = code.trim().to_lowercase();
    let lang = whatlang::Lang::from_code(&h).or_else(|| {
        whatlang::Lang::all()
            .iter()
            .copied()
            .find(|l| iso639_1(*l) == h)
    })?;
    Some(LanguageInfo {
        has_lexicon: crate::lexicon::lexicon(iso639_1(lang)).is_some(),
        code: iso639_1(lang).to_string(),
        name: lang.eng_name().to_string(),
        confidence: 1.0,
    })
}

/// ISO 639-1 code for the languages reelsmith has figures for; 639-3 for the rest.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Spa => "es",
        Deu => "de",
        Fra => "fr",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        other => other.code(),
    }
}

/// Speaking rate in words per minute (WPM) and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefaultWpm {
    /// Words per minute.
    pub wpm: f64,
    /// The source of the figure.
    pub source: String,
}

/// Conversational English: about 150 WPM (National Center for Voice and Speech, "Voice qualities":
/// average conversational rate for English speakers).
pub const ENGLISH_WPM: f64 = 150.0;

/// Default speaking rate for a language (ISO 639-1 code).
///
/// English is [`ENGLISH_WPM`]. Other languages scale it by their mean reading rate relative to English
/// in the International Reading Speed Texts study (Trauzettel-Klosinski & Dietz 2012, IOVS 53(9):5452,
/// words per minute read by native adults: en 228, es 218, de 179, fr 195, it 188, pt 181, nl 202),
/// because words differ in length across languages and WPM with them. A persona's own rate, learned
/// from examples with known durations, always takes precedence.
pub fn default_wpm(code: &str) -> DefaultWpm {
    const IREST_EN: f64 = 228.0;
    let irest = match code {
        "es" => Some(218.0),
        "de" => Some(179.0),
        "fr" => Some(195.0),
        "it" => Some(188.0),
        "pt" => Some(181.0),
        "nl" => Some(202.0),
        _ => None,
    };
    match (code, irest) {
        ("en", _) => DefaultWpm {
            wpm: ENGLISH_WPM,
            source: "English conversational rate, 150 WPM (National Center for Voice and Speech)"
                .into(),
        },
        (_, Some(r)) => DefaultWpm {
            wpm: (ENGLISH_WPM * r / IREST_EN).round(),
            source: format!(
                "150 WPM scaled by the {code}/en reading-rate ratio {r:.0}/{IREST_EN:.0} (IReST, Trauzettel-Klosinski & Dietz 2012)"
            ),
        },
        _ => DefaultWpm {
            wpm: ENGLISH_WPM,
            source: format!(
                "no figure for '{code}': English conversational rate, 150 WPM (National Center for Voice and Speech)"
            ),
        },
    }
}

/// A readability score on a named scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readability {
    /// Score 0–100 (clamped), higher is easier.
    pub score: f64,
    /// The formula used.
    pub scale: String,
    /// The formula's band for the score, e.g. `fairly easy (7th grade)`.
    pub band: String,
}

/// Readability of `text` for languages with a published formula: Flesch Reading Ease for English
/// (Flesch 1948: 206.835 − 1.015·words/sentence − 84.6·syllables/word) and Fernández Huerta for Spanish
/// (Fernández Huerta 1959: 206.84 − 0.60·syllables per 100 words − 1.02·sentences per 100 words).
/// `None` for other languages or text without words.
pub fn readability(text: &str, code: &str) -> Option<Readability> {
    readability_split(&words(text), sentences(text).len(), code)
}

/// [`readability`] from the text's words and sentence count, for callers that already split it.
pub fn readability_split(w: &[&str], n_sentences: usize, code: &str) -> Option<Readability> {
    if w.is_empty() {
        return None;
    }
    let n_words = w.len() as f64;
    let n_sent = n_sentences.max(1) as f64;
    let english = code == "en";
    let n_syl: usize = w.iter().map(|x| syllables(x, english)).sum();
    let n_syl = n_syl as f64;
    let (score, scale) = match code {
        "en" => (
            206.835 - 1.015 * (n_words / n_sent) - 84.6 * (n_syl / n_words),
            "Flesch Reading Ease",
        ),
        "es" => (
            206.84 - 0.60 * (100.0 * n_syl / n_words) - 1.02 * (100.0 * n_sent / n_words),
            "Fernández Huerta",
        ),
        _ => return None,
    };
    let score = score.clamp(0.0, 100.0);
    Some(Readability {
        score: (score * 10.0).round() / 10.0,
        scale: scale.into(),
        band: flesch_band(score).into(),
    })
}

/// Flesch's (1948) interpretation table, shared by Fernández Huerta's scale.
fn flesch_band(score: f64) -> &'static str {
    match score {
        s if s >= 90.0 => "very easy (5th grade)",
        s if s >= 80.0 => "easy (6th grade)",
        s if s >= 70.0 => "fairly easy (7th grade)",
        s if s >= 60.0 => "standard (8th–9th grade)",
        s if s >= 50.0 => "fairly difficult (high school)",
        s if s >= 30.0 => "difficult (college)",
        _ => "very difficult (graduate)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_english_and_spanish() {
        let en = detect_language(
            "Stop scrolling. Here is why your morning routine keeps failing you.",
            None,
        );
        assert_eq!(en.code, "en");
        assert!(en.has_lexicon);
        let es = detect_language(
            "Deja de pagar comisiones al banco, te explico cómo hacerlo en tres pasos.",
            None,
        );
        assert_eq!(es.code, "es");
        assert_eq!(es.name, "Spanish");
    }

    #[test]
    fn hint_wins_and_accepts_both_code_forms() {
        assert_eq!(detect_language("hello there", Some("spa")).code, "es");
        assert_eq!(detect_language("hello there", Some("es")).code, "es");
        let unknown = detect_language("hello", Some("xx"));
        assert_eq!((unknown.code.as_str(), unknown.has_lexicon), ("xx", false));
        assert_eq!(detect_language("🔥🔥", None).code, "und");
    }

    #[test]
    fn default_wpm_is_sourced() {
        assert_eq!(default_wpm("en").wpm, 150.0);
        let es = default_wpm("es");
        assert_eq!(es.wpm, 143.0);
        assert!(es.source.contains("IReST"));
        assert!(default_wpm("tgl").source.contains("no figure"));
    }

    #[test]
    fn readability_orders_easy_above_hard() {
        let easy = readability("You can do it. Go to bed. Sleep well. Wake up.", "en");
        let hard = readability(
            "Circadian misalignment substantially compromises physiological recuperation among institutional healthcare professionals.",
            "en",
        );
        let (Some(easy), Some(hard)) = (easy, hard) else {
            unreachable!("English has a formula")
        };
        assert!(easy.score > 80.0 && hard.score < 30.0, "{easy:?} {hard:?}");
        assert!(readability("Hola, ¿qué tal estás hoy?", "es").is_some());
        assert!(readability("Hallo Welt", "de").is_none());
        assert!(readability("", "en").is_none());
    }
}
