//! Many parcels for people: one line per ID, in input order.
//!
//! Every cell is bounded before layout, so a hostile 16 MiB history text costs no more than a
//! short one. On a terminal the table fits its width: IDs, AWBs and times never wrap, the free
//! text ("Last event") takes what is left and is cut with `…` on one line, and when even that does
//! not fit, what an ops person needs least goes first: the category (the status is colored by
//! it), then the long status labels (for their short forms, never cut), then the AWB. The ID, the
//! courier (who to call), the status and the time stay. In a pipe nothing is fitted, only
//! bounded.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr;

use super::{Painter, clean, courier, fit, truncate};
use crate::api::ApiError;
use crate::model::Parcel;
use crate::status::Category;

/// The longest cell of a fixed column (IDs are at most 20 characters; an AWB or a status label
/// longer than this is not one a person reads).
const MAX_CELL: usize = 32;
/// The longest free text in a pipe, where there is no width to fit.
const MAX_TEXT: usize = 200;
/// The narrowest free-text column worth showing; below it, other columns are dropped first.
const MIN_TEXT: usize = 20;
/// The narrowest free-text column shown at all: a character and `…`.
const MIN_SHOWN: usize = 2;
/// Blanks between columns.
const GAP: usize = 2;

/// One parcel's line, its cells bounded and cleaned: what a batch keeps until it is printed.
#[derive(Debug, Clone)]
pub struct Row {
    id: String,
    awb: String,
    courier: String,
    /// The category to color, or `None` for a failed lookup.
    tone: Option<(Category, Option<i64>)>,
    category: String,
    status: String,
    /// The status in at most [`crate::status::SHORT_WIDTH`] characters, for narrow tables.
    short_status: String,
    updated: String,
    event: String,
}

impl Row {
    pub fn parcel(p: &Parcel) -> Row {
        let latest = p.latest();
        Row {
            id: cell(&p.query),
            awb: p.awb.as_deref().map_or_else(dash, cell),
            courier: courier(&p.courier).map_or_else(dash, |c| cell(&c)),
            tone: Some((p.status.category, p.status.color_code())),
            category: p.status.category.as_str().to_owned(),
            // The longest label of the status tables is 44 characters: a status is never cut.
            status: bounded(&p.status.label, MAX_TEXT),
            short_status: cell(crate::status::short_label(&p.status.label)),
            updated: latest.and_then(|h| h.at).map_or_else(dash, |t| t.human()),
            event: latest
                .and_then(|h| h.text.as_deref())
                .map_or_else(dash, |t| bounded(t, MAX_TEXT)),
        }
    }

    /// The same row with another "Last update" cell (`parcels` shows how long ago).
    pub fn with_updated(mut self, updated: &str) -> Row {
        self.updated = cell(updated);
        self
    }

    pub fn error(err: &ApiError) -> Row {
        Row {
            id: cell(&err.query),
            awb: dash(),
            courier: dash(),
            tone: None,
            category: "error".to_owned(),
            status: err.kind.phrase().to_owned(),
            short_status: err.kind.phrase().to_owned(),
            updated: dash(),
            event: bounded(&err.kind.to_string(), MAX_TEXT),
        }
    }
}

fn dash() -> String {
    "-".to_owned()
}

fn bounded(text: &str, max: usize) -> String {
    clean(&truncate(text, max))
}

fn cell(text: &str) -> String {
    bounded(text, MAX_CELL)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Awb,
    Courier,
    Category,
    Status,
    Updated,
    Event,
}

/// The columns in the order shown.
const COLUMNS: [Column; 7] = [
    Column::Id,
    Column::Awb,
    Column::Courier,
    Column::Category,
    Column::Status,
    Column::Updated,
    Column::Event,
];

/// What a table gives up when the width is short, in this order: the category (the status is
/// colored by it), the long status labels (for short ones), the AWB. Past that the free text
/// just gets narrower; only a terminal too narrow for the rest loses the courier, then the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Give {
    Drop(Column),
    ShortStatus,
}

