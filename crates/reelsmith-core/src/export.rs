//! Exports of a stored generation: Markdown for reading, JSON for tools, SRT captions timed by
//! section, a teleprompter text with pauses, and plain text to paste (a thread's posts one after
//! another, a LinkedIn post as it is). Shared by `reelsmith show/export` and the API. A text post
//! has no spoken timing: SRT and teleprompter are refused for it.

use serde::{Deserialize, Serialize};

use crate::generation::{FieldError, Generation, ScriptBody, ScriptOutput};
use crate::platform::Named;
use crate::script::{to_markdown, to_srt, to_teleprompter};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Markdown for reading.
    Md,
    /// JSON for tools (times in seconds: `start_s`, `end_s`, `duration_s`).
    Json,
    /// SRT captions timed by section.
    Srt,
    /// Teleprompter text with pauses.
    Teleprompter,
    /// Plain text to paste: a video's voiceover and caption, a thread's numbered posts separated
    /// by blank lines, a LinkedIn post as it is.
    Txt,
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 5] = [
        Self::Md,
        Self::Json,
        Self::Srt,
        Self::Teleprompter,
        Self::Txt,
    ];

    /// The lower-case name (`md`, `json`, `srt`, `teleprompter`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Json => "json",
            Self::Srt => "srt",
            Self::Teleprompter => "teleprompter",
            Self::Txt => "txt",
        }
    }

    /// Parses a name.
    ///
    /// # Errors
    /// A [`FieldError`] on `format` listing the accepted names.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "format",
                    format!("'{s}' is not one of md, json, srt, teleprompter, txt"),
                )
            })
    }

    /// The MIME type to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Md => "text/markdown; charset=utf-8",
            Self::Json => "application/json",
            Self::Srt => "application/x-subrip; charset=utf-8",
            Self::Teleprompter | Self::Txt => "text/plain; charset=utf-8",
        }
    }

    /// The file extension for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Json => "json",
            Self::Srt => "srt",
            Self::Teleprompter | Self::Txt => "txt",
        }
    }
}

/// A script as plain text to paste: a video's voiceover then its caption and hashtags, a thread's
/// posts separated by blank lines, a LinkedIn post as it is.
fn plain_text(script: &ScriptOutput) -> String {
    match &script.body {
        ScriptBody::Video { sections } => {
            let voice: Vec<&str> = sections.iter().map(|s| s.voiceover.as_str()).collect();
            format!(
                "{}\n\n{} {}\n",
                voice.join("\n"),
                script.caption,
                script.hashtags.join(" ")
            )
        }
        ScriptBody::Thread { posts } => format!("{}\n", posts.join("\n\n")),
        ScriptBody::Post { text } => format!("{text}\n"),
    }
}

/// Renders a generation in `format`.
///
/// # Errors
/// A failed generation has no script to export (only JSON works for it).
pub fn export(g: &Generation, format: ExportFormat) -> Result<String, FieldError> {
    if format == ExportFormat::Json {
        return serde_json::to_string_pretty(g)
            .map_err(|e| FieldError::new("format", format!("JSON export failed: {e}")));
    }
    let script = g.script.as_ref().ok_or_else(|| {
        FieldError::new(
            "format",
            format!(
                "generation {} failed ({}) and has no script — only the JSON export shows the record",
                g.id,
                g.error.as_deref().unwrap_or("no reason recorded"),
            ),
        )
    })?;
    let text_post = script.format() != crate::platform::Format::Video;
    if text_post && matches!(format, ExportFormat::Srt | ExportFormat::Teleprompter) {
        return Err(FieldError::new(
            "format",
            format!(
                "generation {} is a {} for {} with no spoken timing: export it as md, json or txt",
                g.id,
                script.format().label(),
                g.request.platform.as_str()
            ),
        ));
    }
    Ok(match format {
        ExportFormat::Srt => to_srt(script.sections()),
        ExportFormat::Teleprompter => to_teleprompter(script.sections()),
        ExportFormat::Txt => plain_text(script),
        _ => {
            let mut md = match &script.body {
                ScriptBody::Video { sections } => {
                    to_markdown(&script.title, sections, &script.caption, &script.hashtags)
                }
                ScriptBody::Thread { posts } => {
                    let mut md = format!(
                        "# {}\n\n## X thread ({} posts)\n",
                        script.title,
                        posts.len()
                    );
                    for (i, p) in posts.iter().enumerate() {
                        md.push_str(&format!(
                            "\n**{}.** ({} of {} characters)\n\n{p}\n",
                            i + 1,
                            crate::formats::count(crate::platform::Platform::X, p),
                            crate::formats::limit_label(crate::platform::Platform::X)
                        ));
                    }
                    md
                }
                ScriptBody::Post { text } => format!(
                    "# {}\n\n## LinkedIn post ({} of {} characters)\n\n{text}\n",
                    script.title,
                    crate::formats::count(crate::platform::Platform::Linkedin, text),
                    crate::formats::limit_label(crate::platform::Platform::Linkedin)
                ),
            };
            if !script.fitted.is_empty() {
                md.push_str(&format!(
                    "\nTo keep to the platform's limits: {}.\n",
                    script.fitted.join("; ")
                ));
            }
            let length = if text_post {
                format!("{} words", script.words)
            } else {
                format!(
                    "{:.1} s spoken ({} words at {:.0} WPM; target {:.0} s; fit: {})",
                    script.duration_s, script.words, script.wpm, g.request.duration_s, script.fit
                )
            };
            md.push_str(&format!(
                "\n## Numbers\n\n{length} · generation {} v{} · persona {} v{} · {} · LLM cost {}\n",
                g.id,
                g.version,
                g.persona,
                g.persona_version,
                g.approval.as_str(),
                crate::text::usd(g.cost_usd)
            ));
            if let Some(card) = &g.card {
                if !card.unfit.is_empty() {
                    md.push_str(&format!(
                        "\n**Not fit to post: {}.**\n",
                        card.unfit.join(", ")
                    ));
                }
                md.push_str(&format!(
                    "\nScore {:.0}/100 · quality {:.0} · viral {:.0}{}\n",
                    card.overall,
                    card.quality.score,
                    card.viral.overall,
                    card.voice
                        .as_ref()
                        .map(|v| format!(" · voice match {:.0}", v.score))
                        .unwrap_or_default()
                ));
                let fixes = card.to_improve();
                if !fixes.is_empty() {
                    md.push_str("\nTo improve:\n");
                    for f in fixes {
                        md.push_str(&format!("- {f}\n"));
                    }
                }
                if let Some(note) = g.score_note() {
                    md.push_str(&format!("\n_{note}_\n"));
                }
            }
            if g.attempts.len() > 1 {
                md.push_str("\nAttempts: ");
                let parts: Vec<String> = g
                    .attempts
                    .iter()
                    .map(|a| match (a.overall, &a.error) {
                        (Some(s), _) => format!(
                            "#{} {:.0}{}",
                            a.index + 1,
                            s,
                            if a.winner { " (kept)" } else { "" }
                        ),
                        (None, Some(e)) => format!("#{} dropped: {e}", a.index + 1),
                        _ => format!("#{}", a.index + 1),
                    })
                    .collect();
                md.push_str(&parts.join(" · "));
                md.push('\n');
            }
            md
        }
    })
}
