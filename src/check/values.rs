//! Typed readers for attribute values: strings, percentages, durations, counts, ports,
//! CIDR blocks, ranges and enumerations. Each follows input references, reports a precise
//! error (with the fix when one is obvious: the missing `%`, the missing `s`) and returns
//! `None` when the value is unusable, so one mistake yields one diagnostic.

mod diagnostics;
pub(crate) use diagnostics::{
    CountOutOfRange, HostBitsSet, InvalidCidr, MissingUnit, PercentOutOfRange, PortOutOfRange,
    WrongUnit,
};

use super::context::Ctx;
use super::error::replace;
use super::mismatch::{TypeMismatch, UnknownValue, value_text};
use crate::diag::{at, did_you_mean};
use crate::model::{Percent, Port, Seconds};
use crate::syntax::ast::{Ident, Span, Term, TermKind, Value, dotted};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Units of time and how many seconds each is.
const TIME_UNITS: &[(&str, u64)] = &[
    ("s", 1),
    ("sec", 1),
    ("second", 1),
    ("seconds", 1),
    ("m", 60),
    ("min", 60),
    ("minute", 60),
    ("minutes", 60),
    ("h", 3600),
    ("hour", 3600),
    ("hours", 3600),
    ("d", 86400),
    ("day", 86400),
    ("days", 86400),
];

impl<'a> Ctx<'a> {
    /// Like `follow`, but an input of a type the attribute cannot take (a `percent` input as
    /// a count) is reported here, at its use, not at the value a workspace gives the input.
    pub(crate) fn follow_typed(
        &mut self,
        value: &'a Value,
        accepts: &[&str],
        expected: &str,
    ) -> Option<(&'a Value, Option<&'a Ident>)> {
        if let Some(TermKind::Path(path)) = value.single().map(|t| &t.kind)
            && let [name] = path.as_slice()
            && let Some(decl) = self.decls.get(&name.text)
            && let super::names::Declared::Input(input) = decl.item
            && crate::registry::INPUT_TYPES.contains(&input.ty.text.as_str())
            && !accepts.contains(&input.ty.text.as_str())
        {
            self.decls.mark_used(decl, name.span);
            self.error(TypeMismatch {
                expected: expected.to_string(),
                found: format!("input `{}`, a {}", name.text, input.ty.text),
                at: at(value.span),
                help: Some(match accepts {
                    [] => format!("no input type holds {expected}: write the value here"),
                    [one, ..] => {
                        format!("write {expected} here, or use an input of type `{one}`")
                    }
                }),
            });
            return None;
        }
        self.follow(value)
    }

    /// A string, its `{input}` placeholders filled in (`placeholders`); an input's own value
    /// is text as it is written.
    pub(crate) fn string(&mut self, value: &'a Value, what: &str) -> Option<String> {
        let (followed, input) = self.follow_typed(value, &["text", "name"], what)?;
        let text = self.literal_string(followed, what)?;
        match input {
            Some(_) => Some(text),
            None => self.fill(&text, followed.span.start + 1),
        }
    }

    /// A string as it is written: `{` is text (the stack's `name` pattern, an input's value).
    pub(crate) fn literal_string(&mut self, value: &'a Value, what: &str) -> Option<String> {
        let (value, _) = self.follow_typed(value, &["text", "name"], what)?;
        let term = self.single(value, what)?;
        match &term.kind {
            TermKind::String(s) => Some(s.clone()),
            TermKind::Path(p) => {
                let text = dotted(p);
                self.mismatch(
                    value,
                    what,
                    Some(format!("strings are quoted: write `\"{text}\"`")),
                );
                None
            }
            _ => {
                self.mismatch(value, what, None);
                None
            }
        }
    }

    /// A number without a unit, within `min..=max`.
    pub(crate) fn count(
        &mut self,
        value: &'a Value,
        what: &str,
        min: u64,
        max: u64,
    ) -> Option<u64> {
        let (value, _) = self.follow_typed(value, &["number"], "a whole number")?;
        let term = self.single(value, "a whole number")?;
        match &term.kind {
            TermKind::Quantity { number, unit: None } => {
                let n = self.whole(number, term.span, what, min, max)?;
                Some(n)
            }
            TermKind::Quantity {
                unit: Some(unit),
                number,
            } => {
                self.error(WrongUnit {
                    unit: unit.text.clone(),
                    expected: format!("{what} (a plain number)"),
                    at: at(unit.span),
                    help: Some(format!("write `{number}`")),
                    fix: replace(term.span, number.clone()),
                });
                None
            }
            TermKind::String(s) if s.parse::<u64>().is_ok() => {
                self.mismatch(
                    value,
                    "a whole number",
                    Some(format!("numbers are not quoted: write `{s}`")),
                );
                None
            }
            _ => {
                self.mismatch(value, "a whole number", None);
                None
            }
        }
    }

