//! A report as a list of blocks (headings, paragraphs, tables, charts), written as
//! Markdown for terminals and pull requests (charts left out: their figures are in
//! the tables) and as one self-contained HTML page: the style inline, no script,
//! nothing fetched.

use super::chart::BarChart;
use super::escape::html;
use super::table::Table;
use std::fmt::Write as _;

pub enum Block {
    /// A heading (level 2 or 3; the document's title is level 1), with a note shown
    /// beside it ("not reachable on RISC-V Linux 6.12").
    Heading {
        level: usize,
        text: String,
        note: Option<String>,
    },
    Paragraph(String),
    /// Preformatted text (a failure's message).
    Pre(String),
    /// A line of text ending in a command or a path, written as code.
    Code {
        text: String,
        code: String,
    },
    Table(Table),
    Charts(Vec<BarChart>),
}

pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn heading(&mut self, level: usize, text: impl Into<String>, note: Option<String>) {
        self.push(Block::Heading {
            level,
            text: text.into(),
            note,
        });
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.push(Block::Paragraph(text.into()));
    }

    pub fn markdown(&self) -> String {
        let mut md = format!("# {}\n", self.title);
        for block in &self.blocks {
            match block {
                Block::Heading { level, text, note } => {
                    let _ = write!(md, "\n{} {text}", "#".repeat(*level));
                    if let Some(note) = note {
                        let _ = write!(md, " ({note})");
                    }
                    md.push('\n');
                }
                Block::Paragraph(text) => {
                    let _ = write!(md, "\n{text}\n");
                }
                Block::Pre(text) => {
                    let _ = write!(md, "\n```\n{text}\n```\n");
                }
                Block::Code { text, code } => {
                    let _ = write!(md, "\n{text}: `{code}`\n");
                }
                Block::Table(table) => {
                    md.push('\n');
                    md.push_str(&table.markdown());
                }
                Block::Charts(_) => {}
            }
        }
        md
    }

    pub fn html(&self) -> String {
        let mut body = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading { level, text, note } => {
                    let _ = write!(body, "<h{level}>{}", html(text));
                    if let Some(note) = note {
                        let _ = write!(body, " <span class=\"note\">{}</span>", html(note));
                    }
                    let _ = writeln!(body, "</h{level}>");
                }
                Block::Paragraph(text) => {
                    let _ = writeln!(body, "<p>{}</p>", html(text));
                }
                Block::Pre(text) => {
                    let _ = writeln!(body, "<pre>{}</pre>", html(text));
                }
                Block::Code { text, code } => {
                    let _ = writeln!(body, "<p>{}: <code>{}</code></p>", html(text), html(code));
                }
                Block::Table(table) => body.push_str(&table.html()),
                Block::Charts(charts) => {
                    body.push_str("<div class=\"charts\">\n");
                    for chart in charts {
                        body.push_str(&chart.svg());
                    }
                    body.push_str("</div>\n");
                }
            }
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n{body}</body>\n</html>\n",
            t = html(&self.title)
        )
    }
}

/// The style of every report page.
const STYLE: &str = "\
body{font-family:sans-serif;margin:20px auto;max-width:1270px;padding:0 12px;color:#222;line-height:1.4}\
h1{font-size:24px;margin:0 0 8px}\
h2{font-size:19px;margin:26px 0 8px;padding-bottom:2px;border-bottom:1px solid #ccc}\
h3{font-size:16px;margin:18px 0 6px}\
p{max-width:1050px;margin:6px 0}\
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}\
th,td{border:1px solid #d0d0d0;padding:2px 7px;vertical-align:top}\
th{background:#eef1f5;text-align:left;font-weight:600}\
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
span.unit{font-weight:normal;color:#555;font-size:12px}\
tr.band td{background:#f3f6fa}\
tr.unreachable td{color:#5a5a5a;font-style:italic}\
td.flag,td.failed{color:#b00020;font-weight:600}\
.note{display:inline-block;padding:0 6px;border-radius:4px;background:#fff3cd;color:#6b4e00;font-size:13px;font-weight:normal}\
.charts{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}\
svg.chart{border:1px solid #e3e3e3}\
pre{background:#f6f6f6;padding:8px;overflow-x:auto}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::table::Cell;

    #[test]
    fn one_document_two_renderings() {
        let mut d = Document::new("a <report>");
        d.heading(2, "1 GiB alignment", Some("not reachable".into()));
        d.paragraph("x & y");
        let mut t = Table::new(&[("n", "")]);
        t.push(vec![Cell::Int(1)]);
        d.push(Block::Table(t));
        d.push(Block::Code {
            text: "reproduce".into(),
            code: "cosim run a.elf".into(),
        });
        let md = d.markdown();
        assert!(
            md.starts_with("# a <report>\n\n## 1 GiB alignment (not reachable)\n\nx & y\n"),
            "{md}"
        );
        assert!(
            md.contains("| 1 |") && md.contains("reproduce: `cosim run a.elf`"),
            "{md}"
        );
        let h = d.html();
        assert!(h.contains("<title>a &lt;report&gt;</title>"), "{h}");
        assert!(
            h.contains("<h2>1 GiB alignment <span class=\"note\">not reachable</span></h2>"),
            "{h}"
        );
        assert!(
            h.contains("<p>x &amp; y</p>") && h.contains("<td class=\"num\">1</td>"),
            "{h}"
        );
        assert!(!h.contains("<script") && !h.contains("http://") && !h.contains("https://"));
    }
}
