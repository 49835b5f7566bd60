//! Reads real office documents and every kind of bad input.

use std::path::{Path, PathBuf};

use reelsmith_ingest::{ErrorKind, IngestError, LoadedExamples, Reader, Story};

// These files are the repo's own, so they are read in-process; the isolated reader is tested through
// the reelsmith binary (crates/reelsmith/tests/hostile.rs).
fn load_examples(paths: &[PathBuf]) -> Result<LoadedExamples, IngestError> {
    Reader::InProcess.load_examples(paths)
}

fn load_story(path: &Path) -> Result<Story, IngestError> {
    Reader::InProcess.load_story(path)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn kind(paths: &[PathBuf]) -> ErrorKind {
    match load_examples(paths) {
        Err(IngestError { kind, .. }) => kind,
        Ok(v) => unreachable!("expected an error, got {v:?}"),
    }
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap_or_else(|e| unreachable!("write {p:?}: {e}"));
    p
}

#[test]
fn docx_from_libreoffice_splits_into_titled_scripts() {
    let loaded = load_examples(&[fixture("scripts.docx")]).unwrap_or_else(|e| unreachable!("{e}"));
    let ex = &loaded.examples;
    assert_eq!(ex.len(), 3);
    assert_eq!(ex[0].title.as_deref(), Some("Night Shift Coffee"));
    assert!(
        ex[0]
            .text
            .starts_with("Stop drinking coffee the second your shift starts."),
        "{}",
        ex[0].text
    );
    assert!(ex[0].source.ends_with("scripts.docx#1"));
    assert!(
        ex[1]
            .text
            .starts_with("Why are you so tired on your day off?")
    );
    assert!(
        ex[2]
            .text
            .ends_with("Follow for more night shift survival tips.")
    );
    assert!(!ex.iter().any(|e| e.text.contains("---")));
}

#[test]
fn pdf_from_libreoffice_is_read() {
    let loaded = load_examples(&[fixture("scripts.pdf")]).unwrap_or_else(|e| unreachable!("{e}"));
    let ex = &loaded.examples;
    assert_eq!(ex.len(), 3, "{ex:#?}");
    assert!(
        ex[0]
            .text
            .contains("Stop drinking coffee the second your shift starts.")
    );
    assert!(ex[2].text.contains("vending machine"));
}

#[test]
fn password_protected_documents_are_named_as_such() {
    assert!(matches!(
        kind(&[fixture("protected.pdf")]),
        ErrorKind::PasswordProtected
    ));
    assert!(matches!(
        kind(&[fixture("protected.docx")]),
        ErrorKind::PasswordProtectedOrLegacy
    ));
}

#[test]
fn documents_without_text_are_refused() {
    assert!(matches!(kind(&[fixture("empty.docx")]), ErrorKind::NoText));
    assert!(matches!(kind(&[fixture("empty.pdf")]), ErrorKind::NoText));
}

#[test]
fn corrupt_documents_are_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    for name in ["scripts.pdf", "scripts.docx"] {
        let bytes = std::fs::read(fixture(name)).unwrap_or_else(|e| unreachable!("{e}"));
        let truncated = write(
            dir.path(),
            &format!("cut-{name}"),
            &bytes[..bytes.len() / 3],
        );
        let k = kind(&[truncated]);
        assert!(matches!(k, ErrorKind::Corrupt { .. }), "{name}: {k:?}");
    }
    let fake = write(dir.path(), "fake.docx", b"this is not a word file");
    assert!(matches!(
        kind(&[fake]),
        ErrorKind::Corrupt { format: "DOCX", .. }
    ));
    let fake = write(dir.path(), "fake.pdf", b"<html>not a pdf</html>");
    assert!(matches!(
        kind(&[fake]),
        ErrorKind::Corrupt { format: "PDF", .. }
    ));
}

#[test]
fn missing_empty_unsupported_and_bad_encoding() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    assert!(matches!(
        kind(&[dir.path().join("nope.txt")]),
        ErrorKind::Missing
    ));
    assert!(matches!(
        kind(&[write(dir.path(), "e.txt", b"  \n\n")]),
        ErrorKind::Empty
    ));
    assert!(matches!(
        kind(&[write(dir.path(), "only-seps.md", b"---\n\n---\n")]),
        ErrorKind::Empty
    ));
    let k = kind(&[write(dir.path(), "clip.mp4", b"\0\0\0 ftyp")]);
    assert!(
        matches!(&k, ErrorKind::Unsupported(ext) if ext == ".mp4"),
        "{k:?}"
    );
    let k = kind(&[write(dir.path(), "latin1.txt", b"caf\xe9 con leche")]);
    assert!(matches!(k, ErrorKind::NotUtf8 { line: 1 }), "{k:?}");
}

