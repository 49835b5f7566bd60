//! The hashtag optimizer: the persona's proven tags first (those of its posts that beat its median,
//! once performance is imported), then a broad / mid / niche mix from the platform, the topic's
//! keywords, the persona's niche and the tags it already uses — in the script's language (topic
//! words the script does not use are left out, so a Spanish topic for an English script gives
//! English tags), never an ambiguous single short word (`#fall`, `#blue`: see
//! [`MIN_SINGLE_WORD_CHARS`]), with a count per platform.

use std::collections::HashMap;

use crate::platform::Platform;
use crate::text::{fold, words};

/// The broad tag of each video platform; none for X and LinkedIn, where a platform tag says
/// nothing (readers there follow topics, and X counts every character).
fn broad(platform: Platform) -> Option<&'static str> {
    match platform {
        Platform::Tiktok => Some("#fyp"),
        Platform::Shorts => Some("#shorts"),
        Platform::Reels => Some("#reels"),
        Platform::Facebook => Some("#facebookreels"),
        Platform::X | Platform::Linkedin => None,
    }
}

/// Letters a single-word tag needs: shorter single words are too ambiguous to find an audience
/// (`#fall` is autumn and accidents, `#blue` a colour and a mood); they are used only joined to
/// another word (`#fallasleep`).
pub const MIN_SINGLE_WORD_CHARS: usize = 5;

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

/// The persona's proven tags: the hashtags of its posts with settled metrics that beat its median
/// ([`crate::outcome`]: lift over 1), those on more such posts first, then by their posts' mean
/// lift.
pub fn proven_tags(posts: &[crate::performance::StoredPost]) -> Vec<String> {
    let mut by_tag: HashMap<String, (usize, f64)> = HashMap::new();
    for o in crate::outcome::outcomes(posts)
        .iter()
        .filter(|o| o.settled && o.lift > 1.0)
    {
        let Some(caption) = posts
            .iter()
            .find(|p| p.id == o.post_id)
            .and_then(|p| p.caption.as_deref())
        else {
            continue;
        };
        for tag in used_tags(&[caption]) {
            let e = by_tag.entry(tag).or_default();
            e.0 += 1;
            e.1 += o.lift;
        }
    }
    let mut v: Vec<(String, usize, f64)> = by_tag
        .into_iter()
        .map(|(t, (n, sum))| (t, n, sum / n as f64))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(t, _, _)| t).collect()
}

/// Picks hashtags for a script: the persona's `proven` tags first (its posts' tags that beat its
/// median, best first), the platform's broad tag (video platforms), then mid tags from the
/// topic's keywords that the `script` itself uses (their two-word join first; the script's own
/// most frequent content words when the topic's are not in it — another language), then niche
/// tags from the persona's own tags and niche, up to the platform's count
/// ([`crate::platform::PlatformRules::hashtags`]), without repeats or ambiguous single short words.
pub fn hashtags(
    (topic, script): (&str, &str),
    niche: Option<&str>,
    (proven, persona_tags): (&[String], &[String]),
    language: &str,
    platform: Platform,
) -> Vec<String> {
    let count = platform.rules().hashtags as usize;
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, tag: String| {
        if out.len() < count && tag.len() > 2 && !out.contains(&tag) {
            out.push(tag);
        }
    };
    // A single word is a tag only when it is long enough to be specific.
    let single = |w: &str| (w.chars().count() >= MIN_SINGLE_WORD_CHARS).then(|| format!("#{w}"));
    for t in proven.iter().take(2) {
        push(&mut out, t.clone());
    }
    if let Some(b) = broad(platform) {
        push(&mut out, b.to_string());
    }
    let in_script = keywords(script, language);
    let topic_words: Vec<String> = if script.trim().is_empty() {
        keywords(topic, language)
    } else {
        let used: Vec<String> = keywords(topic, language)
            .into_iter()
            .filter(|w| in_script.contains(w))
            .collect();
        if used.is_empty() {
            frequent(&in_script, script)
        } else {
            used
        }
    };
    if topic_words.len() >= 2 {
        push(&mut out, format!("#{}{}", topic_words[0], topic_words[1]));
    }
    if let Some(t) = topic_words.first().and_then(|w| single(w)) {
        push(&mut out, t);
    }
    for t in persona_tags.iter().take(2) {
        push(&mut out, t.clone());
    }
    for w in keywords(niche.unwrap_or(""), language).into_iter().take(2) {
        if let Some(t) = single(&w) {
            push(&mut out, t);
        }
    }
    for w in topic_words.iter().skip(1) {
        if let Some(t) = single(w) {
            push(&mut out, t);
        }
    }
    out
}

/// `words` (the script's keywords) ordered by how often `script` uses them, most first.
fn frequent(words: &[String], script: &str) -> Vec<String> {
    let folded: Vec<String> = crate::text::words(&fold(script))
        .into_iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    let mut ranked: Vec<(usize, usize, &String)> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (folded.iter().filter(|f| *f == w).count(), i, w))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, w)| w.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_of_broad_mid_and_niche_tags() {
        let used = used_tags(&["Sleep tips #NightShift #nurselife", "More #nightshift"]);
        assert_eq!(used, vec!["#nightshift", "#nurselife"]);
        let script =
            "Your morning routine fails after nights. Change the routine, not your morning.";
        let tags = hashtags(
            ("why your morning routine fails", script),
            Some("sleep for shift workers"),
            (&[], &used),
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
        let short = hashtags(
            ("caffeine timing", "Caffeine timing matters."),
            None,
            (&[], &[]),
            "en",
            Platform::Shorts,
        );
        assert_eq!(short, vec!["#shorts", "#caffeinetiming", "#caffeine"]);
    }

    #[test]
    fn spanish_stop_words_are_skipped() {
        let tags = hashtags(
            (
                "cómo ahorrar con el sueldo mínimo",
                "Ahorrar con el sueldo mínimo es posible.",
            ),
            None,
            (&[], &[]),
            "es",
            Platform::Tiktok,
        );
        assert_eq!(tags[0], "#fyp");
        assert!(tags.contains(&"#ahorrarsueldo".to_string()), "{tags:?}");
    }

    #[test]
    fn tags_follow_the_scripts_language_and_skip_ambiguous_words() {
        // A Spanish topic, an English script: English tags from the script, not "#dormirdespues".
        let script = "Sleep after nights is hard. Your sleep needs a dark room and a cold room.";
        let tags = hashtags(
            ("dormir después del turno de noche", script),
            None,
            (&[], &[]),
            "en",
            Platform::Linkedin,
        );
        assert!(tags.iter().all(|t| !t.contains("dormir")), "{tags:?}");
        assert_eq!(
            tags.first().map(String::as_str),
            Some("#sleeproom"),
            "{tags:?}"
        );
        // "fall" alone is ambiguous: only its join is used; X and LinkedIn get no platform tag.
        let tags = hashtags(
            (
                "fall asleep",
                "Fall asleep faster: fall asleep in the dark.",
            ),
            None,
            (&[], &[]),
            "en",
            Platform::X,
        );
        assert_eq!(tags, vec!["#fallasleep", "#asleep"]);
        // Proven tags lead.
        let tags = hashtags(
            ("fall asleep", "Fall asleep faster."),
            None,
            (&["#nightshiftnurse".to_string()], &[]),
            "en",
            Platform::Reels,
        );
        assert_eq!(tags[..2], ["#nightshiftnurse", "#reels"]);
    }
}
