//! The exact search behind learning paths, for one group of gaps linked by shared courses.
//!
//! A state is the vector of levels of the group's skills, each capped at the level needed
//! (3 bits per skill, packed in a `u64`), plus the set of courses already taken that could
//! still raise something (usually empty: a course taken when it could raise everything it
//! teaches is spent). Each course is taken at most once and only when it raises at least one
//! skill. A* with an admissible heuristic (see `solve`) finds the fewest hours that close
//! every skill of the group; when no order closes them all, an exhaustive Dijkstra finds the
//! most skills closed, then the fewest hours. Only the courses that raise something at the
//! current levels are tried, and one-skill courses beaten by another are dropped first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// What a course does to one skill of the group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The skill's index within the group.
    pub skill: usize,
    /// The level the learner needs in the skill for the course to raise it.
    pub entry: u8,
    /// The level the course brings the learner to.
    pub target: u8,
}

/// A course as the search sees it.
#[derive(Debug, Clone)]
pub(crate) struct PlanCourse {
    /// Hours in tenths (exact integer arithmetic).
    pub cost: u64,
    /// Its effects on the group's skills (one per skill).
    pub entries: Vec<Entry>,
}

/// The most skills a group may hold to be packed in a `u64` (3 bits each).
pub(crate) const MAX_SKILLS: usize = 21;

/// The most courses teaching two or more skills of one group the exact search tracks (one
/// bit each in the state); beyond that the greedy path is used.
const MAX_SHARED_COURSES: usize = 128;

fn level(levels: u64, skill: usize) -> u8 {
    ((levels >> (3 * skill)) & 7) as u8
}

fn with_level(levels: u64, skill: usize, l: u8) -> u64 {
    (levels & !(7 << (3 * skill))) | (u64::from(l) << (3 * skill))
}

/// A fast hasher for the search's `(levels, used)` keys (std's SipHash is built for
/// untrusted keys; these are our own integers).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

type Seen = HashMap<(u64, u128), u32, BuildHasherDefault<KeyHasher>>;

struct Search<'a> {
    need: &'a [u8],
    courses: &'a [PlanCourse],
    /// For courses with two or more entries, their bit in a state's `used` set. A course
    /// with one entry is spent as soon as it is taken (it must raise its only skill), so it
    /// never needs tracking.
    bit: Vec<Option<u8>>,
    /// The course of each bit.
    course_of_bit: Vec<usize>,
    /// `raisers[skill][level]`: the courses that raise `skill` from `level`.
    raisers: Vec<[Vec<u16>; 6]>,
}

impl<'a> Search<'a> {
    fn new(need: &'a [u8], courses: &'a [PlanCourse]) -> Option<Self> {
        let mut bit = Vec::with_capacity(courses.len());
        let mut course_of_bit = Vec::new();
        for (i, c) in courses.iter().enumerate() {
            if c.entries.len() > 1 {
                if course_of_bit.len() == MAX_SHARED_COURSES {
                    return None;
                }
                bit.push(Some(course_of_bit.len() as u8));
                course_of_bit.push(i);
            } else {
                bit.push(None);
            }
        }
        let mut raisers: Vec<[Vec<u16>; 6]> = (0..need.len()).map(|_| Default::default()).collect();
        for (i, c) in courses.iter().enumerate() {
            for e in &c.entries {
                let to = e.target.min(need[e.skill]);
                for l in e.entry..to {
                    raisers[e.skill][usize::from(l)].push(i as u16);
                }
            }
        }
        Some(Self {
            need,
            courses,
            bit,
            course_of_bit,
            raisers,
        })
    }

    /// The levels after taking `c`.
    fn take(&self, c: usize, levels: u64) -> u64 {
        let mut out = levels;
        for e in &self.courses[c].entries {
            let l = level(levels, e.skill);
            let to = e.target.min(self.need[e.skill]);
            if l >= e.entry && l < to {
                out = with_level(out, e.skill, to);
            }
        }
        out
    }

