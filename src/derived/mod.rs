//! The registry of derived names: every Terraform address and every AWS name pmigc derives
//! from a stack's blocks, described once.
//!
//! Each kind of block derives a fixed list of things (`table`): a resource type, the pattern of
//! its address after the block's own (`{block}_alb`, `{block}_from_{0}`), the names it has in
//! AWS (`{stack}-{block}-alb`, with the rule AWS applies to that name: `crate::aws::names`) and what it is,
//! in words. Lowering builds every address and AWS name through these rows (`Row::at`,
//! `Row::name`); the checker enumerates the same rows from the checked model alone
//! (`enumerate::each`), so it can refuse two blocks that would derive one address or one AWS
//! name, and measure every derived name against AWS's rules, before anything is lowered. The
//! tree a root is built in refuses a second claim of an address all the same
//! (`lower::Root`), and a test lowers stacks and compares what they hold with what the
//! registry enumerates.
//!
//! Patterns: `{block}` is the block's name as it appears in the place (`_` in addresses, `-` in
//! AWS names, the name a renamed block had before in AWS), `{raw}` the name as written,
//! `{stack}` the stack's name pattern (`${local.name}`, resolved per workspace), `{account}`
//! the account id, `{0}`… the row's parameters (a zone, another block's name).

pub(crate) mod enumerate;
pub(crate) mod fingerprint;
pub(crate) mod table;

pub(crate) use crate::aws::names::NameRule;

use crate::model::{Name, Origin};
use crate::registry::Kind;

/// The section of a root an address is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Resource,
    Data,
    Ephemeral,
    Local,
    Check,
    Output,
}

/// A Terraform address in a root. Only a registry row makes one (`Row::at`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    section: Section,
    kind: &'static str,
    name: String,
}

impl Address {
    pub fn section(&self) -> Section {
        self.section
    }
    /// The resource or data source type (empty for locals, checks and outputs).
    pub fn kind(&self) -> &'static str {
        self.kind
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The address as Terraform spells it: `aws_vpc.main`, `data.aws_vpn_gateway.onprem`,
    /// `local.orders_task_resource_id`, `check.x`, `output.vpc_id`.
    pub fn spelled(&self) -> String {
        let section = match self.section {
            Section::Resource => return format!("{}.{}", self.kind, self.name),
            Section::Data => "data.",
            Section::Ephemeral => "ephemeral.",
            Section::Local => return format!("local.{}", self.name),
            Section::Check => return format!("check.{}", self.name),
            Section::Output => return format!("output.{}", self.name),
        };
        format!("{section}{}.{}", self.kind, self.name)
    }
}

/// A name a resource has in AWS: the argument that holds it, how it is built, and the rule AWS
/// applies to it.
#[derive(Debug)]
pub struct Named {
    /// `name`, `cluster_identifier`, `tags.Name`, `access_logs.prefix`.
    pub argument: &'static str,
    pub pattern: &'static str,
    pub rule: &'static NameRule,
}

/// One thing a kind of block derives.
#[derive(Debug)]
pub struct Row {
    pub section: Section,
    /// The resource or data source type.
    pub kind: &'static str,
    /// The address's pattern.
    pub address: &'static str,
    pub names: &'static [Named],
    /// What it is, with `{}` for the block ("service `api`"): "the security group of the load
    /// balancer of {}".
    pub what: &'static str,
}

/// One piece of an AWS name: literal text, the stack's name, or the account id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Stack,
    Account,
}

/// One token of a pattern.
enum Token<'p> {
    Text(&'p str),
    Block,
    Raw,
    Stack,
    Account,
    Param(&'p str),
}

/// Reads `pattern` token by token (`{0}`… already looked up in `params`). Placeholders are
/// told apart by their first letter: patterns are pmigc's own, in `table`.
fn walk<'p>(pattern: &'p str, params: &[&'p str], mut token: impl FnMut(Token<'p>)) {
    let bytes = pattern.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'{') {
            i += 1;
            continue;
        }
        let Some(len) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|b| *b == b'}'))
        else {
            break;
        };
        if i > start {
            token(Token::Text(pattern.get(start..i).unwrap_or_default()));
        }
        let key = pattern.get(i + 1..i + len).unwrap_or_default();
        token(match key.as_bytes().first() {
            Some(b'b') => Token::Block,
            Some(b'r') => Token::Raw,
            Some(b's') => Token::Stack,
            Some(b'a') => Token::Account,
            _ => Token::Param(
                key.parse::<usize>()
                    .ok()
                    .and_then(|n| params.get(n))
                    .copied()
                    .unwrap_or_default(),
            ),
        });
        i += len + 1;
        start = i;
    }
    if start < bytes.len() {
        token(Token::Text(pattern.get(start..).unwrap_or_default()));
    }
}

