//! The hashtag optimizer: a broad / mid / niche mix from the platform, the topic's keywords, the
//! persona's niche and the tags the persona already uses (most used first — post performance will
//! weight them once it is imported), in the request's language, with a count per platform.

use std::collections::HashMap;

use crate::platform::Platform;
use crate::text::{fold, words};

/// The broad tag of each platform.
fn broad(platform: Platform) -> &'static str {
    match platform {
        Platform::Tiktok => "#fyp",
        Platform::Shorts => "#shorts",
        Platform::Reels => "#reels",
        Platform::Facebook => "#facebookreels",
        Platform::X => "#thread",
        Platform::Linkedin => "#linkedin",
    }
}

/// Content words of `text` (4+ letters, not stop words), in order, without repeats.
fn keywords(text: &str, language: &str) -> Vec<String> {
    let stops = crate::phrases::stop_words_for(language);
    let mut out: Vec<String> = Vec::new();
    for w in words(&fold(text)) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.chars().count() >= 4 && !stops.contains(w) && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// Tags already used in `texts` (`#word`), most used first.
pub fn used_tags(texts: &[&str]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in texts {
        for token in t.split_whitespace() {
            if let Some(tag) = token.strip_prefix('#') {
                let tag: String = tag
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !tag.is_empty() {
                    *counts
                        .entry(format!("#{}", tag.to_lowercase()))
                        .or_default() += 1;
                }
            }
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(t, _)| t).collect()
}

/// Picks hashtags: one broad (the platform's), then mid tags from the topic's keywords (their
/// two-word join first), then niche tags from the persona's own tags and niche, up to the platform's
/// count ([`crate::platform::PlatformRules::hashtags`]), without repeats.
pub fn hashtags(
    topic: &str,
    niche: Option<&str>,
    persona_tags: &[String],
    language: &str,
    platform: Platform,
) -> Vec<String> {
    let count = platform.rules().hashtags as usize;
    let mut out: Vec<String> = vec![broad(platform).to_string()];
    let push = |out: &mut Vec<String>, tag: String| {
        if out.len() < count && tag.len() > 2 && !out.contains(&tag) {
            out.push(tag);
        }
    };
    let topic_words = keywords(topic, language);
    if topic_words.len() >= 2 {
        push(&mut out, format!("#{}{}", topic_words[0], topic_words[1]));
    }
    if let Some(w) = topic_words.first() {
        push(&mut out, format!("#{w}"));
    }
    for t in persona_tags.iter().take(2) {
        push(&mut out, t.clone());
    }
    for w in keywords(niche.unwrap_or(""), language).into_iter().take(2) {
        push(&mut out, format!("#{w}"));
    }
    for w in topic_words.iter().skip(1) {
        push(&mut out, format!("#{w}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_of_broad_mid_and_niche_tags() {
        let used = used_tags(&["Sleep tips #NightShift #nurselife", "More #nightshift"]);
        assert_eq!(used, vec!["#nightshift", "#nurselife"]);
        let tags = hashtags(
            "why your morning routine fails",
            Some("sleep for shift workers"),
            &used,
            "en",
            Platform::Reels,
        );
        assert_eq!(
            tags,
            vec![
                "#reels",
                "#morningroutine",
                "#morning",
                "#nightshift",
                "#nurselife"
            ]
        );
        let short = hashtags("caffeine timing", None, &[], "en", Platform::Shorts);
        assert_eq!(short, vec!["#shorts", "#caffeinetiming", "#caffeine"]);
    }

    #[test]
    fn spanish_stop_words_are_skipped() {
        let tags = hashtags(
            "cómo ahorrar con el sueldo mínimo",
            None,
            &[],
            "es",
            Platform::Tiktok,
        );
        assert_eq!(tags[0], "#fyp");
        assert!(tags.contains(&"#ahorrarsueldo".to_string()), "{tags:?}");
    }
}
