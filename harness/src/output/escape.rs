//! Text made safe for the formats cosim writes.

/// Text escaped for HTML and XML, in character data and in quoted attributes alike;
/// characters XML 1.0 cannot hold (most control characters) become U+FFFD.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Text for one cell of a Markdown table: a `|` would end the cell and a line break
/// the row.
pub fn markdown_cell(s: &str) -> String {
    s.replace('|', "\\|")
        .split(['\n', '\r'])
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{fffd}\n"
        );
    }

    #[test]
    fn markdown_cells_keep_to_their_cell_and_row() {
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b c");
    }
}
