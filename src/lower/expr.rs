//! Terraform expressions pmigc writes, kept apart from text that came from the stack.
//!
//! A string in a Terraform JSON file is a template: `${…}` in it is code and `%{…}` a
//! directive. Text from a stack must never become either, so the lowered tree has two kinds of
//! strings. `Json::Text` is literal text, always printed with `${` → `$${` and `%{` → `%%{`;
//! a [`Template`] mixes literal parts (escaped the same way) with [`Expr`]s, which are the only
//! way to put code into the output. An `Expr` can only be made from Terraform addresses whose
//! names are identifiers, from `&'static str` code written in pmigc's own source, from numbers,
//! and from string literals that are quoted and escaped as they are added — there is no
//! constructor that takes text from the stack as code.

pub(crate) use super::escape::escape_template;
use std::borrow::Cow;

/// A Terraform expression written by pmigc (the code between `${` and `}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Expr(String);

/// A Terraform identifier: letters, digits, `_` and `-`, not starting with a digit. Resource
/// names are built from checked stack names, which always are; anything else is replaced by
/// `_`, so even a bug elsewhere cannot turn a name into code.
fn push_ident(code: &mut String, name: &str) {
    for (i, c) in name.chars().enumerate() {
        let ok = c.is_ascii_alphabetic() || c == '_' || (i > 0 && (c.is_ascii_digit() || c == '-'));
        code.push(if ok { c } else { '_' });
    }
    if name.is_empty() {
        code.push('_');
    }
}

impl Expr {
    /// `TYPE.NAME.ATTR`: an attribute of a resource.
    pub fn attr(kind: &'static str, name: &str, attribute: &'static str) -> Expr {
        let mut code = String::with_capacity(kind.len() + name.len() + attribute.len() + 2);
        code.push_str(kind);
        code.push('.');
        push_ident(&mut code, name);
        code.push('.');
        code.push_str(attribute);
        Expr(code)
    }

    /// `data.TYPE.NAME.ATTR`: an attribute of a data source.
    pub fn data(kind: &'static str, name: &str, attribute: &'static str) -> Expr {
        let mut code = String::from("data.");
        code.push_str(&Expr::attr(kind, name, attribute).0);
        Expr(code)
    }

    /// `ephemeral.TYPE.NAME.ATTR`: an attribute of an ephemeral resource (read during each plan
    /// and apply, never stored in the state; only write-only arguments may take it).
    pub fn ephemeral(kind: &'static str, name: &str, attribute: &'static str) -> Expr {
        let mut code = String::from("ephemeral.");
        code.push_str(&Expr::attr(kind, name, attribute).0);
        Expr(code)
    }

    /// `var.NAME`.
    pub fn var(name: &str) -> Expr {
        let mut code = String::from("var.");
        push_ident(&mut code, name);
        Expr(code)
    }

    /// `local.NAME`.
    pub fn local(name: &str) -> Expr {
        let mut code = String::from("local.");
        push_ident(&mut code, name);
        Expr(code)
    }

    /// A number.
    pub fn int(n: i64) -> Expr {
        Expr(n.to_string())
    }

    /// A quoted string literal holding exactly `text` (escaped for HCL, templates included).
    pub fn string(text: &str) -> Expr {
        let mut code = String::with_capacity(text.len() + 2);
        code.push('"');
        for c in text.chars() {
            match c {
                '"' => code.push_str("\\\""),
                '\\' => code.push_str("\\\\"),
                '\n' => code.push_str("\\n"),
                '\r' => code.push_str("\\r"),
                '\t' => code.push_str("\\t"),
                c => code.push(c),
            }
        }
        code.push('"');
        Expr(escape_template(&code).into_owned())
    }

    /// `FUNCTION(ARG, …)`.
    pub fn call(function: &'static str, args: impl IntoIterator<Item = Expr>) -> Expr {
        let args: Vec<String> = args.into_iter().map(|a| a.0).collect();
        Expr(format!("{function}({})", args.join(", ")))
    }

    /// `[A, B, …]`.
    pub fn list(items: impl IntoIterator<Item = Expr>) -> Expr {
        let items: Vec<String> = items.into_iter().map(|a| a.0).collect();
        Expr(format!("[{}]", items.join(", ")))
    }

