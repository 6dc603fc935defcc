//! Text for a terminal: provider text cleaned of control and bidi characters, bounded, cut or
//! wrapped to a width in display columns. Pure functions, used by every renderer and by the
//! messages on stderr.

/// Provider text made safe for a terminal: control characters (escape sequences included) and
/// bidirectional-text controls (which can make text read differently from what it is) become
/// spaces, and surrounding blanks go.
pub fn clean(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.trim().to_owned()
}

/// The longest provider text shown to people in one place (a history text, a summary): longer
/// is not a message but an attack or an accident, and the JSON output has it all.
pub const MAX_SHOWN: usize = 500;

/// Provider text for people: at most [`MAX_SHOWN`] characters, then [`clean`]ed.
pub fn bounded(text: &str) -> String {
    clean(&truncate(text, MAX_SHOWN))
}

/// `text` cut to `width` display columns (wide characters count two), with `…` when something
/// was cut.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        // `being shipped…`, not `being shipped …`.
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

/// `text` broken at blanks into lines of at most `width` display columns (runs of blanks become
/// one); a word longer than a line is broken inside itself. Never empty: an empty text is one
/// empty line. Used with a hanging indent, so that no line goes back to column 0 mid-word.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w <= width {
            line.push_str(word);
            used = w;
            continue;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used > 0 && used + cw > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// At most `max` characters of `text`, with `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
