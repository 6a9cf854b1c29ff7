//! Chart geometry for the dashboard's server-rendered SVG: numbers in, coordinates out. The
//! SVG itself is in `templates/hr/chart.html`; nothing here builds markup.

use crate::metrics::dashboard::{Chart, Point};

/// Drawing width of every chart (the SVG scales to its container).
pub const WIDTH: f64 = 480.0;
const LEFT: f64 = 40.0;
const LABEL_W: f64 = 170.0;

/// A labelled position.
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    pub value: String,
    /// 0..1, for heat map shading.
    pub shade: f64,
    /// Bars: the label in lines that fit the label column (never cut), where the value is
    /// written, and whether the bar is below zero.
    pub lines: Vec<String>,
    pub value_x: f64,
    pub negative: bool,
}

/// A chart ready to draw.
pub struct ChartView {
    /// `line`, `bars`, `funnel` or `heat`.
    pub kind: &'static str,
    pub height: f64,
    /// Line: the polyline's points.
    pub polyline: String,
    /// Dots, bars or cells.
    pub marks: Vec<Mark>,
    /// Axis labels (line: x labels at the bottom and y ticks; heat: row and column names).
    pub x_labels: Vec<Mark>,
    pub y_labels: Vec<Mark>,
    pub caption: String,
    /// Line: where the y axis is (room for the widest y label on its left).
    pub left: f64,
    /// Bars: where zero is.
    pub zero: f64,
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn mark(x: f64, y: f64, w: f64, h: f64, label: &str, value: String) -> Mark {
    Mark {
        x,
        y,
        w,
        h,
        label: label.to_string(),
        value,
        shade: 0.0,
        lines: Vec::new(),
        value_x: 0.0,
        negative: false,
    }
}

/// Characters of a chart label that fit in one line of the bars' label column.
const LABEL_CHARS: usize = 20;

/// Width of a tick label in drawing units (at the largest font size the stylesheet uses).
fn text_width(text: &str) -> f64 {
    9.0 * text.chars().count() as f64
}

/// Most lines of a bar's label.
const LABEL_LINES: usize = 3;

/// A label in at most `LABEL_LINES` lines of `LABEL_CHARS`, broken between words; only a
/// label longer than that loses its end (the full label is in the bar's title).
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > LABEL_CHARS {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > LABEL_LINES {
        let rest = lines[LABEL_LINES - 1..].join(" ");
        lines.truncate(LABEL_LINES - 1);
        lines.push(short_to(&rest, LABEL_CHARS));
    }
    lines
        .into_iter()
        .map(|l| short_to(&l, LABEL_CHARS))
        .collect()
}

/// Lay out a figure's chart.
pub fn layout(chart: &Chart, title: &str) -> ChartView {
    match chart {
        Chart::Line { points } => line(points, title),
        Chart::Bars { bars } => bars_view(bars, title, "bars"),
        Chart::Funnel { stages } => bars_view(stages, title, "funnel"),
        Chart::Heat {
            rows,
            columns,
            cells,
            ..
        } => heat(rows, columns, cells, title),
    }
}

fn line(points: &[Point], title: &str) -> ChartView {
    let height = 180.0;
    let (top, bottom) = (12.0, 150.0);
    let max = points
        .iter()
        .map(|p| p.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    // The y axis stands right of its widest label, so no label is clipped at any width.
    let left = LEFT.max(12.0 + text_width(&num(max)));
    let step = if points.len() > 1 {
        (WIDTH - left - 10.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let marks: Vec<Mark> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = left + step * i as f64;
            let y = bottom - (bottom - top) * p.value / max;
            mark(x, y, 0.0, 0.0, &p.label, num(p.value))
        })
        .collect();
    let polyline = marks
        .iter()
        .map(|m| format!("{:.1},{:.1}", m.x, m.y))
        .collect::<Vec<_>>()
        .join(" ");
    let every = points.len().div_ceil(6).max(1);
    let x_labels = marks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(_, m)| mark(m.x, bottom + 18.0, 0.0, 0.0, &m.label, String::new()))
        .collect();
    let y_labels = [0.0, max / 2.0, max]
        .iter()
        .map(|v| {
            mark(
                left - 6.0,
                bottom - (bottom - top) * v / max + 4.0,
                0.0,
                0.0,
                &num(*v),
                num(*v),
            )
        })
        .collect();
    ChartView {
        kind: "line",
        height,
        polyline,
        marks,
        x_labels,
        y_labels,
        caption: format!("{title}, by month"),
        left,
        zero: 0.0,
    }
}

fn bars_view(bars: &[Point], title: &str, kind: &'static str) -> ChartView {
    let wrapped: Vec<Vec<String>> = bars.iter().map(|p| wrap(&p.label)).collect();
    let most_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    let row = 28.0 + 14.0 * (most_lines - 1) as f64;
    let span = WIDTH - LABEL_W - 64.0;
    // Bars grow right from zero for positive values and left for negative ones.
    let high = bars.iter().map(|p| p.value).fold(0.0_f64, f64::max);
    let low = bars.iter().map(|p| p.value).fold(0.0_f64, f64::min);
    let range = (high - low).max(1.0);
    let zero = LABEL_W + span * -low / range;
    let marks = bars
        .iter()
        .zip(wrapped)
        .enumerate()
        .map(|(i, (p, lines))| {
            let w = (span * p.value.abs() / range).max(1.0);
            let x = if kind == "funnel" {
                LABEL_W + (span - w) / 2.0
            } else if p.value < 0.0 {
                zero - w
            } else {
                zero
            };
            let mut m = mark(
                x,
                4.0 + row * i as f64,
                w,
                row - 8.0,
                &p.label,
                num(p.value),
            );
            m.value_x = if p.value < 0.0 && kind != "funnel" {
                zero + 4.0
            } else {
                x + w + 4.0
            };
            m.negative = p.value < 0.0;
            m.lines = lines;
            m
        })
        .collect();
    ChartView {
        kind,
        height: 8.0 + row * bars.len().max(1) as f64,
        polyline: String::new(),
        marks,
        x_labels: Vec::new(),
        y_labels: Vec::new(),
        caption: title.to_string(),
        left: LABEL_W,
        zero: if low < 0.0 { zero } else { 0.0 },
    }
}

fn heat(rows: &[String], columns: &[String], cells: &[Vec<i64>], title: &str) -> ChartView {
    let n = columns.len().max(1) as f64;
    let cell = ((WIDTH - LABEL_W) / n).min(40.0);
    let top = 20.0;
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let mut marks = Vec::new();
    for (r, name) in rows.iter().enumerate() {
        for (c, to) in columns.iter().enumerate() {
            let v = cells[r][c];
            let mut m = mark(
                LABEL_W + cell * c as f64,
                top + cell * r as f64,
                cell - 2.0,
                cell - 2.0,
                &format!("{name} → {to}"),
                v.to_string(),
            );
            m.shade = 0.08 + 0.92 * v as f64 / max;
            marks.push(m);
        }
    }
    let y_labels = rows
        .iter()
        .enumerate()
        .map(|(r, name)| {
            mark(
                LABEL_W - 6.0,
                top + cell * r as f64 + cell / 2.0 + 4.0,
                0.0,
                0.0,
                &format!("{} {}", r + 1, short(name)),
                String::new(),
            )
        })
        .collect();
    let x_labels = columns
        .iter()
        .enumerate()
        .map(|(c, name)| {
            mark(
                LABEL_W + cell * c as f64 + cell / 2.0,
                top - 6.0,
                0.0,
                0.0,
                &(c + 1).to_string(),
                name.clone(),
            )
        })
        .collect();
    ChartView {
        kind: "heat",
        height: top + cell * rows.len().max(1) as f64 + 4.0,
        polyline: String::new(),
        marks,
        x_labels,
        y_labels,
        caption: format!("{title}: rows from, columns to"),
        left: LABEL_W,
        zero: 0.0,
    }
}

/// A label short enough for the label column.
fn short(name: &str) -> String {
    short_to(name, 17)
}

/// At most `n` characters, the last an ellipsis when cut.
fn short_to(name: &str, n: usize) -> String {
    if name.chars().count() <= n {
        name.to_string()
    } else {
        name.chars().take(n - 1).chain(['…']).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str, value: f64) -> Point {
        Point {
            label: label.into(),
            value,
        }
    }

    #[test]
    fn a_negative_bar_is_drawn_left_of_zero_as_long_as_its_size() {
        let c = layout(
            &Chart::Bars {
                bars: vec![p("Rust", 10.0), p("Go", -5.0)],
            },
            "Gaps",
        );
        let (pos, neg) = (&c.marks[0], &c.marks[1]);
        assert!(neg.negative && !pos.negative);
        assert!((neg.w * 2.0 - pos.w).abs() < 0.01, "{} vs {}", neg.w, pos.w);
        assert!((neg.x + neg.w - c.zero).abs() < 0.01);
        assert!((pos.x - c.zero).abs() < 0.01);
    }

    #[test]
    fn bar_labels_wrap_onto_two_lines_instead_of_being_cut() {
        let c = layout(
            &Chart::Bars {
                bars: vec![
                    p("internal, this period", 3.0),
                    p("external, previous period", 1.0),
                ],
            },
            "Fills",
        );
        assert_eq!(c.marks[0].lines, vec!["internal, this", "period"]);
        assert_eq!(c.marks[1].lines, vec!["external, previous", "period"]);
        assert!(c
            .marks
            .iter()
            .flat_map(|m| &m.lines)
            .all(|l| !l.ends_with('…')));
    }

    #[test]
    fn the_y_axis_leaves_room_for_its_widest_label() {
        let c = layout(
            &Chart::Line {
                points: vec![p("2026-01", 10304.0), p("2026-02", 836.0)],
            },
            "Learning",
        );
        for t in &c.y_labels {
            assert!(t.x - text_width(&t.label) >= 0.0, "{} at {}", t.label, t.x);
        }
    }
}
