//! What a pull or a push changes in the store.
//!
//! **The rule for old news.** Every history entry heard is kept (deduplicated), whatever its
//! time. The current status moves only to news at least as new as what the store knows: news
//! whose provider time is later than the time of the stored status, or equal to it (where a
//! final status is not replaced by a non-final one of the same time); news with no provider
//! time moves it only when the stored status has no time either. So a late or replayed push, or
//! a pull that lags behind a push, never moves a parcel back.
//!
//! The tool's own times move when a pull answers (`last_pull_at`: every pull counts, since
//! `sync` pulls a parcel only when its news is stale), and when a push (`last_push_at`) or an
//! import brings something new (`last_news_at` always): importing the same input twice changes
//! nothing.

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::{HistoryEntry, Kind, Parcel};
use crate::push::event::Event;
use crate::status::Status;
use crate::time::Moment;

use super::{Store, StoreError, micros};

/// Provider text is bounded before it is kept.
const MAX_TEXT: usize = 1000;

/// Where news came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A push `listen` received (live, or read back from its log).
    Push,
    /// An answer of the tracking API (`track`, `watch`, `sync`).
    Pull,
    /// A payload or a saved response given to `store import`.
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Push => "push",
            Source::Pull => "pull",
            Source::Import => "import",
        }
    }

    pub fn parse(text: &str) -> Source {
        match text {
            "push" => Source::Push,
            "pull" => Source::Pull,
            _ => Source::Import,
        }
    }
}

/// What recordings changed, added up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Learned {
    /// Parcels the store did not know.
    pub new_parcels: usize,
    /// History entries it did not have.
    pub new_entries: usize,
    /// Parcels whose current status moved.
    pub status_changes: usize,
}

impl std::ops::AddAssign for Learned {
    fn add_assign(&mut self, other: Learned) {
        self.new_parcels += other.new_parcels;
        self.new_entries += other.new_entries;
        self.status_changes += other.status_changes;
    }
}

/// One parcel's news, from whatever source.
struct News<'a> {
    order_id: Option<&'a str>,
    awb: Option<&'a str>,
    kind: Option<Kind>,
    courier: Option<&'a str>,
    courier_service: Option<&'a str>,
    status: Option<Status>,
    status_at: Option<Moment>,
    text: Option<&'a str>,
    entries: Vec<Entry>,
    learned_at: Moment,
    source: Source,
    /// A pulled parcel's whole object (`track --json`'s), for the fields the store has no
    /// columns for.
    pulled: Option<String>,
}

/// A history entry as stored.
struct Entry {
    at: Option<i64>,
    status_code: Option<i64>,
    instant_code: Option<String>,
    text: Option<String>,
    driver: Option<String>,
    receiver: Option<String>,
}

impl Entry {
    fn from_history(h: &HistoryEntry) -> Entry {
        Entry {
            at: h.at.map(micros),
            status_code: h.status_code,
            instant_code: h.instant_code.clone(),
            text: h.text.as_deref().map(bound),
            driver: h.driver.as_deref().map(bound),
            receiver: h.receiver.as_deref().map(bound),
        }
    }

    /// What makes two entries the same: the time and the status, and the text when there is no
    /// status (a pushed entry and its pulled twin differ in text only). FNV-1a, 64 bits.
    fn key(&self) -> i64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        };
        feed(&self.at.unwrap_or(i64::MIN).to_le_bytes());
        feed(&self.status_code.unwrap_or(i64::MIN).to_le_bytes());
        feed(self.instant_code.as_deref().unwrap_or("\u{0}").as_bytes());
        if self.status_code.is_none() && self.instant_code.is_none() {
            feed(self.text.as_deref().unwrap_or("\u{0}").as_bytes());
        }
        hash as i64
    }
}

