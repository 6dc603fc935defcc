//! `kiriminaja track --cached`: answers from the parcel store only, with no request, and how old
//! its news is.

use serde::Serialize;

use crate::api::ErrorJson;
use crate::cli::{GlobalArgs, TrackArgs};
use crate::config::Settings;
use crate::exit::Exit;
use crate::output::{self, Output};
use crate::render::table::{self, Row};
use crate::render::{Painter, json, timeline};
use crate::store::StoreError;
use crate::store::read::ParcelLine;
use crate::time::Moment;

/// The line for an ID the store does not know (`found: false`, like an ID the API does not).
#[derive(Serialize)]
struct Unknown<'a> {
    query: &'a str,
    found: bool,
    error: ErrorJson,
}

pub fn run(
    global: &GlobalArgs,
    settings: &Settings,
    given: &[String],
    args: &TrackArgs,
    out: &mut Output,
) -> anyhow::Result<Exit> {
    let store = crate::cmd::store::open_required(global, Some(settings))?;
    let paint = Painter { color: out.color };
    let now = Moment::now();
    let mut exit = Exit::Success;
    let mut rows = Vec::new();
    for id in given {
        let Some(stored) = store.get(id).map_err(StoreError::into_error)? else {
            exit = exit.worst(Exit::NotFound);
            let message = format!("{id}: not in the parcel store");
            if args.json.enabled() {
                json::write_line(
                    out,
                    &Unknown {
                        query: id,
                        found: false,
                        error: ErrorJson {
                            kind: "not_in_store",
                            message: message.clone(),
                        },
                    },
                )?;
            }
            output::error(&message, None);
            continue;
        };
        let mut parcel = stored.to_parcel();
        parcel.query = id.clone();
        let age = stored.info.last_news_at.map_or_else(
            || "of unknown age".to_owned(),
            |at| crate::cmd::parcels::ago(now, at),
        );
        let news = format!(
            "from the parcel store: last news {age} (by {})",
            stored.info.last_news_source
        );
        if args.json.enabled() {
            json::write_line(
                out,
                &ParcelLine {
                    parcel: &parcel,
                    store: &stored.info,
                },
            )?;
        } else if given.len() == 1 {
            let width = crate::render::terminal_width(out.is_terminal, &crate::config::env_var);
            timeline::parcel(out, &parcel, paint, width)?;
            output::note(&news);
        } else {
            rows.push(Row::parcel(&parcel));
        }
    }
    if !rows.is_empty() {
        let width = crate::render::terminal_width(out.is_terminal, &crate::config::env_var);
        table::render(out, &rows, paint, width)?;
        output::note("from the parcel store: no request was made");
    }
    Ok(exit)
}
