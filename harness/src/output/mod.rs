//! Everything cosim writes: files that are never half-written ([`atomic`]) and text
//! made safe for HTML, XML and Markdown ([`escape`]).

mod atomic;
pub mod escape;

pub use atomic::{
    copy_atomic, create_dir, partial_path, write_atomic, write_in, OutputError, Partial, Target,
};
