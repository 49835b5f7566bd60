//! A value kept out of `Debug` output, logs and error messages (API keys, database passwords).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string: `Debug` prints `Secret(***)`; the value is reached only through `.0`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// `text` with the password of every URL in it (`scheme://user:password@host…`) replaced by
/// `***`, for anything shown, logged or stored: a provider's `base_url` or a database URL may
/// carry credentials, and HTTP client errors quote the URL they failed on.
pub fn redact_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(scheme_end) = rest.find("://") {
        let (head, tail) = rest.split_at(scheme_end + 3);
        out.push_str(head);
        // The authority ends at the first '/', '?', '#', whitespace or quote.
        let end = tail
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>') || c.is_whitespace()
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => {
                out.push_str(&authority[..colon]);
                out.push_str(":***");
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_hidden_wherever_they_appear() {
        assert_eq!(
            redact_credentials("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_credentials(
                "error sending request for url (https://me:p%40ss@proxy.example/v1/chat/completions): refused; retry https://x.example/ok"
            ),
            "error sending request for url (https://me:***@proxy.example/v1/chat/completions): refused; retry https://x.example/ok"
        );
        assert_eq!(redact_credentials("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_credentials("sqlite:///tmp/x.db"),
            "sqlite:///tmp/x.db"
        );
        assert_eq!(redact_credentials("http://h:8080/v1"), "http://h:8080/v1");
        assert_eq!(redact_credentials("no url here"), "no url here");
    }
}
