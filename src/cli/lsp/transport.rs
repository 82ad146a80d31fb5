//! The base protocol of LSP on a byte stream: messages framed by headers
//! (`Content-Length: N\r\n\r\n` then N bytes of JSON), read with bounds no client can push
//! past. `lsp-server`'s transport reads a header line whatever its length and allocates
//! whatever `Content-Length` says (a huge one aborts the process); its reading cannot be
//! bounded from outside, and it is fifty lines, so the server reads the stream itself:
//!
//! - a header line is kept up to [`MAX_HEADER_LINE`] bytes; past that its middle is dropped as
//!   it arrives (only its last bytes are kept), so a line without a newline costs no memory;
//! - a body is read only when `Content-Length` is at most [`MAX_MESSAGE_BYTES`], and only as
//!   its bytes arrive (a length the client does not send costs nothing);
//! - a message that cannot be read (no usable `Content-Length`, or a larger one) is reported
//!   ([`Frame::Refused`]) and reading goes on at the next header: every byte up to it is read
//!   as a header line and dropped. A JSON body cannot end a line with `Content-Length: N`
//!   (JSON strings hold no line break, and the words are no JSON outside a string), so the
//!   next message is found wherever it starts, after a body of any size in any layout.

use std::io::{self, BufRead, Read, Write};

/// The largest message body read: 16 MiB, room for a document at the language server's limit
/// (`pmigc::lsp::MAX_DOCUMENT_BYTES`, 4 MiB) with every character escaped in JSON.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// The most bytes of one header line kept (the base protocol's headers are a few dozen).
pub const MAX_HEADER_LINE: usize = 1024;

/// What the next message on the stream is.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body within the limit.
    Message(Vec<u8>),
    /// A message that was not read, and why (in words for the client's log).
    Refused(String),
}

/// A header line: its text when it was short enough, else only its last bytes.
struct Line {
    kept: Vec<u8>,
    whole: bool,
    /// Its length in the input.
    length: u64,
}

/// Reads frames from `input`.
pub struct Reader<R> {
    input: R,
    skipped: u64,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        Reader { input, skipped: 0 }
    }

    /// The next frame; `None` at the end of the input (also in the middle of a message).
    pub fn next(&mut self) -> io::Result<Option<Frame>> {
        let mut length: Option<Result<usize, String>> = None;
        // Whether the lines since the last header were no header (a body not read).
        let mut junk = false;
        loop {
            let Some(line) = self.line()? else {
                return Ok(None);
            };
            let text = trim_line_end(&line.kept);
            if text.is_empty() && line.whole {
                if junk && length.is_none() {
                    // A blank line among bytes that are no header: not the end of a header.
                    continue;
                }
                break;
            }
            match header(text, line.whole) {
                Some(Header::ContentLength(value)) => {
                    length = Some(value);
                    junk = false;
                }
                Some(Header::Other) => {}
                None => {
                    junk = true;
                    self.skipped += line.length;
                }
            }
        }
        let length = match length {
            Some(Ok(length)) => length,
            Some(Err(why)) => return Ok(Some(Frame::Refused(why))),
            None => {
                return Ok(Some(Frame::Refused(
                    "a message without a `Content-Length` header".into(),
                )));
            }
        };
        let mut body = Vec::new();
        // At most `length` bytes, as they arrive: no allocation of what the header claims.
        let read = (&mut self.input)
            .take(length as u64)
            .read_to_end(&mut body)?;
        if read < length {
            return Ok(None);
        }
        Ok(Some(Frame::Message(body)))
    }

    /// How many bytes that were no header were dropped since the last call (a body not read,
    /// bytes between messages); for the server's log.
    pub fn take_skipped(&mut self) -> u64 {
        std::mem::take(&mut self.skipped)
    }

    /// One line, up to and including its `\n` (or the end of the input), keeping at most
    /// `MAX_HEADER_LINE` bytes of it; `None` at the end of the input.
    fn line(&mut self) -> io::Result<Option<Line>> {
        let mut kept: Vec<u8> = Vec::new();
        let mut whole = true;
        let mut length = 0u64;
        loop {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok((length > 0).then_some(Line {
                    kept,
                    whole,
                    length,
                }));
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (available.get(..=i).unwrap_or(available), true),
                None => (available, false),
            };
            kept.extend_from_slice(chunk);
            if kept.len() > MAX_HEADER_LINE {
                // Keep the tail: a `Content-Length` after a body without a line break.
                whole = false;
                let drop = kept.len() - MAX_HEADER_LINE;
                kept.drain(..drop);
            }
            let used = chunk.len();
            length += used as u64;
            self.input.consume(used);
            if done {
                return Ok(Some(Line {
                    kept,
                    whole,
                    length,
                }));
            }
        }
    }
}

