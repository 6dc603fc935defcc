//! What the fake server answers: the built-in scenarios and the generated parcels.
//!
//! Everything is derived from the order id (a hash) and from how many answers that id has had,
//! so the same id always gets the same parcel and runs are repeatable.

use jiff::civil::{DateTime, date};
use jiff::{Span, ToSpan};

use crate::json::{J, obj};

/// The provider's documented example (`tracking-pull.txt`), served byte for byte.
pub const DOCUMENTED: &str = include_str!("../responses/delivered.json");
pub const DOCUMENTED_ID: &str = "OID-8793949106";

/// FNV-1a over the parts, then a splitmix64 finalizer: stable across runs and platforms.
pub fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The `n`th independent number drawn from `h`.
fn draw(h: u64, n: u64) -> u64 {
    hash(&[&h.to_le_bytes(), &n.to_le_bytes()])
}

fn pick<T>(items: &[T], h: u64, n: u64) -> &T {
    &items[(draw(h, n) % items.len() as u64) as usize]
}

struct Courier {
    code: &'static str,
    service: &'static str,
    name: &'static str,
    estimation: &'static str,
}

#[rustfmt::skip]
const COURIERS: &[Courier] = &[
    Courier { code: "jne", service: "REG", name: "jne", estimation: "2-3" },
    Courier { code: "jnt", service: "EZ", name: "J&T", estimation: "2-4" },
    Courier { code: "sicepat", service: "REG", name: "SiCepat", estimation: "1-2" },
    Courier { code: "anteraja", service: "REG", name: "AnterAja", estimation: "2-3" },
    Courier { code: "idexpress", service: "STD", name: "ID Express", estimation: "3-5" },
    Courier { code: "sap", service: "REG", name: "SAP", estimation: "2-4" },
    Courier { code: "ninja", service: "STANDARD", name: "Ninja Xpress", estimation: "3-4" },
    Courier { code: "lion", service: "REGPACK", name: "Lion Parcel", estimation: "3-5" },
];

struct City {
    name: &'static str,
    zip: &'static str,
    hub: &'static str,
    code: &'static str,
}

#[rustfmt::skip]
const CITIES: &[City] = &[
    City { name: "Kabupaten Sleman", zip: "55283", hub: "YOGYAKARTA", code: "JOG" },
    City { name: "Kabupaten Bantul", zip: "55715", hub: "BANTUL", code: "JOG" },
    City { name: "Kota Surabaya", zip: "60111", hub: "SURABAYA", code: "SUB" },
    City { name: "Kota Bandung", zip: "40111", hub: "BANDUNG", code: "BDO" },
    City { name: "Kota Jakarta Selatan", zip: "12110", hub: "JAKARTA", code: "JKT" },
    City { name: "Kota Medan", zip: "20111", hub: "MEDAN", code: "KNO" },
    City { name: "Kota Semarang", zip: "50111", hub: "SEMARANG", code: "SRG" },
    City { name: "Kota Malang", zip: "65111", hub: "MALANG", code: "MLG" },
    City { name: "Kota Makassar", zip: "90111", hub: "MAKASSAR", code: "UPG" },
    City { name: "Kota Denpasar", zip: "80111", hub: "DENPASAR", code: "DPS" },
];

const SENDERS: &[&str] = &[
    "KiriminAja",
    "Toko Sinar Jaya",
    "Batik Larasati",
    "Warung Bu Sri",
    "Kopi Tepi Sawah",
    "Rumah Rajut Ayu",
];

const RECEIVERS: &[&str] = &[
    "Zainal Arifin",
    "Budi Santoso",
    "Siti Rahmawati",
    "Agus Pratama",
    "Dewi Lestari",
    "Rina Wulandari",
    "Andi Saputra",
    "Putri Maharani",
];

const DRIVERS: &[&str] = &["Agus", "Joko", "Wahyu", "Dedi", "Slamet", "Eko"];

/// How a parcel's story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Still moving: no final entry.
    Transit,
    Delivered,
    Returned,
    Canceled,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub at: DateTime,
    pub code: i64,
    pub text: String,
    pub driver: String,
    pub receiver: String,
}