fn bound(text: &str) -> String {
    if text.len() <= MAX_TEXT {
        return text.to_owned();
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Whether news at `new_at` (final or not) replaces a stored status at `old_at`: the rule of
/// this module's documentation.
pub fn moves_status(
    old: Option<(Option<i64>, bool)>,
    new_at: Option<i64>,
    new_final: bool,
) -> bool {
    let Some((old_at, old_final)) = old else {
        return true;
    };
    let keeps_final = !old_final || new_final;
    match (old_at, new_at) {
        (None, None) => keeps_final,
        (Some(_), None) => false,
        (None, Some(_)) => true,
        (Some(old), Some(new)) => new > old || (new == old && keeps_final),
    }
}

/// A write transaction: every recording of one batch commits at once.
pub struct Writer<'t> {
    tx: &'t Connection,
}

impl Store {
    /// Runs `work` in one write transaction (waiting for other writers up to the busy timeout).
    pub fn write<R>(
        &mut self,
        work: impl FnOnce(&mut Writer<'_>) -> rusqlite::Result<R>,
    ) -> Result<R, StoreError> {
        self.begin()?;
        let result = work(&mut self.writer());
        match result {
            Ok(result) => {
                self.commit()?;
                Ok(result)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(self.error(e))
            }
        }
    }

    /// Starts a write transaction, for a batch of recordings through [`Store::writer`].
    pub fn begin(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.error(e))
    }

    pub fn commit(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.error(e))
    }

    /// Undoes a batch (after an error).
    pub fn rollback(&self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }

    /// Records into the transaction [`Store::begin`] started.
    pub fn writer(&self) -> Writer<'_> {
        Writer { tx: &self.conn }
    }

    /// Records one tracking answer.
    pub fn record_pull(&mut self, parcel: &Parcel, at: Moment) -> Result<Learned, StoreError> {
        self.write(|w| w.pull(parcel, at, Source::Pull))
    }
}

