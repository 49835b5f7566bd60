//! Tolerant parsing of model output: JSON wrapped in code fences or prose, with trailing commas; and
//! the `KEY: value` line format that small base models follow reliably.

use std::collections::BTreeMap;

/// Extracts the first JSON object (or array) from `text` and parses it.
///
/// Tolerates a Markdown code fence around it, prose before and after it, and trailing commas before
/// `}` or `]`. Strings are respected: braces and commas inside them do not count.
///
/// # Errors
/// A message saying what was wrong (no JSON found, or the parser's error with its line and column).
pub fn extract_json(text: &str) -> Result<serde_json::Value, String> {
    let start = text
        .find(['{', '['])
        .ok_or_else(|| "the answer holds no JSON object".to_string())?;
    let candidate = balanced(&text[start..]);
    let cleaned = strip_trailing_commas(candidate);
    serde_json::from_str(&cleaned).map_err(|e| format!("the answer's JSON is invalid: {e}"))
}

/// Tracks whether a scan over JSON text is inside a string literal (escapes respected).
#[derive(Default)]
struct StringScan {
    in_string: bool,
    escaped: bool,
}

impl StringScan {
    /// Feeds one character; true when it belongs to a string literal (its quotes included).
    fn inside(&mut self, c: char) -> bool {
        if self.in_string {
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' => self.escaped = true,
                '"' => self.in_string = false,
                _ => {}
            }
            return true;
        }
        if c == '"' {
            self.in_string = true;
            return true;
        }
        false
    }
}

/// The prefix of `text` (starting at an opening bracket) up to its matching closing bracket; all of
/// `text` when it never closes (the parser then reports where it broke).
fn balanced(text: &str) -> &str {
    let mut depth = 0usize;
    let mut scan = StringScan::default();
    for (i, c) in text.char_indices() {
        if scan.inside(c) {
            continue;
        }
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    text
}

/// Removes commas followed (after whitespace) by `}` or `]`, outside strings.
fn strip_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut scan = StringScan::default();
    for (i, &c) in chars.iter().enumerate() {
        if !scan.inside(c) && c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Parses `KEY: value` lines for the given keys (matched case-insensitively at a line start, with
/// optional Markdown bold or list markers). A value runs on over the following lines until the next
/// key; text before the first key is ignored. Returns each key found (upper-cased as given in `keys`)
/// with its trimmed value; empty values are left out.
pub fn parse_lines(text: &str, keys: &[&str]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        let bare = line
            .trim_start()
            .trim_start_matches(['-', '*', '#', ' '])
            .trim_start();
        let found = keys.iter().find_map(|k| {
            let head = bare.get(..k.len())?;
            if !head.eq_ignore_ascii_case(k) {
                return None;
            }
            let rest = bare[k.len()..].trim_start_matches('*').trim_start();
            rest.strip_prefix(':')
                .map(|v| (*k, v.trim_start_matches('*').trim()))
        });
        match found {
            Some((k, v)) => {
                current = Some(k);
                let slot = out.entry(k.to_string()).or_default();
                if !slot.is_empty() && !v.is_empty() {
                    slot.push('\n');
                }
                slot.push_str(v);
            }
            None => {
                if let Some(k) = current {
                    let t = line.trim();
                    if !t.is_empty() {
                        let slot = out.entry(k.to_string()).or_default();
                        if !slot.is_empty() {
                            slot.push('\n');
                        }
                        slot.push_str(t);
                    }
                }
            }
        }
    }
    out.retain(|_, v| !v.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_fence_with_prose_and_trailing_commas() {
        let text =
            "Sure! Here it is:\n```json\n{\"a\": [1, 2,], \"b\": \"x, }\",}\n```\nHope that helps.";
        let v = extract_json(text).unwrap_or_default();
        assert_eq!(v["a"][1], 2);
        assert_eq!(v["b"], "x, }");
    }

    #[test]
    fn json_errors_say_what_was_wrong() {
        assert!(
            extract_json("no json here")
                .err()
                .unwrap_or_default()
                .contains("no JSON")
        );
        let e = extract_json("{\"a\": 1").err().unwrap_or_default();
        assert!(e.contains("invalid"), "{e}");
    }

    #[test]
    fn lines_with_continuations_and_markup() {
        let text = "Here you go\n**HOOK:** Stop doing this.\nBODY: First line\nsecond line\n- CTA: Follow me\nNOTE: ignored key";
        let m = parse_lines(text, &["HOOK", "BODY", "CTA"]);
        assert_eq!(m.get("HOOK").map(String::as_str), Some("Stop doing this."));
        assert_eq!(
            m.get("BODY").map(String::as_str),
            Some("First line\nsecond line")
        );
        assert_eq!(
            m.get("CTA").map(String::as_str),
            Some("Follow me\nNOTE: ignored key")
        );
    }

    #[test]
    fn empty_values_are_left_out() {
        let m = parse_lines("HOOK:\nBODY: x", &["HOOK", "BODY"]);
        assert!(!m.contains_key("HOOK"));
        assert_eq!(m.len(), 1);
    }
}
