//! Parcels as the store knows them: one at a time ([`Store::get`]), filtered and streamed
//! ([`Store::each`]), counted ([`Store::summary`], [`Store::stats`]).

use std::collections::BTreeMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::model::{Costs, Courier, Driver, HistoryEntry, Images, Item, Kind, Parcel, Party};
use crate::status::{self, Category, Status};
use crate::time::Moment;

use super::{Source, Store, StoreError, micros, moment};

/// One parcel as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub order_id: String,
    pub awb: Option<String>,
    pub kind: Option<Kind>,
    pub courier: Option<String>,
    pub courier_service: Option<String>,
    pub status: Status,
    pub text: Option<String>,
    /// When the current status happened (the provider's time).
    pub status_at: Option<Moment>,
    pub info: StoreInfo,
    /// A pulled parcel's object, for the fields the store has no columns for.
    pulled: Option<String>,
    /// Newest first; filled by [`Store::get`] and [`Store::each`] with histories.
    pub histories: Vec<HistoryEntry>,
}

/// The `store` object of `parcels --json` and `track --cached --json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StoreInfo {
    pub first_seen_at: Option<Moment>,
    pub last_news_at: Option<Moment>,
    pub last_news_source: &'static str,
    pub last_push_at: Option<Moment>,
    pub last_pull_at: Option<Moment>,
}

/// Which parcels `parcels` lists. Times are the tool's clock when the filter is made.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Not final.
    pub open: bool,
    /// Any of these categories (none: any).
    pub categories: Vec<Category>,
    /// Open, and the latest status happened at or before this time.
    pub stuck_before: Option<Moment>,
    pub courier: Option<String>,
    /// First seen at or after this time.
    pub seen_since: Option<Moment>,
    pub limit: Option<u64>,
}

/// Counts by category.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub total: u64,
    pub by_category: BTreeMap<&'static str, u64>,
}

/// `store stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub path: String,
    pub schema_version: i64,
    pub parcels: u64,
    pub by_category: BTreeMap<&'static str, u64>,
    pub history_entries: u64,
    pub size_bytes: u64,
}

const COLUMNS: &str = "id, order_id, awb, kind, courier, courier_service, status_code, \
     instant_code, text, status_at, first_seen_at, last_news_at, last_news_source, last_push_at, \
     last_pull_at, pulled";

fn category_of(text: &str) -> Category {
    match text {
        "new" => Category::New,
        "transit" => Category::Transit,
        "attempt" => Category::Attempt,
        "final" => Category::Final,
        _ => Category::Unknown,
    }
}

/// The categories in the order the summary shows them.
pub const CATEGORIES: [Category; 5] = [
    Category::New,
    Category::Transit,
    Category::Attempt,
    Category::Final,
    Category::Unknown,
];

fn stored_from_row(row: &Row<'_>) -> rusqlite::Result<Stored> {
    let code: Option<i64> = row.get(6)?;
    let instant_code: Option<String> = row.get(7)?;
    // Read through today's table: a code the table learned since is shown as it is now.
    let status = match &instant_code {
        Some(code) => status::lookup_instant_as_status(code),
        None => status::lookup(code),
    };
    let time = |i: usize| -> rusqlite::Result<Option<Moment>> {
        Ok(row.get::<_, Option<i64>>(i)?.and_then(moment))
    };
    let source: String = row.get(12)?;
    Ok(Stored {
        id: row.get(0)?,
        order_id: row.get(1)?,
        awb: row.get(2)?,
        kind: row.get::<_, Option<String>>(3)?.map(|k| {
            if k == "instant" {
                Kind::Instant
            } else {
                Kind::Express
            }
        }),
        courier: row.get(4)?,
        courier_service: row.get(5)?,
        status,
        text: row.get(8)?,
        status_at: time(9)?,
        info: StoreInfo {
            first_seen_at: time(10)?,
            last_news_at: time(11)?,
            last_news_source: Source::parse(&source).as_str(),
            last_push_at: time(13)?,
            last_pull_at: time(14)?,
        },
        pulled: row.get(15)?,
        histories: Vec::new(),
    })
}

