//! Everything cosim writes: files that are never half-written ([`atomic`]), text made
//! safe for HTML, XML and Markdown ([`escape`]), tables written as both Markdown and
//! HTML ([`table`]), SVG bar charts ([`chart`]), and a report's document made of
//! them, written as Markdown and as an HTML page ([`document`]).

mod atomic;
pub mod chart;
pub mod document;
pub mod escape;
pub mod table;

pub use atomic::{
    copy_atomic, create_dir, partial_path, write_atomic, write_in, OutputError, Partial, Target,
};