    /// A course is spent when none of its skills can ever be raised by it again.
    fn spent(&self, c: usize, levels: u64) -> bool {
        self.courses[c]
            .entries
            .iter()
            .all(|e| level(levels, e.skill) >= e.target.min(self.need[e.skill]))
    }

    fn closed_count(&self, levels: u64) -> usize {
        (0..self.need.len())
            .filter(|&s| level(levels, s) >= self.need[s])
            .count()
    }

    /// The courses that would raise something now and were not taken yet, in index order.
    fn candidates(&self, levels: u64, used: u128, out: &mut Vec<u16>) {
        out.clear();
        for (s, by_level) in self.raisers.iter().enumerate() {
            out.extend_from_slice(&by_level[usize::from(level(levels, s))]);
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&c| self.bit[usize::from(c)].is_none_or(|b| used & (1u128 << b) == 0));
    }

    /// The `used` set after taking `c` at `next` levels: spent courses leave it.
    fn used_after(&self, used: u128, c: usize, next: u64) -> u128 {
        let mut u = used;
        if let Some(b) = self.bit[c] {
            u |= 1u128 << b;
        }
        let mut rest = u;
        while rest != 0 {
            let b = rest.trailing_zeros();
            rest &= rest - 1;
            if self.spent(self.course_of_bit[b as usize], next) {
                u &= !(1u128 << b);
            }
        }
        u
    }
}

struct Node {
    levels: u64,
    used: u128,
    g: u64,
    /// The heuristic of `levels`, computed once.
    h: u64,
    parent: u32,
    course: u16,
}

/// A course with one skill is useless next to another one-skill course for the same skill
/// that asks no higher entry level, reaches at least as far (up to the need) and costs no
/// more: swapping it in never hurts. Dropping such courses keeps popular skills, taught by
/// a hundred courses, down to a handful.
fn dominated(i: usize, courses: &[PlanCourse], need: &[u8]) -> bool {
    let [a] = courses[i].entries.as_slice() else {
        return false;
    };
    let reach = |e: &Entry| e.target.min(need[e.skill]);
    courses.iter().enumerate().any(|(j, c)| {
        let [b] = c.entries.as_slice() else {
            return false;
        };
        let no_worse = j != i
            && b.skill == a.skill
            && b.entry <= a.entry
            && reach(b) >= reach(a)
            && c.cost <= courses[i].cost;
        let better = b.entry < a.entry || reach(b) > reach(a) || c.cost < courses[i].cost;
        no_worse && (better || j < i)
    })
}

/// Per skill, the cheapest cost from each level to the need (repeats allowed), with each
/// course's cost divided by `split(course)`.
fn distances(
    need: &[u8],
    courses: &[PlanCourse],
    split: impl Fn(&PlanCourse) -> f64,
) -> Vec<[f64; 6]> {
    (0..need.len())
        .map(|s| {
            let n = usize::from(need[s]);
            let mut dist = [f64::INFINITY; 6];
            for d in dist.iter_mut().skip(n) {
                *d = 0.0;
            }
            for l in (0..n).rev() {
                for c in courses {
                    for e in c.entries.iter().filter(|e| e.skill == s) {
                        let to = usize::from(e.target.min(need[s]));
                        if usize::from(e.entry) <= l && l < to {
                            dist[l] = dist[l].min(c.cost as f64 / split(c) + dist[to]);
                        }
                    }
                }
            }
            dist
        })
        .collect()
}