/// The WHERE clause and parameters of a filter.
fn where_clause(filter: &Filter) -> (String, Vec<SqlValue>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    if filter.open || filter.stuck_before.is_some() {
        conditions.push("final = 0".to_owned());
    }
    if let Some(before) = filter.stuck_before {
        values.push(SqlValue::Integer(micros(before)));
        conditions.push(format!("status_at <= ?{}", values.len()));
    }
    if !filter.categories.is_empty() {
        let mut marks = Vec::new();
        for category in &filter.categories {
            values.push(SqlValue::Text(category.as_str().to_owned()));
            marks.push(format!("?{}", values.len()));
        }
        conditions.push(format!("category IN ({})", marks.join(", ")));
    }
    if let Some(courier) = &filter.courier {
        values.push(SqlValue::Text(courier.to_ascii_lowercase()));
        conditions.push(format!("LOWER(courier) = ?{}", values.len()));
    }
    if let Some(since) = filter.seen_since {
        values.push(SqlValue::Integer(micros(since)));
        conditions.push(format!("first_seen_at >= ?{}", values.len()));
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (clause, values)
}

impl Store {
    /// The parcel whose order ID, or else AWB, is `id`, with its history.
    pub fn get(&self, id: &str) -> Result<Option<Stored>, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM parcels WHERE order_id = ?1 \
                 UNION ALL SELECT {COLUMNS} FROM parcels WHERE awb = ?1 AND order_id <> ?1 \
                 LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([id], stored_from_row).optional())
            .map_err(|e| self.error(e))?;
        match found {
            Some(mut stored) => {
                stored.histories = self.histories(stored.id).map_err(|e| self.error(e))?;
                Ok(Some(stored))
            }
            None => Ok(None),
        }
    }

    fn histories(&self, parcel_id: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT at, status_code, instant_code, text, driver, receiver FROM history \
             WHERE parcel_id = ?1",
        )?;
        let mut entries = statement
            .query_map([parcel_id], |row| {
                let code: Option<i64> = row.get(1)?;
                let instant_code: Option<String> = row.get(2)?;
                let status = match &instant_code {
                    Some(c) => status::lookup_instant_as_status(c),
                    None => status::lookup(code),
                };
                Ok(HistoryEntry {
                    at: row.get::<_, Option<i64>>(0)?.and_then(moment),
                    status_code: code,
                    label: status.label,
                    category: status.category,
                    text: row.get(3)?,
                    driver: row.get(4)?,
                    receiver: row.get(5)?,
                    instant_code,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        crate::model::sort_newest_first(&mut entries);
        Ok(entries)
    }

    /// Calls `each` with every parcel the filter matches, oldest status first, streaming (one
    /// parcel in memory at a time). With `histories`, each comes with its history.
    pub fn each(
        &self,
        filter: &Filter,
        histories: bool,
        mut each: impl FnMut(Stored) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>, StoreError> {
        let (clause, mut values) = where_clause(filter);
        let limit = match filter.limit {
            Some(n) => {
                values.push(SqlValue::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
                format!(" LIMIT ?{}", values.len())
            }
            None => String::new(),
        };
        // Stuck parcels: the longest stuck first; otherwise the most recent news first.
        let order = if filter.stuck_before.is_some() {
            " ORDER BY status_at ASC, id ASC"
        } else {
            " ORDER BY last_news_at DESC, id DESC"
        };
        let sql = format!("SELECT {COLUMNS} FROM parcels{clause}{order}{limit}");
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let mut rows = statement
            .query(params_from_iter(values))
            .map_err(|e| self.error(e))?;
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => return Ok(Ok(())),
                Err(e) => return Err(self.error(e)),
            };
            let mut stored = stored_from_row(row).map_err(|e| self.error(e))?;
            if histories {
                stored.histories = self.histories(stored.id).map_err(|e| self.error(e))?;
            }
            if let Err(e) = each(stored) {
                return Ok(Err(e));
            }
        }
    }

    /// How many parcels the filter matches, by category (the limit left aside).
    pub fn summary(&self, filter: &Filter) -> Result<Summary, StoreError> {
        let (clause, values) = where_clause(filter);
        let sql = format!("SELECT category, COUNT(*) FROM parcels{clause} GROUP BY category");
        let mut summary = Summary::default();
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let counts = statement
            .query_map(params_from_iter(values), |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.error(e))?;
        for (category, count) in counts {
            let count = u64::try_from(count).unwrap_or(0);
            summary.total += count;
            *summary
                .by_category
                .entry(category_of(&category).as_str())
                .or_default() += count;
        }
        Ok(summary)
    }

    /// Open parcels whose last news (push or pull) is older than `before`, the stalest first,
    /// at most `max`: what `sync` pulls.
    pub fn stale_open(&self, before: Moment, max: Option<u64>) -> Result<Vec<String>, StoreError> {
        let limit = max.map_or(i64::MAX, |m| i64::try_from(m).unwrap_or(i64::MAX));
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT order_id FROM parcels WHERE final = 0 AND last_news_at < ?1 \
                 ORDER BY last_news_at ASC, id ASC LIMIT ?2",
            )
            .map_err(|e| self.error(e))?;
        statement
            .query_map(params![micros(before), limit], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))
    }

    /// When the store last learned anything about `order_id`, and from where.
    pub fn last_news(&self, order_id: &str) -> Result<Option<(Moment, Source)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT last_news_at, last_news_source FROM parcels \
                 WHERE order_id = ?1 OR awb = ?1 LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([order_id], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
                })
                .optional()
            })
            .map(|found| {
                found.and_then(|(at, source)| moment(at).map(|m| (m, Source::parse(&source))))
            })
            .map_err(|e| self.error(e))
    }

    /// A number that changes whenever another connection commits a write: a cheap "anything
    /// new?" for a reader that polls.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(|e| self.error(e))
    }

    /// When `listen` last fed a push about the parcel whose order ID or AWB is `id`.
    pub fn last_push_at(&self, id: &str) -> Result<Option<Moment>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT last_push_at FROM parcels WHERE order_id = ?1 \
                 UNION ALL SELECT last_push_at FROM parcels WHERE awb = ?1 AND order_id <> ?1 \
                 LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([id], |row| row.get::<_, Option<i64>>(0))
                    .optional()
            })
            .map(|found| found.flatten().and_then(moment))
            .map_err(|e| self.error(e))
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        let summary = self.summary(&Filter::default())?;
        let count = |sql: &str| -> Result<i64, StoreError> {
            self.conn
                .query_row(sql, [], |row| row.get(0))
                .map_err(|e| self.error(e))
        };
        let history_entries = count("SELECT COUNT(*) FROM history")?;
        let schema_version = count("PRAGMA user_version")?;
        let pages = count("PRAGMA page_count")?;
        let page_size = count("PRAGMA page_size")?;
        let mut size_bytes = u64::try_from(pages.saturating_mul(page_size)).unwrap_or(0);
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        size_bytes = size_bytes.max(std::fs::metadata(&self.path).map_or(0, |m| m.len()))
            + std::fs::metadata(&wal).map_or(0, |m| m.len());
        Ok(Stats {
            path: self.path.display().to_string(),
            schema_version,
            parcels: summary.total,
            by_category: summary.by_category,
            history_entries: u64::try_from(history_entries).unwrap_or(0),
            size_bytes,
        })
    }

    /// Removes final parcels whose last news is older than `before`; how many.
    pub fn prune_final(&mut self, before: Moment) -> Result<u64, StoreError> {
        self.write(|w| w.prune_final(before))
    }
}