enum Header {
    ContentLength(Result<usize, String>),
    Other,
}

/// The header a line holds. A line that is no header may end with a `Content-Length` one (the
/// stream's next message, after bytes that were not read): that one counts.
fn header(line: &[u8], whole: bool) -> Option<Header> {
    const NAME: &[u8] = b"content-length:";
    let lower: Vec<u8> = line.to_ascii_lowercase();
    // `Name: value`, a name of token characters.
    let named = line.iter().position(|&b| b == b':').is_some_and(|colon| {
        colon > 0
            && line
                .get(..colon)
                .unwrap_or_default()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    });
    if whole && named && !lower.starts_with(NAME) {
        return Some(Header::Other);
    }
    let at = lower.windows(NAME.len()).rposition(|w| w == NAME)?;
    let value = line.get(at + NAME.len()..).unwrap_or_default();
    let value = String::from_utf8_lossy(value);
    let value = value.trim();
    let shown: String = value.chars().take(40).collect();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        // A header of its own line whose value is no number; elsewhere, not a header at all.
        return (at == 0 && whole).then(|| {
            Header::ContentLength(Err(format!(
                "a `Content-Length` that is not a number: `{shown}`"
            )))
        });
    }
    Some(Header::ContentLength(match value.parse::<usize>() {
        Ok(n) if n <= MAX_MESSAGE_BYTES => Ok(n),
        _ => Err(format!(
            "a message of {shown} bytes, more than the {} MiB the server reads",
            MAX_MESSAGE_BYTES / (1024 * 1024)
        )),
    }))
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Writes one message: its headers and its JSON body.
pub fn write(output: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(body)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = Reader::new(input);
        let mut out = Vec::new();
        while let Some(frame) = reader.next().unwrap() {
            out.push(frame);
        }
        out
    }

    fn message(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn messages_are_read_by_their_length() {
        let mut input = message("{\"a\":1}");
        input.extend(b"content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
        assert_eq!(
            frames(&input),
            [
                Frame::Message(b"{\"a\":1}".to_vec()),
                Frame::Message(b"{}".to_vec())
            ]
        );
    }

    #[test]
    fn a_message_too_large_is_refused_and_the_next_one_read() {
        for length in [
            "99999999999999999999999999",
            "18446744073709551615",
            &(MAX_MESSAGE_BYTES + 1).to_string(),
        ] {
            // A body sent in full (compact or spread over lines) and one not sent at all.
            for body in [
                "{\"x\": \"Content-Length: 3\"}",
                "{\r\n\"x\":\r\n1}\r\n",
                "",
            ] {
                let mut input = format!("Content-Length: {length}\r\n\r\n{body}").into_bytes();
                input.extend(message("{}"));
                let got = frames(&input);
                assert!(matches!(&got[0], Frame::Refused(why) if why.contains("16 MiB")));
                assert_eq!(got[1..], [Frame::Message(b"{}".to_vec())], "{body}");
            }
        }
    }

    #[test]
    fn a_header_line_without_end_keeps_a_bounded_tail() {
        let mut input = vec![b'x'; 10 * MAX_HEADER_LINE];
        input.extend(message("{}"));
        assert_eq!(frames(&input), [Frame::Message(b"{}".to_vec())]);
        let mut reader = Reader::new(&input[..]);
        let line = reader.line().unwrap().unwrap();
        assert!(!line.whole && line.kept.len() == MAX_HEADER_LINE);
    }

    #[test]
    fn bad_headers_are_refused() {
        let mut input = b"Content-Length: twelve\r\n\r\n".to_vec();
        input.extend(b"Content-Type: x\r\n\r\n");
        input.extend(message("[]"));
        let got = frames(&input);
        assert!(matches!(&got[0], Frame::Refused(why) if why.contains("not a number")));
        assert!(matches!(&got[1], Frame::Refused(why) if why.contains("without")));
        assert_eq!(got[2], Frame::Message(b"[]".to_vec()));
    }

    #[test]
    fn a_message_cut_short_ends_the_input() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}"), []);
        assert_eq!(frames(b"Content-Len"), []);
    }
}
