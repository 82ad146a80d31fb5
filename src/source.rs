//! The source text's coordinates, at the bottom of the compiler: [`Span`], a byte range, and
//! [`line_index`], the one map from byte offsets to lines and columns. The syntax tree, the
//! diagnostics, the checker and the language server all count in these; this module names no
//! other module of the crate, so `diag` can point into a stack without importing `syntax`.

pub(crate) mod line_index;

/// A byte range in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}
