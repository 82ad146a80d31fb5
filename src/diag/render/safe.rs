//! Making a stack's text safe to echo on a terminal. Control characters (C0 and C1, DEL, a
//! carriage return not followed by a line feed) and the invisible bidirectional-text controls
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) are shown as `\u{1b}` escapes, so a
//! stack cannot move the cursor, recolour or rewrite the user's terminal, or make a line read
//! differently from what it is. Echoed text is cut: a source line to `WIDTH` characters around
//! the places diagnostics point at, one word of a message to `WORD` characters, a whole message
//! to `MESSAGE` characters, each cut marked with `…`.
//!
//! `View` is the source as the human renderer shows it: escaped and cut, with the byte offsets
//! of the original mapped onto it, and line and column numbers still those of the original.

use codespan_reporting::files::{Error, Files};
use std::borrow::Cow;
use std::fmt::Write;
use std::ops::Range;

/// The longest source line echoed whole, in characters.
pub(super) const WIDTH: usize = 120;
/// Characters kept before and after a place a diagnostic points at, on a longer line.
const BEFORE: usize = 40;
const AFTER: usize = 70;
/// The longest word of a message (an identifier, a string) echoed whole.
pub(super) const WORD: usize = 80;
/// The longest message echoed whole.
pub(super) const MESSAGE: usize = 1000;

fn is_unsafe(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Each char of `text` with the one after it.
fn with_next(text: &str) -> impl Iterator<Item = (usize, char, Option<char>)> + '_ {
    text.char_indices().map(|(i, c)| {
        let next = text.get(i + c.len_utf8()..).and_then(|s| s.chars().next());
        (i, c, next)
    })
}

/// `text` with every unsafe character escaped (line feeds and tabs are kept).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !with_next(text).any(|(_, c, next)| is_unsafe(c, next)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (_, c, next) in with_next(text) {
        if is_unsafe(c, next) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message, label or help text as it may be shown: escaped, long words and long messages cut.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MESSAGE + 16));
    let (mut word, mut total) = (0usize, 0usize);
    for (_, c, next) in with_next(text) {
        if total == MESSAGE {
            out.push('…');
            break;
        }
        if c.is_whitespace() {
            word = 0;
        } else {
            word += 1;
            if word > WORD {
                if word == WORD + 1 {
                    out.push('…');
                }
                continue;
            }
        }
        total += 1;
        if is_unsafe(c, next) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// From `orig` on (up to the next piece), the original maps onto the shown text at `shown`:
/// byte for byte when `linear`, else all to `shown` (an escape or a cut).
struct Piece {
    orig: usize,
    shown: usize,
    linear: bool,
}

/// The source as shown by the human renderer.
pub(super) struct View<'a> {
    name: String,
    source: &'a str,
    text: String,
    pieces: Vec<Piece>,
    line_starts: Vec<usize>,
    orig_line_starts: Vec<usize>,
}

impl<'a> View<'a> {
    /// The shown form of `source`; `anchors` are the byte offsets diagnostics point at, kept
    /// visible on a line that is cut.
    pub(super) fn new(name: &str, source: &'a str, mut anchors: Vec<usize>) -> View<'a> {
        anchors.sort_unstable();
        anchors.dedup();
        let mut view = View {
            name: escape_controls(name).into_owned(),
            source,
            text: String::with_capacity(source.len() + 64),
            pieces: Vec::new(),
            line_starts: vec![0],
            orig_line_starts: vec![0],
        };
        let mut start = 0;
        for line in source.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            view.line(start, content, &anchors);
            if content.len() < line.len() {
                view.copy(start + content.len(), "\n");
                view.line_starts.push(view.text.len());
                view.orig_line_starts.push(start + line.len());
            }
            start += line.len();
        }
        view
    }

    fn piece(&mut self, orig: usize, linear: bool) {
        if linear
            && self.pieces.last().is_some_and(|p| {
                p.linear && p.shown + (orig.saturating_sub(p.orig)) == self.text.len()
            })
        {
            return;
        }
        self.pieces.push(Piece {
            orig,
            shown: self.text.len(),
            linear,
        });
    }

    /// Shows `text`, which starts at `orig` in the source, escaping what must be.
    fn copy(&mut self, orig: usize, text: &str) {
        for (i, c, next) in with_next(text) {
            if is_unsafe(c, next) {
                self.piece(orig + i, false);
                push_escape(&mut self.text, c);
            } else {
                self.piece(orig + i, true);
                self.text.push(c);
            }
        }
    }

    /// Marks a cut: the source from `orig` to the next piece is not shown.
    fn cut(&mut self, orig: usize) {
        self.piece(orig, false);
        self.text.push('…');
    }

    /// One line without its line feed, starting at `start`; cut around the anchors on it when
    /// it is longer than `WIDTH` characters.
    fn line(&mut self, start: usize, content: &str, anchors: &[usize]) {
        let chars: Vec<usize> = content.char_indices().map(|(i, _)| i).collect();
        if chars.len() <= WIDTH {
            self.copy(start, content);
            return;
        }
        let first = anchors.partition_point(|&a| a < start);
        let last = anchors.partition_point(|&a| a <= start + content.len());
        let mut windows: Vec<Range<usize>> = Vec::new();
        for &anchor in anchors.get(first..last).unwrap_or(&[]) {
            let at = chars.partition_point(|&i| start + i < anchor);
            let window = at.saturating_sub(BEFORE)..(at + AFTER).min(chars.len());
            match windows.last_mut() {
                Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
                _ => windows.push(window),
            }
        }
        if windows.is_empty() {
            windows.push(0..WIDTH);
        }
        let byte = |char_index: usize| chars.get(char_index).copied().unwrap_or(content.len());
        let mut shown_to = 0;
        for window in windows {
            if window.start > shown_to {
                self.cut(start + byte(shown_to));
            }
            let (from, to) = (byte(window.start), byte(window.end));
            self.copy(start + from, content.get(from..to).unwrap_or(""));
            shown_to = window.end;
        }
        if shown_to < chars.len() {
            self.cut(start + byte(shown_to));
        }
    }

    /// The shown offset of an offset in the source.
    pub(super) fn map(&self, orig: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.orig <= orig);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(p) if p.linear => (p.shown + (orig - p.orig)).min(self.text.len()),
            Some(p) => p.shown,
            None => 0,
        }
    }

    /// The source offset of a shown offset.
    fn unmap(&self, shown: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.shown <= shown);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(p) if p.linear => p.orig + (shown - p.shown),
            Some(p) => p.orig,
            None => 0,
        }
    }

    fn line_start(&self, line_index: usize) -> Result<usize, Error> {
        match self.line_starts.get(line_index) {
            Some(&start) => Ok(start),
            None if line_index == self.line_starts.len() => Ok(self.text.len()),
            None => Err(Error::LineTooLarge {
                given: line_index,
                max: self.line_starts.len().saturating_sub(1),
            }),
        }
    }
}

impl<'a> Files<'a> for View<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .line_starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }

    /// The column in the original line, in characters, whatever was escaped or cut before it.
    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let orig = self.unmap(byte_index).min(self.source.len());
        let line_start = self
            .orig_line_starts
            .get(line_index)
            .copied()
            .unwrap_or(0)
            .min(orig);
        Ok(self
            .source
            .get(line_start..orig)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1)
    }
}