const GIVE_ORDER: [Give; 3] = [
    Give::Drop(Column::Category),
    Give::ShortStatus,
    Give::Drop(Column::Awb),
];

const LAST_RESORT: [Column; 2] = [Column::Courier, Column::Updated];

impl Column {
    fn header(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::Awb => "AWB",
            Column::Courier => "Courier",
            Column::Category => "Category",
            Column::Status => "Status",
            Column::Updated => "Last update",
            Column::Event => "Last event",
        }
    }

    fn text(self, row: &Row, short: bool) -> &str {
        match self {
            Column::Id => &row.id,
            Column::Awb => &row.awb,
            Column::Courier => &row.courier,
            Column::Category => &row.category,
            Column::Status if short => &row.short_status,
            Column::Status => &row.status,
            Column::Updated => &row.updated,
            Column::Event => &row.event,
        }
    }
}

/// Which columns to show, whether with short status labels, and how wide the free text may be,
/// for a width (`None`: a pipe).
struct Layout {
    columns: Vec<Column>,
    short: bool,
    text_width: usize,
}

fn layout(rows: &[Row], width: Option<usize>) -> Layout {
    let natural = |column: Column, short: bool| {
        rows.iter()
            .map(|r| column.text(r, short).width())
            .chain([column.header().width()])
            .max()
            .unwrap_or(0)
    };
    let mut columns: Vec<Column> = COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != Column::Event)
        .collect();
    let mut short = false;
    let Some(width) = width else {
        return Layout {
            columns,
            short,
            text_width: MAX_TEXT,
        };
    };
    // Fixed columns and the gaps after each of them (the free text is last).
    let used = |columns: &[Column], short: bool| {
        columns
            .iter()
            .map(|c| natural(*c, short) + GAP)
            .sum::<usize>()
    };
    for give in GIVE_ORDER {
        if used(&columns, short) + MIN_TEXT <= width {
            break;
        }
        match give {
            Give::Drop(column) => columns.retain(|c| *c != column),
            Give::ShortStatus => short = true,
        }
    }
    for column in LAST_RESORT {
        if used(&columns, short) <= width {
            break;
        }
        columns.retain(|c| *c != column);
    }
    Layout {
        text_width: width.saturating_sub(used(&columns, short)),
        columns,
        short,
    }
}

