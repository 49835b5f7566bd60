//! Counts as exports write them: plain integers, locale-formatted strings ("40.210" in Spanish,
//! German, Portuguese or Italian; "1,234" in English; "1 234" or "1 234" in French) and abbreviated
//! ones ("12.5K", "1,2 M", "3 mil"). A separator followed by exactly three digits, in a number
//! without a suffix, groups thousands; a decimal mark needs a suffix (a count is whole).

/// The count in `s`, or `None` when `s` is not a count (empty, negative, text).
pub fn parse_count(s: &str) -> Option<u64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\''))
        .collect();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_lowercase();
    let (digits, scale) = [
        ("mil", 1e3),
        ("mio", 1e6),
        ("mrd", 1e9),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1e9),
    ]
    .iter()
    .find_map(|(suffix, scale)| lower.strip_suffix(suffix).map(|d| (d.to_string(), *scale)))
    .unwrap_or((lower.clone(), 1.0));
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let groups: Vec<&str> = digits.split(['.', ',']).collect();
    let thousands = scale == 1.0
        && groups.len() > 1
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups[0].len() <= 3;
    let value: f64 = if thousands {
        groups.concat().parse().ok()?
    } else if groups.len() == 2 && scale > 1.0 {
        format!("{}.{}", groups[0], groups[1]).parse().ok()?
    } else if groups.len() == 1 {
        digits.parse().ok()?
    } else {
        return None;
    };
    let v = (value * scale).round();
    (v.is_finite() && v >= 0.0 && v < u64::MAX as f64).then_some(v as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn reads_locale_formats_and_abbreviations() {
        for (s, n) in [
            ("40.210", 40_210),
            ("1,234", 1_234),
            ("1.234.567", 1_234_567),
            ("1 234", 1_234),
            ("1\u{202F}234", 1_234),
            ("12.5K", 12_500),
            ("12,5K", 12_500),
            ("1,2 M", 1_200_000),
            ("3 mil", 3_000),
            ("987", 987),
            ("0", 0),
        ] {
            assert_eq!(parse_count(s), Some(n), "{s}");
        }
        for s in ["", "n/a", "-5", "1.2.3x", ",5", "K", "2.5", "1,23"] {
            assert_eq!(parse_count(s), None, "{s}");
        }
    }
}