impl Writer<'_> {
    /// Records a tracking answer (`source` is [`Source::Pull`], or [`Source::Import`] for a
    /// saved response).
    pub fn pull(
        &mut self,
        parcel: &Parcel,
        at: Moment,
        source: Source,
    ) -> rusqlite::Result<Learned> {
        if !parcel.found {
            return Ok(Learned::default());
        }
        let order_id = parcel.order_id.as_deref();
        // Without an order ID, the ID asked is an AWB (or the only name the parcel has).
        let awb = parcel
            .awb
            .as_deref()
            .or_else(|| order_id.is_none().then_some(parcel.query.as_str()));
        let mut pulled = serde_json::to_value(parcel).unwrap_or_default();
        if let Some(object) = pulled.as_object_mut() {
            object.remove("histories");
        }
        let latest = parcel.latest();
        self.record(&News {
            order_id,
            awb,
            kind: Some(parcel.kind),
            courier: parcel.courier.code.as_deref(),
            courier_service: parcel.courier.service.as_deref(),
            status: Some(parcel.status.clone()),
            status_at: latest.and_then(|h| h.at),
            text: latest.and_then(|h| h.text.as_deref()),
            entries: parcel.histories.iter().map(Entry::from_history).collect(),
            learned_at: at,
            source,
            pulled: Some(pulled.to_string()),
        })
    }

    /// Records a push event: each of its orders. `received_at` is when `listen` received it
    /// (then the source is [`Source::Push`]); `None` for a payload given to `store import`.
    pub fn push(
        &mut self,
        event: &Event,
        received_at: Option<Moment>,
    ) -> rusqlite::Result<Learned> {
        let (learned_at, source) = match received_at {
            Some(at) => (at, Source::Push),
            None => (Moment::now(), Source::Import),
        };
        let mut learned = Learned::default();
        for order in &event.orders {
            let Some(status) = crate::push::implied::status_of(event, order) else {
                continue;
            };
            let package = event.packages.iter().flatten().find(|p| {
                (p.order_id.is_some() && p.order_id == order.order_id)
                    || (p.awb.is_some() && p.awb == order.awb)
            });
            // A push that names no time of its own (a return under way, a complete cancel)
            // happened when listen received it: the provider pushes as things happen. A payload
            // without a receipt time (imported from a file) says nothing of when.
            let status_at = order.at.or(received_at);
            // What happened, in words: the provider's reason, else what the method means.
            let meaning = crate::push::event::method_info(&event.method).map(|m| m.meaning);
            let text = order.reason.as_deref().or(meaning);
            let entry = Entry {
                at: order.at.map(micros),
                status_code: status.code,
                instant_code: status.instant_code.clone(),
                text: text.map(bound),
                driver: None,
                receiver: None,
            };
            learned += self.record(&News {
                order_id: order.order_id.as_deref(),
                awb: order.awb.as_deref(),
                kind: Some(if event.instant {
                    Kind::Instant
                } else {
                    Kind::Express
                }),
                // The courier's code and its service, as the pull names them: `service`
                // (`jne`, `gosend`) and `service_type` (`REG`, `instant`).
                courier: package.and_then(|p| p.service.as_deref()),
                courier_service: package.and_then(|p| p.service_type.as_deref()),
                status: Some(status),
                status_at,
                text,
                entries: vec![entry],
                learned_at,
                source,
                pulled: None,
            })?;
        }
        Ok(learned)
    }

    fn record(&mut self, news: &News<'_>) -> rusqlite::Result<Learned> {
        let mut learned = Learned::default();
        // The parcel's key: its order ID; else the order ID of the parcel that has this AWB;
        // else the AWB itself.
        let key: String = match (news.order_id, news.awb) {
            (Some(id), _) => id.to_owned(),
            (None, Some(awb)) => self
                .tx
                .prepare_cached("SELECT order_id FROM parcels WHERE awb = ?1 LIMIT 1")?
                .query_row([awb], |row| row.get(0))
                .optional()?
                .unwrap_or_else(|| awb.to_owned()),
            (None, None) => return Ok(learned),
        };
        let old = self
            .tx
            .prepare_cached(
                "SELECT id, status_at, final, status_code, instant_code, last_news_at, \
                 awb, courier FROM parcels WHERE order_id = ?1",
            )?
            .query_row([&key], |row| {
                Ok(Old {
                    id: row.get(0)?,
                    status_at: row.get(1)?,
                    is_final: row.get(2)?,
                    code: row.get(3)?,
                    instant_code: row.get(4)?,
                    last_news_at: row.get(5)?,
                    has_awb: row.get::<_, Option<String>>(6)?.is_some(),
                    has_courier: row.get::<_, Option<String>>(7)?.is_some(),
                })
            })
            .optional()?;
        let status_at = news.status_at.map(micros);
        let learned_at = micros(news.learned_at);
        let new_entries = match &old {
            Some(old) => self.entries(old.id, news)?,
            None => 0,
        };
        let moves = news.status.as_ref().is_some_and(|s| {
            moves_status(
                old.as_ref().map(|o| (o.status_at, o.is_final)),
                status_at,
                s.is_final,
            )
        });
        let status_changed = moves
            && news.status.as_ref().is_some_and(|s| {
                old.as_ref().is_none_or(|o| {
                    o.code != s.code || o.instant_code.as_deref() != s.instant_code.as_deref()
                })
            });
        if let Some(old) = &old {
            let new_facts = (!old.has_awb && news.awb.is_some())
                || (!old.has_courier && news.courier.is_some());
            let news_is_new =
                news.source == Source::Pull || new_entries > 0 || status_changed || new_facts;
            if !news_is_new {
                return Ok(learned);
            }
            learned.new_entries = new_entries;
            learned.status_changes = usize::from(status_changed);
            if !moves {
                // Old news: the history has it; the status, the text and the time stay.
                self.tx
                    .prepare_cached(
                        "UPDATE parcels SET awb = COALESCE(awb, ?2), courier = COALESCE(courier, ?3), \
                         courier_service = COALESCE(courier_service, ?4), kind = COALESCE(kind, ?5), \
                         last_news_at = CASE WHEN last_news_at > ?6 THEN last_news_at ELSE ?6 END, \
                         last_news_source = CASE WHEN last_news_at > ?6 THEN last_news_source ELSE ?7 END, \
                         last_push_at = CASE WHEN ?8 IS NULL THEN last_push_at \
                           WHEN last_push_at IS NULL OR last_push_at < ?8 THEN ?8 ELSE last_push_at END, \
                         last_pull_at = CASE WHEN ?9 IS NULL THEN last_pull_at \
                           WHEN last_pull_at IS NULL OR last_pull_at < ?9 THEN ?9 ELSE last_pull_at END, \
                         pulled = COALESCE(?10, pulled) \
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        old.id,
                        news.awb,
                        news.courier,
                        news.courier_service,
                        news.kind.map(kind_str),
                        learned_at.max(old.last_news_at),
                        news.source.as_str(),
                        (news.source == Source::Push).then_some(learned_at),
                        (news.source == Source::Pull).then_some(learned_at),
                        news.pulled,
                    ])?;
                return Ok(learned);
            }
        } else {
            learned.new_parcels = 1;
            learned.status_changes = usize::from(news.status.is_some());
        }
        let status = news
            .status
            .clone()
            .filter(|_| moves)
            .unwrap_or_else(|| crate::status::lookup(None));
        let keep_status = !moves && old.is_some();
        let id: i64 = self.tx.prepare_cached(UPSERT)?.query_row(
            params![
                key,
                news.awb,
                news.kind.map(kind_str),
                news.courier,
                news.courier_service,
                status.code,
                status.instant_code,
                status.category.as_str(),
                status.is_final,
                news.text.map(bound),
                status_at,
                learned_at,
                news.source.as_str(),
                (news.source == Source::Push).then_some(learned_at),
                (news.source == Source::Pull).then_some(learned_at),
                news.pulled,
                keep_status,
            ],
            |row| row.get(0),
        )?;
        if old.is_none() {
            learned.new_entries = self.entries(id, news)?;
        }
        Ok(learned)
    }

    /// Inserts the news's history entries the parcel does not have; how many were new.
    fn entries(&mut self, parcel_id: i64, news: &News<'_>) -> rusqlite::Result<usize> {
        let mut statement = self.tx.prepare_cached(
            "INSERT INTO history (parcel_id, entry_key, at, status_code, instant_code, text, \
             driver, receiver, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT (parcel_id, entry_key) DO NOTHING",
        )?;
        let mut added = 0;
        for entry in &news.entries {
            added += statement.execute(params![
                parcel_id,
                entry.key(),
                entry.at,
                entry.status_code,
                entry.instant_code,
                entry.text,
                entry.driver,
                entry.receiver,
                news.source.as_str(),
            ])?;
        }
        Ok(added)
    }

    /// Where `listen`'s follower of `log` is (a byte offset), kept in the same transaction as
    /// what it recorded: after a crash, the store and its cursor agree.
    pub fn cursor(&mut self, log: &str) -> rusqlite::Result<Option<u64>> {
        self.tx
            .prepare_cached("SELECT position FROM cursors WHERE log = ?1")?
            .query_row([log], |row| row.get::<_, i64>(0))
            .optional()
            .map(|p| p.map(|p| u64::try_from(p).unwrap_or(0)))
    }

    /// Removes final parcels whose last news is older than `before`, with their history.
    pub fn prune_final(&mut self, before: Moment) -> rusqlite::Result<u64> {
        let before = micros(before);
        self.tx.execute(
            "DELETE FROM history WHERE parcel_id IN \
             (SELECT id FROM parcels WHERE final = 1 AND last_news_at < ?1)",
            [before],
        )?;
        let removed = self.tx.execute(
            "DELETE FROM parcels WHERE final = 1 AND last_news_at < ?1",
            [before],
        )?;
        Ok(removed as u64)
    }

    /// Every cursor whose log key starts with `prefix` (one log path: a key per file it was
    /// written to), with its position.
    pub fn cursors_under(&mut self, prefix: &str) -> rusqlite::Result<Vec<(String, u64)>> {
        self.tx
            .prepare_cached(
                "SELECT log, position FROM cursors WHERE substr(log, 1, length(?1)) = ?1 \
                 ORDER BY log",
            )?
            .query_map([prefix], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?
            .collect()
    }

    /// Forgets a cursor: its file was read to its end, or is gone.
    pub fn forget_cursor(&mut self, log: &str) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached("DELETE FROM cursors WHERE log = ?1")?
            .execute([log])?;
        Ok(())
    }

    pub fn set_cursor(&mut self, log: &str, position: u64) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO cursors (log, position) VALUES (?1, ?2) \
                 ON CONFLICT (log) DO UPDATE SET position = excluded.position",
            )?
            .execute(params![log, i64::try_from(position).unwrap_or(i64::MAX)])?;
        Ok(())
    }
}