/// Finds the best order of courses for one group: the courses' indices in the order to take
/// them. `None` when the search generated more than `max_states` states (in either phase) or
/// too many courses teach several of the group's skills.
pub(crate) fn solve(
    have: &[u8],
    need: &[u8],
    courses: &[PlanCourse],
    max_states: usize,
) -> Option<Vec<usize>> {
    debug_assert!(have.len() <= MAX_SKILLS && have.len() == need.len());
    let keep: Vec<usize> = (0..courses.len())
        .filter(|&i| !dominated(i, courses, need))
        .collect();
    let courses: Vec<PlanCourse> = keep.iter().map(|&i| courses[i].clone()).collect();
    let search = Search::new(need, &courses)?;
    let start = have
        .iter()
        .enumerate()
        .fold(0u64, |acc, (s, &l)| with_level(acc, s, l.min(need[s])));
    // Two lower bounds on the hours still needed: the most expensive single skill, and the
    // sum over skills with each course's hours shared among the skills it teaches.
    let whole = distances(need, &courses, |_| 1.0);
    let shared = distances(need, &courses, |c| c.entries.len() as f64);
    let heuristic = |levels: u64| {
        let mut max = 0.0f64;
        let mut sum = 0.0f64;
        for s in 0..need.len() {
            let l = usize::from(level(levels, s));
            max = max.max(whole[s][l]);
            sum += shared[s][l];
        }
        let bound = max.max((sum - 1e-6).floor());
        if bound.is_finite() {
            bound.max(0.0) as u64
        } else {
            u64::MAX / 4
        }
    };
    let found = match run(&search, start, max_states, Some(&heuristic))? {
        Some(path) => path,
        // No order closes every skill of the group: the most skills closed, then the fewest
        // hours.
        None => run(&search, start, max_states, None)??,
    };
    Some(found.into_iter().map(|c| keep[c]).collect())
}

/// A* towards "all closed" when `heuristic` is given (`Some(None)` when unreachable);
/// otherwise an exhaustive Dijkstra returning the best partial result. `None` when over
/// the state budget.
fn run(
    search: &Search,
    start: u64,
    max_states: usize,
    heuristic: Option<&dyn Fn(u64) -> u64>,
) -> Option<Option<Vec<usize>>> {
    let h = |levels: u64| heuristic.map_or(0, |f| f(levels));
    let all = search.need.len();
    let mut nodes = vec![Node {
        levels: start,
        used: 0,
        g: 0,
        h: h(start),
        parent: u32::MAX,
        course: 0,
    }];
    let mut seen = Seen::default();
    seen.insert((start, 0), 0);
    let mut settled = vec![false];
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((nodes[0].h, 0u64, 0u32)));
    let mut best: (usize, u64, u32) = (search.closed_count(start), 0, 0);
    let mut candidates = Vec::new();
    while let Some(Reverse((_, g, id))) = heap.pop() {
        let i = id as usize;
        if settled[i] || g != nodes[i].g {
            continue;
        }
        settled[i] = true;
        let (levels, used) = (nodes[i].levels, nodes[i].used);
        let closed = search.closed_count(levels);
        if heuristic.is_some() && closed == all {
            return Some(Some(path_to(&nodes, id)));
        }
        if closed > best.0 || (closed == best.0 && g < best.1) {
            best = (closed, g, id);
        }
        if nodes.len() > max_states {
            return None;
        }
        search.candidates(levels, used, &mut candidates);
        for &c in &candidates {
            let c = usize::from(c);
            let next = search.take(c, levels);
            let key = (next, search.used_after(used, c, next));
            let g2 = g + search.courses[c].cost;
            let j = match seen.get(&key) {
                Some(&j) if nodes[j as usize].g <= g2 => continue,
                Some(&j) => {
                    // A cheaper way to a known state (reopened if it was already expanded).
                    settled[j as usize] = false;
                    let n = &mut nodes[j as usize];
                    n.g = g2;
                    n.parent = id;
                    n.course = c as u16;
                    j
                }
                None => {
                    let j = nodes.len() as u32;
                    nodes.push(Node {
                        levels: next,
                        used: key.1,
                        g: g2,
                        h: h(next),
                        parent: id,
                        course: c as u16,
                    });
                    settled.push(false);
                    seen.insert(key, j);
                    j
                }
            };
            let f = g2.saturating_add(nodes[j as usize].h);
            heap.push(Reverse((f, g2, j)));
        }
    }
    if heuristic.is_some() {
        Some(None)
    } else {
        Some(Some(path_to(&nodes, best.2)))
    }
}

fn path_to(nodes: &[Node], mut id: u32) -> Vec<usize> {
    let mut path = Vec::new();
    while nodes[id as usize].parent != u32::MAX {
        path.push(usize::from(nodes[id as usize].course));
        id = nodes[id as usize].parent;
    }
    path.reverse();
    path
}
