//! Many parcels for people: one table row per ID, in input order.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use super::{Painter, clean, courier};
use crate::api::ApiError;
use crate::model::Parcel;

pub fn render(
    out: &mut dyn Write,
    results: &[Result<Parcel, ApiError>],
    paint: Painter,
    terminal: bool,
) -> io::Result<()> {
    let mut table = Table::new();
    if terminal {
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        // Plain aligned columns for pipes and files: no box drawing to strip.
        table
            .load_style(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
    }
    table.set_header([
        "ID",
        "AWB",
        "Courier",
        "Category",
        "Status",
        "Last update",
        "Last event",
    ]);
    let dash = || "-".to_owned();
    for result in results {
        match result {
            Ok(p) => {
                let latest = p.latest();
                table.add_row([
                    clean(&p.query),
                    p.awb.as_deref().map_or_else(dash, clean),
                    courier(&p.courier).unwrap_or_else(dash),
                    paint.category_word(p.status.category, p.status.color_code()),
                    p.status.label.clone(),
                    latest.and_then(|h| h.at).map_or_else(dash, |t| t.human()),
                    latest
                        .and_then(|h| h.text.as_deref())
                        .map_or_else(dash, clean),
                ]);
            }
            Err(err) => {
                table.add_row([
                    clean(&err.query),
                    dash(),
                    dash(),
                    paint.error("error"),
                    err.kind.code().to_owned(),
                    dash(),
                    clean(&err.kind.to_string()),
                ]);
            }
        }
    }
    writeln!(out, "{}", table.trim_fmt())
}
