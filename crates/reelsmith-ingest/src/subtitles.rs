//! Subtitles as a spoken script: SubRip (`.srt`) and WebVTT (`.vtt`) caption files — what captioning
//! tools (CapCut, Premiere, YouTube Studio, Descript) export, and often the only written form of a
//! creator's past videos. Parsing is fasrt's (WebVTT as the W3C specification defines it, SubRip in
//! its lossy mode); here the cues become text and their timings the speech's length.
//!
//! - Cue numbers, timings, settings, `NOTE`/`STYLE`/`REGION` blocks and markup (`<i>`, `<v Maya>`,
//!   `<c>`, inline `<00:00:01.200>` timestamps, SubRip's `{\an8}` position codes) are dropped;
//!   character references (`&amp;`) are decoded.
//! - A cue line said again in the next cue is kept once: YouTube's automatic captions roll, each
//!   cue repeating the line before it.
//! - Cue texts are joined by spaces into one paragraph: a caption line break is a display choice,
//!   not a sentence boundary.

use fasrt::vtt::cue::{CueParser, CueToken};

/// The two caption formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SubRip, `.srt`.
    SubRip,
    /// WebVTT, `.vtt`.
    WebVtt,
}

impl Kind {
    /// The kind for a file extension without its dot (case-insensitive), or `None`.
    pub fn of_extension(ext: &str) -> Option<Kind> {
        match ext.to_ascii_lowercase().as_str() {
            "srt" => Some(Kind::SubRip),
            "vtt" => Some(Kind::WebVtt),
            _ => None,
        }
    }

    /// The kind for a file name's extension (case-insensitive), or `None`.
    pub fn of_name(name: &str) -> Option<Kind> {
        Kind::of_extension(name.rsplit_once('.')?.1)
    }

    /// Its name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::SubRip => "SubRip (.srt)",
            Kind::WebVtt => "WebVTT (.vtt)",
        }
    }
}

/// What a caption file says and how long it took to say it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// The cues' text in order, one paragraph.
    pub text: String,
    /// From the first cue's start to the last cue's end, seconds; `None` when the timings give no
    /// positive span.
    pub span_s: Option<f64>,
}

/// The spoken text and span of a caption file (UTF-8, a byte-order mark allowed). `Err` with what is
/// wrong when it is not of its kind or holds no words: a WebVTT file must open with `WEBVTT`, a
/// caption file needs at least one timed cue with words.
pub fn read(kind: Kind, text: &str) -> Result<Transcript, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cues = Cues::default();
    match kind {
        Kind::WebVtt => {
            for block in fasrt::vtt::Parser::new(text) {
                match block {
                    Ok(fasrt::vtt::Block::Cue(cue)) => {
                        let h = cue.header_ref();
                        cues.add(
                            h.start().to_duration().as_secs_f64(),
                            h.end().to_duration().as_secs_f64(),
                            cue.body_ref(),
                        );
                    }
                    Ok(_) => {}
                    Err(fasrt::vtt::ParseVttError::MissingSignature) => {
                        return Err("it does not open with “WEBVTT”".into());
                    }
                    // The parser recovers from a malformed block and goes on with the next one.
                    Err(_) => {}
                }
            }
        }
        Kind::SubRip => {
            // Lossy, but a cue numbered out of order is still said: keep it.
            let opts = fasrt::srt::Options::lossy().with_monotonic_index(false);
            for entry in fasrt::srt::Parser::with_options(text, opts).flatten() {
                let h = entry.header_ref();
                cues.add(
                    h.start().to_duration().as_secs_f64(),
                    h.end().to_duration().as_secs_f64(),
                    entry.body_ref(),
                );
            }
        }
    }
    if cues.count == 0 {
        return Err("no timed cue found".into());
    }
    if cues.text.is_empty() {
        return Err("its cues hold no words".into());
    }
    let span = cues.last_end - cues.first_start;
    Ok(Transcript {
        text: cues.text,
        span_s: (span.is_finite() && span > 0.0).then_some(span),
    })
}

