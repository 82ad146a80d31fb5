//! The registry of derived names: every Terraform address and every AWS name pmigc derives
//! from a stack's blocks, described once.
//!
//! Each kind of block derives a fixed list of things (`table`): a resource type, the pattern of
//! its address after the block's own (`{block}_alb`, `{block}_from_{0}`), the names it has in
//! AWS (`{stack}-{block}-alb`, with the rule AWS applies to that name: `rules`) and what it is,
//! in words. Lowering builds every address and AWS name through these rows (`Row::at`,
//! `Row::name`); the checker enumerates the same rows from the checked model alone
//! (`enumerate::all`), so it can refuse two blocks that would derive one address or one AWS
//! name, and measure every derived name against AWS's rules, before anything is lowered. The
//! tree a root is built in refuses a second claim of an address all the same
//! (`lower::Root`), and a test lowers stacks and compares what they hold with what the
//! registry enumerates.
//!
//! Patterns: `{block}` is the block's name as it appears in the place (`_` in addresses, `-` in
//! AWS names, the name a renamed block had before in AWS), `{raw}` the name as written,
//! `{stack}` the stack's name pattern (`${local.name}`, resolved per workspace), `{account}`
//! the account id, `{0}`… the row's parameters (a zone, another block's name).

pub mod enumerate;
pub mod rules;
pub mod table;

pub use rules::NameRule;

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

/// `pattern` with `{block}`, `{raw}` and `{0}`… filled in; `{stack}` and `{account}` are
/// handed to `piece` as they come.
fn fill(pattern: &str, block: &str, raw: &str, params: &[&str], mut piece: impl FnMut(Piece)) {
    let mut text = String::with_capacity(pattern.len() + block.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        text.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            text.push_str(rest.get(open..).unwrap_or_default());
            rest = "";
            break;
        };
        let key = after.get(..close).unwrap_or_default();
        match key {
            "block" => text.push_str(block),
            "raw" => text.push_str(raw),
            "stack" | "account" => {
                if !text.is_empty() {
                    piece(Piece::Text(std::mem::take(&mut text)));
                }
                piece(if key == "stack" {
                    Piece::Stack
                } else {
                    Piece::Account
                });
            }
            _ => text.push_str(
                key.parse::<usize>()
                    .ok()
                    .and_then(|i| params.get(i))
                    .copied()
                    .unwrap_or_default(),
            ),
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    text.push_str(rest);
    if !text.is_empty() {
        piece(Piece::Text(text));
    }
}

impl Row {
    /// The address this row derives from block `block` (for rows of the stack, the stack's
    /// name) with `params`.
    pub fn at(&self, block: &Name, params: &[&str]) -> Address {
        let address = block.address();
        let mut name = String::new();
        fill(self.address, &address, block.as_str(), params, |p| {
            if let Piece::Text(t) = p {
                name.push_str(&t);
            }
        });
        Address {
            section: self.section,
            kind: self.kind,
            name,
        }
    }

    /// The pattern of the name this row's resource has in `argument`, if it has one.
    pub fn named(&self, argument: &str) -> Option<&'static Named> {
        self.names.iter().find(|n| n.argument == argument)
    }

    /// The name in `argument` as pieces, for block `block` whose name in AWS is `physical`
    /// (its name, or the one it had before a rename).
    pub fn name(&self, argument: &str, physical: &Name, params: &[&str]) -> Vec<Piece> {
        let mut pieces = Vec::new();
        if let Some(named) = self.named(argument) {
            named.pieces(physical, params, |p| pieces.push(p));
        }
        pieces
    }
}

impl Named {
    /// The pieces of this name for block `physical` (its name in AWS).
    pub fn pieces(&self, physical: &Name, params: &[&str], piece: impl FnMut(Piece)) {
        let raw = physical.as_str();
        let block = raw.replace('_', "-");
        fill(self.pattern, &block, raw, params, piece);
    }

    /// The name as a workspace spells it: `stack` for `{stack}`, `account` for `{account}`.
    pub fn resolve(&self, physical: &Name, params: &[&str], stack: &str, account: &str) -> String {
        let mut out = String::new();
        self.pieces(physical, params, |p| match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Stack => out.push_str(stack),
            Piece::Account => out.push_str(account),
        });
        out
    }
}

/// What a derived thing belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The `stack` block.
    Stack,
    Block(Kind),
    Output,
}

impl Owner {
    /// "service `api`", "the stack `payment`".
    pub fn describe(self, name: &Name) -> String {
        match self {
            Owner::Stack => format!("stack `{name}`"),
            Owner::Block(kind) => format!("{} `{name}`", kind.noun()),
            Owner::Output => format!("output `{name}`"),
        }
    }
}

/// One thing a workspace's root holds, derived from a block by a row.
#[derive(Debug, Clone)]
pub struct Derived {
    pub row: &'static Row,
    pub owner: Owner,
    /// The block's name (the stack's, for rows of the stack).
    pub block: Name,
    /// The name the block has in AWS: its own, or the one it had before a rename.
    pub physical: Name,
    pub params: Vec<String>,
    pub address: Address,
    pub origin: Origin,
}

impl Derived {
    /// What it is, in the stack's words: "the security group of the load balancer of service
    /// `api`".
    pub fn describe(&self) -> String {
        self.row
            .what
            .replace("{}", &self.owner.describe(&self.block))
    }

    /// Its names in AWS, spelled with the stack's name `stack` and a stand-in account id.
    pub fn names<'d>(
        &'d self,
        stack: &'d str,
    ) -> impl Iterator<Item = (&'static Named, String)> + 'd {
        let params: Vec<&str> = self.params.iter().map(String::as_str).collect();
        self.row.names.iter().map(move |named| {
            (
                named,
                named.resolve(&self.physical, &params, stack, ACCOUNT_STAND_IN),
            )
        })
    }
}

/// An account id as long as any (12 digits), for measuring names that hold one.
pub const ACCOUNT_STAND_IN: &str = "123456789012";

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