/// A parcel's whole story, oldest step first; an answer shows a prefix of it.
pub struct Plan {
    order_id: String,
    h: u64,
    pub steps: Vec<Step>,
}

impl Plan {
    /// The story of `order_id`: `len` steps (at least one) that end as `ending` says.
    pub fn new(order_id: &str, len: usize, ending: Ending) -> Plan {
        let h = hash(&[order_id.as_bytes()]);
        let courier = pick(COURIERS, h, 1);
        let origin = pick(CITIES, h, 2);
        let destination = destination(h);
        let receiver = pick(RECEIVERS, h, 4);
        let receiver_tag = receiver
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_uppercase();
        let driver = *pick(DRIVERS, h, 5);

        let step = |code: i64, text: String| (code, text, String::new(), String::new());
        let mut tail = match ending {
            Ending::Transit => vec![],
            Ending::Delivered => vec![
                (
                    100,
                    format!("With delivery courier {}", destination.hub),
                    driver.to_owned(),
                    String::new(),
                ),
                // The time is filled in below, once it is known.
                (200, String::new(), String::new(), receiver_tag.clone()),
            ],
            Ending::Returned => vec![
                step(
                    500,
                    format!(
                        "Delivery failed, recipient not at home | {}",
                        destination.hub
                    ),
                ),
                step(
                    401,
                    format!("Return to sender in process {}", destination.hub),
                ),
                step(402, format!("Returned to sender at {}", origin.hub)),
            ],
            Ending::Canceled => vec![step(
                300,
                "Canceled by the system: not picked up within 3 days".to_owned(),
            )],
        };
        let len = len.max(1);
        let middle = len.saturating_sub(1 + tail.len());
        let mut all = vec![step(101, "Paket dibuat oleh KiriminAja".to_owned())];
        // Pick-up and sorting at the origin, transit hubs, then the destination's station.
        let hubs = middle.saturating_sub(4);
        for i in 0..middle {
            let stage = match i {
                0 | 1 => i,
                _ if i < 2 + hubs => 4,
                _ => i - hubs,
            };
            let text = match stage {
                0 => format!(
                    "Shipment received by {} counter officer at {}",
                    courier.name, origin.hub
                ),
                1 => format!("Received at sorting center {}", origin.hub),
                2 => format!("Shipment forwarded to destination {}", destination.hub),
                3 => format!("Received at inbound station {}", destination.hub),
                _ => {
                    let hub = pick(CITIES, h, 100 + (i as u64 - 2) / 2).hub;
                    if i % 2 == 0 {
                        format!("Arrived at transit hub {hub}")
                    } else {
                        format!("Departed from transit hub {hub}")
                    }
                }
            };
            all.push(step(100, text));
        }
        all.append(&mut tail);
        let skip = all.len().saturating_sub(len);

        // 2024, a day and an hour from the hash, then one to eight hours between steps.
        let mut at = date(2024, 1, 1).at(7, 0, 0, 0);
        at = add(at, ((draw(h, 6) % 330) as i64).days());
        at = add(at, ((draw(h, 7) % 600) as i64).minutes());
        let steps = all
            .into_iter()
            .skip(skip)
            .enumerate()
            .map(|(i, (code, mut text, driver, receiver))| {
                if i > 0 {
                    at = add(at, ((60 + draw(h, 200 + i as u64) % 420) as i64).minutes());
                }
                if code == 200 {
                    text = format!(
                        "Delivered to {receiver} | {} | {} ",
                        at.strftime("%d-%m-%Y %H:%M"),
                        destination.hub
                    );
                }
                Step {
                    at,
                    code,
                    text,
                    driver,
                    receiver,
                }
            })
            .collect();
        Plan {
            order_id: order_id.to_owned(),
            h,
            steps,
        }
    }

