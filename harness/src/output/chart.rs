//! Grouped bar charts as SVG, written out directly: one colour per series with a
//! legend, the series side by side within each group, horizontal group labels (on
//! two staggered rows, or slanted, only when they would overlap), an axis title with its unit on both
//! axes, and on every bar a `<title>` with its exact value, which a browser shows
//! on hover.

use super::escape::html;
use super::table::grouped;
use std::fmt::Write as _;

/// Colours a reader with any common colour-vision deficiency can tell apart
/// (Okabe and Ito's palette); a series picks one by index, so that the same thing
/// (a mode, an RTL set) has the same colour in every chart.
pub const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
];

/// One series: a bar in every group where it has a value.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    /// Index into [`PALETTE`] (taken modulo its length).
    pub colour: usize,
    /// One per group; `None` draws no bar.
    pub values: Vec<Option<f64>>,
}

#[derive(Clone, Debug)]
pub struct BarChart {
    pub title: String,
    /// What the groups are ("phase"), under the x axis.
    pub x_axis: String,
    /// What the bars measure, with its unit ("DTLB misses (count)").
    pub y_axis: String,
    /// The unit after a value in a bar's hover text ("misses").
    pub unit: String,
    /// Decimals of the values in the hover text.
    pub decimals: usize,
    pub groups: Vec<String>,
    pub series: Vec<Series>,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 340.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 14.0;
/// Roughly how wide a character of the 12 px sans-serif labels is.
const CHAR_WIDTH: f64 = 6.8;

impl BarChart {
    pub fn svg(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
             viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\">\
             <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#fff\"/>\
             <text x=\"{}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{t}</text>",
            WIDTH / 2.0,
            t = html(&self.title)
        );
        let top = self.legend(&mut s) + 12.0;

        // The group labels: horizontal when each fits its group, on two staggered
        // rows when each fits two, else slanted.
        let n_groups = self.groups.len().max(1);
        let group_width = (WIDTH - LEFT - RIGHT) / n_groups as f64;
        let longest = self
            .groups
            .iter()
            .map(|g| g.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let labels = match longest * CHAR_WIDTH + 6.0 {
            w if w <= group_width => Labels::Level,
            w if w <= 2.0 * group_width => Labels::Staggered,
            _ => Labels::Slanted,
        };
        let label_room = match labels {
            Labels::Level => 22.0,
            Labels::Staggered => 36.0,
            Labels::Slanted => longest * CHAR_WIDTH * 0.6 + 18.0,
        };
        let bottom = HEIGHT - label_room - 24.0;

        let (axis_top, step) = axis(self.max());
        let y = |v: f64| bottom - (bottom - top) * v / axis_top;
        // Grid lines and tick labels.
        let ticks = (axis_top / step).round() as usize;
        for i in 0..=ticks {
            let v = step * i as f64;
            let _ = writeln!(
                s,
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\
                 <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                WIDTH - RIGHT,
                if i == 0 { "#333" } else { "#ddd" },
                LEFT - 6.0,
                y(v) + 4.0,
                tick_label(v, step, axis_top),
                y = y(v)
            );
        }
        let _ = writeln!(
            s,
            "<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            (top + bottom) / 2.0,
            html(&self.y_axis)
        );

        // The bars, the series side by side within each group.
        let n_series = self.series.len().max(1);
        let bar_width = group_width * 0.8 / n_series as f64;
        for (g, group) in self.groups.iter().enumerate() {
            let left = LEFT + group_width * g as f64;
            let _ = writeln!(s, "<g class=\"group\">");
            for (k, series) in self.series.iter().enumerate() {
                let Some(value) = series.values.get(g).copied().flatten() else {
                    continue;
                };
                let x = left + group_width * 0.1 + bar_width * k as f64;
                // A zero is drawn as a hairline, so that it differs from no bar.
                let height = (bottom - y(value)).max(1.0);
                let _ = writeln!(
                    s,
                    "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"{}\">\
                     <title>{}: {}: {} {}</title></rect>",
                    bottom - height,
                    (bar_width - 1.0).max(1.0),
                    PALETTE[series.colour % PALETTE.len()],
                    html(&series.name),
                    html(group),
                    self.value_text(value),
                    html(&self.unit)
                );
            }
            let centre = left + group_width / 2.0;
            if labels == Labels::Slanted {
                let _ = writeln!(
                    s,
                    "<text transform=\"translate({centre:.1} {:.1}) rotate(-35)\" text-anchor=\"end\">{}</text>",
                    bottom + 14.0,
                    html(group)
                );
            } else {
                let row = if labels == Labels::Staggered && g % 2 == 1 {
                    14.0
                } else {
                    0.0
                };
                let _ = writeln!(
                    s,
                    "<text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    bottom + 16.0 + row,
                    html(group)
                );
            }
            s.push_str("</g>\n");
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n</svg>",
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
            HEIGHT - 8.0,
            html(&self.x_axis)
        );
        s
    }

