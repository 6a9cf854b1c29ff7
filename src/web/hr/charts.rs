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
    }
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
    let step = if points.len() > 1 {
        (WIDTH - LEFT - 10.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let marks: Vec<Mark> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = LEFT + step * i as f64;
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
                LEFT - 6.0,
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
    }
}

fn bars_view(bars: &[Point], title: &str, kind: &'static str) -> ChartView {
    let row = 28.0;
    let span = WIDTH - LABEL_W - 64.0;
    let max = bars
        .iter()
        .map(|p| p.value.abs())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let marks = bars
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let w = (span * p.value.max(0.0) / max).max(1.0);
            let x = if kind == "funnel" {
                LABEL_W + (span - w) / 2.0
            } else {
                LABEL_W
            };
            mark(
                x,
                4.0 + row * i as f64,
                w,
                row - 8.0,
                &short(&p.label),
                num(p.value),
            )
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
    }
}

/// A label short enough for the label column.
fn short(name: &str) -> String {
    if name.chars().count() <= 17 {
        name.to_string()
    } else {
        name.chars().take(16).chain(['…']).collect()
    }
}