/// Appends `name` with `from` written as `to`.
fn push_mapped(out: &mut String, name: &str, from: char, to: char) {
    for (i, part) in name.split(from).enumerate() {
        if i > 0 {
            out.push(to);
        }
        out.push_str(part);
    }
}

impl Row {
    /// Whether this is the row `other` (rows are constants, compared by what they say).
    pub fn is(&self, other: &Row) -> bool {
        self.section == other.section
            && self.kind == other.kind
            && self.address == other.address
            && self.what == other.what
    }

    /// The address this row derives from block `block` (for rows of the stack, the stack's
    /// name) with `params`.
    pub fn at(&self, block: &Name, params: &[&str]) -> Address {
        let mut name = String::with_capacity(self.address.len() + block.as_str().len() + 8);
        self.write_address(&mut name, block, params);
        Address {
            section: self.section,
            kind: self.kind,
            name,
        }
    }

    /// Appends the name part of `at`'s address to `out`.
    pub fn write_address(&self, out: &mut String, block: &Name, params: &[&str]) {
        walk(self.address, params, |t| match t {
            Token::Text(text) | Token::Param(text) => out.push_str(text),
            Token::Block => push_mapped(out, block.as_str(), '-', '_'),
            Token::Raw => out.push_str(block.as_str()),
            Token::Stack | Token::Account => {}
        });
    }

    /// `write_address` for a block whose name is `raw`, `address` in address form.
    pub fn write_address_as(&self, out: &mut String, address: &str, raw: &str, params: &[&str]) {
        walk(self.address, params, |t| match t {
            Token::Text(text) | Token::Param(text) => out.push_str(text),
            Token::Block => out.push_str(address),
            Token::Raw => out.push_str(raw),
            Token::Stack | Token::Account => {}
        });
    }

    /// The pattern of the name this row's resource has in `argument`, if it has one.
    pub fn named(&self, argument: &str) -> Option<&'static Named> {
        self.names.iter().find(|n| n.argument == argument)
    }
}

impl Named {
    /// The pieces of this name for block `physical` (its name in AWS).
    pub fn pieces(&self, physical: &Name, params: &[&str], mut piece: impl FnMut(Piece)) {
        let mut text = String::new();
        walk(self.pattern, params, |t| match t {
            Token::Text(more) | Token::Param(more) => text.push_str(more),
            Token::Block => push_mapped(&mut text, physical.as_str(), '_', '-'),
            Token::Raw => text.push_str(physical.as_str()),
            Token::Stack | Token::Account => {
                if !text.is_empty() {
                    piece(Piece::Text(std::mem::take(&mut text)));
                }
                piece(if matches!(t, Token::Stack) {
                    Piece::Stack
                } else {
                    Piece::Account
                });
            }
        });
        if !text.is_empty() {
            piece(Piece::Text(text));
        }
    }

    /// Appends the name as a workspace spells it to `out`: `stack` for `{stack}`, `account`
    /// for `{account}`.
    pub fn write(
        &self,
        out: &mut String,
        physical: &Name,
        params: &[&str],
        stack: &str,
        account: &str,
    ) {
        let aws = physical.as_str().replace('_', "-");
        self.write_as(out, &aws, physical.as_str(), params, stack, account);
    }

