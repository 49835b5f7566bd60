//! Each dimension's behaviour pinned on small hand-made scripts.

use super::*;
use crate::persona::ExampleScript;
use crate::style::learn_style;

fn card(text: &str, target: f64) -> ScoreCard {
    score(&ScoreRequest {
        text,
        target_s: Some(target),
        language: Some("en"),
        ..Default::default()
    })
}

fn dim<'a>(c: &'a ScoreCard, name: &str) -> &'a Dimension {
    c.viral
        .dimensions
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| unreachable!("no dimension {name}"))
}

const GOOD: &str = "Stop drinking coffee at 3am.\nHere's why: caffeine stays in your blood for six hours.\n\
    So that cup is still working when you try to sleep at 9.\nTry this tonight: last cup before midnight, then water.\n\
    Save this for your next night shift.";

/// A recorded length (a caption file's cue times) replaces the estimate: 60 words said in 30 s is
/// on target at 120 WPM, although at the default rate they would read as 20 % short.
#[test]
fn timing_uses_the_recorded_length_when_there_is_one() {
    let text = "word ".repeat(60);
    let estimated = card(&text, 30.0);
    assert!(!estimated.timing.recorded && !estimated.timing.within_window);
    let recorded = score(&ScoreRequest {
        text: &text,
        target_s: Some(30.0),
        spoken_s: Some(30.0),
        language: Some("en"),
        ..Default::default()
    });
    let t = &recorded.timing;
    assert!(t.recorded && t.within_window, "{t:?}");
    assert_eq!((t.estimated_s, t.wpm, t.words_off), (30.0, 120.0, 0));
    assert!(
        t.dimension.reasons[0]
            .starts_with("60 words spoken in 30.0 s, 120 WPM (the draft's recorded length)"),
        "{:?}",
        t.dimension.reasons
    );
    // A length that is no length is ignored.
    for bad in [0.0, -3.0, f64::NAN, f64::INFINITY] {
        let c = score(&ScoreRequest {
            text: &text,
            target_s: Some(30.0),
            spoken_s: Some(bad),
            language: Some("en"),
            ..Default::default()
        });
        assert!(!c.timing.recorded, "{bad}");
    }
}

#[test]
fn timing_flags_a_300_word_script_for_30_seconds() {
    let long = "word ".repeat(300);
    let c = card(&long, 30.0);
    assert!(!c.timing.within_window);
    assert_eq!(c.timing.estimated_s, 120.0);
    assert_eq!(c.timing.dimension.score, 0.0);
    assert_eq!(c.timing.words_off, 225);
    assert!(c.timing.dimension.reasons[1].contains("cut about 225 words"));
    let fits = card(&"word ".repeat(75), 30.0);
    assert!(fits.timing.within_window);
    assert_eq!(fits.timing.dimension.score, 100.0);
    let short = card(&"word ".repeat(60), 30.0);
    assert!(
        !short.timing.within_window
            && short.timing.dimension.reasons[1].contains("add about 15 words")
    );
}

#[test]
fn cliches_and_filler_lower_quality() {
    let clean = card(GOOD, 20.0).quality.score;
    let cliche = card(
        "In today's fast paced world, sleep is a game changer.\nLet's dive in.\nUnlock your potential tonight.\nFollow for more.",
        20.0,
    );
    assert!(
        cliche.quality.score < clean - 20.0,
        "{} vs {clean}",
        cliche.quality.score
    );
    assert!(
        cliche
            .quality
            .reasons
            .iter()
            .any(|r| r.contains("AI clichés") && r.contains("game changer"))
    );
    let filler = card(
        "So um basically you know I literally just um sleep.\nLike really.\nUm follow me.",
        10.0,
    );
    assert!(
        filler
            .quality
            .reasons
            .iter()
            .any(|r| r.contains("filler words")),
        "{:?}",
        filler.quality.reasons
    );
}

#[test]
fn missing_cta_and_structure_are_named() {
    let c = card("Sleep matters a lot.", 5.0);
    assert!(
        c.quality
            .reasons
            .iter()
            .any(|r| r.contains("no call to action"))
    );
    assert!(
        c.quality
            .reasons
            .iter()
            .any(|r| r.contains("only 1 sentence"))
    );
    assert_eq!(dim(&c, "cta_strength").score, 10.0);
    assert!(dim(&card(GOOD, 20.0), "cta_strength").score >= 70.0);
}