/// Writes the table. `width` is the terminal's (see [`super::terminal_width`]), `None` in a
/// pipe.
pub fn render(
    out: &mut dyn Write,
    rows: &[Row],
    paint: Painter,
    width: Option<usize>,
) -> io::Result<()> {
    let Layout {
        columns: fixed,
        short,
        text_width,
    } = layout(rows, width);
    // The last event takes what is left, however little: its header is cut like its cells.
    let show_text = text_width >= MIN_SHOWN;
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    let mut headers: Vec<Cell> = fixed
        .iter()
        .map(|c| Cell::new(paint.bold(c.header())))
        .collect();
    if show_text {
        headers.push(Cell::new(
            paint.bold(&fit(Column::Event.header(), text_width)),
        ));
    }
    table.set_header(headers);
    for row in rows {
        let mut cells: Vec<Cell> = fixed
            .iter()
            .map(|c| {
                let text = c.text(row, short);
                Cell::new(match (c, row.tone) {
                    (Column::Category, Some((category, code))) => {
                        paint.category_word(category, code)
                    }
                    (Column::Category, None) => paint.error(text),
                    (Column::Status, Some((category, code))) => {
                        paint.in_category(text, category, code)
                    }
                    _ => text.to_owned(),
                })
            })
            .collect();
        if show_text {
            cells.push(Cell::new(fit(&row.event, text_width)));
        }
        table.add_row(cells);
    }
    let count = table.column_count();
    for (i, column) in table.column_iter_mut().enumerate() {
        let last = i + 1 == count;
        column.set_padding((0, if last { 0 } else { GAP as u16 }));
        column.set_cell_alignment(CellAlignment::Left);
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawResponse;

    fn parcel(awb: &str, text: &str) -> Parcel {
        let body = serde_json::json!({
            "status": true, "status_code": 100,
            "details": { "awb": awb, "service": "jne", "service_name": "REG" },
            "histories": [{ "created_at": "2021-07-14 09:53:00", "status": text, "status_code": 100 }],
        });
        RawResponse::from_slice(body.to_string().as_bytes())
            .unwrap()
            .into_parcel("OID-TRANSIT-0001")
            .unwrap()
    }

    fn table(rows: &[Row], width: Option<usize>) -> String {
        let mut out = Vec::new();
        render(&mut out, rows, Painter { color: false }, width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fits_80_columns_on_one_line_per_row() {
        let rows = vec![
            Row::parcel(&parcel("JNE-1234567890123", &"With courier ".repeat(20))),
            Row::parcel(&parcel("X", "short")),
        ];
        for width in [40, 60, 80, 120, 200] {
            let text = table(&rows, Some(width));
            assert_eq!(text.lines().count(), 3, "{width}:\n{text}");
            for line in text.lines() {
                assert!(line.width() <= width, "{width}: {line:?}");
            }
            assert!(text.contains("OID-TRANSIT-0001"), "{width}:\n{text}");
        }
        let wide = table(&rows, Some(200));
        assert!(wide.contains("JNE-1234567890123") && wide.contains("JNE REG"));
        let narrow = table(&rows, Some(80));
        assert!(narrow.contains('…'), "{narrow}");
        // At 80 columns the courier stays; the category and the AWB go.
        assert!(narrow.contains("JNE REG"), "{narrow}");
        assert!(!narrow.contains("JNE-1234567890123"), "{narrow}");
        assert!(!narrow.contains("Category"), "{narrow}");
    }

    /// A long status label is never cut: at 80 columns it is its short form (issue 18, item 3).
    #[test]
    fn statuses_are_short_not_cut_at_80_columns() {
        let mut returned = parcel("JNE-1234567890123", &"Returned to sender ".repeat(5));
        returned.status = crate::status::lookup(Some(402));
        let rows = vec![Row::parcel(&returned)];
        let wide = table(&rows, Some(200));
        assert!(
            wide.contains("returned package arrived at the sender"),
            "{wide}"
        );
        let narrow = table(&rows, Some(80));
        let line = narrow.lines().nth(1).unwrap();
        assert!(line.width() <= 80, "{line}");
        for kept in [
            "OID-TRANSIT-0001",
            "JNE REG",
            "back at sender",
            "2021-07-14 09:53",
        ] {
            assert!(line.contains(kept), "{kept} in {line}");
        }
        assert!(line.ends_with('…'), "{line}");
    }

    /// An instant courier is wide (`GrabExpress instant`): the last event still gets the
    /// columns left, cut with `…`, header included.
    #[test]
    fn the_last_event_takes_what_is_left_beside_an_instant_courier() {
        let row = Row {
            id: "OID-INSTANT-00000001".to_owned(),
            awb: "GK-1-2345678901".to_owned(),
            courier: "GrabExpress instant".to_owned(),
            tone: Some((Category::Transit, None)),
            category: "transit".to_owned(),
            status: "picked up".to_owned(),
            short_status: "picked up".to_owned(),
            updated: "2025-01-11 16:00".to_owned(),
            event: "Driver picked up the parcel from the sender".to_owned(),
        };
        let text = table(&[row], Some(80));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        for line in &lines {
            assert!(line.width() <= 80, "{line:?}");
        }
        assert!(lines[0].contains("Last"), "{text}");
        assert!(
            lines[1].contains("Driver") && lines[1].ends_with('…'),
            "{text}"
        );
        assert!(lines[1].contains("GrabExpress instant"), "{text}");
    }

    #[test]
    fn huge_cells_are_bounded_before_layout() {
        let huge = "kata ".repeat(200_000);
        let rows = vec![Row::parcel(&parcel(&"A".repeat(1_000_000), &huge))];
        let piped = table(&rows, None);
        assert!(piped.len() < 1_000, "{}", piped.len());
        assert_eq!(piped.lines().count(), 2);
    }
}