    /// `write` for a block whose name in AWS is `raw`, `aws` in AWS form (`_` as `-`).
    pub fn write_as(
        &self,
        out: &mut String,
        aws: &str,
        raw: &str,
        params: &[&str],
        stack: &str,
        account: &str,
    ) {
        walk(self.pattern, params, |t| match t {
            Token::Text(more) | Token::Param(more) => out.push_str(more),
            Token::Block => out.push_str(aws),
            Token::Raw => out.push_str(raw),
            Token::Stack => out.push_str(stack),
            Token::Account => out.push_str(account),
        });
    }

    /// The name as a workspace spells it (see `write`).
    pub fn resolve(&self, physical: &Name, params: &[&str], stack: &str, account: &str) -> String {
        let mut out = String::new();
        self.write(&mut out, physical, params, stack, account);
        out
    }
}

/// What a derived thing belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Owner {
    /// The `stack` block.
    Stack,
    Block(Kind),
    Output,
}

impl Owner {
    /// "service `api`", "the stack `payment`".
    pub(crate) fn describe(self, name: &Name) -> String {
        match self {
            Owner::Stack => format!("stack `{name}`"),
            Owner::Block(kind) => format!("{} `{name}`", kind.noun()),
            Owner::Output => format!("output `{name}`"),
        }
    }
}

/// One thing a workspace's root holds, derived from a block by a row (the owned form, which
/// the registry's tests list and `docs/names.md` is written from).
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct Derived {
    pub row: &'static Row,
    pub owner: Owner,
    /// The name the block has in AWS: its own, or the one it had before a rename.
    pub physical: Name,
    pub params: Vec<String>,
    pub address: Address,
}

/// One thing a workspace's root holds, as the enumerator hands it over (borrowed: a stack of
/// tens of thousands of blocks is checked without holding them all).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    pub row: &'static Row,
    pub owner: Owner,
    pub block: &'a Name,
    pub physical: &'a Name,
    pub params: &'a [&'a str],
    pub origin: Origin,
    /// The block's name in address form (`-` as `_`) and its name in AWS in AWS form (`_` as
    /// `-`), spelled once per block.
    pub address_form: &'a str,
    pub aws_form: &'a str,
}

impl Item<'_> {
    /// Appends the name part of its address to `out`.
    pub(crate) fn write_address(&self, out: &mut String) {
        self.row
            .write_address_as(out, self.address_form, self.block.as_str(), self.params);
    }

    /// Appends its name `named` to `out`, with the stack's name `stack` (see `Named::write`).
    pub(crate) fn write_name(&self, out: &mut String, named: &Named, stack: &str, account: &str) {
        named.write_as(
            out,
            self.aws_form,
            self.physical.as_str(),
            self.params,
            stack,
            account,
        );
    }

    /// What it is, in the stack's words ("the security group of the load balancer of service
    /// `api`").
    pub(crate) fn describe(&self) -> String {
        self.row
            .what
            .replace("{}", &self.owner.describe(self.block))
    }

    /// The owned form, for callers that keep it.
    #[cfg(test)]
    pub(crate) fn to_derived(self) -> Derived {
        Derived {
            row: self.row,
            owner: self.owner,
            physical: self.physical.clone(),
            params: self.params.iter().map(|p| p.to_string()).collect(),
            address: self.row.at(self.block, self.params),
        }
    }
}

/// An account id as long as any (12 digits), for measuring names that hold one.
pub(crate) const ACCOUNT_STAND_IN: &str = "123456789012";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_fill_in_the_block_its_parameters_and_the_stack() {
        let name = Name::checked("ledger_main");
        let at = table::database::INSTANCE.at(&name, &["writer", "1"]);
        assert_eq!(
            at.spelled(),
            "aws_rds_cluster_instance.ledger_main_writer_1"
        );
        let named = table::database::INSTANCE.named("identifier").unwrap();
        assert_eq!(
            named.resolve(&name, &["writer", "1"], "pay-prod", ACCOUNT_STAND_IN),
            "pay-prod-ledger-main-writer-1"
        );
        let bucket = table::stack::LOG_BUCKET.named("bucket").unwrap();
        let mut pieces = Vec::new();
        bucket.pieces(&Name::checked("payment"), &[], |p| pieces.push(p));
        assert_eq!(
            pieces,
            vec![
                Piece::Stack,
                Piece::Text("-alb-logs-".into()),
                Piece::Account
            ]
        );
    }
}