#[test]
fn curiosity_specificity_and_value_respond_to_their_signals() {
    let flat = card("Sleep is good.\nIt helps.\nIt is nice.\nFollow me.", 10.0);
    let good = card(GOOD, 20.0);
    for d in [
        "curiosity_gap",
        "specificity",
        "value_density",
        "relatability",
    ] {
        assert!(
            dim(&good, d).score > dim(&flat, d).score,
            "{d}: {} vs {}",
            dim(&good, d).score,
            dim(&flat, d).score
        );
    }
    let emotional = card(
        "I was terrified. The worst night of my life, brutal and heartbreaking!\nFollow me.",
        10.0,
    );
    assert!(
        dim(&emotional, "emotional_intensity").score
            > dim(&flat, "emotional_intensity").score + 30.0
    );
}

#[test]
fn trends_align_only_when_mentioned() {
    let trends = vec!["night shift".to_string(), "sleepmaxxing".to_string()];
    let c = score(&ScoreRequest {
        text: GOOD,
        language: Some("en"),
        trends: &trends,
        ..Default::default()
    });
    let t = dim(&c, "trend_alignment");
    assert_eq!(t.score, 75.0);
    assert!(t.reasons[0].contains("night shift"));
    let none = score(&ScoreRequest {
        text: "Eat more fruit.",
        language: Some("en"),
        trends: &trends,
        ..Default::default()
    });
    assert_eq!(dim(&none, "trend_alignment").score, 20.0);
    assert_eq!(dim(&card(GOOD, 20.0), "trend_alignment").score, 50.0);
}

#[test]
fn viral_overall_is_the_weighted_mean() {
    let c = card(GOOD, 20.0);
    let sum: f64 = c.viral.weights.iter().map(|(_, w)| w).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    let manual: f64 = c
        .viral
        .dimensions
        .iter()
        .zip(&c.viral.weights)
        .map(|(d, (_, w))| d.score * w)
        .sum();
    assert!((manual - c.viral.overall).abs() < 0.1);
    assert_eq!(c.viral.dimensions.len(), 9);
}

#[test]
fn voice_match_prefers_the_personas_own_style() {
    let ex = |t: &str| ExampleScript {
        title: None,
        text: t.into(),
        source: "x".into(),
        duration_s: None,
    };
    let style = learn_style(
        &[
            ex("Stop doing this. Here's the thing: you need sleep. Real talk. Save this."),
            ex(
                "Stop scrolling. Here's the thing: your brain needs dark. Real talk. Save this for tonight.",
            ),
            ex(
                "Stop napping late. Here's the thing: you reset at 3pm. Real talk. Follow for more.",
            ),
        ],
        Some("en"),
    );
    let req = |text| ScoreRequest {
        text,
        style: Some(&style),
        language: Some("en"),
        ..Default::default()
    };
    let same = score(&req(
        "Stop eating at 4am. Here's the thing: your gut sleeps too. Real talk. Save this.",
    ));
    let other = score(&req(
        "Greetings, esteemed colleagues! Allow me to present an extraordinarily comprehensive overview of circadian neuroendocrinology today!!! 🎉🎉🎉",
    ));
    let (Some(a), Some(b)) = (&same.voice, &other.voice) else {
        unreachable!("persona given")
    };
    assert!(a.score > b.score + 25.0, "{} vs {}", a.score, b.score);
    assert!(a.reasons.iter().any(|r| r.contains("here's the thing")));
    assert!(a.embedding.is_none());
}

#[test]
fn other_languages_fall_back_and_say_so() {
    let c = score(&ScoreRequest {
        text: "Hör auf, um 3 Uhr Kaffee zu trinken. Warum? Koffein bleibt sechs Stunden.",
        language: Some("de"),
        ..Default::default()
    });
    assert!(c.notes.iter().any(|n| n.contains("no lexicons for German")));
    assert_eq!(dim(&c, "cta_strength").score, 50.0);
    let es = score(&ScoreRequest {
        text: "Deja de pagar comisiones. Te explico por qué. Guárdalo.",
        language: Some("es"),
        ..Default::default()
    });
    assert!(es.notes.is_empty());
    assert!(dim(&es, "cta_strength").score > 50.0);
}

#[test]
fn empty_text_scores_low_without_panicking() {
    let c = card("", 30.0);
    assert_eq!(c.quality.score, 0.0);
    assert_eq!(dim(&c, "hook_strength").score, 0.0);
    assert!(c.overall < 30.0);
}

