//! `kiriminaja parcels`: what the store knows, as a summary and a table, or JSON.

use std::io::Write;
use std::time::Duration;

use crate::cli::{GlobalArgs, ParcelsArgs};
use crate::exit::Exit;
use crate::output::Output;
use crate::render::table::{self, Row};
use crate::render::{Painter, json};
use crate::store::read::{CATEGORIES, ParcelLine, Summary};
use crate::store::{Filter, StoreError};
use crate::time::Moment;

/// Rows of the table when `--limit` does not say.
const TABLE_ROWS: u64 = 200;

pub fn run(global: &GlobalArgs, args: &ParcelsArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let settings = crate::cmd::settings(global, None)?;
    let store = crate::cmd::store::open_required(global, Some(&settings))?;
    let filter = Filter {
        open: args.open,
        categories: args.category.clone(),
        stuck_before: args.stuck.map(crate::cmd::store::ago),
        courier: args.courier.clone(),
        seen_since: args.since.map(crate::cmd::store::ago),
        limit: args.limit,
    };
    let mut matched = 0u64;
    if args.json.enabled() {
        let written = store
            .each(&filter, true, |stored| {
                matched += 1;
                let parcel = stored.to_parcel();
                json::write_line(
                    out,
                    &ParcelLine {
                        parcel: &parcel,
                        store: &stored.info,
                    },
                )
            })
            .map_err(StoreError::into_error)?;
        written?;
    } else {
        let summary = store.summary(&filter).map_err(StoreError::into_error)?;
        matched = summary.total;
        writeln!(out, "{}", summary_line(&summary))?;
        if summary.total > 0 {
            let now = Moment::now();
            let mut rows = Vec::new();
            // A table is read by people: without --limit it stops at TABLE_ROWS (the summary
            // counts everything; --json streams everything).
            let mut shown = filter.clone();
            shown.limit = Some(args.limit.unwrap_or(TABLE_ROWS));
            store
                .each(&shown, true, |stored| {
                    let age = stored
                        .status_at
                        .map_or_else(|| "-".to_owned(), |at| ago(now, at));
                    rows.push(Row::parcel(&stored.to_parcel()).with_updated(&age));
                    Ok(())
                })
                .map_err(StoreError::into_error)??;
            let width = crate::render::terminal_width(out.is_terminal, &crate::config::env_var);
            writeln!(out)?;
            let paint = Painter { color: out.color };
            table::render(out, &rows, paint, width)?;
            if args.limit.is_none() && summary.total > TABLE_ROWS {
                crate::output::note(&format!(
                    "showing {TABLE_ROWS} of {} parcels: --limit N for more, --json for all",
                    summary.total
                ));
            }
        }
    }
    if args.fail_if_empty && matched == 0 {
        return Ok(Exit::NotFound);
    }
    Ok(Exit::Success)
}

/// `12 parcels: 2 new · 5 transit · 1 attempt · 4 final`.
pub fn summary_line(summary: &Summary) -> String {
    if summary.total == 0 {
        return "no parcels match".to_owned();
    }
    let noun = if summary.total == 1 {
        "parcel"
    } else {
        "parcels"
    };
    let by: Vec<String> = CATEGORIES
        .iter()
        .filter_map(|c| {
            let n = summary.by_category.get(c.as_str()).copied().unwrap_or(0);
            (n > 0 || *c != crate::status::Category::Unknown).then(|| format!("{n} {}", c.as_str()))
        })
        .collect();
    format!("{} {noun}: {}", summary.total, by.join(" · "))
}

/// How long ago `at` was, for people: `45m ago`, `3h ago`, `2d 4h ago`.
pub fn ago(now: Moment, at: Moment) -> String {
    let seconds = now
        .timestamp()
        .duration_since(at.timestamp())
        .as_secs()
        .max(0);
    age(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

fn age(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, minutes) = (s / 86400, s % 86400 / 3600, s % 3600 / 60);
    if days > 0 && hours > 0 && days < 10 {
        format!("{days}d {hours}h ago")
    } else if days > 0 {
        format!("{days}d ago")
    } else if hours > 0 {
        format!("{hours}h {minutes}m ago")
    } else if minutes > 0 {
        format!("{minutes}m ago")
    } else {
        "just now".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_well() {
        assert_eq!(age(Duration::from_secs(20)), "just now");
        assert_eq!(age(Duration::from_secs(45 * 60)), "45m ago");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 60)), "3h 1m ago");
        assert_eq!(age(Duration::from_secs(2 * 86400 + 4 * 3600)), "2d 4h ago");
        assert_eq!(age(Duration::from_secs(40 * 86400)), "40d ago");
    }
}
