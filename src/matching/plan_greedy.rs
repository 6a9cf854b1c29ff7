//! The quick learning path used when the exact search (`plan`) is too large for a group of
//! gaps: repeatedly the course with the fewest hours per level gained.

use super::plan::PlanCourse;

/// A quick path when the exact search is too large: repeatedly the course with the fewest
/// hours per level gained, until nothing more can be raised.
pub(crate) fn greedy(have: &[u8], need: &[u8], courses: &[PlanCourse]) -> Vec<usize> {
    let mut lv: Vec<u8> = have.iter().zip(need).map(|(&h, &n)| h.min(n)).collect();
    let mut used = vec![false; courses.len()];
    let mut path = Vec::new();
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (c, course) in courses.iter().enumerate().filter(|(c, _)| !used[*c]) {
            let gain: u32 = course
                .entries
                .iter()
                .map(|e| {
                    let to = e.target.min(need[e.skill]);
                    let l = lv[e.skill];
                    if l >= e.entry && l < to {
                        u32::from(to - l)
                    } else {
                        0
                    }
                })
                .sum();
            if gain > 0 {
                let ratio = course.cost as f64 / f64::from(gain);
                if best.is_none_or(|(b, _)| ratio < b) {
                    best = Some((ratio, c));
                }
            }
        }
        let Some((_, c)) = best else { return path };
        used[c] = true;
        path.push(c);
        for e in &courses[c].entries {
            let to = e.target.min(need[e.skill]);
            if lv[e.skill] >= e.entry && lv[e.skill] < to {
                lv[e.skill] = to;
            }
        }
    }
}
