//! A written script in sections — hook, body beats, CTA — each timed in seconds from the persona's
//! speaking rate, with scene type, on-screen text, visual cue and camera direction; plus the exports
//! (Markdown, SRT captions, teleprompter text). JSON export is the serde form (`start_s`, `end_s`,
//! `duration_s`).

use serde::{Deserialize, Serialize};

use crate::structured::parse_lines;
use crate::text::{sentences, words};

pub use crate::trim::{TIGHT_PART_WORDS, trim_to_words};

/// The role of a section in the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// The opening line(s) that stop the scroll.
    Hook,
    /// One beat of the body.
    Body,
    /// The call to action.
    Cta,
}

/// What the viewer sees during a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SceneType {
    /// Opening shot.
    Intro,
    /// The problem or mistake.
    Problem,
    /// The fix.
    Solution,
    /// Showing how.
    Demo,
    /// A personal story.
    Story,
    /// The call to action.
    Cta,
}

/// One timed section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Its role.
    pub kind: SectionKind,
    /// Scene type.
    pub scene: SceneType,
    /// What is said.
    pub voiceover: String,
    /// Start, seconds from the beginning.
    pub start_s: f64,
    /// End, seconds from the beginning.
    pub end_s: f64,
    /// Text shown on screen (a few words).
    pub on_screen_text: String,
    /// What to show.
    pub visual_cue: String,
    /// Camera direction.
    pub camera: String,
    /// Whether the visual fields were derived by reelsmith rather than written by the model.
    pub visuals_derived: bool,
}

/// The parts of a drafted script before timing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// The hook.
    pub hook: String,
    /// Body beats, in order.
    pub body: Vec<String>,
    /// The call to action.
    pub cta: String,
}

impl Draft {
    /// The voiceover as one text: hook, beats and CTA, one per line.
    pub fn text(&self) -> String {
        let mut parts = vec![self.hook.as_str()];
        parts.extend(self.body.iter().map(String::as_str));
        parts.push(self.cta.as_str());
        parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Words in the voiceover.
    pub fn word_count(&self) -> usize {
        words(&self.text()).len()
    }
}

/// Parses a model's answer in the `HOOK:` / `BODY:` / `CTA:` line format. The body splits into
/// beats at line breaks, or at sentence boundaries (two sentences a beat) when it is one paragraph.
///
/// # Errors
/// A message naming what is missing (for the repair prompt and the attempt's record).
pub fn parse_draft(answer: &str) -> Result<Draft, String> {
    let lines = parse_lines(answer, &["HOOK", "BODY", "CTA"]);
    let hook = lines
        .get("HOOK")
        .map(|h| h.trim().to_string())
        .ok_or("the answer has no HOOK: line")?;
    let body_text = lines
        .get("BODY")
        .map(|b| b.trim().to_string())
        .ok_or("the answer has no BODY: line")?;
    let cta = lines
        .get("CTA")
        .map(|c| c.lines().next().unwrap_or("").trim().to_string())
        .ok_or("the answer has no CTA: line")?;
    let mut body: Vec<String> = body_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if body.len() == 1 {
        let s = sentences(&body[0]);
        if s.len() > 2 {
            body = s
                .chunks(2)
                .map(|c| c.iter().map(|x| x.trim()).collect::<Vec<_>>().join(" "))
                .collect();
        }
    }
    if words(&hook).is_empty() || body.is_empty() || words(&cta).is_empty() {
        return Err("the hook, body or CTA is empty".into());
    }
    // A hook is the first line the viewer hears: one sentence (two when the first is a fragment of
    // under 6 words, like "Hey, night-shift people."). The rest opens the body.
    let hook_sents = sentences(&hook);
    let keep = if hook_sents.len() > 1 && words(hook_sents[0]).len() < 6 {
        2
    } else {
        1
    };
    // An unpunctuated hook (a transcript's run-on line) keeps its first 12 words.
    let hook_words = words(&hook);
    let hook = if hook_sents.len() <= 1 && hook_words.len() > crate::analysis::HOOK_MAX_WORDS {
        body.insert(0, hook_words[12..].join(" "));
        hook_words[..12].join(" ")
    } else if hook_sents.len() > keep {
        let rest = hook_sents[keep..]
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(" ");
        body.insert(0, rest);
        hook_sents[..keep]
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        hook.trim().to_string()
    };
    Ok(Draft { hook, body, cta })
}

/// Times a draft's sections at `wpm` words per minute: each section lasts its words ÷ WPM × 60, so
/// the sections add up to the whole script's length exactly. Visual fields are derived.
pub fn sections(draft: &Draft, wpm: f64) -> Vec<Section> {
    let wpm = if wpm > 0.0 { wpm } else { 150.0 };
    let mut parts: Vec<(SectionKind, &str)> = vec![(SectionKind::Hook, draft.hook.as_str())];
    parts.extend(draft.body.iter().map(|b| (SectionKind::Body, b.as_str())));
    parts.push((SectionKind::Cta, draft.cta.as_str()));
    let mut t = 0.0;
    let mut out = Vec::with_capacity(parts.len());
    for (i, (kind, text)) in parts.into_iter().enumerate() {
        let n = words(text).len() as f64;
        let start = t;
        t += n / wpm * 60.0;
        let scene = scene_for(kind, text, i);
        out.push(Section {
            kind,
            scene,
            voiceover: text.trim().to_string(),
            start_s: round_ms(start),
            end_s: round_ms(t),
            on_screen_text: on_screen(text),
            visual_cue: visual_for(scene).into(),
            camera: camera_for(scene).into(),
            visuals_derived: true,
        });
    }
    out
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// Scene type from the section's role and wording (English and Spanish cues).
fn scene_for(kind: SectionKind, text: &str, index: usize) -> SceneType {
    let folded = crate::text::fold(text);
    let has = |cues: &[&str]| cues.iter().any(|c| folded.contains(c));
    match kind {
        SectionKind::Hook => SceneType::Intro,
        SectionKind::Cta => SceneType::Cta,
        SectionKind::Body if has(&["when i ", "i was ", "cuando yo", "cuando tenia", "yo era"]) => {
            SceneType::Story
        }
        SectionKind::Body if has(&["step ", "watch ", "look at", "paso ", "mira "]) => {
            SceneType::Demo
        }
        SectionKind::Body
            if has(&[
                "try ",
                "instead",
                "here's how",
                "do this",
                "prueba",
                "en vez de",
                "haz esto",
            ]) =>
        {
            SceneType::Solution
        }
        SectionKind::Body if index <= 1 => SceneType::Problem,
        SectionKind::Body => SceneType::Solution,
    }
}

fn visual_for(scene: SceneType) -> &'static str {
    match scene {
        SceneType::Intro => "creator to camera, bold caption of the hook",
        SceneType::Problem => "B-roll of the problem as the viewer lives it",
        SceneType::Solution => "show the fix; key phrase as a text overlay",
        SceneType::Demo => "screen or hands-on demo, step by step",
        SceneType::Story => "creator telling the story; a photo or clip from then",
        SceneType::Cta => "creator to camera, point at the caption or follow button",
    }
}

fn camera_for(scene: SceneType) -> &'static str {
    match scene {
        SceneType::Intro | SceneType::Cta => "close-up, eye level, direct to camera",
        SceneType::Problem | SceneType::Solution => "medium shot, cut on every sentence",
        SceneType::Demo => "overhead or over-the-shoulder",
        SceneType::Story => "medium close-up, slow push-in",
    }
}

