//! The brief's content-type and platform checks on the bundled scripts, through `score --type
//! --platform`.

use crate::common::*;

fn brief(u: &User, file: &std::path::Path, kind: &str, platform: &str) -> serde_json::Value {
    let v = u.json(&[
        "score",
        &file.to_string_lossy(),
        "--type",
        kind,
        "--platform",
        platform,
        "--json",
    ]);
    v["card"]["brief"].clone()
}

fn scripts() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = ["examples/maya/scripts", "examples/lucia/scripts"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

/// The bundled scripts are tips written for Reels and TikTok: every one teaches something concrete
/// and names only those platforms' features; on Shorts their "follow me" calls get the fix.
#[test]
fn the_bundled_tips_are_educational_and_speak_their_platforms_language() {
    let u = User::new();
    let files = scripts();
    assert_eq!(files.len(), 14);
    let mut follow_on_shorts = 0;
    for f in &files {
        for platform in ["reels", "tiktok"] {
            let b = brief(&u, f, "educational", platform);
            assert_eq!(b["content_type"]["met"], true, "{}: {b}", f.display());
            assert_eq!(b["platform"], serde_json::json!([]), "{}: {b}", f.display());
        }
        let b = brief(&u, f, "educational", "shorts");
        for m in b["platform"].as_array().into_iter().flatten() {
            assert_eq!(m["mechanic"], "follow", "{}: {b}", f.display());
            assert_eq!(m["instead"], "“subscribe”");
            follow_on_shorts += 1;
        }
    }
    // Two of Maya's and two of Lucía's close with "follow for more" / "sígueme".
    assert_eq!(follow_on_shorts, 4);
    // A tip is no story: asked for one, the brief says so and loses the points.
    let b = brief(&u, &files[0], "storytelling", "reels");
    assert_eq!(b["content_type"]["met"], false, "{b}");
    assert!(b["dimension"]["score"].as_f64() < Some(100.0), "{b}");
    let text = u.ok(&[
        "score",
        &files[0].to_string_lossy(),
        "--type",
        "storytelling",
    ]);
    assert!(
        text.contains("asked for storytelling, but it tells no story"),
        "{text}"
    );
    // This script's topic-shift reason once read "share -0 % of their content words".
    assert!(text.contains("share 0 % of their content words"), "{text}");

    let (code, err) = u.fails(&["score", &files[0].to_string_lossy(), "--type", "rant"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--type") && err.contains("storytelling"),
        "{err}"
    );
}
