//! Byte offsets to lines and columns and back: the one line index of the compiler.
//!
//! Diagnostics count columns in characters (1-based, like rustc), the source map records
//! lines, and editors speak the Language Server Protocol, which counts UTF-16 code units by
//! default (and UTF-8 bytes when negotiated). `LineIndex` answers all three from one table of
//! line starts. A line ends at `\n`; a `\r` before it belongs to no column anyone can point
//! at, so it is simply the end of the line's text. A UTF-8 byte-order mark at the start of the
//! file is not part of the first line: line 1 starts after it.

/// Where a byte offset is, every way editors and people count. All fields are 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    /// Bytes since the start of the line.
    pub utf8: usize,
    /// Characters (Unicode scalar values) since the start of the line.
    pub chars: usize,
    /// UTF-16 code units since the start of the line (an astral character counts 2).
    pub utf16: usize,
}

impl Position {
    /// The 1-based line and 1-based character column that diagnostics print.
    pub fn line_col(self) -> (usize, usize) {
        (self.line + 1, self.chars + 1)
    }
}

/// The line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    table: std::borrow::Cow<'a, LineTable>,
}

/// What a [`LineIndex`] knows of its text, owned, so that a holder of the text (the language
/// server's document) builds it once per version: the line starts, and with
/// [`LineTable::with_columns`] the columns at every [`CHECKPOINT`] bytes of a long line, so
/// that the position of any offset costs a bounded scan however long its line is.
#[derive(Debug, Clone, Default)]
pub struct LineTable {
    /// Byte offset where each line starts; never empty once built.
    starts: Vec<usize>,
    /// `(offset, chars, utf16)`: at byte `offset`, a character boundary, its line has that many
    /// characters and UTF-16 units before it. Sorted; at most one per `CHECKPOINT` bytes.
    checkpoints: Vec<(usize, usize, usize)>,
}

/// How many bytes of a line a position is counted over at most, with checkpoints.
pub(crate) const CHECKPOINT: usize = 512;

impl LineTable {
    /// The line starts of `text`.
    pub fn new(text: &str) -> LineTable {
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(first);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineTable {
            starts,
            checkpoints: Vec::new(),
        }
    }

    /// The line starts and the column checkpoints of `text` (one more pass over it).
    pub fn with_columns(text: &str) -> LineTable {
        let mut table = LineTable::new(text);
        let (mut chars, mut utf16, mut since) = (0, 0, 0);
        let mut next_line = 0;
        for (i, c) in text.char_indices() {
            if table.starts.get(next_line).is_some_and(|&s| s <= i) {
                (chars, utf16, since) = (0, 0, 0);
                next_line += 1;
            }
            if since >= CHECKPOINT {
                table.checkpoints.push((i, chars, utf16));
                since = 0;
            }
            chars += 1;
            utf16 += c.len_utf16();
            since += c.len_utf8();
        }
        table
    }
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            table: std::borrow::Cow::Owned(LineTable::new(text)),
        }
    }

    /// The index of `text` over a table built for it (`LineTable::new(text)` or
    /// `LineTable::with_columns(text)`): no work.
    pub fn over(text: &'a str, table: &'a LineTable) -> LineIndex<'a> {
        LineIndex {
            text,
            table: std::borrow::Cow::Borrowed(table),
        }
    }

    fn starts(&self) -> &[usize] {
        &self.table.starts
    }

    /// How many lines the text has (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// The 0-based line holding byte `offset` (offsets past the end are on the last line).
    pub fn line(&self, offset: usize) -> usize {
        self.starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte range of a line's text, without its `\n` or `\r\n`.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts().get(line)?;
        let end = match self.starts().get(line + 1) {
            Some(next) => next.saturating_sub(1),
            None => self.text.len(),
        };
        let text = self.text.get(start..end).unwrap_or("");
        Some(start..start + text.strip_suffix('\r').unwrap_or(text).len())
    }

    /// The position of a byte offset. An offset inside a character counts as that character's
    /// start; one past the end of the text as the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.line(offset);
        let start = self.starts().get(line).copied().unwrap_or(0).min(offset);
        // The last checkpoint of this line at or before `offset`, if any: count from there.
        let checkpoints = &self.table.checkpoints;
        let (from, chars, utf16) = checkpoints
            .get(
                checkpoints
                    .partition_point(|&(at, _, _)| at <= offset)
                    .wrapping_sub(1),
            )
            .filter(|&&(at, _, _)| at >= start)
            .copied()
            .unwrap_or((start, 0, 0));
        let before = self.text.get(from..offset).unwrap_or("");
        Position {
            line,
            utf8: offset - start,
            chars: chars + before.chars().count(),
            utf16: utf16 + before.chars().map(char::len_utf16).sum::<usize>(),
        }
    }

    /// The 1-based line and character column of a byte offset, as diagnostics print them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.position(offset).line_col()
    }

    /// The byte offset of a 0-based line and UTF-16 column (how LSP clients count). A column
    /// past the end of the line means its end, one inside a surrogate pair the character's
    /// start; `None` for a line the text does not have.
    pub fn offset_utf16(&self, line: usize, column: usize) -> Option<usize> {
        let range = self.line_range(line)?;
        let text = self.text.get(range.clone())?;
        let mut units = 0;
        for (i, c) in text.char_indices() {
            units += c.len_utf16();
            if units > column {
                return Some(range.start + i);
            }
        }
        Some(range.end)
    }

    /// The byte offset of a 0-based line and byte column (LSP's negotiated UTF-8 encoding),
    /// clamped to the line and to a character boundary.
    pub fn offset_utf8(&self, line: usize, column: usize) -> Option<usize> {
        let range = self.line_range(line)?;
        let offset = (range.start + column).min(range.end);
        Some(floor_char_boundary(self.text, offset))
    }
}