    /// `{"KEY" = VALUE, …}`: an object whose keys are written in pmigc's source.
    pub fn object(items: impl IntoIterator<Item = (&'static str, Expr)>) -> Expr {
        let items: Vec<String> = items
            .into_iter()
            .map(|(k, v)| format!("{} = {}", Expr::string(k).0, v.0))
            .collect();
        Expr(format!("{{{}}}", items.join(", ")))
    }

    /// `SELF OP OTHER`, for an operator written in pmigc's source (`-`, `==`, `&&`, …).
    pub fn op(self, operator: &'static str, other: Expr) -> Expr {
        Expr(format!("{} {operator} {}", self.0, other.0))
    }

    /// `SELF[INDEX]`.
    pub fn index(self, index: Expr) -> Expr {
        Expr(format!("{}[{}]", self.0, index.0))
    }

    /// The code, for tests and for the diff's evaluation of weights.
    pub fn code(&self) -> &str {
        &self.0
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Literal text: printed so that it means exactly itself.
    Lit(Cow<'static, str>),
    /// `${code}`.
    Expr(Expr),
}

/// A Terraform string template: literal text and pmigc's expressions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template(Vec<Part>);

impl Template {
    /// Appends another template, text or expression.
    pub fn push(&mut self, part: impl Into<Template>) {
        for part in part.into().0 {
            match (self.0.last_mut(), part) {
                (Some(Part::Lit(text)), Part::Lit(more)) => text.to_mut().push_str(&more),
                (_, Part::Lit(more)) if more.is_empty() => {}
                (_, part) => self.0.push(part),
            }
        }
    }

    /// Appends literal text (as `push` does, without making a template of it first).
    pub fn push_text(&mut self, more: String) {
        match self.0.last_mut() {
            Some(Part::Lit(text)) => text.to_mut().push_str(&more),
            _ if more.is_empty() => {}
            _ => self.0.push(Part::Lit(Cow::Owned(more))),
        }
    }

    /// Appends an expression (as `push` does, without making a template of it first).
    pub fn push_expr(&mut self, expr: Expr) {
        self.0.push(Part::Expr(expr));
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[Part] {
        &self.0
    }

    /// The inside of the JSON string that spells this template.
    pub fn write_inside(&self, out: &mut String) {
        for part in &self.0 {
            match part {
                Part::Lit(text) => super::escape::write_escaped(out, text),
                Part::Expr(expr) => {
                    // Code is not escaped for templates: it is read as code, and the only text
                    // in it, string literals (`Expr::string`), is escaped already (escaping it
                    // again would turn a literal `${` into `$${`).
                    out.push_str("${");
                    super::escape::write_json_escaped(out, &expr.0);
                    out.push('}');
                }
            }
        }
    }

    /// The template's text as Terraform reads it (`${…}` around expressions, literal parts
    /// escaped), unquoted.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Lit(text) => out.push_str(&escape_template(text)),
                Part::Expr(expr) => {
                    out.push_str("${");
                    out.push_str(&expr.0);
                    out.push('}');
                }
            }
        }
        out
    }
}

impl From<Expr> for Template {
    fn from(expr: Expr) -> Template {
        Template(vec![Part::Expr(expr)])
    }
}

impl From<&'static str> for Template {
    fn from(text: &'static str) -> Template {
        Template(vec![Part::Lit(Cow::Borrowed(text))])
    }
}

impl From<String> for Template {
    fn from(text: String) -> Template {
        Template(vec![Part::Lit(Cow::Owned(text))])
    }
}

impl From<&String> for Template {
    fn from(text: &String) -> Template {
        Template(vec![Part::Lit(Cow::Owned(text.clone()))])
    }
}

impl From<&Template> for Template {
    fn from(template: &Template) -> Template {
        template.clone()
    }
}

/// `tmpl!(a, b, …)`: a template of literal text (`&'static str`, `String`) and expressions
/// (`Expr`, `Template`), in order.
macro_rules! tmpl {
    ($($part:expr),+ $(,)?) => {{
        let mut template = $crate::lower::expr::Template::default();
        $(template.push($part);)+
        template
    }};
}
pub(crate) use tmpl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_text_never_becomes_code() {
        let t = tmpl!("${x}-", Expr::local("name"), "-%{if}");
        assert_eq!(t.text(), "$${x}-${local.name}-%%{if}");
        let s = Expr::string("a\"${b}\\");
        assert_eq!(s.code(), r#""a\"$${b}\\""#);
        assert_eq!(
            Expr::attr("aws_lb", "x}${evil", "arn").code(),
            "aws_lb.x___evil.arn"
        );
    }
}