/// The stored row news is compared with.
struct Old {
    id: i64,
    status_at: Option<i64>,
    is_final: bool,
    code: Option<i64>,
    instant_code: Option<String>,
    last_news_at: i64,
    has_awb: bool,
    has_courier: bool,
}

/// Inserts a parcel, or updates it with news that moves its status (`?17` true: the status
/// columns are kept, the news being old).
const UPSERT: &str = "INSERT INTO parcels (order_id, awb, kind, courier, courier_service, \
     status_code, instant_code, category, final, text, status_at, first_seen_at, last_news_at, \
     last_news_source, last_push_at, last_pull_at, pulled) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16) \
     ON CONFLICT (order_id) DO UPDATE SET \
     awb = COALESCE(excluded.awb, parcels.awb), \
     kind = COALESCE(excluded.kind, parcels.kind), \
     courier = COALESCE(excluded.courier, parcels.courier), \
     courier_service = COALESCE(excluded.courier_service, parcels.courier_service), \
     status_code = CASE WHEN ?17 THEN parcels.status_code ELSE excluded.status_code END, \
     instant_code = CASE WHEN ?17 THEN parcels.instant_code ELSE excluded.instant_code END, \
     category = CASE WHEN ?17 THEN parcels.category ELSE excluded.category END, \
     final = CASE WHEN ?17 THEN parcels.final ELSE excluded.final END, \
     text = CASE WHEN ?17 THEN parcels.text ELSE excluded.text END, \
     status_at = CASE WHEN ?17 THEN parcels.status_at ELSE excluded.status_at END, \
     last_news_at = CASE WHEN parcels.last_news_at > excluded.last_news_at \
       THEN parcels.last_news_at ELSE excluded.last_news_at END, \
     last_news_source = CASE WHEN parcels.last_news_at > excluded.last_news_at \
       THEN parcels.last_news_source ELSE excluded.last_news_source END, \
     last_push_at = CASE WHEN excluded.last_push_at IS NULL THEN parcels.last_push_at \
       WHEN parcels.last_push_at IS NULL OR parcels.last_push_at < excluded.last_push_at \
       THEN excluded.last_push_at ELSE parcels.last_push_at END, \
     last_pull_at = CASE WHEN excluded.last_pull_at IS NULL THEN parcels.last_pull_at \
       WHEN parcels.last_pull_at IS NULL OR parcels.last_pull_at < excluded.last_pull_at \
       THEN excluded.last_pull_at ELSE parcels.last_pull_at END, \
     pulled = COALESCE(excluded.pulled, parcels.pulled) \
     RETURNING id";