    /// The legend under the title, wrapped into rows; returns its bottom.
    fn legend(&self, s: &mut String) -> f64 {
        let mut x = LEFT;
        let mut y = 40.0;
        s.push_str("<g class=\"legend\">\n");
        for series in &self.series {
            let width = 16.0 + series.name.chars().count() as f64 * CHAR_WIDTH + 16.0;
            if x + width > WIDTH - RIGHT && x > LEFT {
                x = LEFT;
                y += 18.0;
            }
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
                 <text x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
                y - 10.0,
                PALETTE[series.colour % PALETTE.len()],
                x + 16.0,
                html(&series.name)
            );
            x += width;
        }
        s.push_str("</g>\n");
        y + 4.0
    }

    fn max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0, |m: f64, v| m.max(*v))
    }

    fn value_text(&self, v: f64) -> String {
        if self.decimals == 0 && v >= 0.0 && v.fract() == 0.0 {
            grouped(v as u64)
        } else {
            format!("{v:.*}", self.decimals)
        }
    }
}

/// How the group labels are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Labels {
    Level,
    Staggered,
    Slanted,
}

/// The axis's top and its tick step: a step of 1, 2 or 5 times a power of ten, about
/// five ticks up to the first one at or above `max`.
fn axis(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.2);
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// A tick's label: thousands as k and millions as M when the axis reaches them, with
/// the decimals the step needs.
fn tick_label(v: f64, step: f64, top: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let (divisor, suffix) = match top {
        t if t >= 1e6 => (1e6, "M"),
        t if t >= 1e4 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let decimals = (-(step / divisor).log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{:.*}{suffix}", decimals, v / divisor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(groups: &[&str]) -> BarChart {
        BarChart {
            title: "DTLB misses <per phase>".into(),
            x_axis: "phase".into(),
            y_axis: "DTLB misses (count)".into(),
            unit: "misses".into(),
            decimals: 0,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            series: vec![
                Series {
                    name: "huge".into(),
                    colour: 1,
                    values: vec![Some(2101.0), Some(0.0)],
                },
                Series {
                    name: "dax".into(),
                    colour: 2,
                    values: vec![Some(17917.0), None],
                },
            ],
        }
    }

    #[test]
    fn every_bar_has_its_value_on_hover_and_each_series_its_colour_in_the_legend() {
        let svg = chart(&["build", "init"]).svg();
        assert!(
            svg.contains("<title>dax: build: 17\u{202f}917 misses</title>"),
            "{svg}"
        );
        assert!(svg.contains("<title>huge: init: 0 misses</title>"), "{svg}");
        assert_eq!(
            svg.matches("class=\"bar\"").count(),
            3,
            "no bar for a missing value"
        );
        let legend = &svg[svg.find("class=\"legend\"").unwrap()..];
        assert!(legend.contains(PALETTE[1]) && legend.contains(">dax</text>"));
        assert!(svg.contains("DTLB misses &lt;per phase&gt;"));
        assert!(svg.contains(">DTLB misses (count)</text>") && svg.contains(">phase</text>"));
        assert!(!svg.contains("rotate(-35)"), "short labels stay horizontal");
        let long = chart(&["a configuration label far too long to fit", "b", "c", "d"]).svg();
        assert!(long.contains("rotate(-35)"));
        // The vmemmap job's phases: too wide side by side, wide enough staggered.
        let mut staggered = chart(&crate::vmemmap::PHASE_NAMES);
        for series in &mut staggered.series {
            series.values = vec![Some(1.0); 6];
        }
        let svg = staggered.svg();
        assert!(!svg.contains("rotate(-35)"), "{svg}");
    }

    #[test]
    fn axes_end_on_a_round_step() {
        assert_eq!(axis(17917.0), (20000.0, 5000.0));
        assert_eq!(axis(16.0), (20.0, 5.0));
        assert_eq!(axis(3.0), (3.0, 1.0));
        assert_eq!(axis(0.0), (1.0, 0.2));
        assert_eq!(tick_label(15000.0, 5000.0, 20000.0), "15k");
        assert_eq!(tick_label(0.0, 5000.0, 20000.0), "0");
        assert_eq!(tick_label(3e6, 1e6, 4e6), "3M");
        assert_eq!(tick_label(2.5e6, 5e5, 4e6), "2.5M");
        assert_eq!(tick_label(0.25, 0.05, 0.3), "0.25");
    }
}