/// `offset`, moved back to the start of the character it falls in, and at most `text.len()`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, utf8: usize, chars: usize, utf16: usize) -> Position {
        Position {
            line,
            utf8,
            chars,
            utf16,
        }
    }

    #[test]
    fn ascii() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(0), pos(0, 0, 0, 0));
        assert_eq!(index.position(2), pos(0, 2, 2, 2));
        assert_eq!(index.position(3), pos(1, 0, 0, 0));
        assert_eq!(index.position(4), pos(1, 1, 1, 1));
        assert_eq!(index.position(6), pos(2, 0, 0, 0));
        assert_eq!(index.position(99), pos(2, 0, 0, 0));
        assert_eq!(index.line_col(4), (2, 2));
        assert_eq!(index.offset_utf16(1, 1), Some(4));
        assert_eq!(index.offset_utf16(1, 50), Some(5));
        assert_eq!(index.offset_utf16(2, 0), Some(6));
        assert_eq!(index.offset_utf16(3, 0), None);
        assert_eq!(index.line_range(0), Some(0..2));
    }

    #[test]
    fn multi_byte_utf8() {
        // `é` is 2 bytes, 1 char, 1 UTF-16 unit; `€` is 3 bytes, 1 char, 1 unit.
        let text = "x = \"é€\" y";
        let index = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(index.position(y), pos(0, 12, 9, 9));
        assert_eq!(index.offset_utf16(0, 9), Some(y));
        assert_eq!(index.offset_utf8(0, 12), Some(y));
        // Inside `é`: its start.
        assert_eq!(index.position(6), pos(0, 5, 5, 5));
        assert_eq!(index.offset_utf8(0, 6), Some(5));
    }

    #[test]
    fn astral_characters_are_surrogate_pairs_in_utf16() {
        // `😀` is 4 bytes, 1 char, 2 UTF-16 units.
        let text = "a😀b\n😀😀c";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(b), pos(0, 5, 2, 3));
        let c = text.find('c').unwrap();
        assert_eq!(index.position(c), pos(1, 8, 2, 4));
        assert_eq!(index.offset_utf16(0, 3), Some(b));
        assert_eq!(index.offset_utf16(1, 4), Some(c));
        // Column 1 and 2 on line 0 fall in the emoji: its start (1), then `b`.
        assert_eq!(index.offset_utf16(0, 1), Some(1));
        assert_eq!(index.offset_utf16(0, 2), Some(1));
        assert_eq!(index.line_col(c), (2, 3));
    }

    #[test]
    fn crlf_lines_end_before_the_carriage_return() {
        let text = "ab\r\ncd\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(0), Some(0..2));
        assert_eq!(index.line_range(1), Some(4..6));
        assert_eq!(index.position(4), pos(1, 0, 0, 0));
        assert_eq!(index.offset_utf16(0, 10), Some(2));
        assert_eq!(index.offset_utf16(1, 2), Some(6));
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn a_byte_order_mark_is_not_in_the_first_line() {
        let text = "\u{feff}ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), pos(0, 0, 0, 0));
        assert_eq!(index.position(3), pos(0, 0, 0, 0));
        assert_eq!(index.position(4), pos(0, 1, 1, 1));
        assert_eq!(index.line_col(6), (2, 1));
        assert_eq!(index.offset_utf16(0, 0), Some(3));
        assert_eq!(index.line_range(0), Some(3..5));
    }

    /// Checkpoints change no answer, on long lines of wide characters, short lines, CRLF and
    /// a byte-order mark.
    #[test]
    fn checkpoints_give_the_same_positions() {
        let long: String = "aé😀€ ".repeat(700);
        let text = format!("\u{feff}x\r\n{long}\n\nshort é\n{long}{long}");
        let table = LineTable::with_columns(&text);
        assert!(table.checkpoints.len() > 10);
        let plain = LineIndex::new(&text);
        let fast = LineIndex::over(&text, &table);
        for offset in 0..=text.len() + 2 {
            assert_eq!(plain.position(offset), fast.position(offset), "{offset}");
        }
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(index.position(5), pos(0, 0, 0, 0));
        assert_eq!(index.offset_utf16(0, 3), Some(0));
    }
}