#[test]
fn shipped_hook_model_is_fitted_and_valid() {
    let m = hook_model::HookModel::default_model();
    assert!(m.is_valid());
    assert!(m.pairs > 1000, "{}", m.source);
    assert!(
        m.cv_accuracy.is_some_and(|a| a > 0.6),
        "{:?}",
        m.cv_accuracy
    );
    assert!(
        m.forward_accuracy.is_some_and(|a| (0.5..0.9).contains(&a)),
        "{:?}",
        m.forward_accuracy
    );
    assert!(!m.vocabulary.is_empty());
}

#[test]
fn strong_hook_beats_weak_hook() {
    let lex = crate::lexicon::lexicon("en");
    let m = hook_model::HookModel::default_model();
    let strong = m.score(
        "Nobody tells you this about the drive home after night shifts.",
        lex,
    );
    let weak = m.score(
        "Here is some information about sleep hygiene and its various aspects.",
        lex,
    );
    assert!(
        strong.score > weak.score + 15.0,
        "{} vs {}",
        strong.score,
        weak.score
    );
    assert!((0.0..=100.0).contains(&strong.score));
}

#[test]
fn hook_reasons_describe_what_the_hook_has() {
    let m = hook_model::HookModel::default_model();
    let s = m.score(
        "Stop drinking coffee at 3am.",
        crate::lexicon::lexicon("en"),
    );
    assert!(
        !s.reasons.iter().any(|r| r.ends_with("asks a question")),
        "{:?}",
        s.reasons
    );
    let q = m.score(
        "Why are you tired on your day off?",
        crate::lexicon::lexicon("en"),
    );
    assert!(
        !q.reasons.iter().any(|r| r.ends_with("no question")),
        "{:?}",
        q.reasons
    );
    // The figure quoted is the forward one (fitted on earlier weeks, tested on later ones).
    assert!(
        s.reasons
            .last()
            .is_some_and(|r| r.contains("on the later ones")),
        "{:?}",
        s.reasons
    );
}

fn problems(text: &str) -> Vec<super::coherence::Problem> {
    let card = score(&ScoreRequest {
        text,
        language: Some("en"),
        ..Default::default()
    });
    card.coherence.map(|c| c.problems).unwrap_or_default()
}

#[test]
fn coherence_catches_cut_offs_fragments_repeats_and_a_cta_out_of_place() {
    use super::coherence::Problem;
    let good = "Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. So that cup is still working at 9. Try this tonight: last cup before midnight. Follow for more night-shift fixes.";
    assert!(problems(good).is_empty(), "{:?}", problems(good));
    let cut = "Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. So that cup is still working when you";
    assert!(problems(cut).contains(&Problem::CutOff));
    let fragment = "Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. Before you sleep, put your bag on a.";
    assert!(problems(fragment).contains(&Problem::Fragment));
    // English strands prepositions: these end whole sentences, not fragments.
    for stranded in [
        "Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. Comment what you're struggling with.",
        "We have two guests today. Both build tools in Go. Sebastian, where are you joining us from?",
    ] {
        assert!(
            problems(stranded).is_empty(),
            "{stranded}: {:?}",
            problems(stranded)
        );
    }
    let repeated = format!(
        "{good} Caffeine stays in your blood for six hours. Caffeine stays in your blood for six hours."
    );
    assert!(problems(&repeated).contains(&Problem::Repetition));
    // A short run said again right after itself costs points, though no sentence has two words.
    let coherence = |t: &str| {
        score(&ScoreRequest {
            text: t,
            language: Some("en"),
            ..Default::default()
        })
        .coherence
        .map_or(-1.0, |c| c.dimension.score)
    };
    let snack = "Pack protein for the night shift. Boiled eggs, nuts, yogurt. Boring? Yes. Awake at handover? Also yes. Comment SNACK for my list.";
    let echoed = snack.replace("Boring? Yes.", "Boring? Yes. Boring? Yes.");
    assert!(coherence(&echoed) < coherence(snack));
    // Two halves in two languages: a switch, and unfit.
    let switch = "Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. So that cup is still working at nine in the morning. \
        Vale, escúchame: hoy casi todos los bancos tienen una cuenta sin comisiones. Llama, pregunta y, si te dicen que no, te cambias. Guárdalo y hazlo esta semana.";
    assert!(
        problems(switch).contains(&Problem::LanguageSwitch),
        "{:?}",
        problems(switch)
    );
    assert!(!problems(good).contains(&Problem::LanguageSwitch));
    let cta_first = "Follow for more night-shift fixes. Stop drinking coffee at 3am. Caffeine stays in your blood for six hours. Try a last cup before midnight.";
    assert!(problems(cta_first).contains(&Problem::Disorder));
    let cta_mid = "Stop drinking coffee at 3am. If this helped, follow me for more. Caffeine stays in your blood for six hours. Try a last cup before midnight.";
    assert!(problems(cta_mid).contains(&Problem::Disorder));
    // A CTA's words that ask the viewer nothing, mid-script.
    for mention in [
        "If you follow me, you know I love coffee. But not at 3am. Caffeine stays in your blood for six hours. Follow for more.",
        "If you follow me on Twitter you know my love for Vim. There are great editors now. Try one this week.",
        "My bio says nurse, and I was one for nine years. Caffeine stays in your blood for six hours. Try a last cup before midnight.",
    ] {
        assert!(!problems(mention).contains(&Problem::Disorder), "{mention}");
    }
    // Unfit drafts are capped and say why.
    let card = score(&ScoreRequest {
        text: fragment,
        language: Some("en"),
        ..Default::default()
    });
    assert!(card.overall <= super::UNFIT_CAP);
    assert_eq!(card.unfit, vec!["ends in a fragment".to_string()]);
}

