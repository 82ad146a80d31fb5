//! The names a workspace derives, checked before anything is lowered (the registry of derived
//! names, `crate::derived`, enumerates them from the model alone):
//!
//! - two blocks that would derive one Terraform address, or one AWS name where AWS wants it
//!   unique, are refused at both blocks (PMG0608): lowering builds `{block}_{suffix}`, so a
//!   worker named `api_alb` would otherwise take service `api`'s load balancer security group;
//! - every derived AWS name, resolved with this workspace's name pattern, is measured against
//!   AWS's rule for it (`crate::aws::names`): the longest one too long (PMG1101), and characters or
//!   prefixes AWS refuses (PMG1102), blamed on the block when the block's own name is the cause
//!   and on the name pattern otherwise.
//!
//! A stack may derive a million things; they are streamed, not held. The first pass keeps a
//! 64-bit hash of each address and name with the block that derived it first; only the
//! hashes seen from two blocks are spelled out again, in a second pass, and compared as text.

mod diagnostics;
pub(crate) use diagnostics::{NameCharacters, NameTooLong};

use super::context::Ctx;
use super::identifiers::{address_key, aws_key};
use crate::aws::names::{Problem, Scope};
use crate::check::identifiers::NameClash;
use crate::derived::fingerprint::{self, Seen};
use crate::derived::{ACCOUNT_STAND_IN, Item, Named, Owner, enumerate};
use crate::diag::at;
use crate::model::{Name, NamePart, Stack};
use crate::syntax::ast::Span;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Checks what `stack`'s root would hold; `name_span` is the name pattern's, `measure` whether
/// its names can be measured (not when the pattern itself was refused).
pub(crate) fn check(
    ctx: &mut Ctx,
    stack: &Stack,
    name_span: Span,
    renames: &[(Name, Name)],
    measure: bool,
) {
    // A name pattern whose input did not check resolves to a name no workspace has.
    let resolved = stack.name_pattern.iter().all(|part| match part {
        NamePart::Text(_) => true,
        NamePart::Input(input) => stack.inputs.iter().any(|i| &i.name == input.name()),
    });
    let measure = measure && resolved;
    let compare = may_clash(stack, renames);
    if !measure && !compare {
        return;
    }
    let mut pass = FirstPass::new(stack, measure, compare);
    enumerate::each(stack, renames, &mut |item| pass.visit(item));
    let FirstPass {
        hits,
        longest,
        refused,
        ..
    } = pass;
    if !hits.is_empty() {
        clashes(ctx, stack, renames, &hits);
    }
    for r in refused {
        report_refused(ctx, stack, r, name_span);
    }
    if let Some(longest) = longest {
        report_too_long(ctx, stack, longest, name_span);
    }
}

/// The stack's name pattern as the stack writes it: `payment-{environment_suffix}`.
pub(crate) fn pattern_text(stack: &Stack) -> String {
    stack
        .name_pattern
        .iter()
        .map(|part| match part {
            NamePart::Text(t) => t.clone(),
            NamePart::Input(input) => format!("{{{input}}}"),
        })
        .collect()
}

/// A block, as the key of the blocks seen so far.
type BlockKey = (Owner, String);

/// A name AWS would refuse, and what it names (owned: kept past the pass).
struct Refused {
    what: String,
    block: Name,
    physical: Name,
    owner: Owner,
    origin: crate::model::Origin,
    /// The name in this workspace, and as the stack writes it (`{pattern}` for the stack's
    /// name), for a message every workspace shares.
    name: String,
    written: String,
    rule: &'static str,
    problem: Problem,
    /// Whether the block's own name is the cause (else the name pattern is).
    blocks_fault: bool,
    /// Whether the name pattern's own text is the cause, whatever the inputs (then every
    /// workspace shares the diagnostic).
    patterns_text: bool,
    /// Whether the name is built from the block's name at all.
    from_block: bool,
}

struct FirstPass<'s> {
    stack: &'s Stack,
    pattern: String,
    /// The pattern with every input written `a`: its own text, whatever the workspace.
    literal: String,
    measure: bool,
    /// Whether addresses and names are compared (not when no two blocks can clash).
    compare: bool,
    blocks: HashMap<BlockKey, u32>,
    /// The block of the last item and its number (items come mostly block by block).
    last: Option<(Owner, String, u32)>,
    /// The hash of every address and name (with its namespace) → the block that derived it
    /// first.
    seen: Seen<u32>,
    /// Hashes derived by two blocks.
    hits: HashSet<u64>,
    longest: Option<Refused>,
    refused: Vec<Refused>,
    blamed: BTreeSet<String>,
    blamed_pattern: bool,
    text: String,
}

