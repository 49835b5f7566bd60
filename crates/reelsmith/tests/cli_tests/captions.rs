//! Caption files (SubRip `.srt`, WebVTT `.vtt`) as a creator's examples and as an `eval` corpus:
//! the written form most short-form videos have.

use std::path::Path;

use crate::common::*;

/// A bundled script's body (front matter and title dropped), one sentence a line.
fn body(script: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(script).unwrap_or_else(|e| unreachable!("{e}"));
    let body = text.rsplit("+++").next().unwrap_or(&text);
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// `lines` as captions spoken at `wpm` words per minute from 1.0 s, one cue a line: SubRip with
/// italics, or WebVTT as YouTube writes it (cue settings, each cue repeating the line before).
fn captions(lines: &[String], wpm: f64, vtt: bool) -> String {
    let stamp = |s: f64| {
        let ms = (s * 1000.0).round() as u64;
        let (h, m, sec, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        if vtt {
            format!("{h:02}:{m:02}:{sec:02}.{milli:03}")
        } else {
            format!("{h:02}:{m:02}:{sec:02},{milli:03}")
        }
    };
    let mut out = String::from(if vtt {
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
    } else {
        ""
    });
    let mut t = 1.0;
    let mut previous = "";
    for (i, line) in lines.iter().enumerate() {
        let end = t + line.split_whitespace().count() as f64 * 60.0 / wpm;
        if vtt {
            out.push_str(&format!(
                "{} --> {} align:start position:0%\n{previous}\n{line}\n\n",
                stamp(t),
                stamp(end)
            ));
        } else {
            out.push_str(&format!(
                "{}\n{} --> {}\n<i>{line}</i>\n\n",
                i + 1,
                stamp(t),
                stamp(end)
            ));
        }
        previous = line;
        t = end;
    }
    out
}

/// Writes each of `from`'s scripts into `to` as captions at `wpm`.
fn captions_into(from: &Path, to: &Path, wpm: f64, vtt: bool) {
    let ext = if vtt { "vtt" } else { "srt" };
    convert_files(from, to, ext, |f| captions(&body(f), wpm, vtt));
}

#[test]
fn a_persona_learns_its_speaking_rate_from_captions() {
    let u = User::new();
    let dir = u.home.path().join("captions");
    captions_into(&root().join("examples/maya/scripts"), &dir, 150.0, false);
    let out = u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--story",
        &root().join("examples/maya/story.md").to_string_lossy(),
        "--examples",
        &dir.to_string_lossy(),
    ]);
    assert!(out.contains("8 example scripts"), "{out}");
    let shown = u.ok(&["persona", "show", "maya"]);
    let rate = shown
        .lines()
        .find(|l| l.contains("Speaking rate"))
        .unwrap_or_else(|| unreachable!("{shown}"));
    assert!(
        rate.contains("WPM — learned from 8 timed examples"),
        "every caption file is timed by its cues: {rate}"
    );
    // Spoken at 150 words per minute as the test counts words (the persona counts a few
    // differently, "3am." or "—").
    let wpm: f64 = rate
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| unreachable!("{rate}"));
    assert!((145.0..=155.0).contains(&wpm), "{rate}");
    let v = u.json(&["persona", "show", "maya", "--json"]);
    let first = &v["examples"][0]["text"];
    assert_eq!(
        first
            .as_str()
            .map(|t| t.starts_with("Stop drinking coffee") && !t.contains("<i>")),
        Some(true),
        "{first}"
    );

    // Scoring a recorded video's captions measures its length instead of estimating it.
    let card = u.json(&[
        "score",
        &dir.join("01-coffee-timing.srt").to_string_lossy(),
        "--persona",
        "maya",
        "--duration",
        "30",
        "--json",
    ]);
    let timing = &card["card"]["timing"];
    assert_eq!(timing["recorded"], true, "{timing}");
    let recorded_wpm = timing["wpm"].as_f64().unwrap_or(0.0);
    assert!((145.0..=155.0).contains(&recorded_wpm), "{timing}");

    // YouTube's rolling WebVTT: every line once, in order.
    let vtt = u.home.path().join("vtt");
    captions_into(&root().join("examples/maya/scripts"), &vtt, 170.0, true);
    u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya-yt",
        "--examples",
        &vtt.join("01-coffee-timing.vtt").to_string_lossy(),
    ]);
    let v = u.json(&["persona", "show", "maya-yt", "--json"]);
    let lines = body(&root().join("examples/maya/scripts/01-coffee-timing.md"));
    assert_eq!(
        v["examples"][0]["text"].as_str(),
        Some(lines.join(" ").as_str())
    );

    // A caption file that is not one says so and stores nothing.
    let bad = u.home.path().join("notes.srt");
    std::fs::write(&bad, "Ideas for next week: naps, coffee.\n")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let (code, err) = u.fails(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--examples",
        &bad.to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("notes.srt: is not a readable SubRip (.srt) file"),
        "{err}"
    );
    assert_eq!(u.versions("maya"), Some(1));
}

/// `eval voice` and `eval coherence` read every format persona learning reads, skip (and name) a
/// file they cannot read, and leave a README out.
#[test]
fn the_evals_read_caption_corpora() {
    let u = User::new();
    let data = u.home.path().join("voices");
    captions_into(
        &root().join("examples/maya/scripts"),
        &data.join("maya"),
        160.0,
        false,
    );
    captions_into(
        &root().join("examples/lucia/scripts"),
        &data.join("lucia"),
        160.0,
        true,
    );
    captions_into(
        Path::new(&cli_fixture("theo")),
        &data.join("theo"),
        160.0,
        false,
    );
    std::fs::write(data.join("theo/empty.srt"), "").unwrap_or_else(|e| unreachable!("{e}"));
    std::fs::write(
        data.join("maya/README.md"),
        "# About these captions\n\nExported from CapCut.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let data_arg = data.to_string_lossy().into_owned();
    let out = u.run(&[
        "eval", "voice", "--data", &data_arg, "--words", "60", "--json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: skipped") && stderr.contains("empty.srt"),
        "{stderr}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        v["texts"], 20,
        "8 + 6 + 6 caption files, the README and the empty one left out"
    );
    for c in v["conditions"].as_array().unwrap_or_else(|| unreachable!()) {
        let ours = c["reelsmith"].as_f64().unwrap_or(-1.0);
        assert!(
            ours >= 0.9,
            "three distinct voices, as from their .txt files: {c}"
        );
    }
    let v = u.json(&[
        "eval",
        "coherence",
        "--data",
        &data.join("maya").to_string_lossy(),
        "--no-embeddings",
        "--json",
    ]);
    assert_eq!(v["scripts"], 8, "{v}");
}