#[test]
fn only_openers_that_continue_something_cost_points() {
    let opener_reason = |text: &str, lang: &str| {
        score(&ScoreRequest {
            text,
            language: Some(lang),
            ..Default::default()
        })
        .coherence
        .is_some_and(|c| c.dimension.reasons.iter().any(|r| r.contains("leans on")))
    };
    let body = "one habit wrecks your sleep after nights. Caffeine stays in your blood for six hours. Stop at midnight instead. Follow for more.";
    // Common hook openings lean on nothing.
    for opening in ["This", "So here is", "It is", "They said"] {
        assert!(
            !opener_reason(&format!("{opening} {body}"), "en"),
            "{opening}"
        );
    }
    for opening in ["But", "And", "That's why"] {
        assert!(
            opener_reason(&format!("{opening} {body}"), "en"),
            "{opening}"
        );
    }
    let cuerpo = "nadie te cuenta esto del café. La cafeína dura seis horas en la sangre. Deja el último café a medianoche. Sígueme para más.";
    assert!(!opener_reason(&format!("¿Por qué {cuerpo}"), "es"));
    assert!(!opener_reason(&format!("Entonces {cuerpo}"), "es"));
    // A what-if question does not continue anything; "And if …" as a statement does.
    let pregunta = "¿Y si el café de las 3 te está robando el sueño? La cafeína dura seis horas. Deja el último café a medianoche. Sígueme para más.";
    assert!(!opener_reason(pregunta, "es"));
    let question = "And what if your 3am coffee is wrecking your sleep? Caffeine stays in your blood for six hours. Stop at midnight instead. Follow for more.";
    assert!(!opener_reason(question, "en"));
    assert!(opener_reason(&format!("And if {body}"), "en"));
    assert!(opener_reason(&format!("Pero {cuerpo}"), "es"));
}

#[test]
fn the_brief_checks_requirements_by_words_and_the_language_without_a_model() {
    let text = "Stop drinking coffee at 3am. Grab the free sleep guide in my bio. Follow for more.";
    let reqs = vec![
        "mention the free guide".to_string(),
        "name three index funds".to_string(),
    ];
    let card = score(&ScoreRequest {
        text,
        language: Some("en"),
        topic: Some("coffee on nights"),
        requirements: &reqs,
        requested_language: Some("es"),
        ..Default::default()
    });
    let b = card.brief.unwrap_or_else(|| unreachable!("computed"));
    assert!(!b.by_meaning);
    assert!(b.requirements[0].met && b.requirements[0].evidence.contains("guide"));
    assert!(!b.requirements[1].met);
    assert!(b.wrong_language.is_some(), "English text, Spanish asked");
    assert!(
        b.topic.is_some_and(|t| !t.off_topic),
        "never off-topic by words alone"
    );
    assert!(card.unfit.iter().any(|u| u.contains("index funds")));
    assert!(card.unfit.iter().any(|u| u.starts_with("wrong language")));
}