#[test]
fn unreadable_files_are_reported() {
    // Tests run as root here, so permissions cannot make a file unreadable; /proc/self/mem is a
    // regular file whose read fails (EIO at offset 0) for everyone.
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let link = dir.path().join("script.txt");
    std::os::unix::fs::symlink("/proc/self/mem", &link).unwrap_or_else(|e| unreachable!("{e}"));
    let err = load_examples(std::slice::from_ref(&link)).err();
    assert!(
        matches!(
            &err,
            Some(IngestError {
                kind: ErrorKind::Unreadable(_),
                ..
            })
        ),
        "{err:?}"
    );
    assert!(
        err.map(|e| e.to_string())
            .unwrap_or_default()
            .contains("cannot be read")
    );
}

#[test]
fn error_message_names_file_and_fix() {
    let err = load_examples(&[fixture("protected.pdf")])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("protected.pdf")
            && err.contains("password-protected")
            && err.contains("unprotected copy"),
        "{err}"
    );
}

#[test]
fn folders_are_walked_in_order_and_unsupported_files_skipped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    write(dir.path(), "b.md", b"# Second\n\nSecond script.");
    write(
        dir.path(),
        "a.txt",
        b"First script.\n---\n+++\ntitle = \"Third\"\nduration_s = 20\n+++\nThird script.",
    );
    write(dir.path(), "notes.jpg", b"\xff\xd8");
    write(dir.path(), ".hidden.txt", b"never read");
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| unreachable!("{e}"));
    write(&dir.path().join("sub"), "c.txt", b"Fourth script.");
    let loaded = load_examples(&[dir.path().to_path_buf()]).unwrap_or_else(|e| unreachable!("{e}"));
    let texts: Vec<&str> = loaded.examples.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "First script.",
            "Third script.",
            "Second script.",
            "Fourth script."
        ]
    );
    assert_eq!(loaded.examples[1].title.as_deref(), Some("Third"));
    assert_eq!(loaded.examples[1].duration_s, Some(20.0));
    assert_eq!(loaded.examples[2].title.as_deref(), Some("Second"));
    assert_eq!(loaded.skipped, vec![dir.path().join("notes.jpg")]);
}

#[test]
fn folder_without_scripts_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    write(dir.path(), "photo.png", b"\x89PNG");
    assert!(matches!(
        kind(&[dir.path().to_path_buf()]),
        ErrorKind::NoScripts
    ));
}

#[test]
fn bad_front_matter_names_the_script() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let p = write(
        dir.path(),
        "s.md",
        b"ok\n---\n+++\nduraton_s = 3\n+++\nbody",
    );
    let k = kind(std::slice::from_ref(&p));
    assert!(
        matches!(&k, ErrorKind::FrontMatter { script: 2, detail } if detail.contains("duraton_s")),
        "{k:?}"
    );
    std::fs::write(&p, "+++\nduration_s = -4\n+++\nbody").unwrap_or_else(|e| unreachable!("{e}"));
    assert!(matches!(
        kind(&[p]),
        ErrorKind::FrontMatter { script: 1, .. }
    ));
}

#[test]
fn story_front_matter_fills_the_profile() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let p = write(
        dir.path(),
        "story.md",
        "+++\ndisplay_name = \"Maya\"\nexpertise = [\"sleep\"]\noptimal_length_s = 30\n+++\n# About me\n\nI was a nurse.".as_bytes(),
    );
    let story = load_story(&p).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(story.profile.display_name.as_deref(), Some("Maya"));
    assert_eq!(story.profile.expertise, vec!["sleep"]);
    assert!(story.text.contains("I was a nurse."));
    std::fs::write(&p, "+++\noptimal_length_s = 300\n+++\nx")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let err = load_story(&p)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("optimal_length_s"), "{err}");
    std::fs::write(&p, "+++\nfavourite_colour = \"red\"\n+++\nx")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let err = load_story(&p)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("favourite_colour"), "{err}");
}

#[test]
fn story_can_be_a_docx() {
    let story = load_story(&fixture("scripts.docx")).unwrap_or_else(|e| unreachable!("{e}"));
    assert!(story.text.contains("Stop drinking coffee"));
}

/// An empty story is refused as a story, not as "needs at least one script".
#[test]
fn an_empty_story_is_named_as_a_story() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    for content in ["", "  \n\n", "+++\n+++\n"] {
        let p = write(dir.path(), "story.md", content.as_bytes());
        let err = load_story(&p).err();
        assert!(
            matches!(err.as_ref().map(|e| &e.kind), Some(ErrorKind::EmptyStory)),
            "{content:?}: {err:?}"
        );
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("story") && !text.contains("script"), "{text}");
    }
}

