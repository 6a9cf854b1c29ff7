//! Seeded randomness and relative time.
//!
//! Every stage of the generator draws from its own ChaCha8 stream of the one seed, so a change
//! to one stage does not reshuffle the others. Times are kept relative to "today" (`Day`,
//! `Stamp`) and only turned into calendar dates when written, so the generated company depends
//! on the seed alone and still looks current on the day it is loaded.

use std::ops::RangeInclusive;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// Seconds in a day.
pub const DAY_SECS: i64 = 86_400;

/// A calendar day relative to today: 0 is today, -1 yesterday, 30 a month ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    /// `days` later (earlier when negative).
    pub fn plus(self, days: i32) -> Day {
        Day(self.0 + days)
    }

    /// A moment on this day, `secs` after midnight UTC.
    pub fn at(self, secs: i64) -> Stamp {
        Stamp(i64::from(self.0) * DAY_SECS + secs)
    }
}

/// A moment relative to today's midnight UTC, in seconds (negative: in the past).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub i64);

impl Stamp {
    /// The day this moment falls on.
    pub fn day(self) -> Day {
        Day(self.0.div_euclid(DAY_SECS) as i32)
    }

    /// `secs` later.
    pub fn plus(self, secs: i64) -> Stamp {
        Stamp(self.0 + secs)
    }

    /// `days` later, same time of day.
    pub fn plus_days(self, days: i32) -> Stamp {
        Stamp(self.0 + i64::from(days) * DAY_SECS)
    }
}

/// The stages of the generator; each has its own random stream.
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    Taxonomy = 1,
    Org = 2,
    Timeline = 3,
    Skills = 4,
    Learning = 5,
    Authors = 6,
    Enrolments = 7,
    Marketplace = 8,
    Plans = 9,
    Social = 10,
    Notifications = 11,
}

/// A random source for one stage.
pub struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    /// The stream `stream` of `seed`.
    pub fn new(seed: u64, stream: Stream) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream as u64);
        Gen { rng }
    }

    /// A random (version 4) uuid drawn from this stream: the same seed gives the same ids.
    pub fn id(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.rng.gen()).into_uuid()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform integer in `range`.
    pub fn int(&mut self, range: RangeInclusive<i64>) -> i64 {
        if range.start() >= range.end() {
            return *range.start();
        }
        self.rng.gen_range(range)
    }

    /// A uniform `i32` in `range` (an empty range gives its start).
    pub fn i32(&mut self, range: RangeInclusive<i32>) -> i32 {
        if range.start() >= range.end() {
            return *range.start();
        }
        self.rng.gen_range(range)
    }

    /// A uniform index below `len` (which must be positive).
    pub fn below(&mut self, len: usize) -> usize {
        self.rng.gen_range(0..len)
    }

    /// A uniform float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.rng.gen()
    }

    /// A random element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen with the given relative weights (not all zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.rng.gen_range(0..total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// A random element of a non-empty slice of `Copy` values.
    pub fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Shuffle in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        items.shuffle(&mut self.rng);
    }

    /// Up to `k` distinct elements of `items`, in random order.
    pub fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        items.choose_multiple(&mut self.rng, k).copied().collect()
    }

    /// A working-hours moment (08:00-18:00 UTC) on `day`.
    pub fn during(&mut self, day: Day) -> Stamp {
        day.at(self.int(8 * 3600..=18 * 3600))
    }

    /// A working-hours moment on a day `days` ago (a range of days).
    pub fn ago(&mut self, days: RangeInclusive<i32>) -> Stamp {
        let day = self.i32(days);
        self.during(Day(-day))
    }

    /// `k` increasing moments strictly between `start` and `end` (at least a second apart when
    /// the window allows it).
    pub fn spread(&mut self, start: Stamp, end: Stamp, k: usize) -> Vec<Stamp> {
        let span = (end.0 - start.0).max(k as i64 + 1);
        let mut points: Vec<i64> = (0..k).map(|_| self.int(1..=span - 1)).collect();
        points.sort_unstable();
        for i in 1..points.len() {
            if points[i] <= points[i - 1] {
                points[i] = points[i - 1] + 1;
            }
        }
        points.into_iter().map(|p| Stamp(start.0 + p)).collect()
    }
}
