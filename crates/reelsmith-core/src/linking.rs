//! Which stored script an imported post was made from: the post's subtitles or caption matched
//! against the persona's generations and example scripts, by shared content words and, with the
//! embedding model, by meaning. A match is only a suggestion (shown with its evidence, confirmable);
//! below the thresholds the post stays unlinked.

use crate::embed::cosine;

/// Share of the post's content words found in a script for a match by words, each word weighted
/// by its inverse document frequency over the candidate scripts (hashtags and @mentions left out).
pub const MIN_WORD_SHARE: f64 = 0.6;
/// Content words a post needs, hashtags aside, to be matched by words (fewer: "night shift
/// grocery haul" would match any script of the niche that mentions food).
pub const MIN_CONTENT_WORDS: usize = 5;
/// Cosine similarity a match by words also needs when the embedding model is there (words shared
/// by chance with an unrelated script rarely come with similar meaning).
pub const MIN_COSINE_WITH_WORDS: f64 = 0.5;
/// Cosine similarity of the post's and a script's embeddings for a match by meaning (MiniLM puts
/// paraphrases of one script above 0.7 and different scripts on one topic around 0.3–0.5).
pub const MIN_COSINE: f64 = 0.6;

/// `text` without its hashtags and @mentions (a caption's tags are not part of the script).
pub fn without_tags(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with('#') && !w.starts_with('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The best match of a post among candidate scripts.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The candidate's index.
    pub index: usize,
    /// Its similarity, 0–1 (the larger of the word share and the cosine).
    pub similarity: f64,
    /// Why: the shared words and the meaning similarity.
    pub evidence: String,
}

/// The candidate (by index into `candidates`) `post` was most likely made from, when one passes a
/// threshold. `lang` picks the stop words; `vectors` are the post's embedding and the candidates'
/// (same order), when the model is there.
pub fn best_match(
    post: &str,
    candidates: &[&str],
    lang: &str,
    vectors: Option<(&[f32], &[Vec<f32>])>,
) -> Option<Match> {
    let stops = crate::phrases::stop_words_cached(lang);
    // Hashtags and @mentions name the niche, not the script: "#nightshift" would tie a post to
    // every script of a night-shift coach.
    let spoken = without_tags(post);
    let mut words = crate::text::content_stems(&spoken, stops);
    words.sort();
    words.dedup();
    let sets: Vec<std::collections::HashSet<String>> = candidates
        .iter()
        .map(|c| crate::text::content_stems(c, stops).into_iter().collect())
        .collect();
    // Each word weighs its inverse document frequency over the candidates, so words every script
    // of the persona uses ("night", "shift") count little and a script's own words count most.
    let n = candidates.len().max(1) as f64;
    let weight = |w: &String| {
        let df = sets.iter().filter(|s| s.contains(w)).count().max(1) as f64;
        (1.0 + n / df).ln()
    };
    let total: f64 = words.iter().map(weight).sum();
    let mut best: Option<Match> = None;
    for (i, theirs) in sets.iter().enumerate() {
        let shared: Vec<&String> = words.iter().filter(|w| theirs.contains(*w)).collect();
        let share = if words.len() >= MIN_CONTENT_WORDS && total > 0.0 {
            shared.iter().map(|w| weight(w)).sum::<f64>() / total
        } else {
            0.0
        };
        let cos = vectors
            .and_then(|(p, cs)| cs.get(i).map(|v| f64::from(cosine(p, v))))
            .filter(|_| !words.is_empty());
        let passes = match cos {
            Some(c) => c >= MIN_COSINE || (share >= MIN_WORD_SHARE && c >= MIN_COSINE_WITH_WORDS),
            None => share >= MIN_WORD_SHARE,
        };
        let similarity = share.max(cos.unwrap_or(0.0));
        if !passes || best.as_ref().is_some_and(|b| b.similarity >= similarity) {
            continue;
        }
        let mut evidence = format!(
            "shares {} of its {} content words ({}; {:.0} % of their weight)",
            shared.len(),
            words.len(),
            shared
                .iter()
                .take(8)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            share * 100.0
        );
        if let Some(c) = cos {
            evidence.push_str(&format!("; meaning similarity {c:.2}"));
        }
        best = Some(Match {
            index: i,
            similarity,
            evidence,
        });
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPTS: [&str; 2] = [
        "Stop drinking coffee the second your shift starts. Caffeine takes six hours to halve, so a 3am cup is still in you at 9am when you try to sleep.",
        "Your day off is not a reset. Sleep in two blocks, keep your anchor hours, and your next night shift will thank you.",
    ];

    #[test]
    fn a_caption_matches_its_script_by_words() {
        let m = best_match(
            "Night shift coffee rule: stop caffeine at the start of your shift ☕ #nightshift",
            &SCRIPTS,
            "en",
            None,
        );
        let m = m.unwrap_or_else(|| unreachable!("no match"));
        assert_eq!(m.index, 0);
        assert!(m.similarity >= MIN_WORD_SHARE);
        assert!(m.evidence.contains("coffe"), "{}", m.evidence);
        assert!(!m.evidence.contains("nights"), "{}", m.evidence);
    }

    #[test]
    fn hashtags_alone_or_another_topic_or_niche_words_match_nothing() {
        assert_eq!(best_match("#fyp #viral", &SCRIPTS, "en", None), None);
        // The niche's words are in every script: they do not single one out.
        assert_eq!(
            best_match(
                "Rate my night shift bag #nightshift #nurselife",
                &SCRIPTS,
                "en",
                None
            ),
            None
        );
        assert_eq!(
            best_match(
                "Three budgeting apps compared for freelancers this year",
                &SCRIPTS,
                "en",
                None
            ),
            None
        );
    }

    #[test]
    fn meaning_can_match_when_words_do_not() {
        let post = [1.0_f32, 0.0];
        let cands = vec![vec![0.0_f32, 1.0], vec![0.9_f32, 0.1]];
        let m = best_match(
            "weekend recovery plan for people who work nights",
            &SCRIPTS,
            "en",
            Some((&post, &cands)),
        )
        .unwrap_or_else(|| unreachable!("no match"));
        assert_eq!(m.index, 1);
        assert!(
            m.evidence.contains("meaning similarity 0.99"),
            "{}",
            m.evidence
        );
    }
}
