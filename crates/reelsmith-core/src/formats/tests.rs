use proptest::prelude::*;

use super::*;

fn draft(hook: &str, body: &[&str], cta: &str) -> Draft {
    Draft {
        hook: hook.into(),
        body: body.iter().map(|s| (*s).to_string()).collect(),
        cta: cta.into(),
    }
}

#[test]
fn x_counts_links_emoji_and_cjk_the_way_x_does() {
    assert_eq!(count(Platform::X, "This is a test."), 15);
    // Any link counts 23, however long.
    assert_eq!(
        count(
            Platform::X,
            "Read https://example.com/a/very/long/path/to/the/guide now"
        ),
        5 + 23 + 4
    );
    assert_eq!(count(Platform::X, "夜勤のコーヒー"), 14);
    assert_eq!(count(Platform::X, "Sleep 😴"), 8);
    assert_eq!(count(Platform::Linkedin, "夜勤のコーヒー"), 7);
}

#[test]
fn a_thread_opens_with_the_hook_and_numbers_its_posts() {
    let long_beat = "Caffeine stays in your blood for about six hours after your last cup, so the coffee you drink at four in the morning is still working when you lie down at ten. ".repeat(3);
    let d = draft(
        "Why do night nurses crash on the drive home?",
        &[
            &long_beat,
            "Stop by three. Your sleep comes back within a week.",
        ],
        "Follow for more night-shift science.",
    );
    let t = thread(&d, &["#nightshift".into(), "#nurselife".into()]);
    let posts = &t.value;
    assert!(posts.len() >= 4, "{posts:?}");
    assert!(
        posts[0].starts_with("Why do night nurses crash")
            && posts[0].ends_with(&format!("1/{}", posts.len()))
    );
    let last = posts.last().map(String::as_str).unwrap_or("");
    assert!(
        last.contains("Follow for more") && last.contains("#nightshift"),
        "{last}"
    );
    for p in posts {
        assert!(count(Platform::X, p) <= 280, "{p}");
    }
    assert!(t.changes.is_empty(), "{:?}", t.changes);
}

#[test]
fn a_very_long_thread_keeps_fifteen_posts_and_says_so() {
    let beat = "One long sentence about sleep and light and coffee and the drive home after a night shift that keeps going on and on with more detail than anyone needs, repeated for length and length and length. ";
    let body: Vec<String> = (0..40).map(|i| format!("{beat} Point {i}.")).collect();
    let refs: Vec<&str> = body.iter().map(String::as_str).collect();
    let t = thread(&draft("Hook?", &refs, "Follow."), &[]);
    assert_eq!(t.value.len(), MAX_THREAD_POSTS);
    assert!(t.value.last().is_some_and(|p| p.starts_with("Follow.")));
    assert!(
        t.changes.iter().any(|c| c.contains("at most 15 posts")),
        "{:?}",
        t.changes
    );
}

#[test]
fn a_linkedin_post_has_its_hook_first_and_short_paragraphs() {
    let d = draft(
        "I fainted in a supply closet at 4am.",
        &["That was my wake-up call. I changed three things. Light, caffeine, food."],
        "What would you change first? Tell me in the comments.",
    );
    let p = linkedin_post(&d, &["#nursing".into()]);
    let paragraphs: Vec<&str> = p.value.split("\n\n").collect();
    assert_eq!(paragraphs[0], "I fainted in a supply closet at 4am.");
    assert_eq!(
        paragraphs[1],
        "That was my wake-up call. I changed three things."
    );
    assert_eq!(paragraphs[2], "Light, caffeine, food.");
    assert_eq!(paragraphs.last().copied(), Some("#nursing"));
    assert!(p.changes.is_empty());
}

#[test]
fn layout_is_left_out_of_what_is_scored() {
    let post = "Hook line here.\n\nBody one. Body two.\n\nFollow for more.\n\n#nursing #sleep";
    assert_eq!(
        without_layout(post),
        "Hook line here.\n\nBody one. Body two.\n\nFollow for more."
    );
    assert_eq!(without_layout("First post. 1/3"), "First post.");
    assert_eq!(
        without_layout("We're #1 at 24/7 care"),
        "We're #1 at 24/7 care"
    );
}