#[test]
fn hook_and_cta_requirements_are_checked_on_the_scripts_structure() {
    let text = "Why do you crash on the drive home? Caffeine lingers for six hours. Save this for your next run of nights.";
    let reqs = vec![
        "open with a question".to_string(),
        "end by pointing to the link in bio".to_string(),
        "Open with a bold claim.".to_string(),
    ];
    let card = score(&ScoreRequest {
        text,
        language: Some("en"),
        requirements: &reqs,
        ..Default::default()
    });
    let b = card.brief.unwrap_or_else(|| unreachable!("computed"));
    assert!(b.requirements[0].met, "{:?}", b.requirements[0]);
    assert_eq!(
        b.requirements[0].evidence,
        "Why do you crash on the drive home?"
    );
    assert!(!b.requirements[1].met);
    assert!(!b.requirements[2].met);
    let reasons = b.dimension.reasons.join(" | ");
    assert!(
        reasons.contains("its call to action is “save”")
            && reasons.contains("its hook is a question"),
        "{reasons}"
    );
}

#[test]
fn a_text_post_is_scored_on_its_format_not_its_timing() {
    let good = "I fainted in a supply closet at 4am.\n\nThat was my wake-up call. I changed three things.\n\nLight first. Then caffeine.\n\nWhat would you change first? Tell me in the comments.";
    let wall = format!(
        "{} {}",
        "x ".repeat(120).trim(),
        "Caffeine lingers. Light resets the clock. Food matters. Naps help. Follow for more."
    );
    let post = |text: &str| {
        score(&ScoreRequest {
            text,
            language: Some("en"),
            platform: Some(crate::platform::Platform::Linkedin),
            ..Default::default()
        })
    };
    let c = post(good);
    let f = c
        .format
        .clone()
        .unwrap_or_else(|| unreachable!("a text post has a format"));
    assert!(
        f.reasons.iter().any(|r| r.contains("before the fold")),
        "{f:?}"
    );
    assert!(
        f.reasons
            .iter()
            .any(|r| r.starts_with("short for a LinkedIn post")),
        "{f:?}"
    );
    assert!(c.notes.iter().any(|n| n.contains("no spoken timing")));
    let w = post(&wall)
        .format
        .unwrap_or_else(|| unreachable!("a format"));
    assert!(
        w.reasons.iter().any(|r| r.contains("runs past the fold")),
        "{w:?}"
    );
    assert!(
        w.reasons.iter().any(|r| r.contains("a wall of text")),
        "{w:?}"
    );
    assert!(w.score < f.score);
    // A video platform keeps spoken timing.
    let v = score(&ScoreRequest {
        text: good,
        platform: Some(crate::platform::Platform::Reels),
        ..Default::default()
    });
    assert!(v.format.is_none());
}

#[test]
fn you_can_counts_as_an_instruction_outside_a_relative_clause() {
    let Some(en) = crate::lexicon::lexicon("en") else {
        unreachable!("the English lexicon is bundled")
    };
    let tells = |s: &str| viral::tells_what_to_do(en, &crate::text::padded_words(s));
    assert!(tells("Try a blackout blind tonight."));
    assert!(tells("You can nap for 20 minutes before the shift."));
    assert!(tells("If you work nights, you need to guard your sleep."));
    assert!(tells("So you can sleep at 9, stop coffee at 3."));
    // Describes a place or a way; nothing to do (the demo's generated line).
    assert!(!tells(
        "If you don't have any sleep, this is the place where you can get your day off-kilter."
    ));
    assert!(!tells("That's how you can tell it's working."));
    assert!(!tells("Your body clock keeps its own time."));
}

#[test]
fn a_script_that_says_nothing_concrete_is_not_fit_to_post() {
    // The local model's kind of draft: fluent, on no subject, nothing to do, nothing to repeat.
    let empty = "Hey, this is for you. This isn't a new idea. You don't need to be lazy. Your job \
        does not have to get the most sleep in the world, but do it well and make your boss proud. \
        Why you snooze? Well, I know exactly what you're thinking now. I'll tell you how.";
    let c = card(empty, 30.0);
    assert!(c.unfit.iter().any(|u| u == SAYS_NOTHING), "{:?}", c.unfit);
    assert!(c.overall <= UNFIT_CAP, "{}", c.overall);
    // One concrete detail or one action is enough to say something.
    let with_number = format!("{empty} Eight hours is what your body is asking for.");
    assert!(
        !card(&with_number, 30.0)
            .unfit
            .iter()
            .any(|u| u == SAYS_NOTHING)
    );
    assert!(!card(GOOD, 20.0).unfit.iter().any(|u| u == SAYS_NOTHING));
    // A one-line hook is too short to judge.
    assert!(card("You don't need to be lazy.", 5.0).unfit.is_empty());
}