/// The first words of a section as on-screen text: up to 6 words of its first sentence.
fn on_screen(text: &str) -> String {
    let first = sentences(text).into_iter().next().unwrap_or(text);
    let w = words(first);
    let mut s = w.iter().take(6).copied().collect::<Vec<_>>().join(" ");
    if w.len() > 6 {
        s.push('…');
    }
    s
}

/// `HH:MM:SS,mmm` as SRT wants it.
fn srt_time(s: f64) -> String {
    let ms = (s.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02},{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// SRT captions: one cue per sentence, each timed by its share of its section's words.
pub fn to_srt(sections: &[Section]) -> String {
    let mut out = String::new();
    let mut n = 0;
    for sec in sections {
        let sents = sentences(&sec.voiceover);
        let total: usize = sents.iter().map(|s| words(s).len()).sum();
        let mut t = sec.start_s;
        for s in sents {
            let w = words(s).len();
            if w == 0 {
                continue;
            }
            let dur = (sec.end_s - sec.start_s) * w as f64 / total.max(1) as f64;
            n += 1;
            out.push_str(&format!(
                "{n}\n{} --> {}\n{}\n\n",
                srt_time(t),
                srt_time(t + dur),
                s.trim()
            ));
            t += dur;
        }
    }
    out
}

/// Teleprompter text: section labels, one sentence a line, `[pause]` between sections.
pub fn to_teleprompter(sections: &[Section]) -> String {
    let mut out = String::new();
    for (i, sec) in sections.iter().enumerate() {
        if i > 0 {
            out.push_str("\n[pause]\n\n");
        }
        let label = match sec.kind {
            SectionKind::Hook => "HOOK".to_string(),
            SectionKind::Body => format!("BEAT {i}"),
            SectionKind::Cta => "CTA".to_string(),
        };
        out.push_str(&format!("— {label} ({:.0}s) —\n", sec.start_s));
        for s in sentences(&sec.voiceover) {
            out.push_str(s.trim());
            out.push('\n');
        }
    }
    out
}

/// Markdown for reading: a table of sections with times, then the voiceover.
pub fn to_markdown(
    title: &str,
    sections: &[Section],
    caption: &str,
    hashtags: &[String],
) -> String {
    let mut out = format!(
        "# {title}\n\n| # | time | scene | voiceover | on screen | visual | camera |\n|---|---|---|---|---|---|---|\n"
    );
    for (i, s) in sections.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {:.1}–{:.1} s | {:?} | {} | {} | {} | {} |\n",
            i + 1,
            s.start_s,
            s.end_s,
            s.scene,
            s.voiceover.replace('|', "/").replace('\n', " "),
            s.on_screen_text.replace('|', "/"),
            s.visual_cue,
            s.camera
        ));
    }
    if sections.iter().any(|s| s.visuals_derived) {
        out.push_str("\n_On-screen text, visuals and camera were derived by reelsmith._\n");
    }
    out.push_str(&format!(
        "\n## Caption\n\n{caption}\n\n{}\n",
        hashtags.join(" ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "HOOK: Stop drinking coffee the second your shift starts.\n\
BODY: Caffeine peaks an hour after your first cup. Half of it is still in your blood six hours later. \
So the 3am coffee is still working at 9. Try this: last cup before the halfway point.\n\
CTA: Save this for your next rotation.";

    fn draft() -> Draft {
        parse_draft(ANSWER).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn a_one_paragraph_body_splits_into_beats() {
        let d = draft();
        assert_eq!(d.body.len(), 2);
        assert!(d.body[1].starts_with("So the 3am coffee"));
        assert_eq!(d.cta, "Save this for your next rotation.");
    }

    #[test]
    fn a_long_hook_keeps_its_first_sentence_and_the_rest_opens_the_body() {
        let d = parse_draft(
            "HOOK: Hey, you. This is for night nurses. Really.\nBODY: Sleep.\nCTA: Follow.",
        )
        .unwrap_or_default();
        assert_eq!(d.hook, "Hey, you. This is for night nurses.");
        assert_eq!(d.body, vec!["Really.", "Sleep."]);
    }

    #[test]
    fn unpunctuated_scripts_still_parse_and_trim() {
        let run_on = (0..80)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let d = parse_draft(&format!("HOOK: {run_on}\nBODY: {run_on}\nCTA: follow me"))
            .unwrap_or_default();
        assert_eq!(words(&d.hook).len(), 12);
        let t = trim_to_words(&d, 40).unwrap_or_default();
        assert!(words(&t.text()).len() <= 40, "{}", t.text());
        assert_eq!(t.cta, "follow me");
    }

    #[test]
    fn missing_parts_are_named() {
        assert_eq!(
            parse_draft("HOOK: hi\nBODY: there").err().as_deref(),
            Some("the answer has no CTA: line")
        );
    }

    #[test]
    fn sections_add_up_to_the_script_length() {
        let d = draft();
        let secs = sections(&d, 150.0);
        let total = d.word_count() as f64 / 150.0 * 60.0;
        assert_eq!(secs.first().map(|s| s.start_s), Some(0.0));
        let end = secs.last().map(|s| s.end_s).unwrap_or_default();
        assert!((end - total).abs() < 0.002, "{end} vs {total}");
        for pair in secs.windows(2) {
            assert!((pair[0].end_s - pair[1].start_s).abs() < 1e-9);
        }
        assert_eq!(secs[0].scene, SceneType::Intro);
        assert_eq!(secs[2].scene, SceneType::Solution);
        assert_eq!(secs.last().map(|s| s.scene), Some(SceneType::Cta));
    }

    #[test]
    fn trimming_keeps_hook_and_cta_and_whole_sentences() {
        let d = draft();
        let t = trim_to_words(&d, 30).unwrap_or_default();
        assert!(t.word_count() <= 30, "{}", t.word_count());
        assert_eq!(t.hook, d.hook);
        assert_eq!(t.cta, d.cta);
        assert!(t.body[0].ends_with('.'));
        assert!(trim_to_words(&d, 10).is_none());
    }

    #[test]
    fn srt_cues_are_numbered_and_timed() {
        let srt = to_srt(&sections(&draft(), 150.0));
        assert!(
            srt.starts_with("1\n00:00:00,000 --> 00:00:03,200\nStop drinking coffee"),
            "{srt}"
        );
        assert!(
            srt.ends_with(
                "6\n00:00:17,600 --> 00:00:20,000\nSave this for your next rotation.\n\n"
            ),
            "{srt}"
        );
        let tp = to_teleprompter(&sections(&draft(), 150.0));
        assert_eq!(tp.matches("[pause]").count(), 3);
    }
}