#[test]
fn captions_and_titles_keep_to_the_limits() {
    let tags: Vec<String> = (0..40).map(|i| format!("#tag{i}")).collect();
    let c = caption(Platform::Reels, "Save this.", &tags);
    assert_eq!(c.value.1.len(), 30);
    assert!(c.changes[0].contains("kept 30 of 40"));
    let long = "word ".repeat(600);
    let c = caption(Platform::Reels, &long, &tags[..5]);
    assert!(
        count(
            Platform::Reels,
            &format!("{} {}", c.value.0, c.value.1.join(" "))
        ) <= 2_200
    );
    assert!(c.value.0.ends_with("word"));
    let t = title(Platform::Shorts, &"sleep ".repeat(30));
    assert!(t.value.chars().count() <= 100 && t.value.ends_with("sleep"));
    assert_eq!(
        title(Platform::Reels, &"sleep ".repeat(30)).changes,
        Vec::<String>::new()
    );
}

/// Words of many scripts: Latin with accents, German compounds, CJK runs without spaces, emoji
/// (with ZWJ sequences), links, hashtags, and one absurdly long token.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-ZáéíóúñüÄÖß]{1,12}",
        "[夜勤コーヒー睡眠光]{1,30}",
        Just("😴".to_string()),
        Just("👩‍⚕️".to_string()),
        Just("https://example.com/sleep/guide?ref=reelsmith".to_string()),
        Just("#nightshift".to_string()),
        "[a-z]{250,400}",
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(word(), 1..40),
        prop_oneof![Just("."), Just("?"), Just("!"), Just("。")],
    )
        .prop_map(|(w, end)| format!("{}{end}", w.join(" ")))
}

fn beat() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..6).prop_map(|s| s.join(" "))
}

/// Every token of `out` (but a thread's numbering) is a token of `input` or a piece of one that was
/// longer than a whole post: nothing is cut mid-word otherwise.
fn no_word_cut(input: &str, out: &str, limit: usize) {
    let tokens: std::collections::HashSet<&str> = input.split_whitespace().collect();
    for t in out.split_whitespace() {
        let numbering = t.contains('/') && t.split('/').all(|n| n.parse::<usize>().is_ok());
        let long_piece = tokens
            .iter()
            .any(|w| w.chars().count() > limit / 2 && w.contains(t));
        assert!(
            tokens.contains(t)
                || numbering
                || long_piece
                || tokens.iter().any(|w| w.starts_with(t) || w.ends_with(t)),
            "“{t}” is not a whole word of the input"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_hard_limit_holds_on_every_platform(
        hook in sentence(),
        body in prop::collection::vec(beat(), 0..8),
        cta in sentence(),
        tags in prop::collection::vec("#[a-z]{3,20}", 0..40),
    ) {
        let d = Draft { hook, body, cta };
        let input = format!("{} {}", d.text(), tags.join(" "));
        let t = thread(&d, &tags);
        prop_assert!(!t.value.is_empty() && t.value.len() <= MAX_THREAD_POSTS);
        for p in &t.value {
            prop_assert!(count(Platform::X, p) <= 280, "{} weighted: {p}", count(Platform::X, p));
            no_word_cut(&input, p, 280);
        }
        let post = linkedin_post(&d, &tags);
        prop_assert!(count(Platform::Linkedin, &post.value) <= 3_000);
        for platform in Platform::ALL {
            let rules = platform.rules();
            let c = caption(platform, &d.text(), &tags);
            let (text, kept) = &c.value;
            if let Some(max) = rules.max_hashtags {
                prop_assert!(kept.len() <= max as usize);
            }
            if let Some(limit) = rules.max_chars {
                let full = format!("{text} {}", kept.join(" "));
                prop_assert!(count(platform, full.trim()) <= limit as usize, "{platform:?}");
            }
            let t = title(platform, &d.hook);
            if let Some(limit) = rules.max_title_chars {
                prop_assert!(count(platform, &t.value) <= limit as usize);
            }
        }
    }
}
