//! End to end in real headless Chromium (Debian's chromium and chromium-driver, installed by
//! scripts/test.sh), driven over WebDriver: learn a persona by upload, write a script watching its
//! progress, regenerate a section, approve it, find it in the history and see it counted on the
//! analytics page. A screenshot of each page goes to target/e2e-screenshots/.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use reelsmith_testkit::WriterLlm;
use serde_json::json;

use crate::common::{Server, must};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let l = must(std::net::TcpListener::bind("127.0.0.1:0"));
    must(l.local_addr()).port()
}

async fn browser(profile: &std::path::Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| unreachable!("chromedriver is installed by scripts/test.sh: {e}"));
    let driver = Driver(child);
    let caps = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-sync", "--disable-component-update",
                     "--disable-dev-shm-usage", "--window-size=420,900",
                     format!("--user-data-dir={}", profile.display())]
        }
    });
    let caps = caps.as_object().cloned().unwrap_or_default();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(mut b) = ClientBuilder::rustls()
            && let Ok(client) = b.capabilities(caps.clone()).connect(&url).await
        {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    unreachable!("chromedriver did not start on {url}")
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    must(std::fs::create_dir_all(&dir));
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = must(c.screenshot().await);
    must(std::fs::write(shots().join(format!("{name}.png")), png));
}

async fn wait_for<F: AsyncFn() -> bool>(what: &str, f: F) {
    for _ in 0..150 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    unreachable!("timed out waiting for {what}")
}

