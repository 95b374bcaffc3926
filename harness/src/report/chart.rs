//! SVG bar charts for the report (plotters, SVG backend).

use plotters::prelude::*;

/// A bar chart of `bars` (label, value) as an SVG document.
pub fn bar_chart(title: &str, y_label: &str, bars: &[(String, f64)]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 380)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let top = bars
            .iter()
            .map(|(_, v)| *v)
            .fold(0.0f64, f64::max)
            .max(1e-9)
            * 1.1;
        let n = bars.len().max(1);
        let chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(70)
            .build_cartesian_2d(0usize..n, 0.0..top);
        let Ok(mut chart) = chart else {
            return svg_placeholder(title);
        };
        let labels: Vec<String> = bars.iter().map(|(l, _)| l.clone()).collect();
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_label)
            .x_labels(n)
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .x_label_style(
                ("sans-serif", 11)
                    .into_font()
                    .transform(FontTransform::Rotate90),
            )
            .draw();
        let _ =
            chart.draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                Rectangle::new([(i, 0.0), (i + 1, *v)], BLUE.mix(0.6).filled())
            }));
        let _ = root.present();
    }
    svg
}

fn svg_placeholder(title: &str) -> String {
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"10\" y=\"20\">{title}: no data</text></svg>")
}
