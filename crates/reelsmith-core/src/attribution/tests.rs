use super::*;

#[test]
fn chunks_cut_whole_text_and_merge_a_short_tail() {
    let text = vec!["w"; 2 * CHUNK_WORDS + 10].join(" ");
    let c = chunks(&text);
    assert_eq!(c.len(), 2);
    assert_eq!(c[1].split_whitespace().count(), CHUNK_WORDS + 10);
    assert_eq!(chunks("just a few words"), vec!["just a few words"]);
    assert!(chunks("   ").is_empty());
}

#[test]
fn committed_weights_parse() {
    let w = weights();
    // Similarity enters through z too (z = (similarity − mean) / sd, sd ≈ 0.03–0.1), so the
    // typicality weight is the one that must be positive.
    assert!(
        w.alone[2] > 0.0 && w.among[2] > 0.0,
        "typicality must raise the match"
    );
    assert!(w.among[3] > 0.0, "the margin must raise the match");
    assert!(
        w.among[4] > 0.0,
        "the language-model margin must raise the match"
    );
}

/// Texts on the same topics in two voices: one says "honestly" and "y'all" and trails off with
/// "...", the other says "indeed" and "folks" and uses semicolons.
fn voice_texts(casual: bool, n: usize) -> Vec<String> {
    let topics = [
        "sleep after a night shift",
        "coffee before the alarm",
        "meal prep on a day off",
        "naps in the break room",
        "blackout curtains at home",
        "the drive home at sunrise",
        "caffeine and the second wind",
        "a snack at four in the morning",
    ];
    (0..n)
        .map(|i| {
            let t = topics[i % topics.len()];
            let t2 = topics[(i + 3) % topics.len()];
            if casual {
                format!(
                    "Honestly y'all, {t} is the whole game... I tried everything, honestly. So here's the thing y'all: {t2} matters too... Try it tonight and tell me, honestly, how it went. Y'all know I love this stuff..."
                )
            } else {
                format!(
                    "Indeed, folks, {t} deserves attention; the evidence is clear. Consider {t2} as well; it shapes the next day. Folks, indeed, the routine is the remedy; start this evening and observe the difference."
                )
            }
        })
        .collect()
}

#[test]
fn attributes_a_held_out_text_to_its_voice_and_names_the_habits() {
    let a = voice_texts(true, 12);
    let b = voice_texts(false, 12);
    let voices: Vec<Vec<&str>> = vec![
        a[..10].iter().map(String::as_str).collect(),
        b[..10].iter().map(String::as_str).collect(),
    ];
    let model = VoiceModel::fit(&voices);
    for (held_out, truth) in [(&a[11], 0), (&b[11], 1)] {
        let j = model.judge_all(held_out);
        let other = 1 - truth;
        assert!(
            j[truth].score > j[other].score,
            "{held_out}: {:?} vs {:?}",
            j[truth],
            j[other]
        );
        assert!(j[truth].margin.is_some_and(|m| m > 0.0));
        assert!(
            j[truth].lm_margin.is_some_and(|m| m > 0.0),
            "{:?}",
            j[truth]
        );
        assert!(
            j[other].lm_margin.is_some_and(|m| m < 0.0),
            "{:?}",
            j[other]
        );
        assert_eq!(j[truth].competitors, 1);
    }
    let j = model.judge_all(&a[11]);
    assert!(
        j[0].shared
            .iter()
            .any(|h| h.contains("honestly") || h.contains("y")),
        "{:?}",
        j[0].shared
    );
    assert!(
        j[1].lacking
            .iter()
            .any(|h| h.contains("indeed") || h.contains("folks") || h == ";"),
        "{:?}",
        j[1].lacking
    );
}

#[test]
fn a_voice_alone_scores_its_own_style_above_another() {
    let a = voice_texts(true, 12);
    let b = voice_texts(false, 2);
    let model = VoiceModel::fit(&[a[..10].iter().map(String::as_str).collect()]);
    let own = &model.judge_all(&a[11])[0];
    let foreign = &model.judge_all(&b[1])[0];
    assert!(own.margin.is_none() && own.lm_margin.is_none() && own.competitors == 0);
    assert!(own.score > foreign.score, "{own:?} vs {foreign:?}");
    assert!(own.typicality > foreign.typicality);
}

#[test]
fn empty_and_hostile_inputs_do_not_panic() {
    let model = VoiceModel::fit(&[vec![], vec!["", "   "]]);
    for text in ["", "   ", "🙂🙂🙂", &"x".repeat(10_000)] {
        let j = model.judge_all(text);
        assert_eq!(j.len(), 2);
        assert!(j.iter().all(|j| (0.0..=100.0).contains(&j.score)));
    }
    assert_eq!(VoiceModel::fit(&[]).judge_all("text").len(), 0);
}