/// Opens the generate form at `url`, types each `(field id, text)` and submits it.
async fn submit_generate(c: &Client, url: &str, fields: &[(&str, &str)]) {
    must(c.goto(url).await);
    for (id, text) in fields {
        must(must(c.find(Locator::Id(id)).await).send_keys(text).await);
    }
    must(
        must(
            c.find(Locator::Css("#generate-form button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
}

async fn source(c: &Client) -> String {
    must(c.source().await)
}

#[tokio::test]
async fn a_creator_goes_from_upload_to_analytics_in_chromium() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::from_millis(400)))).await;
    let tmp = must(tempfile::tempdir());
    let examples = tmp.path().join("scripts.md");
    must(std::fs::write(
        &examples,
        "# Light\nNight shift tip. Your body keeps a clock and light sets it every morning, so wear dark glasses home. Keep the bedroom cold. Follow for more.\n---\n# Caffeine\nCaffeine tip. Stop coffee six hours before you sleep, even on nights. Your deep sleep comes back within a week. Save this.",
    ));
    let (_driver, c) = browser(&tmp.path().join("profile")).await;

    // Learn a persona by upload.
    must(c.goto(&s.url("/personas")).await);
    must(
        must(c.find(Locator::Id("name")).await)
            .send_keys("nurse")
            .await,
    );
    must(
        must(c.find(Locator::Id("story_text")).await)
            .send_keys("I was an ER nurse on nights for nine years.")
            .await,
    );
    must(
        must(c.find(Locator::Id("examples")).await)
            .send_keys(&examples.display().to_string())
            .await,
    );
    shot(&c, "1-personas").await;
    must(
        must(
            c.find(Locator::Css("#persona-form button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
    wait_for("the persona page", async || {
        must(c.current_url().await).path() == "/personas/nurse"
    })
    .await;
    assert!(source(&c).await.contains("Learned style"));
    shot(&c, "2-persona").await;

    // Write a script, watching the progress stream.
    submit_generate(
        &c,
        &s.url("/generate?persona=nurse"),
        &[("topic", "sleeping after nights")],
    )
    .await;
    wait_for("progress", async || {
        c.find(Locator::Id("status")).await.ok().is_some()
            && source(&c).await.contains("Writing 3 attempt")
    })
    .await;
    shot(&c, "3-progress").await;
    wait_for("the script page", async || {
        must(c.current_url().await).path().starts_with("/scripts/")
    })
    .await;
    let first = must(c.current_url().await).path().to_string();
    assert!(source(&c).await.contains("class=\"timing\""));
    shot(&c, "4-script").await;

    // Regenerate a section: a new version.
    must(
        must(c.find(Locator::Id("instructions")).await)
            .send_keys("more energetic")
            .await,
    );
    must(
        must(
            c.find(Locator::Css("#regenerate-form button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
    wait_for("version 2", async || {
        must(c.current_url().await).path() != first
    })
    .await;
    assert!(source(&c).await.contains("version 2"));

    // Approve it.
    must(
        must(
            c.find(Locator::Css(
                "#approval-form select#status option[value=approved]",
            ))
            .await,
        )
        .click()
        .await,
    );
    must(
        must(c.find(Locator::Id("notes")).await)
            .send_keys("ship it")
            .await,
    );
    must(
        must(
            c.find(Locator::Css("#approval-form button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
    wait_for("approval", async || {
        source(&c).await.contains("pill approved")
    })
    .await;
    shot(&c, "5-approved").await;

    // Find it in the history, see it counted.
    must(c.goto(&s.url("/history?status=approved")).await);
    let page = source(&c).await;
    assert!(
        page.contains("sleeping after nights") && page.contains("1 generation<"),
        "{page}"
    );
    shot(&c, "6-history").await;
    must(c.goto(&s.url("/analytics")).await);
    assert!(source(&c).await.contains("<strong>2</strong> generations"));
    shot(&c, "7-analytics").await;

    // How the posts did: the persona page links to its performance page; the bundled example
    // performance file is uploaded there, and the page shows the calibration, the scatter, the
    // best-time heatmap and every post.
    must(c.goto(&s.url("/personas/nurse")).await);
    must(
        must(c.find(Locator::Id("performance-link")).await)
            .click()
            .await,
    );
    let csv = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/maya/performance.csv");
    must(
        must(c.find(Locator::Css("input[name=file]")).await)
            .send_keys(&must(csv.canonicalize()).display().to_string())
            .await,
    );
    must(
        must(
            c.find(Locator::Css("form[enctype] button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
    wait_for("the import report", async || {
        source(&c).await.contains("id=\"import-report\"")
    })
    .await;
    let page = source(&c).await;
    assert!(
        page.contains("Imported 14 posts: 14 new")
            && page.contains("id=\"scatter\"")
            && page.contains("id=\"heatmap\"")
            && page.contains("id=\"calibration\"")
            && page.contains("14 posts: the overall score"),
        "{page}"
    );
    assert_eq!(
        page.matches("class=\"dot\"").count(),
        14,
        "one dot per post"
    );
    shot(&c, "7c-performance").await;
    // A post is linked by hand to the script it was made from.
    let script_id = first.trim_start_matches("/scripts/").to_string();
    must(
        must(
            c.find(Locator::Css(".link-form input[name=generation]"))
                .await,
        )
        .send_keys(&script_id)
        .await,
    );
    must(
        must(c.find(Locator::Css(".link-form button")).await)
            .click()
            .await,
    );
    wait_for("the linked post", async || {
        source(&c)
            .await
            .contains(&format!("<a href=\"{first}\">script {script_id}</a> ✓"))
    })
    .await;

    // A brief the writer cannot meet: the script page says first that it is not fit to post.
    submit_generate(
        &c,
        &s.url("/generate?persona=nurse"),
        &[
            ("topic", "sleeping after nights"),
            ("requirements", "name three index funds and their fees"),
        ],
    )
    .await;
    wait_for("the unfit script's page", async || {
        let path = must(c.current_url().await).path().to_string();
        path.starts_with("/scripts/") && path != first
    })
    .await;
    let page = source(&c).await;
    assert!(
        page.contains("id=\"verdict\"")
            && page.contains("Not fit to post: ")
            && page.contains("misses a requirement"),
        "{page}"
    );
    shot(&c, "7b-not-fit-to-post").await;

    // An A/B test: two lengths of one idea written from the experiments page, one post recorded
    // there (the rest through the API), the platform's numbers imported; the page shows the
    // variants side by side, the lift intervals and the verdict.
    must(c.goto(&s.url("/experiments")).await);
    must(
        must(c.find(Locator::Id("topic")).await)
            .send_keys("caffeine on nights")
            .await,
    );
    must(
        must(c.find(Locator::Css("#vary option[value=length]")).await)
            .click()
            .await,
    );
    must(
        must(c.find(Locator::Id("duration")).await)
            .send_keys("30")
            .await,
    );
    must(
        must(
            c.find(Locator::Css("#experiment-form button[type=submit]"))
                .await,
        )
        .click()
        .await,
    );
    wait_for("the experiment page", async || {
        must(c.current_url().await)
            .path()
            .starts_with("/experiments/")
    })
    .await;
    let experiment = must(c.current_url().await).path().to_string();
    let url = |i: usize| format!("https://www.tiktok.com/@nurse/video/79990000000000003{i:02}");
    must(
        must(c.find(Locator::Css("#platform option[value=tiktok]")).await)
            .click()
            .await,
    );
    must(
        must(c.find(Locator::Id("url")).await)
            .send_keys(&url(0))
            .await,
    );
    must(
        must(c.find(Locator::Css("#post-form button[type=submit]")).await)
            .click()
            .await,
    );
    wait_for("the recorded post", async || {
        source(&c).await.contains("id=\"experiment-posts\"")
    })
    .await;
    let mut csv = String::from("createTimeISO,playCount,diggCount,webVideoUrl\n");
    for i in 0..12 {
        let label = if i < 6 { "A" } else { "B" };
        if i > 0 {
            let (status, body) = s
                .post(
                    &format!("/api/v1{experiment}/posts"),
                    serde_json::json!({"variant": label, "platform": "tiktok", "url": url(i)}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
        let views = if i < 6 {
            1_000 + 40 * i
        } else {
            4_000 + 60 * i
        };
        csv.push_str(&format!(
            "2026-10-{:02}T17:00:00Z,{views},{},{}\n",
            i + 1,
            views / 12,
            url(i)
        ));
    }
    s.import_csv("nurse", csv.into_bytes()).await;
    must(c.goto(&s.url(&experiment)).await);
    let page = source(&c).await;
    assert!(
        page.contains("B wins")
            && page.contains("class=\"interval\"")
            && page.contains("<mark>18 s</mark>")
            && page.matches("class=\"card variant\"").count() == 2,
        "{page}"
    );
    // Wide and tall enough to show the variants side by side and the whole page (docs/).
    must(c.set_window_size(1100, 2000).await);
    shot(&c, "7d-experiment").await;

    // Every format's page: an X thread post by post and a LinkedIn post, each with its character
    // count and a copy button (a screenshot each; the video script's is 4-script).
    let mut text_pages = Vec::new();
    for (platform, shot_name, marker) in [
        ("x", "7e-x-thread", " / 280 characters"),
        ("linkedin", "7f-linkedin-post", " / 3,000 characters"),
    ] {
        let (status, g) = s
            .post(
                "/api/v1/scripts/generate",
                serde_json::json!({"persona": "nurse", "topic": "caffeine on night shifts", "platform": platform, "attempts": 1}),
            )
            .await;
        assert_eq!(status, 201, "{g}");
        let path = format!("/scripts/{}", g["id"]);
        must(c.goto(&s.url(&path)).await);
        let page = source(&c).await;
        assert!(
            page.contains(marker) && page.contains("data-copy=\"post-1\""),
            "{page}"
        );
        shot(&c, shot_name).await;
        text_pages.push(path);
    }

    // On a 375 px phone nothing runs off the screen: every page fits its width.
    must(c.set_window_size(375, 812).await);
    for path in [
        "/generate",
        "/personas/nurse",
        &first,
        "/history",
        "/analytics",
        "/personas/nurse/performance",
        "/experiments",
        &experiment,
        &text_pages[0],
        &text_pages[1],
    ] {
        must(c.goto(&s.url(path)).await);
        let widths = must(
            c.execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await,
        );
        let (scroll, inner) = (
            widths[0].as_f64().unwrap_or(0.0),
            widths[1].as_f64().unwrap_or(1.0),
        );
        assert!(
            scroll <= inner,
            "{path} is {scroll} px wide on a {inner} px screen"
        );
    }
    must(c.goto(&s.url("/generate")).await);
    shot(&c, "8-phone-375").await;
    must(c.close().await);
}
