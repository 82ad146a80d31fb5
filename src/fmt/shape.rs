//! What a text means, without where: two syntax trees compared node by node with every span
//! ignored. The formatter's check that its output parses to the same tree as its input (one
//! walk of both trees, no allocation: comparing their debug texts cost a fifth of `fmt`).

use crate::syntax::ast::{Attr, File, Ident, Item, Term, TermKind, Value};

/// Whether two files hold the same items, attributes and values, wherever they are written.
pub(super) fn same(a: &File, b: &File) -> bool {
    all(&a.items, &b.items, item)
}

fn all<T>(a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn ident(a: &Ident, b: &Ident) -> bool {
    a.text == b.text
}

fn item(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Input(a), Item::Input(b)) => {
            ident(&a.name, &b.name)
                && ident(&a.ty, &b.ty)
                && match (&a.default, &b.default) {
                    (Some(x), Some(y)) => value(x, y),
                    (None, None) => true,
                    _ => false,
                }
        }
        (Item::Output(a), Item::Output(b)) => ident(&a.name, &b.name) && value(&a.value, &b.value),
        (Item::Block(a), Item::Block(b)) => {
            all(&a.header, &b.header, ident) && all(&a.attrs, &b.attrs, attr)
        }
        (Item::Broken(a), Item::Broken(b)) => all(a, b, ident),
        _ => false,
    }
}

fn attr(a: &Attr, b: &Attr) -> bool {
    all(&a.key, &b.key, ident) && value(&a.value, &b.value)
}

fn value(a: &Value, b: &Value) -> bool {
    all(&a.terms, &b.terms, term)
}

fn term(a: &Term, b: &Term) -> bool {
    use TermKind as K;
    match (&a.kind, &b.kind) {
        (K::List(a), K::List(b)) => all(a, b, value),
        (K::Map(a), K::Map(b)) => all(a, b, attr),
        (K::String(a), K::String(b))
        | (K::Cidr(a), K::Cidr(b))
        | (K::Prefix(a), K::Prefix(b))
        | (K::Operator(a), K::Operator(b)) => a == b,
        (
            K::HostPort { host, port },
            K::HostPort {
                host: host_b,
                port: port_b,
            },
        ) => host == host_b && port == port_b,
        (
            K::Range { low, high },
            K::Range {
                low: low_b,
                high: high_b,
            },
        ) => low == low_b && high == high_b,
        (
            K::Quantity { number, unit },
            K::Quantity {
                number: number_b,
                unit: unit_b,
            },
        ) => {
            number == number_b
                && match (unit, unit_b) {
                    (Some(x), Some(y)) => ident(x, y),
                    (None, None) => true,
                    _ => false,
                }
        }
        (K::Path(a), K::Path(b)) => all(a, b, ident),
        (K::Invalid, K::Invalid) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> File {
        crate::syntax::parse(text).0
    }

    #[test]
    fn spans_do_not_count_and_everything_else_does() {
        let a = parsed("network n {\n  cidr = 10.0.0.0/16\n  zones = 3\n}\n");
        let b = parsed("network n { cidr = 10.0.0.0/16, zones = 3 }");
        assert!(same(&a, &b));
        for other in [
            "network n { cidr = 10.0.0.0/16, zones = 4 }",
            "network m { cidr = 10.0.0.0/16, zones = 3 }",
            "network n { cidr = 10.0.0.0/16 }",
            "network n { cidr = 10.0.0.0/16, zones = 3 days }",
            "network n { cidr = 10.0.0.0/16, zones = [3] }",
        ] {
            assert!(!same(&a, &parsed(other)), "{other}");
        }
    }
}