    /// A number without a unit, within `min..=max`, as the model's integer type `T`. A number
    /// that does not fit `T` is reported like one out of range, never dropped.
    pub(crate) fn count_as<T: TryFrom<u64>>(
        &mut self,
        value: &'a Value,
        what: &str,
        min: u64,
        max: u64,
    ) -> Option<T> {
        let n = self.count(value, what, min, max)?;
        match T::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(CountOutOfRange {
                    what: what.to_string(),
                    value: n.to_string(),
                    min,
                    max,
                    at: at(value.span),
                    help: None,
                });
                None
            }
        }
    }

    /// Parses a whole number and range-checks it.
    fn whole(&mut self, number: &str, span: Span, what: &str, min: u64, max: u64) -> Option<u64> {
        match number.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.error(CountOutOfRange {
                    what: what.to_string(),
                    value: number.to_string(),
                    min,
                    max,
                    at: at(span),
                    help: None,
                });
                None
            }
        }
    }

    pub(crate) fn port(&mut self, value: &'a Value) -> Option<Port> {
        let (value, _) = self.follow(value)?;
        let term = self.single(value, "a port number")?;
        match &term.kind {
            TermKind::Quantity { number, unit: None } => self.port_number(number, term.span),
            _ => {
                self.mismatch(value, "a port number", None);
                None
            }
        }
    }

    pub(crate) fn port_number(&mut self, number: &str, span: Span) -> Option<Port> {
        let port = number.parse::<u16>().ok().and_then(Port::new);
        if port.is_none() {
            self.error(PortOutOfRange {
                value: number.to_string(),
                at: at(span),
            });
        }
        port
    }

    /// A percentage such as `50%`. Returns the input it came through, if any.
    pub(crate) fn percent(&mut self, value: &'a Value) -> Option<(Percent, Option<&'a Ident>)> {
        let (value, input) = self.follow_typed(value, &["percent"], "a percentage")?;
        let term = self.single(value, "a percentage")?;
        match &term.kind {
            TermKind::Quantity { number, unit } => {
                match unit {
                    None => {
                        self.error(MissingUnit {
                            text: number.clone(),
                            expected: "a percentage".into(),
                            at: at(term.span),
                            help: Some(format!("write `{number}%`")),
                            fix: replace(Span::new(term.span.end, term.span.end), "%"),
                        });
                        return None;
                    }
                    Some(u) if u.text != "%" => {
                        self.error(WrongUnit {
                            unit: u.text.clone(),
                            expected: "a percentage".into(),
                            at: at(u.span),
                            help: Some(format!("write `{number}%`")),
                            fix: replace(term.span, format!("{number}%")),
                        });
                        return None;
                    }
                    Some(_) => {}
                }
                match number.parse::<u8>().ok().and_then(Percent::new) {
                    Some(p) => Some((p, input)),
                    None => {
                        self.error(PercentOutOfRange {
                            value: format!("{number}%"),
                            at: at(term.span),
                        });
                        None
                    }
                }
            }
            _ => {
                self.mismatch(
                    value,
                    "a percentage",
                    Some("write a percentage like `50%`".into()),
                );
                None
            }
        }
    }

    /// A duration such as `5s`, `30 minutes` or `7 days`, in seconds.
    pub(crate) fn duration(&mut self, value: &'a Value) -> Option<(Seconds, Span)> {
        let (value, _) = self.follow_typed(value, &[], "a duration")?;
        // `5 s`: a short unit written apart from its number (long ones, `7 days`, may be).
        if let [first, second] = value.terms.as_slice()
            && let (TermKind::Quantity { number, unit: None }, TermKind::Path(words)) =
                (&first.kind, &second.kind)
            && let [word] = words.as_slice()
            && TIME_UNITS.iter().any(|(u, _)| *u == word.text)
        {
            self.mismatch(
                value,
                "a duration",
                Some(format!(
                    "write the unit right after the number: `{number}{}`",
                    word.text
                )),
            );
            return None;
        }
        // `2 weeks`: a word after the number that is no unit of time — name it, and the units.
        if let [first, second] = value.terms.as_slice()
            && let (TermKind::Quantity { number, unit: None }, TermKind::Path(words)) =
                (&first.kind, &second.kind)
            && let [word] = words.as_slice()
        {
            let days = match word.text.trim_end_matches('s') {
                "week" => number.parse::<u64>().ok().and_then(|n| n.checked_mul(7)),
                _ => None,
            };
            self.error(WrongUnit {
                unit: word.text.clone(),
                expected: "time".into(),
                at: at(word.span),
                help: Some(match days {
                    Some(d) => {
                        format!("durations use s, m, h or days (no weeks): write `{d} days`")
                    }
                    None => "durations use s, m, h or days: `5s`, `30m`, `2h`, `7 days`".into(),
                }),
                fix: days.and_then(|d| {
                    replace(
                        Span::new(first.span.start, word.span.end),
                        format!("{d} days"),
                    )
                }),
            });
            return None;
        }
        let term = self.single(value, "a duration")?;
        self.duration_term(&term.kind, term.span)
            .map(|s| (s, term.span))
            .or_else(|| {
                if !matches!(term.kind, TermKind::Quantity { .. }) {
                    self.mismatch(
                        value,
                        "a duration",
                        Some("write a duration like `5s` or `7 days`".into()),
                    );
                }
                None
            })
    }

    /// A duration from a single term; reports unit problems, returns None silently for
    /// terms that are not quantities at all.
    pub(crate) fn duration_term(&mut self, kind: &TermKind, span: Span) -> Option<Seconds> {
        let TermKind::Quantity { number, unit } = kind else {
            return None;
        };
        let Some(unit) = unit else {
            self.error(MissingUnit {
                text: number.clone(),
                expected: "a duration".into(),
                at: at(span),
                help: Some(format!(
                    "write `{number}s` for seconds (or `{number}m`, `{number}h`, `{number} days`)"
                )),
                fix: replace(Span::new(span.end, span.end), "s"),
            });
            return None;
        };
        let Some((_, factor)) = TIME_UNITS.iter().find(|(u, _)| *u == unit.text) else {
            let suggestion = did_you_mean(
                &unit.text,
                TIME_UNITS.iter().map(|(u, _)| *u).filter(|u| u.len() > 1),
            );
            self.error(WrongUnit {
                unit: unit.text.clone(),
                expected: "time".into(),
                at: at(unit.span),
                help: Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`? durations use s, m, h or days"),
                    None => "durations use s, m, h or days: `5s`, `30m`, `7 days`".into(),
                }),
                fix: suggestion.and_then(|s| replace(unit.span, s)),
            });
            return None;
        };
        let Ok(n) = number.parse::<u64>() else {
            self.error(CountOutOfRange {
                what: "a duration".into(),
                value: number.clone(),
                min: 0,
                max: u64::MAX / 86400,
                at: at(span),
                help: Some("durations are whole numbers of their unit".into()),
            });
            return None;
        };
        match n.checked_mul(*factor) {
            Some(seconds) => Some(Seconds(seconds)),
            None => {
                // `7 days` keeps its space, `5s` stays joined, as `value_text` writes them.
                let gap = if unit.text.len() > 2 { " " } else { "" };
                self.error(CountOutOfRange {
                    what: format!("a duration in {}", unit.text),
                    value: format!("{number}{gap}{}", unit.text),
                    min: 0,
                    max: u64::MAX / factor,
                    at: at(span),
                    help: Some(
                        "pmigc counts durations in seconds, and this many do not fit".into(),
                    ),
                });
                None
            }
        }
    }

    /// A `low..high` range of whole numbers.
    pub(crate) fn range(&mut self, value: &'a Value, what: &str) -> Option<(u64, u64, Span)> {
        let (value, _) = self.follow(value)?;
        let term = self.single(value, "a range like `3..9`")?;
        match &term.kind {
            TermKind::Range { low, high } => {
                let low = low.parse::<u64>().ok();
                let high = high.parse::<u64>().ok();
                match (low, high) {
                    (Some(l), Some(h)) => Some((l, h, term.span)),
                    _ => {
                        self.error(CountOutOfRange {
                            what: what.to_string(),
                            value: value_text(value),
                            min: 0,
                            max: u16::MAX as u64,
                            at: at(term.span),
                            help: Some("both ends are whole numbers".into()),
                        });
                        None
                    }
                }
            }
            TermKind::Quantity { number, unit: None } => {
                self.mismatch(
                    value,
                    "a range like `3..9`",
                    Some(format!("for a fixed size write `{number}..{number}`")),
                );
                None
            }
            _ => {
                self.mismatch(value, "a range like `3..9`", None);
                None
            }
        }
    }

    /// An IPv4 block such as `10.40.0.0/16`, with host bits clear.
    pub(crate) fn cidr(&mut self, value: &'a Value) -> Option<(Ipv4Net, Span)> {
        let (value, _) = self.follow_typed(value, &[], "an IP address block")?;
        let term = self.single(value, "an IP address block like `10.0.0.0/16`")?;
        match &term.kind {
            TermKind::Cidr(text) => self.cidr_text(text, term.span).map(|n| (n, term.span)),
            TermKind::String(text) => {
                self.mismatch(
                    value,
                    "an IP address block",
                    Some(format!("IP address blocks are not quoted: write `{text}`")),
                );
                None
            }
            _ => {
                self.mismatch(value, "an IP address block like `10.0.0.0/16`", None);
                None
            }
        }
    }

    pub(crate) fn cidr_text(&mut self, text: &str, span: Span) -> Option<Ipv4Net> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let invalid = |reason: String| InvalidCidr {
            text: text.to_string(),
            at: at(span),
            reason,
        };
        let Ok(address) = address.parse::<Ipv4Addr>() else {
            let bad = address
                .split('.')
                .find(|o| o.parse::<u8>().is_err())
                .unwrap_or(address);
            self.error(invalid(format!("`{bad}` is not a number from 0 to 255")));
            return None;
        };
        let Some(prefix) = prefix else {
            self.error(invalid(
                "an address, not a block: add a prefix length like `/16`".into(),
            ));
            return None;
        };
        let Some(prefix) = prefix.parse::<u8>().ok().filter(|p| *p <= 32) else {
            self.error(invalid(format!(
                "the prefix length /{prefix} is not between 0 and 32"
            )));
            return None;
        };
        let Ok(net) = Ipv4Net::new(address, prefix) else {
            self.error(invalid(format!(
                "the prefix length /{prefix} is not between 0 and 32"
            )));
            return None;
        };
        if net.network() != address {
            let fixed = net.trunc();
            self.error(HostBitsSet {
                text: text.to_string(),
                at: at(span),
                prefix,
                help: Some(format!("the block containing this address is `{fixed}`")),
                fix: replace(span, fixed.to_string()),
            });
            return None;
        }
        Some(net)
    }

    /// The text of a one-term value written as a word or dotted path (`per_zone`,
    /// `t3.medium`) or, by mistake, as a string; a type error naming `expected` otherwise.
    pub(crate) fn spelling(
        &mut self,
        value: &'a Value,
        expected: &str,
    ) -> Option<(String, &'a Term)> {
        let (value, _) = self.follow(value)?;
        let term = self.single(value, expected)?;
        match &term.kind {
            TermKind::Path(p) => Some((dotted(p), term)),
            TermKind::String(s) => Some((s.clone(), term)),
            _ => {
                self.mismatch(value, expected, None);
                None
            }
        }
    }

    /// One word out of `options` (an enumeration such as `per_zone | single`).
    pub(crate) fn word(
        &mut self,
        value: &'a Value,
        what: &str,
        options: &[&'static str],
    ) -> Option<&'static str> {
        let (text, term) = self.spelling(value, &format!("{what} ({})", options.join(", ")))?;
        if let Some(found) = options.iter().find(|o| **o == text) {
            if matches!(term.kind, TermKind::String(_)) {
                self.error(TypeMismatch {
                    expected: what.to_string(),
                    found: "a string".into(),
                    at: at(term.span),
                    help: Some(format!("write `{text}` without quotes")),
                });
                return None;
            }
            return Some(found);
        }
        self.unknown_word(&text, term.span, what, options);
        None
    }

    /// Reports a word that is not one of `options`, with the closest as a suggestion.
    pub(crate) fn unknown_word(&mut self, text: &str, span: Span, what: &str, options: &[&str]) {
        let suggestion = did_you_mean(text, options.iter().copied());
        self.error(UnknownValue {
            what: what.to_string(),
            value: text.to_string(),
            at: at(span),
            options: options.join(", "),
            help: suggestion.map(|s| format!("did you mean `{s}`?")),
            fix: suggestion.and_then(|s| replace(span, s)),
        });
    }

    /// The items of a list value.
    pub(crate) fn list(&mut self, value: &'a Value, what: &str) -> Option<&'a [Value]> {
        let (value, _) = self.follow(value)?;
        let term = self.single(value, what)?;
        match &term.kind {
            TermKind::List(items) => Some(items.as_slice()),
            _ => {
                let help = Some(format!(
                    "write a list in brackets: `[{}]`",
                    value_text(value)
                ));
                self.mismatch(value, what, help);
                None
            }
        }
    }
}