fn hash_of(parts: &[&str]) -> u64 {
    fingerprint::of(parts)
}

/// Whether a name is pmigc's own constant (`read-database-credentials`): nothing in the stack
/// can make AWS refuse it, and the registry's tests measure it.
fn fixed(named: &Named) -> bool {
    !named.pattern.contains('{')
}

/// Whether a name is spelled exactly like another name of its resource whose rule is at least
/// as strict (a `Name` tag like the load balancer's name): measuring that one measures both.
fn covered(names: &[Named], named: &Named) -> bool {
    named.rule.id == crate::aws::names::TAG_VALUE.id
        && names.iter().any(|other| {
            other.argument != named.argument
                && other.pattern == named.pattern
                && other.rule.max <= named.rule.max
        })
}

/// Whether two blocks' names of this kind must differ within a root.
fn compared(named: &Named) -> bool {
    !matches!(named.rule.scope, Scope::None | Scope::Parent)
}

impl<'s> FirstPass<'s> {
    fn new(stack: &'s Stack, measure: bool, compare: bool) -> FirstPass<'s> {
        FirstPass {
            stack,
            pattern: pattern_text(stack),
            literal: stack
                .name_pattern
                .iter()
                .map(|part| match part {
                    NamePart::Text(t) => t.as_str(),
                    NamePart::Input(_) => "a",
                })
                .collect(),
            measure,
            compare,
            blocks: HashMap::new(),
            last: None,
            seen: Seen::with_capacity_and_hasher(
                if compare {
                    16 * (stack.services.len() + stack.databases.len() + 64)
                } else {
                    0
                },
                Default::default(),
            ),
            hits: HashSet::new(),
            longest: None,
            refused: Vec::new(),
            blamed: BTreeSet::new(),
            blamed_pattern: false,
            text: String::new(),
        }
    }

    fn claim(&mut self, hash: u64, block: u32) {
        match self.seen.entry(hash) {
            std::collections::hash_map::Entry::Occupied(first) => {
                if *first.get() != block {
                    self.hits.insert(hash);
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(block);
            }
        }
    }

    /// The number of the block an item belongs to.
    fn block(&mut self, item: &Item) -> u32 {
        if let Some((owner, name, id)) = &self.last
            && *owner == item.owner
            && name == item.block.as_str()
        {
            return *id;
        }
        let next = u32::try_from(self.blocks.len()).unwrap_or(u32::MAX);
        let key = (item.owner, item.block.to_string());
        let id = *self.blocks.entry(key.clone()).or_insert(next);
        self.last = Some((key.0, key.1, id));
        id
    }

    fn visit(&mut self, item: &Item) {
        let block = if self.compare {
            let block = self.block(item);
            self.text.clear();
            item.write_address(&mut self.text);
            let hash = hash_of(&["address", item.row.kind, &self.text]);
            self.claim(hash, block);
            block
        } else {
            0
        };
        for named in item.row.names {
            let compare = self.compare && compared(named);
            let measure = self.measure && !fixed(named) && !covered(item.row.names, named);
            if !compare && !measure {
                continue;
            }
            self.text.clear();
            item.write_name(
                &mut self.text,
                named,
                &self.stack.resolved_name,
                ACCOUNT_STAND_IN,
            );
            if measure && let Some(problem) = named.rule.problem(&self.text) {
                let name = self.text.clone();
                self.measured(item, named, name, problem);
            }
            if compare {
                if named.rule.folds_case {
                    self.text.make_ascii_lowercase();
                }
                let hash = hash_of(&["name", named.rule.id, &self.text]);
                self.claim(hash, block);
            }
        }
    }

    /// Keeps a refused name: the longest one too long, and the first refused one of each
    /// block (and of the pattern).
    fn measured(&mut self, item: &Item, named: &'static Named, name: String, problem: Problem) {
        let plain = named.resolve(item.physical, item.params, "a", ACCOUNT_STAND_IN);
        let blocks_fault = matches!(named.rule.problem(&plain), Some(Problem::Refused(_)));
        let literal = named.resolve(item.physical, item.params, &self.literal, ACCOUNT_STAND_IN);
        let patterns_text = matches!(named.rule.problem(&literal), Some(Problem::Refused(_)));
        let refused = |problem: Problem| Refused {
            what: format!("the {} ({})", named.rule.what, item.describe()),
            block: item.block.clone(),
            physical: item.physical.clone(),
            owner: item.owner,
            origin: item.origin,
            written: named.resolve(item.physical, item.params, &self.pattern, "ACCOUNT"),
            name,
            rule: named.rule.rule,
            problem,
            blocks_fault,
            patterns_text,
            from_block: named.pattern.contains("{block}") || named.pattern.contains("{raw}"),
        };
        match problem {
            Problem::TooLong { len, max } => {
                let worse = self.longest.as_ref().is_none_or(|l| match l.problem {
                    Problem::TooLong {
                        len: longest,
                        max: limit,
                    } => len - max > longest - limit,
                    Problem::Refused(_) => true,
                });
                if worse {
                    self.longest = Some(refused(problem));
                }
            }
            Problem::Refused(_) if blocks_fault => {
                if self.blamed.insert(item.block.to_string()) {
                    self.refused.push(refused(problem));
                }
            }
            Problem::Refused(_) => {
                if !self.blamed_pattern {
                    self.blamed_pattern = true;
                    self.refused.push(refused(problem));
                }
            }
        }
    }
}

/// The fixed addresses the registry derives (`derived::table::stack`): a block whose address is
/// one of them, or starts one of them followed by `_`, could derive it too.
const FIXED_ADDRESSES: &[&str] = &[
    "name",
    "current",
    "available",
    "amazon_linux",
    "dms_vpc",
    "dms_cloudwatch_logs",
];

/// Whether `long` starts with `short` followed by `separator`.
fn starts_with_then(long: &str, short: &str, separator: u8) -> bool {
    long.starts_with(short) && long.as_bytes().get(short.len()) == Some(&separator)
}

/// Whether some string of `sorted` followed by `separator` starts another one (or two are
/// equal).
fn prefix_pair(sorted: &[String], separator: u8) -> bool {
    sorted.windows(2).any(|w| matches!(w, [a, b] if a == b))
        || sorted.iter().any(|b| {
            // The first string not below `b` + `separator`, found without spelling it.
            let at = sorted.partition_point(|x| {
                let common = x.len().min(b.len());
                match x.as_bytes().get(..common).cmp(&b.as_bytes().get(..common)) {
                    std::cmp::Ordering::Equal if x.len() > b.len() => {
                        x.as_bytes().get(b.len()).is_some_and(|c| *c < separator)
                    }
                    std::cmp::Ordering::Equal => true,
                    order => order == std::cmp::Ordering::Less,
                }
            });
            sorted
                .get(at)
                .is_some_and(|x| starts_with_then(x, b, separator))
        })
}

/// Whether two blocks of `stack` could derive one address or one name at all. Every address
/// the registry derives from a block is the block's name (in address form) followed by nothing
/// or by `_…`, and every name AWS keeps unique is `{stack}-` and the block's name (in AWS
/// form, as AWS compares it) followed by nothing or by `-…` (the registry's test holds the
/// table to this): so two of them are equal only if one block's name, followed by the
/// separator, starts another's, or the block's name meets a fixed one (`dms_vpc`,
/// `dms-vpc-role`). When none does, the comparison is skipped: a stack of thousands of blocks
/// is not hashed for nothing. `existing` blocks are left out: they derive only lookups of
/// types nothing else derives (`data.aws_vpn_gateway`, `data.aws_acm_certificate`, the
/// secret's `data` and `ephemeral`), and no name in AWS.
fn may_clash(stack: &Stack, renames: &[(Name, Name)]) -> bool {
    let mut blocks: Vec<&Name> = vec![&stack.name];
    blocks.extend(stack.networks.iter().map(|b| &b.name));
    blocks.extend(stack.databases.iter().map(|b| &b.name));
    blocks.extend(stack.services.iter().map(|b| &b.name));
    blocks.extend(stack.replications.iter().map(|b| &b.name));
    blocks.extend(stack.cutovers.iter().map(|b| &b.name));
    blocks.extend(stack.dashboards.iter().map(|b| &b.name));
    let mut addresses: Vec<String> = blocks.iter().map(|b| b.address()).collect();
    addresses.sort_unstable();
    let fixed_address = addresses.iter().any(|b| {
        FIXED_ADDRESSES
            .iter()
            .any(|f| f == b || starts_with_then(f, b, b'_') || b.starts_with(f))
    });
    // In AWS, a renamed block keeps its old name.
    let mut names: Vec<String> = blocks
        .iter()
        .skip(1)
        .map(|b| {
            let physical = renames
                .iter()
                .find(|(_, new)| new == *b)
                .map_or(*b, |(old, _)| old);
            aws_key(physical.as_str())
        })
        .collect();
    names.sort_unstable();
    let resolved = stack.resolved_name.to_ascii_lowercase();
    let fixed_name = crate::model::DMS_ROLES
        .iter()
        .any(|role| starts_with_then(role, &resolved, b'-'));
    fixed_address || fixed_name || prefix_pair(&addresses, b'_') || prefix_pair(&names, b'-')
}

/// Where a block names itself, for a label.
fn block_span(ctx: &Ctx, owner: Owner, block: &Name, origin: crate::model::Origin) -> Span {
    let decls = ctx.decls;
    let found = match owner {
        Owner::Stack => decls.stack.map(|(name, _)| name.span),
        Owner::Block(_) => decls.get(block.as_str()).map(|decl| decl.name.span),
        Owner::Output => decls
            .outputs
            .iter()
            .find(|o| o.name.text == block.as_str())
            .map(|o| o.name.span),
    };
    found.unwrap_or(Span::new(origin.start, origin.end))
}

/// Two blocks whose names are the same to Terraform or AWS already (PMG0608, from
/// `identifiers`): every name they derive clashes, which that diagnostic says once.
fn same_names(a: &Name, b: &Name) -> bool {
    address_key(a.as_str()) == address_key(b.as_str()) || aws_key(a.as_str()) == aws_key(b.as_str())
}

/// One thing derived with a hash seen from two blocks, spelled out.
struct Spelled {
    block: BlockKey,
    name: Name,
    owner: Owner,
    origin: crate::model::Origin,
    describe: String,
    /// `None` for an address; the rule's name for an AWS name.
    what: Option<&'static str>,
    /// Compared text (the address, or the name's namespace and key) and as shown.
    compared: String,
    shown: String,
}

impl Spelled {
    /// What `item` derives, spelled: `what` `None` for its address, or its AWS name's rule.
    fn of(
        item: &crate::derived::Item,
        what: Option<&'static str>,
        compared: String,
        shown: String,
    ) -> Spelled {
        Spelled {
            block: (item.owner, item.block.to_string()),
            name: item.block.clone(),
            owner: item.owner,
            origin: item.origin,
            describe: item.describe(),
            what,
            compared,
            shown,
        }
    }
}

fn noun(owner: Owner) -> &'static str {
    match owner {
        Owner::Stack => "stack",
        Owner::Block(kind) => kind.noun(),
        Owner::Output => "output",
    }
}

/// The second pass: spells out what the hashes seen from two blocks stand for, and reports
/// each pair of blocks that truly derive one address or name, once.
fn clashes(ctx: &mut Ctx, stack: &Stack, renames: &[(Name, Name)], hits: &HashSet<u64>) {
    let pattern = pattern_text(stack);
    let mut spelled: BTreeMap<u64, Vec<Spelled>> = BTreeMap::new();
    let mut text = String::new();
    enumerate::each(stack, renames, &mut |item| {
        text.clear();
        item.write_address(&mut text);
        let hash = hash_of(&["address", item.row.kind, &text]);
        if hits.contains(&hash) {
            let address = item.row.at(item.block, item.params).spelled();
            spelled.entry(hash).or_default().push(Spelled::of(
                item,
                None,
                address.clone(),
                address,
            ));
        }
        for named in item.row.names {
            let name = named.resolve(
                item.physical,
                item.params,
                &stack.resolved_name,
                ACCOUNT_STAND_IN,
            );
            if !compared(named) {
                continue;
            }
            let (namespace, key) = (named.rule.id, named.rule.key(&name));
            let hash = hash_of(&["name", namespace, &key]);
            if hits.contains(&hash) {
                spelled.entry(hash).or_default().push(Spelled::of(
                    item,
                    Some(named.rule.what),
                    format!("{namespace}:{key}"),
                    named.resolve(item.physical, item.params, &pattern, "ACCOUNT"),
                ));
            }
        }
    });
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    // Addresses first: of two blocks that clash in both, the address is the plainer story.
    let mut groups: Vec<&Vec<Spelled>> = spelled.values().collect();
    groups.sort_by_key(|found| found.iter().any(|s| s.what.is_some()));
    for found in groups {
        for (i, b) in found.iter().enumerate() {
            let Some(a) = found
                .iter()
                .take(i)
                .find(|a| a.compared == b.compared && a.block != b.block)
            else {
                continue;
            };
            if same_names(&a.name, &b.name)
                || !reported.insert((a.name.to_string(), b.name.to_string()))
            {
                continue;
            }
            let (what, both) = match b.what {
                None => (
                    "the Terraform address".to_string(),
                    "one would take the other's place in the root, and Terraform would manage only the last one written",
                ),
                Some(rule) if a.shown != b.shown => (
                    format!("the {rule}"),
                    "AWS compares these names ignoring case and keeps one of each, so the second could not be created",
                ),
                Some(rule) => (
                    format!("the {rule}"),
                    "AWS keeps one of each name, so the second could not be created",
                ),
            };
            let common = b.shown.clone();
            ctx.error(NameClash {
                kind_a: noun(a.owner).into(),
                a: a.name.to_string(),
                kind_b: noun(b.owner).into(),
                b: b.name.to_string(),
                what,
                common: common.clone(),
                at: at(block_span(ctx, b.owner, &b.name, b.origin)),
                other: at(block_span(ctx, a.owner, &a.name, a.origin)),
                help: Some(format!(
                    "`{common}` would be {} and {}: {both}; rename `{}`",
                    a.describe, b.describe, b.name
                )),
            });
        }
    }
}

fn report_refused(ctx: &mut Ctx, stack: &Stack, r: Refused, pattern_span: Span) {
    let Problem::Refused(why) = r.problem else {
        return;
    };
    if r.blocks_fault {
        let help = if r.physical != r.block {
            format!(
                "`{}` was renamed from `{}` and keeps that name in AWS, which AWS refuses here; build without `--renamed` to give it a name AWS takes",
                r.block, r.physical
            )
        } else {
            format!(
                "rename `{}`: pmigc builds this name, and others, from the block's name",
                r.block
            )
        };
        ctx.error(NameCharacters {
            what: r.what,
            name: r.written,
            problem: why,
            at: at(block_span(ctx, r.owner, &r.block, r.origin)),
            rule: r.rule.into(),
            help: Some(help),
        });
    } else if r.patterns_text {
        ctx.error(NameCharacters {
            what: r.what,
            name: r.written,
            problem: why,
            at: at(pattern_span),
            rule: r.rule.into(),
            help: Some(format!(
                "the name pattern `{}` starts every name pmigc gives a resource; change its text",
                pattern_text(stack),
            )),
        });
    } else {
        ctx.error(NameCharacters {
            what: r.what,
            name: r.name,
            problem: format!("{why} in workspace `{}`", stack.workspace.name),
            at: at(pattern_span),
            rule: r.rule.into(),
            help: Some(format!(
                "the name pattern `{}` gives `{}` in this workspace; change the pattern or the input values",
                pattern_text(stack),
                stack.resolved_name,
            )),
        });
    }
}

fn report_too_long(ctx: &mut Ctx, stack: &Stack, r: Refused, pattern_span: Span) {
    let Problem::TooLong { len, max } = r.problem else {
        return;
    };
    let excess = len - max;
    let characters = if excess == 1 {
        "character"
    } else {
        "characters"
    };
    let help = if r.physical != r.block {
        format!(
            "`{}` was renamed from `{}` and keeps that name in AWS; shorten the name pattern or the input values by {excess} {characters}",
            r.block, r.physical
        )
    } else if matches!(r.owner, Owner::Stack) || !r.from_block {
        format!("shorten the name pattern or the input values by {excess} {characters}")
    } else {
        format!(
            "shorten the name pattern, the input values or the block name `{}` by {excess} {characters}",
            r.block
        )
    };
    let block_at = (!matches!(r.owner, Owner::Stack) && r.from_block)
        .then(|| at(block_span(ctx, r.owner, &r.block, r.origin)));
    ctx.error(NameTooLong {
        what: r.what,
        len,
        max,
        at: at(pattern_span),
        workspace: stack.workspace.name.to_string(),
        block_at,
        help: Some(help),
        name: r.name,
    });
}