fn kind_str(kind: Kind) -> &'static str {
    match kind {
        Kind::Express => "express",
        Kind::Instant => "instant",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_news_never_moves_the_status_back() {
        // Nothing known: anything moves it.
        assert!(moves_status(None, None, false));
        // Newer moves, older does not.
        assert!(moves_status(Some((Some(10), false)), Some(11), false));
        assert!(!moves_status(Some((Some(10), false)), Some(9), false));
        assert!(moves_status(Some((Some(10), true)), Some(11), false));
        // A tie: never from final to not final.
        assert!(moves_status(Some((Some(10), false)), Some(10), true));
        assert!(!moves_status(Some((Some(10), true)), Some(10), false));
        // No time: only over a status that has none either.
        assert!(!moves_status(Some((Some(10), false)), None, true));
        assert!(moves_status(Some((None, false)), None, false));
        assert!(moves_status(Some((None, false)), Some(1), false));
    }

    #[test]
    fn a_push_without_a_time_of_its_own_happened_when_it_was_received() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open(&dir.path().join("parcels.db")).unwrap();
        let push = |payload: &str, received: &str| {
            let event = crate::push::decode::decode(payload.as_bytes()).unwrap();
            (event, Moment::parse(received))
        };
        let (shipped, at) = push(
            r#"{"method":"shipped_packages","data":[{"order_id":"R1","shipped_at":"2025-01-10 10:00:00"}]}"#,
            "2025-01-10T10:00:05+07:00",
        );
        store.write(|w| w.push(&shipped, at)).unwrap();
        // The complete form without `returned_at`: the return is under way, as of its receipt.
        let (returned, at) = push(
            r#"{"method":"returned_packages","data":[{"order_id":"R1","returned_at":null}]}"#,
            "2025-01-12T09:00:00+07:00",
        );
        store.write(|w| w.push(&returned, at)).unwrap();
        let stored = store.get("R1").unwrap().unwrap();
        assert_eq!(stored.to_parcel().status.code, Some(401));
        assert_eq!(stored.status_at, at);
    }

    #[test]
    fn a_push_only_parcel_knows_its_courier_and_service() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open(&dir.path().join("parcels.db")).unwrap();
        let event = crate::push::decode::decode(
            br#"{"method":"shipped_packages","data":[{"order_id":"S1","shipped_at":"2025-01-10 10:00:00"}],
                 "packages":[{"awb":"JN-1","order_id":"S1","service":"jne","service_type":"REG","status":105}]}"#,
        )
        .unwrap();
        store
            .write(|w| w.push(&event, Moment::parse("2025-01-10T10:00:05+07:00")))
            .unwrap();
        let courier = store.get("S1").unwrap().unwrap().to_parcel().courier;
        assert_eq!(courier.code.as_deref(), Some("jne"));
        assert_eq!(courier.service.as_deref(), Some("REG"));
    }

    #[test]
    fn entry_keys_ignore_the_text_when_there_is_a_status() {
        let entry = |code: Option<i64>, text: &str| Entry {
            at: Some(5),
            status_code: code,
            instant_code: None,
            text: Some(text.to_owned()),
            driver: None,
            receiver: None,
        };
        assert_eq!(entry(Some(200), "a").key(), entry(Some(200), "b").key());
        assert_ne!(entry(None, "a").key(), entry(None, "b").key());
        assert_ne!(entry(Some(200), "a").key(), entry(Some(100), "a").key());
    }
}
