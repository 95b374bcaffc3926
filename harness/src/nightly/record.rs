//! How one run of the matrix went: what the summary, JUnit and the report are made of.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One run's outcome. Holds no wall-clock time, so that the same matrix on the same
/// RTL gives the same record wherever and whenever it runs.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RunRecord {
    /// Position in the full (unsharded) matrix.
    pub index: usize,
    pub id: String,
    pub kind: String,
    pub rtl: String,
    pub passed: bool,
    /// Why it failed (empty when it passed).
    pub message: String,
    /// The command that reproduces the run, from the nightly output directory.
    pub command: String,
    /// Every integer the run's JSON holds, by dotted path (counters, cycles, ...).
    pub counters: BTreeMap<String, u64>,
    /// The waveform of the cycles before a failure, relative to the output directory.
    pub wave: Option<String>,
}

impl RunRecord {
    /// The id as a file name.
    pub fn slug(&self) -> String {
        self.id.replace('/', ".")
    }
}

/// Every integer leaf of `value`, by dotted path (array elements by their `name`, else
/// by index).
pub fn flatten(value: &Value) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    walk(value, String::new(), &mut out);
    out
}

fn walk(value: &Value, path: String, out: &mut BTreeMap<String, u64>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Number(n) => {
            if let Some(v) = n.as_u64() {
                out.insert(path, v);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                walk(v, join(k), out);
            }
        }
        Value::Array(items) => {
            // Elements that carry a name are keyed by it (stable if the list grows).
            for (i, v) in items.iter().enumerate() {
                let key = v
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or(i.to_string(), str::to_string);
                walk(v, join(&key), out);
            }
        }
        _ => {}
    }
}

/// `args` as one shell command line (quoted where needed).
pub fn shell_line(program: &str, args: &[String]) -> String {
    std::iter::once(program)
        .chain(args.iter().map(String::as_str))
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_=./,:+@".contains(c))
            {
                a.to_string()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flatten_keeps_integers_by_path() {
        let v = json!({"cycles": 10, "ipc": 0.5, "counters": {"walks": 3},
                       "phases": [{"counters": {"walks": 1}}], "name": "x",
                       "events": [{"name": "walks", "rtl": 2}]});
        let f = flatten(&v);
        assert_eq!(f.len(), 4);
        assert_eq!(f["events.walks.rtl"], 2);
        assert_eq!(f["cycles"], 10);
        assert_eq!(f["counters.walks"], 3);
        assert_eq!(f["phases.0.counters.walks"], 1);
    }

    #[test]
    fn shell_line_quotes_what_needs_it() {
        let args = vec!["run".to_string(), "a b".into(), "it's".into()];
        assert_eq!(
            shell_line("/x/cosim", &args),
            r"/x/cosim run 'a b' 'it'\''s'"
        );
    }
}
