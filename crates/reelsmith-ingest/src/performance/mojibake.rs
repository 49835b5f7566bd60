//! Instagram's JSON exports write every UTF-8 byte as its own `\u00XX` escape, so "café" arrives as
//! "cafÃ©" and an emoji as four Latin-1 characters. The repair: when every character of a string is
//! below U+0100 and those characters, read as bytes, form valid UTF-8 with at least one multi-byte
//! sequence, they were UTF-8 bytes; otherwise the string is left as it is (a real "Ã" next to
//! ordinary letters is not valid UTF-8 as bytes, so it survives).

/// `s` with Instagram's byte-by-byte escaping undone, or unchanged when it is not mojibake.
pub fn repair(s: &str) -> String {
    if s.is_ascii() || s.chars().any(|c| u32::from(c) > 0xFF) {
        return s.to_string();
    }
    let bytes: Vec<u8> = s.chars().map(|c| u32::from(c) as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) if fixed.len() < s.len() => fixed,
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn undoes_byte_escapes_and_leaves_real_text_alone() {
        assert_eq!(repair("caf\u{00C3}\u{00A9}"), "café");
        assert_eq!(
            repair("Ma\u{00C3}\u{00B1}ana \u{00F0}\u{009F}\u{0098}\u{00B4}"),
            "Mañana 😴"
        );
        assert_eq!(
            repair("café"),
            "café",
            "real Latin-1 text is not UTF-8 bytes"
        );
        assert_eq!(repair("plain"), "plain");
        assert_eq!(repair("ya 😴 fixed"), "ya 😴 fixed");
        assert_eq!(repair("Ã"), "Ã", "a lone lead byte is not a sequence");
    }
}