    /// The tracking answer once the first `visible` steps have happened.
    pub fn answer(&self, visible: usize) -> J {
        let visible = visible.clamp(1, self.steps.len());
        let shown = &self.steps[..visible];
        let latest = &shown[visible - 1];
        let h = self.h;
        let courier = pick(COURIERS, h, 1);
        let origin = pick(CITIES, h, 2);
        let destination = destination(h);
        let picked_up = shown
            .iter()
            .find(|s| s.text.starts_with("Shipment received"));
        let digits = format!("{:012}", draw(h, 8) % 1_000_000_000_000);
        // The provider: "will be null if not processed yet".
        let awb = picked_up.map(|_| format!("{}{digits}", courier.code[..2].to_uppercase()));
        let delivered = latest.code == 200;
        let refunded = latest.code == 402;
        let final_at = time(&latest.at);
        let image = |on: bool| on.then(|| format!("||{digits}.jpeg"));
        let cod = if draw(h, 9).is_multiple_of(4) {
            50_000 + (draw(h, 10) % 40) as i64 * 5_000
        } else {
            0
        };
        let histories: Vec<J> = shown
            .iter()
            .rev()
            .map(|s| {
                let mut entry = obj! {
                    "created_at" => time(&s.at),
                    "status" => s.text.as_str(),
                    "status_code" => s.code,
                    "driver" => s.driver.as_str(),
                    "receiver" => s.receiver.as_str(),
                };
                // As in the documented example: the oldest entry lists its keys differently.
                if s.code == 101
                    && let J::Obj(pairs) = &mut entry
                {
                    pairs.rotate_left(1);
                    pairs.swap(1, 2);
                }
                entry
            })
            .collect();
        obj! {
            "status" => true,
            "text" => latest.text.as_str(),
            "method" => "shTracking",
            "status_code" => latest.code,
            "details" => obj! {
                "awb" => awb,
                "signature_code" => picked_up.map(|_| code8(draw(h, 11))),
                "sorting_code" => format!("{}-{}{}-{}{}", origin.code, origin.code,
                    1000 + draw(h, 12) % 9000, destination.code, 1000 + draw(h, 13) % 9000),
                "order_id" => self.order_id.as_str(),
                "status_code" => J::Null,
                "estimation" => courier.estimation,
                "service" => courier.code,
                "service_name" => courier.service,
                "drop" => draw(h, 14).is_multiple_of(3),
                "shipped_at" => picked_up.map(|s| time(&s.at)),
                "delivered" => delivered,
                "delivered_at" => delivered.then(|| final_at.clone()),
                "refunded" => refunded,
                "refunded_at" => if refunded { final_at.clone() } else { String::new() },
                "images" => obj! {
                    "camera_img" => image(delivered),
                    "signature_img" => image(delivered),
                    "pop_img" => J::Null,
                },
                "costs" => obj! {
                    "add_cost" => 0,
                    "currency" => "IDR",
                    "cod" => cod,
                    "insurance_amount" => 0,
                    "insurance_percent" => 0,
                    "discount_amount" => 0,
                    "subsidi_amount" => 0,
                    "shipping_cost" => 8_000 + (draw(h, 15) % 30) as i64 * 1_000,
                    "correction" => 0,
                },
                "origin" => party(pick::<&str>(SENDERS, h, 16), origin, draw(h, 17)),
                "destination" => party(pick::<&str>(RECEIVERS, h, 4), destination, draw(h, 18)),
            },
            "histories" => histories,
        }
    }
}

fn destination(h: u64) -> &'static City {
    let origin = (draw(h, 2) % CITIES.len() as u64) as usize;
    let offset = 1 + (draw(h, 3) % (CITIES.len() as u64 - 1)) as usize;
    &CITIES[(origin + offset) % CITIES.len()]
}

fn party(name: &str, city: &City, n: u64) -> J {
    obj! {
        "name" => name,
        "address" => format!("Jl. {} No.{}", pick(&["Kaliurang", "Malioboro", "Sudirman", "Diponegoro", "Gajah Mada"], n, 0), 1 + n % 120),
        "phone" => format!("628{:09}", n % 1_000_000_000),
        "city" => city.name,
        "zip_code" => city.zip,
    }
}

fn add(at: DateTime, span: Span) -> DateTime {
    at.checked_add(span).unwrap_or(at)
}

