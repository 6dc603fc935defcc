//! Rendering for people: the color decision, the palette, lines of parts fitted to a width, and
//! the words for statuses, couriers and money shared by the renderers. JSON output lives in
//! [`json`]; the text helpers ([`clean`], [`fit`], [`wrap`], …) in [`crate::text`].

pub mod change;
pub mod event;
pub mod json;
pub mod status_line;
pub mod table;
pub mod timeline;

use owo_colors::{OwoColorize, Style};
use serde_json::Number;

use crate::status::{Category, DELIVERED};
pub use crate::text::{MAX_SHOWN, bounded, clean, fit, truncate, wrap};

/// `--color`: when to color standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal, NO_COLOR is unset and TERM is not dumb.
    Auto,
    Always,
    Never,
}

/// The one place that decides whether to color. `NO_COLOR` (any value) wins over
/// `CLICOLOR_FORCE`, which wins over the terminal check; an explicit `--color` wins over all.
pub fn color_enabled(
    choice: ColorChoice,
    stream_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR") {
                false
            } else if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                stream_is_terminal && env("TERM").as_deref() != Some("dumb")
            }
        }
    }
}

/// The width to fit human output to: `None` when stdout is not a terminal (nothing is fitted);
/// otherwise the terminal's width, or when it reports none or zero (a pseudo-terminal of 0×0),
/// `COLUMNS`, then 80.
pub fn terminal_width(
    stdout_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<usize> {
    stdout_is_terminal.then(|| crate::output::width_of(std::io::stdout(), env))
}

/// Applies styles when color is on, and is the identity when it is off.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

/// The palette: delivered is green; other final states (canceled, returned, …) red.
fn category_style(category: Category, code: Option<i64>) -> Style {
    match category {
        Category::New => Style::new().blue(),
        Category::Transit => Style::new().cyan(),
        Category::Attempt => Style::new().yellow().bold(),
        Category::Final if code == Some(DELIVERED) => Style::new().green().bold(),
        Category::Final => Style::new().red().bold(),
        Category::Unknown => Style::new().magenta(),
    }
}

impl Painter {
    fn paint(self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }

    /// A status category label, padded to a fixed width before coloring so columns line up.
    pub fn category(self, category: Category, code: Option<i64>) -> String {
        self.paint(
            &format!("{:<7}", category.as_str()),
            category_style(category, code),
        )
    }

    /// Any text in a category's color.
    pub fn in_category(self, text: &str, category: Category, code: Option<i64>) -> String {
        self.paint(text, category_style(category, code))
    }

    /// The same label, unpadded (for table cells).
    pub fn category_word(self, category: Category, code: Option<i64>) -> String {
        self.paint(category.as_str(), category_style(category, code))
    }

    pub fn bold(self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    pub fn dim(self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }

    pub fn error(self, text: &str) -> String {
        self.paint(text, Style::new().red().bold())
    }
}

/// How a [`Part`] of a line is painted.
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    Plain,
    Bold,
    Dim,
    Category(Category, Option<i64>),
}

/// A piece of a one-line message that must fit a width ([`fit_parts`]): what a line says is
/// decided by which parts may be cut, and in which order.
#[derive(Debug, Clone)]
pub struct Part {
    /// The blanks or separator before it, gone with it when it is dropped.
    lead: &'static str,
    text: String,
    tone: Tone,
    /// `None`: kept whole. `Some(rank)`: cut when the line is too wide, lowest rank first.
    cut: Option<u8>,
}

impl Part {
    /// A part that is never cut (an ID, a time, a new status).
    pub fn keep(lead: &'static str, text: impl Into<String>, tone: Tone) -> Part {
        Part {
            lead,
            text: text.into(),
            tone,
            cut: None,
        }
    }

    /// A part cut (then dropped) when the line is too wide: rank 0 first.
    pub fn cut(lead: &'static str, text: impl Into<String>, tone: Tone, rank: u8) -> Part {
        Part {
            lead,
            text: text.into(),
            tone,
            cut: Some(rank),
        }
    }
}

/// A cut part keeps at least this many columns (its `…` included), or is dropped whole.
const MIN_KEPT: usize = 6;

/// The parts as one line of at most `width` columns (`None`: as they are): the cuttable parts
/// are cut with `…`, lowest rank first and the last part of a rank first, and dropped with their
/// lead when too little of them would be left; only when the kept parts alone are too wide is
/// the whole line cut, without color.
pub fn fit_parts(mut parts: Vec<Part>, paint: Painter, width: Option<usize>) -> String {
    use unicode_width::UnicodeWidthStr;
    let total = |parts: &[Part]| {
        parts
            .iter()
            .map(|p| p.lead.width() + p.text.width())
            .sum::<usize>()
    };
    if let Some(width) = width {
        let mut ranks: Vec<u8> = parts.iter().filter_map(|p| p.cut).collect();
        ranks.sort_unstable();
        ranks.dedup();
        for rank in ranks {
            for i in (0..parts.len()).rev() {
                let over = total(&parts).saturating_sub(width);
                if over == 0 {
                    break;
                }
                if parts[i].cut != Some(rank) {
                    continue;
                }
                let w = parts[i].text.width();
                let keep = w.saturating_sub(over);
                if keep < MIN_KEPT.min(w) || keep == 0 {
                    parts.remove(i);
                } else {
                    parts[i].text = fit(&parts[i].text, keep);
                }
            }
        }
        if total(&parts) > width {
            let plain: String = parts
                .iter()
                .map(|p| format!("{}{}", p.lead, p.text))
                .collect();
            return fit(&plain, width);
        }
    }
    parts
        .iter()
        .map(|p| {
            let text = match p.tone {
                Tone::Plain => p.text.clone(),
                Tone::Bold => paint.bold(&p.text),
                Tone::Dim => paint.dim(&p.text),
                Tone::Category(category, code) => paint.in_category(&p.text, category, code),
            };
            format!("{}{text}", p.lead)
        })
        .collect()
}

/// `transit  being shipped (100)`: a status for people, its category colored. `color_code` picks
/// the color of a final state (delivered or not); `code` is shown in parentheses when given.
pub fn status_text(
    paint: Painter,
    category: Category,
    color_code: Option<i64>,
    label: &str,
    code: Option<&str>,
) -> String {
    let code = code.map(|c| format!(" ({})", clean(c))).unwrap_or_default();
    format!(
        "{}  {}{code}",
        paint.category_word(category, color_code),
        clean(label)
    )
}

/// The code to show after a status's label: `None` when there is none, or when the label
/// already names it (an unknown code's label is `unknown (code 777)`).
pub fn status_code(status: &crate::status::Status) -> Option<String> {
    status
        .code
        .map(|c| c.to_string())
        .filter(|c| !status.label.contains(&format!("(code {c})")))
}

/// [`status_text`] for a tracking status.
pub fn status(paint: Painter, status: &crate::status::Status) -> String {
    let code = status_code(status);
    status_text(
        paint,
        status.category,
        status.color_code(),
        &status.label,
        code.as_deref(),
    )
}

/// How couriers whose code is not an acronym are written.
const COURIER_NAMES: &[(&str, &str)] = &[
    ("gosend", "GoSend"),
    ("grab_express", "GrabExpress"),
    ("grabexpress", "GrabExpress"),
    ("grab", "GrabExpress"),
];

/// `JNE REG`, `GoSend instant`: courier and service, for people; `None` when the provider gave
/// neither.
pub fn courier(courier: &crate::model::Courier) -> Option<String> {
    let name = courier.code.as_deref().map(|code| {
        COURIER_NAMES
            .iter()
            .find(|(known, _)| code.trim().eq_ignore_ascii_case(known))
            .map_or_else(|| code.to_uppercase(), |(_, name)| (*name).to_owned())
    });
    let words: Vec<String> = [name, courier.service.clone()]
        .into_iter()
        .flatten()
        .map(|s| clean(&s))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// An amount of money, Indonesian style: `Rp10.000`, `Rp1.250,50`; other currencies by code.
pub fn money(amount: &Number, currency: Option<&str>) -> String {
    let (negative, digits, fraction) = if let Some(i) = amount.as_i64() {
        (i < 0, i.unsigned_abs().to_string(), String::new())
    } else if let Some(u) = amount.as_u64() {
        (false, u.to_string(), String::new())
    } else {
        let f = amount.as_f64().unwrap_or(0.0);
        let text = format!("{:.2}", f.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
        let frac = if frac == "00" {
            String::new()
        } else {
            format!(",{frac}")
        };
        (f < 0.0, int.to_owned(), frac)
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    match currency {
        None | Some("IDR") | Some("idr") => format!("{sign}Rp{grouped}{fraction}"),
        Some(code) => format!("{sign}{} {grouped}{fraction}", clean(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_code_is_named_once() {
        let plain = Painter { color: false };
        let unknown = crate::status::lookup(Some(777));
        assert_eq!(status(plain, &unknown), "unknown  unknown (code 777)");
        let known = crate::status::lookup(Some(crate::status::DELIVERED));
        assert!(status(plain, &known).ends_with(&format!("({})", crate::status::DELIVERED)));
    }

    #[test]
    fn money_is_indonesian() {
        assert_eq!(money(&Number::from(10000), Some("IDR")), "Rp10.000");
        assert_eq!(money(&Number::from(0), None), "Rp0");
        assert_eq!(money(&Number::from(1234567), None), "Rp1.234.567");
        assert_eq!(money(&Number::from(-500), None), "-Rp500");
        assert_eq!(
            money(&Number::from_f64(1250.5).unwrap(), None),
            "Rp1.250,50"
        );
        assert_eq!(money(&Number::from(5), Some("USD")), "USD 5");
    }

    #[test]
    fn color_decision() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(color_enabled(ColorChoice::Auto, true, &env(&[])));
        assert!(!color_enabled(ColorChoice::Auto, false, &env(&[])));
        assert!(!color_enabled(
            ColorChoice::Auto,
            true,
            &env(&[("NO_COLOR", "1")])
        ));
        assert!(!color_enabled(
            ColorChoice::Auto,
            true,
            &env(&[("TERM", "dumb")])
        ));
        assert!(color_enabled(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!color_enabled(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(color_enabled(
            ColorChoice::Always,
            false,
            &env(&[("NO_COLOR", "1")])
        ));
        assert!(!color_enabled(ColorChoice::Never, true, &env(&[])));
    }

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn wrap_breaks_at_blanks_and_inside_only_overlong_words() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(
            wrap("Received at inbound station YOGYAKARTA - KP. GAMBIRAN", 51),
            ["Received at inbound station YOGYAKARTA - KP.", "GAMBIRAN"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("日本語 テキスト", 7), ["日本語", "テキス", "ト"]);
    }

    #[test]
    fn parts_are_cut_in_rank_order_and_kept_parts_stay_whole() {
        let plain = Painter { color: false };
        let parts = || {
            vec![
                Part::keep("", "OID-1", Tone::Bold),
                Part::keep("  ", "2024-03-24 10:00", Tone::Dim),
                Part::cut("  ", "being shipped (100)", Tone::Plain, 1),
                Part::cut(" · ", "With delivery courier YOGYAKARTA", Tone::Plain, 0),
            ]
        };
        let all = "OID-1  2024-03-24 10:00  being shipped (100) · With delivery courier YOGYAKARTA";
        assert_eq!(fit_parts(parts(), plain, None), all);
        assert_eq!(fit_parts(parts(), plain, Some(200)), all);
        assert_eq!(
            fit_parts(parts(), plain, Some(60)),
            "OID-1  2024-03-24 10:00  being shipped (100) · With deliver…"
        );
        // Too little of the text left: it goes, its separator with it.
        assert_eq!(
            fit_parts(parts(), plain, Some(48)),
            "OID-1  2024-03-24 10:00  being shipped (100)"
        );
        assert_eq!(
            fit_parts(parts(), plain, Some(40)),
            "OID-1  2024-03-24 10:00  being shipped…"
        );
        assert_eq!(fit_parts(parts(), plain, Some(10)), "OID-1  20…");
    }

    proptest::proptest! {
        /// Wrapping loses no word and no character, and no line is wider than the width (but
        /// for a wide character alone on a line of width 1).
        #[test]
        fn wrap_keeps_every_character_within_the_width(
            text in "[a-z日 ]{0,80}",
            width in 1usize..40,
        ) {
            use unicode_width::UnicodeWidthStr;
            let lines = wrap(&text, width);
            for line in &lines {
                proptest::prop_assert!(line.width() <= width.max(2), "{:?}", lines);
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let words: String = text.split_whitespace().collect();
            proptest::prop_assert_eq!(joined, words);
        }

        /// A fitted line is never wider than the width, whatever its parts.
        #[test]
        fn fitted_parts_fit(
            texts in proptest::collection::vec("[a-z日 ]{0,30}", 1..6),
            width in 1usize..100,
        ) {
            use unicode_width::UnicodeWidthStr;
            let parts = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if i % 2 == 0 {
                        Part::keep("  ", t.clone(), Tone::Plain)
                    } else {
                        Part::cut(" · ", t.clone(), Tone::Dim, (i % 3) as u8)
                    }
                })
                .collect();
            let line = fit_parts(parts, Painter { color: false }, Some(width));
            proptest::prop_assert!(line.width() <= width, "{:?}", line);
        }
    }

    #[test]
    fn clean_strips_escapes() {
        assert_eq!(clean(" a\u{1b}[31mb\n "), "a [31mb");
        assert_eq!(clean("paid\u{202E}diap"), "paid diap");
    }
}
