//! What the Linux console says about the run: init's result line, and the kernel's
//! own reports of trouble. A panic, an oops or a `BUG:`/`WARNING:` line fails the
//! run with that line, unless it is a known finding the caller expects (then it is
//! recorded, and its absence is the failure).

/// init's machine-readable line (linux/init.c).
const RESULT_PREFIX: &str = "cosim-init: result=";

/// Lines that mean the kernel found something wrong.
const TROUBLE: &[&str] = &[
    "Kernel panic",
    "Oops",
    "BUG:",
    "WARNING:",
    "Unable to handle kernel",
];

/// init's result: `ok` with its figures, or why it failed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InitResult {
    pub ok: bool,
    /// The line as init printed it (without the kernel's timestamp).
    pub line: String,
    pub pages: Option<u64>,
    pub mismatches: Option<u64>,
    pub memfree_kb: Option<u64>,
    pub memtotal_kb: Option<u64>,
}

/// Reads the console line by line.
#[derive(Clone, Debug, Default)]
pub struct ConsoleWatch {
    /// Texts of known kernel findings (the start of the line, timestamp removed).
    pub expected: Vec<String>,
    /// Known findings seen, each once, with how often.
    pub findings: Vec<(String, u64)>,
    pub result: Option<InitResult>,
}

impl ConsoleWatch {
    pub fn new(expected: Vec<String>) -> Self {
        Self {
            expected,
            ..Self::default()
        }
    }

    /// Takes one console line; an error is a line that fails the run.
    pub fn line(&mut self, raw: &str) -> Result<(), String> {
        let line = strip_timestamp(raw.trim_end());
        if let Some(at) = line.find(RESULT_PREFIX) {
            let result = parse_result(&line[at..]);
            let ok = result.ok;
            let text = result.line.clone();
            self.result = Some(result);
            return if ok { Ok(()) } else { Err(text) };
        }
        if !TROUBLE.iter().any(|t| line.contains(t)) {
            return Ok(());
        }
        match self.expected.iter().find(|e| line.starts_with(e.as_str())) {
            Some(expected) => {
                match self.findings.iter_mut().find(|(t, _)| t == expected) {
                    Some((_, n)) => *n += 1,
                    None => self.findings.push((expected.clone(), 1)),
                }
                Ok(())
            }
            None => Err(line.to_string()),
        }
    }

    /// The expected findings that never showed.
    pub fn missing(&self) -> Vec<&str> {
        self.expected
            .iter()
            .filter(|e| !self.findings.iter().any(|(t, _)| t == *e))
            .map(String::as_str)
            .collect()
    }
}

/// The line without printk's `[    1.234567] ` prefix.
fn strip_timestamp(line: &str) -> &str {
    if let (Some(rest), true) = (line.strip_prefix('['), line.contains(']')) {
        if let Some(end) = rest.find("] ") {
            if rest[..end]
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            {
                return &rest[end + 2..];
            }
        }
    }
    line
}

fn parse_result(line: &str) -> InitResult {
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
    };
    InitResult {
        ok: line.starts_with("cosim-init: result=ok"),
        line: line.to_string(),
        pages: field("pages"),
        mismatches: field("mismatches"),
        memfree_kb: field("memfree_kb"),
        memtotal_kb: field("memtotal_kb"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_result_and_kernel_trouble() {
        let mut w = ConsoleWatch::new(vec!["BUG: Bad page map in process init".into()]);
        assert!(w.line("[    0.000000] Linux version 6.12").is_ok());
        assert!(w
            .line("[    3.1] BUG: Bad page map in process init  pte:400802d7 pmd:2027c001")
            .is_ok());
        assert!(w
            .line("BUG: Bad page map in process init  pte:400802d8")
            .is_ok());
        assert_eq!(
            w.findings,
            [("BUG: Bad page map in process init".to_string(), 2)]
        );
        assert!(w.missing().is_empty());
        assert_eq!(
            w.line("[    4.0] Kernel panic - not syncing: Attempted to kill init!"),
            Err("Kernel panic - not syncing: Attempted to kill init!".into())
        );
        assert!(w.line("BUG: unable to handle page fault").is_err());
        assert!(w
            .line("[    5.0] cosim-init: result=ok pages=512 mismatches=0 memfree_kb=1000 memtotal_kb=2000")
            .is_ok());
        let r = w.result.clone().unwrap();
        assert!(r.ok);
        assert_eq!(
            (r.pages, r.mismatches, r.memtotal_kb),
            (Some(512), Some(0), Some(2000))
        );
        assert_eq!(
            w.line("cosim-init: result=fail reason=no-/dev/dax0.0"),
            Err("cosim-init: result=fail reason=no-/dev/dax0.0".into())
        );
        let fresh = ConsoleWatch::new(vec!["BUG: Bad page map".into()]);
        assert_eq!(fresh.missing(), ["BUG: Bad page map"]);
    }
}