/// Forms that draw themselves are refused before the extractor recurses into them (it would
/// overflow the stack and abort this test process); ordinary nesting reads.
#[test]
fn self_drawing_forms_are_refused_and_ordinary_nesting_reads() {
    use reelsmith_ingest::formats::{Format, extract};
    use reelsmith_testkit::hostile;
    for pdf in [
        hostile::self_drawing_pdf(),
        hostile::self_drawing_inherited_pdf(),
        hostile::nested_forms_pdf(reelsmith_ingest::pdf_guard::MAX_FORM_DEPTH + 5, "deep"),
    ] {
        let err = extract(Format::Pdf, &pdf);
        assert!(matches!(err, Err(ErrorKind::TooDeep)), "{err:?}");
    }
    let text = extract(Format::Pdf, &hostile::nested_forms_pdf(3, "Coffee at noon"))
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(text.contains("Coffee at noon"), "{text:?}");
}

/// The inputs that crashed or hung reelsmith before issue 12, kept in fuzz/regressions/ for the fuzz
/// targets, also run here in-process on every test run: each ends in an error, not a crash.
#[test]
fn the_fuzz_regression_inputs_end_in_errors() {
    use reelsmith_ingest::formats::{Format, extract};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut seen = 0;
    for (dir, format) in [("docx", Format::Docx), ("pdf", Format::Pdf)] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap_or_else(|e| unreachable!("{e}")) {
            let path = entry.unwrap_or_else(|e| unreachable!("{e}")).path();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| unreachable!("{e}"));
            assert!(extract(format, &bytes).is_err(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 3, "{seen} regression inputs");
}

/// A caption file, as CapCut or YouTube Studio exports one, is one script timed by its cues.
#[test]
fn caption_files_are_timed_scripts() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    // 26 words spoken from 0.5 s to 10.25 s: 160 words per minute.
    write(
        dir.path(),
        "a-coffee.srt",
        "1\r\n00:00:00,500 --> 00:00:03,000\r\n<i>Stop drinking coffee</i> at 3am.\r\n\r\n2\r\n00:00:03,000 --> 00:00:07,000\r\nCaffeine has a half-life of five hours, so it is still\r\nin you at 8am.\r\n\r\n3\r\n00:00:07,000 --> 00:00:10,250\r\n{\\an8}Last cup at midnight. Try it tonight.\r\n"
            .as_bytes(),
    );
    // Two minutes of silence between 12 words: no speaking rate, so the script stays untimed.
    write(
        dir.path(),
        "b-naps.vtt",
        b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Maya>Nap before the shift, and set two alarms.\n\n02:02.000 --> 02:04.000\nTwenty minutes, not more.\n",
    );
    write(dir.path(), "c.md", b"# Third\n\nA written script.");
    let loaded = load_examples(&[dir.path().to_path_buf()]).unwrap_or_else(|e| unreachable!("{e}"));
    let ex = &loaded.examples;
    assert_eq!(ex.len(), 3, "{ex:?}");
    assert_eq!(
        ex[0].text,
        "Stop drinking coffee at 3am. Caffeine has a half-life of five hours, so it is still in you at 8am. Last cup at midnight. Try it tonight."
    );
    assert_eq!(ex[0].duration_s, Some(9.75));
    assert_eq!(ex[0].title, None);
    let naps = "Nap before the shift, and set two alarms. Twenty minutes, not more.";
    assert_eq!(ex[1].text, naps);
    assert_eq!(
        ex[1].duration_s, None,
        "124 s for 12 words is no speaking rate"
    );
    assert!(loaded.skipped.is_empty());
    // A story or a corpus text can be a caption file too.
    let doc = Reader::InProcess
        .read_document(&dir.path().join("b-naps.vtt"))
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(doc, naps);
}

#[test]
fn broken_caption_files_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let srt_named_vtt = write(
        dir.path(),
        "clip.vtt",
        b"1\n00:00:01,000 --> 00:00:02,000\nHello.\n",
    );
    let Err(e) = load_examples(&[srt_named_vtt]) else {
        unreachable!("a SubRip file named .vtt")
    };
    let message = e.to_string();
    assert!(
        message.contains(
            "clip.vtt: is not a readable WebVTT (.vtt) file (it does not open with “WEBVTT”)"
        ),
        "{message}"
    );
    let prose = write(dir.path(), "notes.srt", b"Just some notes, no cues.\n");
    assert!(matches!(
        kind(&[prose]),
        ErrorKind::Corrupt {
            format: "SubRip (.srt)",
            ..
        }
    ));
}
