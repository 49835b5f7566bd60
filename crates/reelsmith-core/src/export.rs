//! Exports of a stored generation: Markdown for reading, JSON for tools, SRT captions timed by
//! section, and a teleprompter text with pauses. Shared by `reelsmith show/export` and the API.

use serde::{Deserialize, Serialize};

use crate::generation::{FieldError, Generation};
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
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 4] = [Self::Md, Self::Json, Self::Srt, Self::Teleprompter];

    /// The lower-case name (`md`, `json`, `srt`, `teleprompter`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Json => "json",
            Self::Srt => "srt",
            Self::Teleprompter => "teleprompter",
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
                    format!("'{s}' is not one of md, json, srt, teleprompter"),
                )
            })
    }

    /// The MIME type to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Md => "text/markdown; charset=utf-8",
            Self::Json => "application/json",
            Self::Srt => "application/x-subrip; charset=utf-8",
            Self::Teleprompter => "text/plain; charset=utf-8",
        }
    }

    /// The file extension for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Json => "json",
            Self::Srt => "srt",
            Self::Teleprompter => "txt",
        }
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
    Ok(match format {
        ExportFormat::Srt => to_srt(script.sections()),
        ExportFormat::Teleprompter => to_teleprompter(script.sections()),
        _ => {
            let mut md = to_markdown(
                &script.title,
                script.sections(),
                &script.caption,
                &script.hashtags,
            );
            md.push_str(&format!(
                "\n## Numbers\n\n{:.1} s spoken ({} words at {:.0} WPM; target {:.0} s; fit: {}) · generation {} v{} · persona {} v{} · {} · LLM cost {}\n",
                script.duration_s,
                script.words,
                script.wpm,
                g.request.duration_s,
                script.fit,
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
