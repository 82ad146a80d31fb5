//! The JSON values lowering builds, and their text.
//!
//! A large stack lowers to tens of thousands of resources, so a resource body is built as a
//! light tree — object keys are mostly `&'static str`, an object is one vector sorted once —
//! and printed straight into the root's text at the depth it will sit in the file. The text is
//! exactly what `serde_json`'s pretty printer gives a sorted map (two-space indent, `": "`,
//! the same string escapes), so the output does not depend on which of the two wrote it.
//! `json!` takes the same syntax as `serde_json::json!`.

use super::escape::escape_template;
pub(crate) use super::escape::{
    write_escaped, write_json_escaped, write_json_string, write_string,
};
use super::expr::{Expr, Part, Template};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// An object key: a literal in the lowering code, or a name from the stack.
pub(crate) type Key = Cow<'static, str>;

/// A JSON value. Objects keep their entries sorted by key (the order Terraform JSON is
/// written in), each key once.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    /// A number in halves (`1` is 0.5): Aurora Serverless capacities, printed exactly.
    Halves(u16),
    /// A number in thousandths (`500` is 0.5): a latency gate's threshold in seconds, printed
    /// exactly.
    Thousandths(u64),
    /// Literal text: printed so that Terraform reads exactly this text (never code).
    Text(Cow<'static, str>),
    /// A template with pmigc's expressions in it.
    Template(Template),
    List(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

impl Json {
    /// An object from entries in any order; for a key given twice the last value counts.
    pub fn object(mut entries: Vec<(Key, Json)>) -> Json {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(later, kept);
                true
            } else {
                false
            }
        });
        Json::Object(entries)
    }

    /// Sets `key` in an object (no effect on other values).
    pub fn insert(&mut self, key: impl Into<Key>, value: Json) {
        if let Json::Object(entries) = self {
            let key = key.into();
            match entries.binary_search_by(|(k, _)| k.as_ref().cmp(key.as_ref())) {
                Ok(at) => {
                    if let Some(entry) = entries.get_mut(at) {
                        entry.1 = value;
                    }
                }
                Err(at) => entries.insert(at, (key, value)),
            }
        }
    }

    /// Pretty text appended to `out`, for a value that sits `depth` levels deep: the first
    /// line is not indented (it follows a key), the lines after it are.
    pub fn write_pretty(&self, out: &mut String, depth: usize) {
        match self {
            Json::List(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    item.write_pretty(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            Json::Object(entries) if !entries.is_empty() => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_pretty(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push('}');
            }
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => write_integer(out, *n),
            Json::Halves(n) => write_halves(out, *n),
            Json::Thousandths(n) => write_thousandths(out, *n),
            Json::Text(text) => write_string(out, text),
            Json::Template(template) => {
                out.push('"');
                template.write_inside(out);
                out.push('"');
            }
            Json::List(_) => out.push_str("[]"),
            Json::Object(_) => out.push_str("{}"),
        }
    }

    /// Compact text (`{"a":1}`), as `jsonencode` gives it: for policies and dashboard bodies,
    /// which AWS takes as JSON strings. The result is a template: the expressions inside the
    /// value stay expressions, every other character is literal.
    pub fn compact(&self) -> Template {
        let mut out = Compact::default();
        self.write_compact(&mut out);
        out.finish()
    }

    fn write_compact(&self, out: &mut Compact) {
        match self {
            Json::Null => out.text.push_str("null"),
            Json::Bool(b) => out.text.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => write_integer(&mut out.text, *n),
            Json::Halves(n) => write_halves(&mut out.text, *n),
            Json::Thousandths(n) => write_thousandths(&mut out.text, *n),
            Json::Text(text) => write_json_string(&mut out.text, text),
            Json::Template(template) => {
                out.text.push('"');
                for part in template.parts() {
                    match part {
                        Part::Lit(text) => write_json_escaped(&mut out.text, text),
                        Part::Expr(expr) => out.expr(expr.clone()),
                    }
                }
                out.text.push('"');
            }
            Json::List(items) => {
                out.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.text.push(',');
                    }
                    item.write_compact(out);
                }
                out.text.push(']');
            }
            Json::Object(entries) => {
                out.text.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.text.push(',');
                    }
                    write_json_string(&mut out.text, key);
                    out.text.push(':');
                    value.write_compact(out);
                }
                out.text.push('}');
            }
        }
    }

    /// The same value as a `serde_json` tree (for the small sections of a root).
    pub fn into_value(self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Int(n) => Value::from(n),
            Json::Halves(n) => Value::from(f64::from(n) / 2.0),
            Json::Thousandths(n) if n % 1000 == 0 => Value::from(n / 1000),
            // Exact below 2^53, which the checker's bound on a latency keeps it under.
            #[allow(clippy::cast_precision_loss)]
            Json::Thousandths(n) => Value::from(n as f64 / 1000.0),
            Json::Text(text) => Value::String(escape_template(&text).into_owned()),
            Json::Template(template) => Value::String(template.text()),
            Json::List(items) => Value::Array(items.into_iter().map(Json::into_value).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (escape_template(&k).into_owned(), v.into_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = depth * 2;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.push_str(SPACES.get(..step).unwrap_or_default());
        width -= step;
    }
}

/// An integer's decimal digits, without going through `fmt`.
pub(crate) fn write_integer(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
}

/// `n / 2` as JSON: `16`, `0.5`.
fn write_halves(out: &mut String, n: u16) {
    write_integer(out, i64::from(n / 2));
    if n % 2 == 1 {
        out.push_str(".5");
    }
}

/// `1500` as `1.5`, `500` as `0.5`, `2000` as `2`: the shortest decimal, like `write_halves`.
fn write_thousandths(out: &mut String, n: u64) {
    out.push_str(&(n / 1000).to_string());
    let fraction = n % 1000;
    if fraction != 0 {
        let digits = format!("{fraction:03}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

impl From<&'static str> for Json {
    fn from(text: &'static str) -> Json {
        Json::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Json {
    fn from(text: String) -> Json {
        Json::Text(Cow::Owned(text))
    }
}

impl From<&String> for Json {
    fn from(text: &String) -> Json {
        Json::Text(Cow::Owned(text.clone()))
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Json {
            fn from(n: $t) -> Json {
                Json::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
from_integer!(u8, u16, u32, u64, usize, i32, i64);

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(value: Option<T>) -> Json {
        value.map_or(Json::Null, Into::into)
    }
}

/// Builds a [`Json`] with `serde_json::json!`'s syntax: `{ "key": value, ... }`,
/// `[a, b]`, `null`, or any expression that converts into `Json`.
macro_rules! json {
    // A list: the tokens of the element being read are gathered until a comma.
    (@list [$($done:expr,)*] ($($item:tt)+) , $($rest:tt)*) => {
        $crate::lower::json::json!(@list [$($done,)* $crate::lower::json::json!($($item)+),] () $($rest)*)
    };
    (@list [$($done:expr,)*] ($($item:tt)*) $next:tt $($rest:tt)*) => {
        $crate::lower::json::json!(@list [$($done,)*] ($($item)* $next) $($rest)*)
    };
    (@list [$($done:expr,)*] ($($item:tt)+)) => {
        vec![$($done,)* $crate::lower::json::json!($($item)+)]
    };
    (@list [$($done:expr,)*] ()) => { vec![$($done),*] };
    // An object: a key and a colon, then the value's tokens until a comma.
    (@object [$($done:expr,)*] $key:literal : $($rest:tt)+) => {
        $crate::lower::json::json!(@value [$($done,)*] ($key) () $($rest)+)
    };
    (@object [$($done:expr,)*] ($key:expr) : $($rest:tt)+) => {
        $crate::lower::json::json!(@value [$($done,)*] ($key) () $($rest)+)
    };
    (@object [$($done:expr,)*]) => { vec![$($done),*] };
    (@value [$($done:expr,)*] ($key:expr) ($($value:tt)+) , $($rest:tt)*) => {
        $crate::lower::json::json!(@object [$($done,)* ($crate::lower::json::Key::from($key), $crate::lower::json::json!($($value)+)),] $($rest)*)
    };
    (@value [$($done:expr,)*] ($key:expr) ($($value:tt)*) $next:tt $($rest:tt)*) => {
        $crate::lower::json::json!(@value [$($done,)*] ($key) ($($value)* $next) $($rest)*)
    };
    (@value [$($done:expr,)*] ($key:expr) ($($value:tt)+)) => {
        vec![$($done,)* ($crate::lower::json::Key::from($key), $crate::lower::json::json!($($value)+))]
    };
    (null) => { $crate::lower::json::Json::Null };
    ([]) => { $crate::lower::json::Json::List(Vec::new()) };
    ([ $($items:tt)+ ]) => {
        $crate::lower::json::Json::List($crate::lower::json::json!(@list [] () $($items)+))
    };
    ({}) => { $crate::lower::json::Json::Object(Vec::new()) };
    ({ $($entries:tt)+ }) => {
        $crate::lower::json::Json::object($crate::lower::json::json!(@object [] $($entries)+))
    };
    ($other:expr) => { $crate::lower::json::Json::from($other) };
}
pub(crate) use json;

#[cfg(test)]
mod tests {

    /// The printers agree with `serde_json` on every kind of value, escapes included.
    #[test]
    fn text_is_serde_jsons() {
        let name = String::from("web");
        let value = json!({
            "zeta": [1, "two", { "b": true, "a": null }, [], {}],
            "alpha": "no template here",
            "escapes": "quote \" backslash \\ tab \t newline \n bell \u{7} del \u{7f} é",
            "empty": {},
            (name.clone()): -3,
            "nested": { "list": vec![json!("a"), json!(2u16)] },
        });
        let reference = value.clone().into_value();
        let mut pretty = String::new();
        value.write_pretty(&mut pretty, 0);
        assert_eq!(pretty, serde_json::to_string_pretty(&reference).unwrap());
        assert_eq!(value.compact().text(), reference.to_string());
    }

    #[test]
    fn later_keys_win_and_insert_keeps_order() {
        let mut value = json!({ "b": 1, "a": 2, "b": 3 });
        value.insert("ab", json!(4));
        value.insert("a", json!(5));
        assert_eq!(value.compact().text(), r#"{"a":5,"ab":4,"b":3}"#);
    }

    /// Text from a stack is escaped wherever it lands: in a value, a key, inside a compact
    /// value; pmigc's expressions are not.
    #[test]
    fn stack_text_is_escaped_everywhere() {
        use crate::lower::expr::{Expr, tmpl};
        let evil = String::from("${var.x}%{if}");
        let value = json!({
            (evil.clone()): evil.clone(),
            "mixed": tmpl!(evil.clone(), Expr::local("name")),
            "policy": json!({ "a": evil.clone(), "b": Expr::local("name") }).compact(),
        });
        let mut pretty = String::new();
        value.write_pretty(&mut pretty, 0);
        let parsed: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(parsed["$${var.x}%%{if}"], "$${var.x}%%{if}");
        assert_eq!(parsed["mixed"], "$${var.x}%%{if}${local.name}");
        assert_eq!(
            parsed["policy"],
            r#"{"a":"$${var.x}%%{if}","b":"${local.name}"}"#
        );
        assert_eq!(value.into_value(), parsed);
    }
}

/// Compact JSON text being written: literal characters, with pmigc's expressions between them.
#[derive(Default)]
struct Compact {
    parts: Template,
    text: String,
}

impl Compact {
    fn expr(&mut self, expr: Expr) {
        self.parts.push(std::mem::take(&mut self.text));
        self.parts.push(expr);
    }

    fn finish(mut self) -> Template {
        self.parts.push(self.text);
        self.parts
    }
}

impl From<Template> for Json {
    fn from(template: Template) -> Json {
        Json::Template(template)
    }
}

impl From<Expr> for Json {
    fn from(expr: Expr) -> Json {
        Json::Template(Template::from(expr))
    }
}

impl From<&Template> for Json {
    fn from(template: &Template) -> Json {
        Json::Template(template.clone())
    }
}
