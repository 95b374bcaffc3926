//! A table of figures, defined once and written both as Markdown (for terminals and
//! pull requests) and as an HTML `<table>` (numbers right-aligned, units in the
//! headers).

use super::escape;
use std::fmt::Write as _;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count: Markdown writes its digits, HTML groups them by thousands.
    Int(u64),
    /// A figure with this many decimals.
    Real(f64, usize),
    /// A word that flags a row: Markdown writes it in bold, HTML in its own colour
    /// (`FAIL`, `DIFFER`, `not reachable`).
    Flag(String),
    /// Nothing measured.
    Empty,
    /// Why the row has no figures: fills the rest of the row.
    Failed(String),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Real(..))
    }
}

/// One row, and a class for the HTML `<tr>` (a row the page shades, such as a
/// configuration RISC-V Linux cannot set up).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub class: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// (name, unit); an empty unit is none.
    columns: Vec<(String, String)>,
    rows: Vec<Row>,
}

impl Table {
    /// A table with these (name, unit) columns.
    pub fn new(columns: &[(&str, &str)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(n, u)| (n.to_string(), u.to_string()))
                .collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, cells: Vec<Cell>) {
        self.push_class(cells, None);
    }

    pub fn push_class(&mut self, cells: Vec<Cell>, class: Option<&'static str>) {
        self.rows.push(Row { cells, class });
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// A column is right-aligned when it holds a number.
    fn numeric(&self, column: usize) -> bool {
        self.rows
            .iter()
            .any(|r| r.cells.get(column).is_some_and(Cell::numeric))
    }

    /// The header of a column in Markdown: "name (unit)".
    fn header(&self, column: usize) -> String {
        match &self.columns[column] {
            (name, unit) if unit.is_empty() => name.clone(),
            (name, unit) => format!("{name} ({unit})"),
        }
    }

    pub fn markdown(&self) -> String {
        let n = self.columns.len();
        let mut md = String::new();
        let headers: Vec<String> = (0..n)
            .map(|c| escape::markdown_cell(&self.header(c)))
            .collect();
        let _ = writeln!(md, "| {} |", headers.join(" | "));
        let rule: Vec<&str> = (0..n)
            .map(|c| if self.numeric(c) { "---:" } else { "---" })
            .collect();
        let _ = writeln!(md, "|{}|", rule.join("|"));
        for row in &self.rows {
            let mut cells = Vec::with_capacity(n);
            for cell in &row.cells {
                cells.push(match cell {
                    Cell::Text(s) => escape::markdown_cell(s),
                    Cell::Int(v) => v.to_string(),
                    Cell::Real(v, decimals) => format!("{v:.decimals$}"),
                    Cell::Flag(s) => format!("**{}**", escape::markdown_cell(s)),
                    Cell::Empty => String::new(),
                    Cell::Failed(why) => format!("failed: {}", escape::markdown_cell(why)),
                });
            }
            cells.resize(n, String::new());
            let _ = writeln!(md, "| {} |", cells.join(" | "));
        }
        md
    }

    pub fn html(&self) -> String {
        let n = self.columns.len();
        let mut h = String::from("<table>\n<thead><tr>");
        for (c, (name, unit)) in self.columns.iter().enumerate() {
            let class = if self.numeric(c) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(h, "<th{class}>{}", escape::html(name));
            if !unit.is_empty() {
                let _ = write!(h, "<br><span class=\"unit\">{}</span>", escape::html(unit));
            }
            h.push_str("</th>");
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            match row.class {
                Some(class) => {
                    let _ = write!(h, "<tr class=\"{class}\">");
                }
                None => h.push_str("<tr>"),
            }
            for (c, cell) in row.cells.iter().enumerate() {
                let _ = match cell {
                    Cell::Text(s) => write!(h, "<td>{}</td>", escape::html(s)),
                    Cell::Int(v) => write!(h, "<td class=\"num\">{}</td>", grouped(*v)),
                    Cell::Real(v, decimals) => write!(h, "<td class=\"num\">{v:.decimals$}</td>"),
                    Cell::Flag(s) => write!(h, "<td class=\"flag\">{}</td>", escape::html(s)),
                    Cell::Empty => write!(h, "<td></td>"),
                    Cell::Failed(why) => write!(
                        h,
                        "<td class=\"failed\" colspan=\"{}\">failed: {}</td>",
                        n - c,
                        escape::html(why)
                    ),
                };
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
        h
    }
}

/// A count with its thousands apart (a narrow no-break space between groups), as
/// the README writes them: 1 493 997.
pub fn grouped(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(&[
            ("run", ""),
            ("cycles", ""),
            ("IPC", "instructions per cycle"),
        ]);
        t.push(vec![
            Cell::text("a|b"),
            Cell::Int(1234567),
            Cell::Real(0.5, 3),
        ]);
        t.push_class(
            vec![Cell::Flag("FAIL".into()), Cell::Failed("<x>".into())],
            Some("bad"),
        );
        t
    }

    #[test]
    fn markdown_aligns_numbers_right_and_keeps_every_row_whole() {
        assert_eq!(
            table().markdown(),
            "| run | cycles | IPC (instructions per cycle) |\n|---|---:|---:|\n\
             | a\\|b | 1234567 | 0.500 |\n| **FAIL** | failed: <x> |  |\n"
        );
    }

    #[test]
    fn html_has_units_in_headers_grouped_digits_and_a_spanning_failure() {
        let h = table().html();
        assert!(
            h.contains(
                "<th class=\"num\">IPC<br><span class=\"unit\">instructions per cycle</span></th>"
            ),
            "{h}"
        );
        assert!(
            h.contains("<td class=\"num\">1\u{202f}234\u{202f}567</td>"),
            "{h}"
        );
        assert!(h.contains("<tr class=\"bad\"><td class=\"flag\">FAIL</td><td class=\"failed\" colspan=\"2\">failed: &lt;x&gt;</td></tr>"), "{h}");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1\u{202f}000");
    }
}
