//! Request counters for operators, scraped by Prometheus at `/metrics` (`web::prometheus`).
//! Counts are per process: Prometheus scrapes every app server and adds them up.
//!
//! Recording a request takes no lock: each (method, matched route) pair gets a slot in a
//! fixed table the first time it is seen (`OnceLock`, so only that first request waits on
//! its neighbours), and after that every count is an atomic add. Routes are the router's
//! templates (`/postings/{id}`), so the table stays small; a path no route matched counts
//! as `(unmatched)`.

use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use sqlx::PgPool;

use crate::db::backlog;
use crate::engine::Engine;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Slots for (method, route) pairs: the router has a few hundred.
const SLOTS: usize = 2048;
/// The route of a request no route matched.
const UNMATCHED: &str = "(unmatched)";
/// Where pairs go once the table is full (it never should be).
const OVERFLOW: &str = "(other)";

/// Counts of one (method, route) pair.
struct Slot {
    key: OnceLock<(&'static str, Box<str>)>,
    /// By status class: 1xx to 5xx.
    statuses: [AtomicU64; 5],
    /// Requests per latency bucket (not cumulative; the last is above every bound).
    buckets: [AtomicU64; BUCKETS.len() + 1],
    micros: AtomicU64,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            key: OnceLock::new(),
            statuses: Default::default(),
            buckets: Default::default(),
            micros: AtomicU64::new(0),
        }
    }
}

/// The request counters of one process.
pub struct Meters {
    slots: Box<[Slot]>,
    overflow: Slot,
}

impl Default for Meters {
    fn default() -> Self {
        Meters {
            slots: (0..SLOTS).map(|_| Slot::new()).collect(),
            overflow: Slot::new(),
        }
    }
}

impl Meters {
    /// Count one answered request.
    pub fn record(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        let slot = self.slot(method_name(method), route);
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        slot.statuses[class].fetch_add(1, Relaxed);
        let bucket = BUCKETS
            .iter()
            .position(|&b| seconds <= b)
            .unwrap_or(BUCKETS.len());
        slot.buckets[bucket].fetch_add(1, Relaxed);
        slot.micros.fetch_add((seconds * 1e6) as u64, Relaxed);
    }

    /// The slot of a pair: open addressing with linear probing; a free slot is claimed with
    /// `OnceLock::get_or_init`, so two requests racing for it agree on its owner.
    fn slot(&self, method: &'static str, route: &str) -> &Slot {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (method, route).hash(&mut hasher);
        let start = hasher.finish() as usize % SLOTS;
        for i in 0..SLOTS {
            let slot = &self.slots[(start + i) % SLOTS];
            let (m, r) = match slot.key.get() {
                Some(key) => key,
                None => slot.key.get_or_init(|| (method, route.into())),
            };
            if *m == method && **r == *route {
                return slot;
            }
        }
        &self.overflow
    }

    /// The request counters in Prometheus's text format.
    pub fn render(&self, out: &mut String) {
        let used: Vec<(&str, &str, &Slot)> = self
            .slots
            .iter()
            .filter_map(|s| s.key.get().map(|(m, r)| (*m, &**r, s)))
            .chain(std::iter::once(("OTHER", OVERFLOW, &self.overflow)))
            .filter(|(_, _, s)| s.buckets.iter().any(|b| b.load(Relaxed) > 0))
            .collect();
        out.push_str(
            "# HELP trellis_http_requests_total Requests answered, by method, matched route and status class.\n\
             # TYPE trellis_http_requests_total counter\n",
        );
        for (method, route, slot) in &used {
            for (i, n) in slot.statuses.iter().enumerate() {
                let n = n.load(Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "trellis_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{}xx\"}} {n}",
                        escape(route),
                        i + 1
                    );
                }
            }
        }
        out.push_str(
            "# HELP trellis_http_request_duration_seconds Time to answer a request, by method and matched route.\n\
             # TYPE trellis_http_request_duration_seconds histogram\n",
        );
        for (method, route, slot) in &used {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut total = 0;
            for (i, n) in slot.buckets.iter().enumerate() {
                total += n.load(Relaxed);
                let le = BUCKETS.get(i).map_or("+Inf".to_string(), f64::to_string);
                let _ = writeln!(
                    out,
                    "trellis_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {total}"
                );
            }
            let sum = slot.micros.load(Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "trellis_http_request_duration_seconds_sum{{{labels}}} {sum}\n\
                 trellis_http_request_duration_seconds_count{{{labels}}} {total}"
            );
        }
    }
}