/// The cues read so far.
#[derive(Default)]
struct Cues {
    text: String,
    /// The last line added, to drop a rolling caption's repeat.
    last_line: String,
    count: usize,
    first_start: f64,
    last_end: f64,
}

impl Cues {
    fn add(&mut self, start: f64, end: f64, body: &str) {
        if self.count == 0 {
            self.first_start = start;
        }
        self.first_start = self.first_start.min(start);
        self.last_end = self.last_end.max(end);
        self.count += 1;
        for line in body.lines() {
            let line = plain(line);
            if line.is_empty() || line == self.last_line {
                continue;
            }
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(&line);
            self.last_line = line;
        }
    }
}

/// One caption line without markup, whitespace collapsed: tags and inline timestamps by fasrt's
/// cue-text tokenizer (which also decodes character references), then SubRip's `{\…}` override
/// codes, which no WebVTT tokenizer knows.
fn plain(line: &str) -> String {
    let mut text = String::with_capacity(line.len());
    for token in CueParser::new(line) {
        if let CueToken::Text(t) = token {
            text.push_str(t.normalize());
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("{\\") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subrip_cues_lose_numbers_timings_and_markup() {
        let srt = "\u{feff}1\r\n00:00:00,000 --> 00:00:02,500\r\n<i>Stop</i> drinking <font color=\"#fff\">coffee</font>\r\n\r\n2\r\n00:00:02,500 --> 00:00:05,000\r\n{\\an8}the second your shift starts.\r\n\r\n4\n00:00:06,000 --> 00:00:08,250\nNumbered out of order, still said.";
        let t = read(Kind::SubRip, srt).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            t.text,
            "Stop drinking coffee the second your shift starts. Numbered out of order, still said."
        );
        assert_eq!(t.span_s, Some(8.25));
    }

    /// YouTube's automatic captions as its `.vtt` download has them: a header, cue settings,
    /// word timestamps in `<c>` spans, and every cue repeating the line before it.
    #[test]
    fn youtube_rolling_captions_are_read_once() {
        let vtt = "WEBVTT\nKind: captions\nLanguage: en\n\n00:00:00.000 --> 00:00:02.350 align:start position:0%\n \nhey<00:00:00.320><c> everyone</c><00:00:00.640><c> welcome</c>\n\n00:00:02.350 --> 00:00:02.360 align:start position:0%\nhey everyone welcome\n \n\n00:00:02.360 --> 00:00:05.030 align:start position:0%\nhey everyone welcome\nback<00:00:02.600><c> to</c><00:00:02.760><c> the</c><00:00:03.100><c> channel</c>\n\n";
        let t = read(Kind::WebVtt, vtt).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.text, "hey everyone welcome back to the channel");
        assert_eq!(t.span_s, Some(5.03));
    }

    #[test]
    fn webvtt_blocks_voices_and_references() {
        let vtt = "\u{feff}WEBVTT - Maya, episode 3\r\n\r\nNOTE written by hand\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\nintro\r\n00:01.000 --> 00:04.000\r\n<v Maya>Stop &amp; drink <b>water</b>.\r\n\r\n00:04.000 --> 00:06.500 line:0\r\n<i>Then sleep.</i>\r\n";
        let t = read(Kind::WebVtt, vtt).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.text, "Stop & drink water. Then sleep.");
        assert_eq!(t.span_s, Some(5.5));
    }

    #[test]
    fn wrong_or_empty_files_say_why() {
        let e = read(Kind::WebVtt, "1\n00:00:01,000 --> 00:00:02,000\nHi\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("does not open with “WEBVTT”"), "{e}");
        let e = read(Kind::SubRip, "just some words\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("no timed cue"), "{e}");
        let e = read(Kind::SubRip, "1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("hold no words"), "{e}");
        assert_eq!(Kind::of_name("a/B.VTT"), Some(Kind::WebVtt));
        assert_eq!(Kind::of_name("clip.mp4"), None);
    }
}
