//! Human-readable text for the terminal. Every function returns a `String`, so output is testable and
//! commands decide where it goes.

use std::fmt::Write;

use reelsmith_core::persona::{PersonaSummary, PersonaVersion};
use reelsmith_core::style::{TypeCount, WpmSource};

/// Width of the label column.
const LABEL: usize = 20;

/// A table of personas, or a hint when there are none.
pub fn persona_list(list: &[PersonaSummary]) -> String {
    if list.is_empty() {
        return "No personas yet. Learn one with:\n  reelsmith persona learn --name NAME --story story.md --examples scripts/\n"
            .into();
    }
    let w = list.iter().map(|p| p.name.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<w$}  {:>7}  {:>8}  {:<4}  {:<16}  DISPLAY NAME\n",
        "NAME", "VERSION", "EXAMPLES", "LANG", "UPDATED (UTC)"
    );
    for p in list {
        let _ = writeln!(
            out,
            "{:<w$}  {:>7}  {:>8}  {:<4}  {:<16}  {}",
            p.name,
            p.latest_version,
            p.examples,
            p.language,
            p.updated_at.format("%Y-%m-%d %H:%M"),
            p.display_name.as_deref().unwrap_or("")
        );
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn quote(s: &str) -> String {
    format!("“{}”", reelsmith_core::text::truncate_chars(s, 90))
}

fn types<T>(out: &mut String, counts: &[TypeCount<T>], label: impl Fn(&T) -> &'static str) {
    for c in counts {
        let _ = writeln!(
            out,
            "  {:<24} {:>3}  {:>5}",
            label(&c.kind),
            c.count,
            pct(c.share)
        );
        for e in &c.evidence {
            let _ = writeln!(out, "      {}", quote(e));
        }
    }
}

/// What the persona's A/B tests found ([`reelsmith_app::experiments::persona_preferences`]): each
/// winning pattern with the experiments behind it; a pointer to `experiment create` when none.
pub fn preferences(prefs: &[reelsmith_core::experiment::Preference]) -> String {
    let mut out =
        String::from("\nWHAT YOUR A/B TESTS FOUND (retrieval and prompts prefer these)\n");
    if prefs.is_empty() {
        out.push_str(
            "  nothing yet: no experiment has a winner. Start one: reelsmith experiment create --persona NAME --topic \"…\" --vary hook\n",
        );
    }
    for p in prefs {
        let _ = writeln!(out, "  {}", p.label);
        for w in &p.wins {
            let _ = writeln!(
                out,
                "    experiment {} “{}”: {} beat {} · P(best) {:.0} % · {} post(s)",
                w.experiment_id,
                w.topic,
                w.winner,
                w.beat.join(", "),
                w.p_best * 100.0,
                w.posts
            );
        }
    }
    out
}

/// A persona version: header, creator profile, style profile with evidence, and the examples.
pub fn persona(p: &PersonaVersion) -> String {
    let s = &p.style;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · version {} of {} · learned {} · {} example script{} · {} ({})",
        p.name,
        p.version,
        p.versions,
        p.created_at.format("%Y-%m-%d %H:%M UTC"),
        p.examples.len(),
        if p.examples.len() == 1 { "" } else { "s" },
        s.language.name,
        s.language.code
    );
    if let Some(d) = &p.profile.display_name {
        let _ = writeln!(
            out,
            "{d}{}",
            p.profile
                .niche
                .as_ref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        );
    }

    for note in &s.notes {
        let _ = writeln!(out, "Note: {note}.");
    }

    out.push_str("\nCREATOR PROFILE\n");
    let pr = &p.profile;
    let mut unset = Vec::new();
    let mut field = |label: &str, value: Option<String>| match value {
        Some(v) if !v.is_empty() => {
            let _ = writeln!(out, "  {label:<LABEL$}{v}");
        }
        _ => unset.push(label.to_lowercase()),
    };
    let list = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    field("Expertise", list(&pr.expertise));
    field("Unique voice", pr.unique_voice.clone());
    field("Personality", list(&pr.personality_traits));
    field("Storytelling", pr.storytelling_style.clone());
    field("Audience", pr.target_audience.clone());
    field("Pain points", list(&pr.pain_points));
    field("Desires", list(&pr.desires));
    field(
        "Optimal length",
        pr.optimal_length_s.map(|s| format!("{s} s")),
    );
    field("Successful topics", list(&pr.successful_topics));
    field(
        "Story",
        pr.story
            .as_ref()
            .map(|t| reelsmith_core::text::truncate_chars(&t.replace('\n', " "), 160)),
    );
    if !unset.is_empty() {
        let _ = writeln!(
            out,
            "  Not set: {} (add them as story front matter or flags; see `persona learn --help`)",
            unset.join(", ")
        );
    }

    out.push_str("\nHOOK PATTERNS (each script's opening line)\n");
    types(&mut out, &s.hooks, |k| k.label());

    out.push_str("\nCALLS TO ACTION\n");
    types(&mut out, &s.ctas, |k| k.label());
    if s.no_cta > 0 {
        let _ = writeln!(out, "  {:<24} {:>3}", "none", s.no_cta);
    }

    let pace = &s.pace;
    out.push_str("\nPACE\n");
    let _ = writeln!(
        out,
        "  {:<LABEL$}mean {:.0}, median {:.0} (range {}–{})",
        "Words per script", pace.words_mean, pace.words_median, pace.words_min, pace.words_max
    );
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.1} per script, {:.1} words each",
        "Sentences", pace.sentences_mean, pace.sentence_words_mean
    );
    let source = match &pace.wpm_source {
        WpmSource::Learned { examples, total_s } => {
            format!(
                "learned from {examples} timed example{} ({total_s:.0} s)",
                if *examples == 1 { "" } else { "s" }
            )
        }
        WpmSource::LanguageDefault { source } => {
            format!(
                "default: {source}; give durations (--durations or front matter duration_s) to learn it"
            )
        }
    };
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.0} WPM — {source}",
        "Speaking rate", pace.wpm
    );
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.0} s for the median script",
        "Typical length", pace.typical_duration_s
    );

    let v = &s.voice;
    out.push_str("\nVOICE\n");
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.1} % of words",
        "Second person",
        v.second_person_rate * 100.0
    );
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.1} % of words",
        "First person",
        v.first_person_rate * 100.0
    );
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.1} per 100 words",
        "Emoji", v.emoji_per_100_words
    );
    let _ = writeln!(
        out,
        "  {:<LABEL$}{} of sentences end in '!', {} are questions",
        "Exclamations",
        pct(v.exclamation_rate),
        pct(v.question_rate)
    );
    match &v.readability {
        Some(r) => {
            let _ = writeln!(
                out,
                "  {:<LABEL$}{:.0} {} — {}",
                "Readability", r.score, r.scale, r.band
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {:<LABEL$}no formula for {}",
                "Readability", s.language.name
            );
        }
    }
    let _ = writeln!(
        out,
        "  {:<LABEL$}{:.2} (moving-average type-token ratio, 50-word windows)",
        "Lexical diversity", v.lexical_diversity
    );
    if v.signature_phrases.is_empty() {
        let _ = writeln!(
            out,
            "  {:<LABEL$}none repeated across scripts yet",
            "Signature phrases"
        );
    } else {
        let _ = writeln!(out, "  Signature phrases");
        for ph in &v.signature_phrases {
            let _ = writeln!(
                out,
                "      {} — {} scripts, {}×",
                quote(&ph.text),
                ph.scripts,
                ph.count
            );
        }
    }
    let st = &s.structure;
    out.push_str("\nSTRUCTURE (share of words)\n");
    let _ = writeln!(
        out,
        "  Hook {} · Body {} · CTA {}",
        pct(st.hook_share),
        pct(st.body_share),
        pct(st.cta_share)
    );

    out.push_str("\nEXAMPLES\n");
    for (i, e) in p.examples.iter().enumerate() {
        let title = e.example.name();
        let dur = e
            .example
            .duration_s
            .map(|d| format!(", {d:.0} s"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:>2}. {title} — {} words{dur} ({})",
            i + 1,
            e.words,
            e.example.source
        );
    }
    out
}
