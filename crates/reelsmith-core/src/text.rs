//! Text primitives shared by every analysis: words, sentences, syllables, emoji and accent folding.
//!
//! Word and sentence boundaries follow Unicode UAX #29 (via `unicode-segmentation`), so they work for any
//! script; line breaks end a sentence, which matters for scripts written one beat per line.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// An amount of US dollars as shown to users: `$` and four decimals (model calls cost fractions
/// of a cent). Never "-0.0000": a sum of no costs is -0.0 in IEEE 754 (Rust's `Sum` for `f64`
/// starts from it), shown as `$0.0000`.
pub fn usd(amount: f64) -> String {
    format!("${:.4}", amount + 0.0)
}

/// Words of `text` per UAX #29 (punctuation and emoji dropped, inner apostrophes kept: `don't`).
pub fn words(text: &str) -> Vec<&str> {
    text.unicode_words().collect()
}

/// `text` with its first character upper-cased ("so if you…" → "So if you…").
pub fn capitalize_first(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Sentences of `text` per UAX #29, trimmed, with sentences that hold no word dropped.
///
/// A line break ends a sentence, so a script written one beat per line splits per line even
/// without punctuation.
pub fn sentences(text: &str) -> Vec<&str> {
    text.split_sentence_bounds()
        .map(str::trim)
        .filter(|s| s.unicode_words().next().is_some())
        .collect()
}

/// Lower-cases `text` and removes diacritics (NFD, then combining marks dropped), so `Cómo` matches `como`.
pub fn fold(text: &str) -> String {
    // Fast path: ASCII has no diacritics or typographic apostrophes to fold (the common case, and the
    // hot one when scoring).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        // Typographic apostrophes (iOS keyboards, Word) must match the ASCII ones in lexicons.
        .map(|c| {
            if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
                '\''
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// `text` as folded words joined by single spaces, padded with one space at each end, so a phrase
/// can be matched on word boundaries with `contains(" phrase ")`.
pub fn padded_words(text: &str) -> String {
    pad(fold(text).unicode_words())
}

/// Already-folded words joined by single spaces, padded with one space at each end (the form phrase
/// patterns match against; see [`padded_words`]).
pub fn pad<S: AsRef<str>>(folded: impl IntoIterator<Item = S>) -> String {
    let mut out = String::from(" ");
    for w in folded {
        out.push_str(w.as_ref());
        out.push(' ');
    }
    out
}

/// Number of emoji (extended grapheme clusters that are a known emoji) in `text`.
pub fn emoji_count(text: &str) -> usize {
    if text.is_ascii() {
        return 0;
    }
    text.graphemes(true)
        .filter(|g| !g.is_ascii() && emojis::get(g).is_some())
        .count()
}

/// Estimated syllables in one word: groups of consecutive vowels, with a silent final `e` dropped in
/// English ("make" = 1). At least 1 for any word holding a letter.
///
/// This is the vowel-group heuristic used by common readability tools; it is within ±1 syllable for
/// most English and Spanish words, which is what Flesch-style formulas need on script-length texts.
pub fn syllables(word: &str, english: bool) -> usize {
    let w = fold(word);
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut prev_vowel = false;
    for c in w.chars() {
        let v = is_vowel(c);
        if v && !prev_vowel {
            count += 1;
        }
        prev_vowel = v;
    }
    if english && count > 1 && w.ends_with('e') && !w.ends_with("le") && !w.ends_with("ee") {
        count -= 1;
    }
    if count == 0 && w.chars().any(char::is_alphabetic) {
        1
    } else {
        count
    }
}

/// The first `max_chars` characters of `s`, with `…` appended when it was cut (never splits a char).
pub fn truncate_chars(s: &str, max_chars: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

/// Content words of `text` (3 characters or more, not in `stops`), folded and cut to their first
/// five characters (a crude stem: "nights" and "night", "sleeping" and "sleep" meet).
pub fn content_stems(text: &str, stops: &std::collections::HashSet<String>) -> Vec<String> {
    words(text)
        .iter()
        .map(|w| fold(w))
        .filter(|w| w.chars().count() >= 3 && !stops.contains(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// A stable 64-bit fingerprint of `text` (FNV-1a): the same text gives the same number in every
/// run and build, unlike `std`'s hasher (for cache keys and stable splits, not for security).
pub fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Median of `values` (mean of the two middle values for an even count); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// Arithmetic mean of `values`; 0.0 when empty.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_sum_of_costs_is_not_negative() {
        let none: f64 = Vec::<f64>::new().into_iter().sum();
        assert_eq!(usd(none), "$0.0000");
        assert_eq!(usd(0.12345), "$0.1235");
    }

    #[test]
    fn words_drop_punctuation_and_emoji_but_keep_apostrophes() {
        assert_eq!(
            words("Don't do this! 🔥 ok?"),
            vec!["Don't", "do", "this", "ok"]
        );
    }

    #[test]
    fn sentences_split_on_punctuation_and_line_breaks() {
        let s = sentences("Stop scrolling. Here's why!\nline two without stop\n\n🔥\n");
        assert_eq!(
            s,
            vec!["Stop scrolling.", "Here's why!", "line two without stop"]
        );
    }

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("¿Cómo ESTÁS?"), "¿como estas?");
        assert_eq!(padded_words("Así es, CÓMO!"), " asi es como ");
        assert_eq!(fold("Here’s"), "here's");
    }

    #[test]
    fn emoji_are_counted_per_grapheme() {
        assert_eq!(
            emoji_count("hi 👋🏽 and 👨‍👩‍👧 and 1 # ©"),
            2 + usize::from(emojis::get("©").is_some())
        );
        assert_eq!(emoji_count("plain text 123"), 0);
    }

    #[test]
    fn syllable_heuristic_is_close_on_common_words() {
        assert_eq!(syllables("make", true), 1);
        assert_eq!(syllables("table", true), 2);
        assert_eq!(syllables("morning", true), 2);
        assert_eq!(syllables("routine", true), 2);
        assert_eq!(syllables("dinero", false), 3);
        assert_eq!(syllables("x", true), 1);
        assert_eq!(syllables("123", true), 0);
    }

    #[test]
    fn median_and_mean() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert!((mean(&[1.0, 2.0]) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate_chars("héllo wörld", 5), "héllo…");
        assert_eq!(truncate_chars("short", 10), "short");
    }
}