/// The detail fields of a pulled parcel (everything the store has no column for), read back
/// from the object `track --json` printed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Details {
    shipped_at: Option<String>,
    delivered_at: Option<String>,
    refunded: bool,
    refunded_at: Option<String>,
    estimation: Option<String>,
    signature_code: Option<String>,
    sorting_code: Option<String>,
    drop: Option<bool>,
    costs: Costs,
    origin: Option<Party>,
    destination: Option<Party>,
    images: Images,
    tracking_code: Option<String>,
    live_tracking_url: Option<String>,
    driver: Option<DriverDetails>,
    item: Option<ItemDetails>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DriverDetails {
    name: Option<String>,
    phone: Option<String>,
    photo: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemDetails {
    price: Option<Number>,
    description: Option<String>,
}

impl Stored {
    /// The parcel as `track --json` shows one: what the store knows, and null where it knows
    /// nothing (a parcel heard of only by push has no costs or addresses).
    pub fn to_parcel(&self) -> Parcel {
        let details: Details = self
            .pulled
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        let time = |t: &Option<String>| t.as_deref().and_then(Moment::parse);
        Parcel {
            query: self.order_id.clone(),
            found: true,
            order_id: Some(self.order_id.clone()),
            awb: self.awb.clone(),
            courier: Courier {
                code: self.courier.clone(),
                service: self.courier_service.clone(),
            },
            status: self.status.clone(),
            delivered: self.status.is_delivered(),
            text: self.text.clone(),
            shipped_at: time(&details.shipped_at),
            delivered_at: time(&details.delivered_at),
            refunded: details.refunded,
            refunded_at: time(&details.refunded_at),
            estimation: details.estimation,
            signature_code: details.signature_code,
            sorting_code: details.sorting_code,
            drop: details.drop,
            costs: details.costs,
            origin: details.origin,
            destination: details.destination,
            images: details.images,
            histories: self.histories.clone(),
            kind: self.kind.unwrap_or(Kind::Express),
            tracking_code: details.tracking_code,
            live_tracking_url: details.live_tracking_url,
            driver: details.driver.map(|d| Driver {
                name: d.name,
                phone: d.phone,
                photo: d.photo,
            }),
            item: details.item.map(|i| Item {
                price: i.price,
                description: i.description,
            }),
        }
    }
}

/// One line of `parcels --json`: `track --json`'s object, plus `store`.
#[derive(Serialize)]
pub struct ParcelLine<'a> {
    #[serde(flatten)]
    pub parcel: &'a Parcel,
    pub store: &'a StoreInfo,
}