/// `YYYY-MM-DD HH:MM:SS`, local WIB time as the provider writes it.
pub fn time(at: &DateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// ISO 8601 UTC with microseconds, as the instant API writes it (WIB is UTC+07:00).
fn iso_utc(at: &DateTime) -> String {
    add(*at, (-7).hours())
        .strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        .to_string()
}

fn code8(n: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    (0..8)
        .map(|i| ALPHABET[(draw(n, i) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// `{"status": false, "text": ...}`: the provider's answer for an id it does not know.
pub fn not_found() -> J {
    obj! { "status" => false, "text" => "Data not found" }
}

/// A parcel whose codes are not in the status table.
pub fn unknown_codes(order_id: &str) -> J {
    let mut plan = Plan::new(order_id, 5, Ending::Transit);
    plan.steps[3].code = 650;
    plan.steps[3].text = "Dialihkan ke hub baru (kode baru)".to_owned();
    plan.steps[4].code = 777;
    plan.steps[4].text = "Held for customs inspection".to_owned();
    plan.answer(5)
}

/// The drifts listed in `shared/api/README.md`, each one on its own id and all of them on
/// `OID-DRIFT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// Numbers (and booleans) as strings: `"10000"`, `"true"`.
    Strings,
    /// Strings of digits as numbers: `zip_code` 55283, `phone`, `awb`, `estimation`.
    Numbers,
    /// `null`, `""` and a missing key for optional fields.
    Empty,
    /// `details.status_code` null, history `status_code` null or missing.
    NullCodes,
    /// No `sorting_code`.
    NoSortingCode,
    /// Unknown keys anywhere.
    Extra,
    /// Keys in another order in every object, and differently per history entry.
    KeyOrder,
}

pub const DRIFTS: &[(&str, Drift)] = &[
    ("OID-DRIFT-STRINGS", Drift::Strings),
    ("OID-DRIFT-NUMBERS", Drift::Numbers),
    ("OID-DRIFT-EMPTY", Drift::Empty),
    ("OID-DRIFT-NULLCODE", Drift::NullCodes),
    ("OID-DRIFT-NOSORT", Drift::NoSortingCode),
    ("OID-DRIFT-EXTRA", Drift::Extra),
    ("OID-DRIFT-ORDER", Drift::KeyOrder),
];

/// The in-transit parcel of `order_id`, with `drifts` applied in order.
pub fn drifted(order_id: &str, drifts: &[Drift]) -> J {
    let mut answer = Plan::new(order_id, 5, Ending::Transit).answer(5);
    for drift in drifts {
        apply(&mut answer, *drift);
    }
    answer
}

const OPTIONAL: &[&str] = &[
    "signature_code",
    "estimation",
    "shipped_at",
    "delivered_at",
    "refunded_at",
    "camera_img",
    "signature_img",
    "pop_img",
    "insurance_amount",
    "discount_amount",
    "address",
    "phone",
    "driver",
    "receiver",
];

fn apply(answer: &mut J, drift: Drift) {
    match drift {
        Drift::Strings => answer.walk(&mut |_, v| match v {
            J::Num(n) => *v = J::Str(std::mem::take(n)),
            J::Bool(b) => *v = J::Str(if *b { "true" } else { "0" }.to_owned()),
            _ => {}
        }),
        Drift::Numbers => answer.walk(&mut |key, v| {
            let numeric = matches!(key, "zip_code" | "phone" | "awb" | "estimation");
            if let J::Str(s) = v
                && numeric
            {
                // `jne` AWBs are all digits; `estimation` "2-3" becomes 2.
                let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
                let digits = if key == "awb" {
                    s.chars().filter(char::is_ascii_digit).collect()
                } else {
                    digits
                };
                if !digits.is_empty() && digits.len() < 16 {
                    *v = J::Num(digits.trim_start_matches('0').to_owned());
                    if let J::Num(n) = v
                        && n.is_empty()
                    {
                        n.push('0');
                    }
                }
            }
        }),
        Drift::Empty => {
            let mut n = 0usize;
            answer.walk(&mut |_, v| {
                if let J::Obj(pairs) = v {
                    let mut kept = Vec::with_capacity(pairs.len());
                    for (key, value) in pairs.drain(..) {
                        if OPTIONAL.contains(&key.as_str()) {
                            n += 1;
                            match n % 3 {
                                0 => kept.push((key, J::Null)),
                                1 => kept.push((key, J::Str(String::new()))),
                                _ => {} // missing
                            }
                        } else {
                            kept.push((key, value));
                        }
                    }
                    *pairs = kept;
                }
            });
        }
        Drift::NullCodes => {
            if let Some(details) = answer.get_mut("details") {
                details.set("status_code", J::Null);
            }
            if let Some(J::Arr(histories)) = answer.get_mut("histories") {
                for (i, entry) in histories.iter_mut().enumerate().skip(1) {
                    if i % 2 == 1 {
                        entry.set("status_code", J::Null);
                    } else {
                        entry.remove("status_code");
                    }
                }
            }
        }
        Drift::NoSortingCode => {
            if let Some(details) = answer.get_mut("details") {
                details.remove("sorting_code");
            }
        }
        Drift::Extra => {
            let mut n = 0u64;
            answer.walk(&mut |_, v| {
                if let J::Obj(_) = v {
                    n += 1;
                    let extra = match n % 3 {
                        0 => obj! { "nested" => vec![J::from(1), J::from("two"), J::Null] },
                        1 => J::from(format!("trace-{n}")),
                        _ => J::from(n as i64),
                    };
                    v.set(&format!("x_extra_{n}"), extra);
                }
            });
            answer.set("meta", obj! { "api_version" => "2.3", "cached" => false });
        }
        Drift::KeyOrder => {
            let mut n = 0usize;
            answer.walk(&mut |_, v| {
                if let J::Obj(pairs) = v {
                    n += 1;
                    pairs.reverse();
                    let len = pairs.len().max(1);
                    pairs.rotate_left(n % len);
                }
            });
        }
    }
}

/// Every drift at once. `Numbers` after `Strings`, so that both show.
pub fn all_drifts(order_id: &str) -> J {
    drifted(
        order_id,
        &[
            Drift::Extra,
            Drift::NoSortingCode,
            Drift::NullCodes,
            Drift::Empty,
            Drift::Strings,
            Drift::Numbers,
            Drift::KeyOrder,
        ],
    )
}

/// How far an instant (GoSend/GrabExpress) delivery has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {
    /// Created, no driver yet.
    FindingDriver,
    Allocated,
    Delivered,
    Canceled,
}

/// Whether the instant endpoint knows `id` (and the express one does not): instant orders live
/// in their own system.
pub fn is_instant_id(id: &str) -> bool {
    id.starts_with("INS-") || id.starts_with("OID-INSTANT-")
}

/// Where a live instant order (`INS-LIVE-…`) is after `answers` earlier answers: finding a
/// driver, allocated, then delivered (`INS-LIVE-CANCEL…`: canceled, no driver found).
pub fn instant_live(id: &str, answers: u64) -> Instant {
    let cancels = id.starts_with("INS-LIVE-CANCEL");
    match (answers, cancels) {
        (0, _) => Instant::FindingDriver,
        (_, true) => Instant::Canceled,
        (1, false) => Instant::Allocated,
        _ => Instant::Delivered,
    }
}

/// `GET /api/mitra/v4/instant/tracking/{order_id}`.
pub fn instant(order_id: &str, state: Instant) -> J {
    let h = hash(&[b"instant", order_id.as_bytes()]);
    let origin = pick(CITIES, h, 2);
    let (service, service_type) = *pick(
        &[
            ("gosend", "instant"),
            ("grab_express", "instant"),
            ("gosend", "sameday"),
        ],
        h,
        1,
    );
    let created = add(
        add(
            date(2024, 1, 1).at(8, 0, 0, 0),
            ((draw(h, 6) % 330) as i64).days(),
        ),
        ((draw(h, 7) % 600) as i64).minutes(),
    );
    let allocated = add(created, ((2 + draw(h, 8) % 10) as i64).minutes());
    let finished = add(allocated, ((20 + draw(h, 9) % 60) as i64).minutes());
    let canceled = add(created, ((5 + draw(h, 10) % 20) as i64).minutes());
    let driver = pick(DRIVERS, h, 5);
    let (lat, long) = (
        -7.80 + (draw(h, 11) % 1000) as f64 / 10_000.0,
        110.35 + (draw(h, 12) % 1000) as f64 / 10_000.0,
    );
    let place = |name: &str, n: u64| {
        obj! {
            "name" => name,
            "address" => format!("Jl. {} No.{}, {}", pick(&["Kaliurang", "Magelang", "Solo", "Parangtritis"], h, n), 1 + draw(h, n) % 90, origin.name),
            "address_note" => if draw(h, n).is_multiple_of(2) { "Pagar hijau" } else { "" },
            "phone" => format!("0812{:08}", draw(h, n + 1) % 100_000_000),
            "lat" => ((lat + n as f64 / 1000.0) * 1e7).round() / 1e7,
            "long" => ((long + n as f64 / 1000.0) * 1e7).round() / 1e7,
        }
    };
    let shipping = 15_000 + (draw(h, 13) % 30) as i64 * 500;
    let insurance = if draw(h, 14).is_multiple_of(2) {
        0
    } else {
        2_500
    };
    let canceled_state = state == Instant::Canceled;
    let has_driver = matches!(state, Instant::Allocated | Instant::Delivered);
    obj! {
        "status" => true,
        "text" => "success",
        "code" => 1,
        "method" => "instant_tracking",
        "result" => obj! {
            "order_id" => order_id,
            "service" => service,
            "service_type" => service_type,
            "tracking_code" => has_driver.then(|| format!("GK-{}-{}", 10 + draw(h, 15) % 20, 1_000_000 + draw(h, 16) % 9_000_000)),
            "live_tracking_url" => (state == Instant::Allocated).then(|| format!("https://gojek.example/track/{}", code8(h))),
            "cancel_description" => canceled_state.then_some("Driver tidak ditemukan"),
            "driver" => obj! {
                "name" => has_driver.then_some(*driver),
                "phone" => has_driver.then(|| format!("0813{:08}", draw(h, 17) % 100_000_000)),
                "photo" => has_driver.then(|| format!("https://cdn.example/driver/{}.jpg", code8(draw(h, 18)))),
            },
            "origin" => place(pick::<&str>(SENDERS, h, 19), 20),
            "destination" => place(pick::<&str>(RECEIVERS, h, 21), 22),
            "date" => obj! {
                "created_at" => iso_utc(&created),
                "allocated_at" => has_driver.then(|| iso_utc(&allocated)),
                "finished_at" => (state == Instant::Delivered).then(|| iso_utc(&finished)),
                "canceled_at" => canceled_state.then(|| iso_utc(&canceled)),
            },
            "cost" => obj! {
                "shipping_cost" => shipping,
                "insurance" => insurance,
                "admin_fee" => 1_000,
                "total_price" => shipping + insurance + 1_000,
            },
            "item" => obj! {
                "price" => 50_000 + (draw(h, 23) % 50) as i64 * 5_000,
                "description" => *pick(&["Makanan", "Dokumen", "Pakaian", "Kue ulang tahun"], h, 24),
            },
        },
    }
}

/// An instant answer with the drifts the provider's types are known for: `code` and numbers as
/// strings, `status` as a string, unknown keys, empty strings and missing or non-object
/// objects.
pub fn instant_drifted(order_id: &str) -> J {
    let mut answer = instant(order_id, Instant::Allocated);
    answer.set("code", "1");
    answer.set("status", "true");
    answer.set("x_trace", obj! { "id" => "abc", "took_ms" => 12 });
    if let Some(result) = answer.get_mut("result") {
        result.walk(&mut |key, v| {
            if let J::Num(n) = v
                && key != "lat"
            {
                *v = J::Str(std::mem::take(n));
            }
        });
        result.remove("item");
        result.set("origin", "");
        result.set("cancel_description", "");
        result.set("x_poly_line", "(poly line)");
        if let Some(driver) = result.get_mut("driver") {
            driver.set("photo", J::Null);
            driver.set("rating", 4.9);
        }
    }
    answer
}

/// The instant API's not-found envelope, as documented.
pub fn instant_not_found() -> J {
    obj! { "status" => false, "text" => "data not found", "code" => 2, "method" => J::Null, "result" => J::Null }
}