/// Everything `/metrics` shows: the request counters, the connection pool, the outbox
/// backlog, import jobs by status and the matching engine's reloads.
pub async fn exposition(
    meters: &Meters,
    db: &PgPool,
    engine: &Engine,
) -> Result<String, sqlx::Error> {
    let outbox = backlog::outbox(db).await?;
    let jobs = backlog::import_jobs(db).await?;
    let mut out = String::with_capacity(16 * 1024);
    meters.render(&mut out);
    let gauges: [(&str, &str, &str, f64); 6] = [
        (
            "trellis_db_pool_connections",
            "gauge",
            "Database connections open in this server's pool.",
            f64::from(db.size()),
        ),
        (
            "trellis_db_pool_idle_connections",
            "gauge",
            "Open database connections not in use.",
            db.num_idle() as f64,
        ),
        (
            "trellis_db_pool_max_connections",
            "gauge",
            "The pool's limit (TRELLIS_DB_MAX_CONNECTIONS).",
            f64::from(db.options().get_max_connections()),
        ),
        (
            "trellis_outbox_unsent",
            "gauge",
            "Emails and chat messages not sent yet (all servers).",
            outbox.unsent as f64,
        ),
        (
            "trellis_outbox_oldest_unsent_age_seconds",
            "gauge",
            "How long the oldest unsent message has waited (0 when none).",
            outbox.oldest_seconds,
        ),
        (
            "trellis_engine_reloads_total",
            "counter",
            "Full rebuilds of the matching index by this server.",
            engine.reloads() as f64,
        ),
    ];
    for (name, kind, help, value) in gauges {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    }
    out.push_str(
        "# HELP trellis_import_jobs Import jobs by status (all servers).\n# TYPE trellis_import_jobs gauge\n",
    );
    for (status, n) in jobs {
        let _ = writeln!(
            out,
            "trellis_import_jobs{{status=\"{}\"}} {n}",
            escape(&status)
        );
    }
    Ok(out)
}

/// Middleware: time every request and count it under its matched route.
pub async fn count_requests(
    State(meters): State<Arc<Meters>>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    meters.record(
        &method,
        route.as_ref().map_or(UNMATCHED, MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// A label value with `\`, `"` and line breaks escaped.
pub fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_status_class_and_latency_bucket() {
        let meters = Meters::default();
        meters.record(&Method::GET, "/postings/{id}", 200, 0.003);
        meters.record(&Method::GET, "/postings/{id}", 404, 0.2);
        meters.record(&Method::POST, "/postings", 303, 30.0);
        let mut out = String::new();
        meters.render(&mut out);
        for line in [
            "trellis_http_requests_total{method=\"GET\",route=\"/postings/{id}\",status=\"2xx\"} 1",
            "trellis_http_requests_total{method=\"GET\",route=\"/postings/{id}\",status=\"4xx\"} 1",
            "trellis_http_request_duration_seconds_bucket{method=\"GET\",route=\"/postings/{id}\",le=\"0.005\"} 1",
            "trellis_http_request_duration_seconds_bucket{method=\"GET\",route=\"/postings/{id}\",le=\"0.25\"} 2",
            "trellis_http_request_duration_seconds_bucket{method=\"POST\",route=\"/postings\",le=\"10\"} 0",
            "trellis_http_request_duration_seconds_bucket{method=\"POST\",route=\"/postings\",le=\"+Inf\"} 1",
            "trellis_http_request_duration_seconds_count{method=\"GET\",route=\"/postings/{id}\"} 2",
        ] {
            assert!(out.lines().any(|l| l == line), "{line} in\n{out}");
        }
        assert!(!out.contains("(other)"), "{out}");
    }

    #[test]
    fn a_full_table_counts_the_rest_as_other() {
        let meters = Meters::default();
        for i in 0..SLOTS + 3 {
            meters.record(&Method::GET, &format!("/r{i}"), 200, 0.001);
        }
        let mut out = String::new();
        meters.render(&mut out);
        assert!(
            out.contains("route=\"(other)\",status=\"2xx\"} 3"),
            "overflow"
        );
    }
}
