//! Splitting a file's text into scripts (on `---` lines) and reading each script's TOML front matter
//! (between `+++` lines, as in Hugo and Zola).

use serde::de::DeserializeOwned;

/// Splits `text` on lines that are exactly `---` (surrounding whitespace ignored) and returns the
/// non-blank parts, trimmed, in order.
pub fn split_scripts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim() == "---" {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Separates TOML front matter (`+++` line, TOML, `+++` line, at the very start) from the body and
/// parses it into `T`. Without front matter, returns `T::default()` and the whole text.
pub fn front_matter<T: DeserializeOwned + Default>(text: &str) -> Result<(T, String), String> {
    let trimmed = text.trim_start();
    let Some(rest) = trimmed.strip_prefix("+++") else {
        return Ok((T::default(), text.to_string()));
    };
    let rest = rest
        .strip_prefix('\n')
        .ok_or("the opening +++ must be alone on its line")?;
    let end = rest
        .match_indices("+++")
        .find(|(i, _)| *i == 0 || rest[..*i].ends_with('\n'))
        .map(|(i, _)| i)
        .ok_or("no closing +++ line")?;
    let toml_src = &rest[..end];
    let body = rest[end + 3..]
        .trim_start_matches([' ', '\t'])
        .trim_start_matches('\n');
    let value: T = toml::from_str(toml_src).map_err(|e| e.message().to_string())?;
    Ok((value, body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Fm {
        title: Option<String>,
        duration_s: Option<f64>,
    }

    #[test]
    fn splits_on_separator_lines_only() {
        let parts = split_scripts("a\n---\nb --- c\n  ---  \n\n---\nd\n---\n");
        assert_eq!(parts, vec!["a", "b --- c", "d"]);
        assert!(split_scripts("\n---\n  \n").is_empty());
    }

    #[test]
    fn reads_front_matter() {
        let (fm, body) =
            front_matter::<Fm>("+++\ntitle = \"Naps\"\nduration_s = 31.5\n+++\nHook here.")
                .unwrap_or_default();
        assert_eq!(
            fm,
            Fm {
                title: Some("Naps".into()),
                duration_s: Some(31.5)
            }
        );
        assert_eq!(body, "Hook here.");
    }

    #[test]
    fn no_front_matter_keeps_text() {
        let (fm, body) = front_matter::<Fm>("Just text.").unwrap_or_default();
        assert_eq!((fm, body.as_str()), (Fm::default(), "Just text."));
    }

    #[test]
    fn bad_front_matter_says_why() {
        let err = front_matter::<Fm>("+++\nduration = 3\n+++\nx")
            .err()
            .unwrap_or_default();
        assert!(err.contains("duration"), "{err}");
        let err = front_matter::<Fm>("+++\ntitle = \"x\"\nno end")
            .err()
            .unwrap_or_default();
        assert!(err.contains("closing"), "{err}");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::formats::markdown_to_text;

    proptest! {
        #[test]
        fn splitting_and_front_matter_never_panic(text in "(\\PC|\n|---|\\+\\+\\+|#|=|\")*") {
            for part in split_scripts(&text) {
                prop_assert!(!part.trim().is_empty());
                prop_assert!(part.lines().all(|l| l.trim() != "---"));
                let _ = front_matter::<toml::Table>(&part);
                let _ = markdown_to_text(&part);
            }
        }
    }
}
