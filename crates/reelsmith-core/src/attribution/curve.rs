//! How voice match grows with the words of examples a persona has — the learning curve measured by
//! `reelsmith eval voice --curve` — and the note a thinly learned persona gets, so a creator with
//! eight short scripts is told what their voice match can and cannot tell.

/// `(words of examples a voice, top-1 attribution accuracy 0–1)`, measured by `reelsmith eval voice
/// --data ../shared/data/voices --authors gotime --curve` (release build, 3 December 2026): the
/// corpus README's measure — leave-one-out attribution of 150-word snippets among the 8 Go Time
/// speakers (one show, one topic: similar voices) — with each voice profiled from its first 3, 6, 12,
/// 24 and 40 other snippets, from all 59, and from its other transcripts whole (the first 1,500 words
/// of each; 81,883 words for the median voice). Words are the median voice's.
pub const LEARNING_CURVE: [(usize, f64); 7] = [
    (450, 0.388),
    (900, 0.446),
    (1800, 0.633),
    (3600, 0.765),
    (6000, 0.846),
    (8850, 0.890),
    (81_883, 0.960),
];

/// Words of examples past which more help little, where the curve bends: on the 8 speakers outside
/// Go Time (`eval voice --curve` with their names, the same day) accuracy gained about 9 points per
/// doubling of the words from 450 to 8,850 (49.0 → 88.8 %) and about 1 point per doubling from
/// 8,850 to 81,649 (88.8 → 92.5 %). Chosen there, not on the Go Time curve the note quotes.
pub const WELL_LEARNED_WORDS: usize = 8850;

/// The expected top-1 accuracy, 0–1, of attributing a 150-word draft among 8 similar voices each
/// learned from `words` words of examples: [`LEARNING_CURVE`] interpolated linearly in log words,
/// held at its end points outside them.
pub fn expected_accuracy(words: usize) -> f64 {
    let (first, last) = (LEARNING_CURVE[0], LEARNING_CURVE[LEARNING_CURVE.len() - 1]);
    if words <= first.0 {
        return first.1;
    }
    if words >= last.0 {
        return last.1;
    }
    let x = (words as f64).ln();
    LEARNING_CURVE
        .windows(2)
        .find(|w| words <= w[1].0)
        .map_or(last.1, |w| {
            let (x0, x1) = ((w[0].0 as f64).ln(), (w[1].0 as f64).ln());
            w[0].1 + (w[1].1 - w[0].1) * (x - x0) / (x1 - x0)
        })
}

/// The note for a persona whose examples hold `words` words in all, `None` from
/// [`WELL_LEARNED_WORDS`] on: what voice match achieved with that much text, what more would give,
/// and what to do.
pub fn thin_examples_note(words: usize) -> Option<String> {
    if words >= WELL_LEARNED_WORDS {
        return None;
    }
    let (first_words, first_acc) = LEARNING_CURVE[0];
    let measured = if words < first_words {
        format!("under {:.0} %", first_acc * 100.0)
    } else {
        format!("{:.0} %", expected_accuracy(words) * 100.0)
    };
    let many = if words < first_words {
        format!("under {}", grouped(first_words))
    } else {
        "about that many".into()
    };
    Some(format!(
        "the examples hold {} words: with {many} words a voice, voice match picked the right one of 8 similar speakers for {measured} of 150-word drafts ({:.0} % from {} words; reelsmith eval voice --curve) — add example scripts for a surer voice match, and read it as a guide until then",
        grouped(words),
        expected_accuracy(WELL_LEARNED_WORDS) * 100.0,
        grouped(WELL_LEARNED_WORDS)
    ))
}

/// `n` with a comma between thousands ("8,850").
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_passes_through_its_points_and_holds_at_its_ends() {
        for (w, a) in LEARNING_CURVE {
            assert!((expected_accuracy(w) - a).abs() < 1e-9, "{w}: {a}");
        }
        assert_eq!(expected_accuracy(10), LEARNING_CURVE[0].1);
        assert_eq!(expected_accuracy(10_000_000), LEARNING_CURVE[6].1);
        // √(900 × 1800) ≈ 1273 words is halfway between the two points in log words.
        let mid = expected_accuracy(1273);
        assert!((mid - (0.446 + 0.633) / 2.0).abs() < 1e-3, "{mid}");
        let mut last = 0.0;
        for w in (100..100_000).step_by(97) {
            let a = expected_accuracy(w);
            assert!(a >= last, "falls at {w}: {a} < {last}");
            last = a;
        }
    }

    #[test]
    fn only_thin_examples_get_a_note_and_it_quotes_the_curve() {
        assert_eq!(thin_examples_note(WELL_LEARNED_WORDS), None);
        assert_eq!(thin_examples_note(50_000), None);
        let note = thin_examples_note(900).unwrap_or_default();
        assert!(
            note.contains("900 words") && note.contains("45 %"),
            "{note}"
        );
        assert!(note.contains("89 % from 8,850 words"), "{note}");
        assert!(
            thin_examples_note(1234)
                .unwrap_or_default()
                .starts_with("the examples hold 1,234 words")
        );
        let tiny = thin_examples_note(120).unwrap_or_default();
        assert!(
            tiny.contains("under 450 words") && tiny.contains("under 39 %"),
            "{tiny}"
        );
    }
}
