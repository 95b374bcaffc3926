//! Counters per function, as `perf report` shows them: retired PCs symbolized with an
//! ELF's symbol table (`vmlinux` for the Linux boot, the program itself for `cosim
//! run`), a shadow call stack kept from calls and returns, and every counter
//! attributed inclusively to the functions on it.

mod profiler;

pub use profiler::{FunctionTotals, Milestone, Profile, Profiler};

use object::{Object, ObjectSymbol, SymbolKind};

/// A function's address range and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub start: u64,
    pub end: u64,
    pub name: String,
}

/// The functions of an ELF, sorted by address, for address → function lookups.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    functions: Vec<Function>,
}

impl Symbols {
    /// The text symbols of `elf` (functions, and labels of hand-written assembly,
    /// which have no size: they reach to the next symbol).
    pub fn from_elf(elf: &[u8]) -> Result<Self, object::Error> {
        let file = object::File::parse(elf)?;
        let mut starts: Vec<(u64, u64, String)> = file
            .symbols()
            .filter(|s| s.kind() == SymbolKind::Text && s.is_definition())
            // Rust names demangled, without their hash (C names stay as they are).
            .filter_map(|s| {
                let name = format!("{:#}", rustc_demangle::demangle(s.name().ok()?));
                Some((s.address(), s.size(), name))
            })
            .filter(|(_, _, name)| !name.is_empty() && !name.starts_with(".L"))
            .collect();
        starts.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        starts.dedup_by_key(|s| s.0);
        let mut functions = Vec::with_capacity(starts.len());
        for (i, (start, size, name)) in starts.iter().enumerate() {
            let next = starts.get(i + 1).map_or(u64::MAX, |n| n.0);
            let end = if *size > 0 { start + size } else { next };
            functions.push(Function {
                start: *start,
                end: end.min(next).max(start + 1),
                name: name.clone(),
            });
        }
        Ok(Self { functions })
    }

    /// The index of the function holding `pc`.
    #[inline]
    pub fn lookup(&self, pc: u64) -> Option<usize> {
        let i = self.functions.partition_point(|f| f.start <= pc);
        let f = self.functions.get(i.checked_sub(1)?)?;
        (pc < f.end).then_some(i - 1)
    }

    /// The function at index `i`.
    pub fn function(&self, i: usize) -> &Function {
        &self.functions[i]
    }

    /// The index of the function called `name`.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.functions.iter().position(|f| f.name == name)
    }

    pub fn len(&self) -> usize {
        self.functions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_the_function_holding_a_pc() {
        let s = Symbols {
            functions: vec![
                Function {
                    start: 0x100,
                    end: 0x120,
                    name: "a".into(),
                },
                Function {
                    start: 0x200,
                    end: 0x280,
                    name: "b".into(),
                },
            ],
        };
        assert_eq!(s.lookup(0x100), Some(0));
        assert_eq!(s.lookup(0x11f), Some(0));
        assert_eq!(s.lookup(0x120), None);
        assert_eq!(s.lookup(0xff), None);
        assert_eq!(s.lookup(0x27f), Some(1));
        assert_eq!(s.by_name("b"), Some(1));
    }
}
