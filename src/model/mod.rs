//! The checked model: what `check` hands to `lower`.
//!
//! Every value here has been proven by the checker: names resolve to blocks of the right kind,
//! CIDRs are valid and non-overlapping, subnets are already carved, percentages are within
//! 0–100, secrets are references to declared keys. `lower` may therefore trust the model and
//! never re-validates or fails. One `Stack` is built per workspace, with that workspace's
//! overrides applied, so every field holds the value that workspace compiles to.
//!
//! Collections are `Vec`s in source order; lowering derives resource addresses from names only,
//! so the order never leaks into addresses. Each block carries its `Origin` (the span of its
//! header in the `.pmig`), used for the source map.

use ipnet::Ipv4Net;
use std::collections::BTreeMap;

mod infra;
mod migration;
mod rename;
mod tables;
mod writes;

pub(crate) use infra::*;
pub(crate) use migration::*;
pub(crate) use tables::*;
pub use writes::*;

/// The name of a cutover's application health check after the stack's name: `{cutover}-app`.
pub(crate) fn app_check_suffix(cutover: &Name) -> String {
    format!("{}-app", cutover.as_str().replace('_', "-"))
}

/// The consistency gate's alarm names after the stack's name: rows that failed DMS validation
/// (`{replication}-validation-failed`) and validation suspended (`-validation-suspended`).
pub(crate) fn consistency_alarm_suffixes(replication: &Name) -> [String; 2] {
    let base = replication.as_str().replace('_', "-");
    [
        format!("{base}-validation-failed"),
        format!("{base}-validation-suspended"),
    ]
}

/// A checked identifier from the stack (`[A-Za-z][A-Za-z0-9_-]*`), used to derive Terraform
/// addresses; `address()` turns `-` into `_` so it is a valid Terraform name. Only the checker
/// makes one (`Name::checked`), after proving the text is an identifier and that no other
/// name of the stack maps to the same address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    /// A name the checker has proven to be an identifier.
    pub(crate) fn checked(text: impl Into<String>) -> Name {
        Name(text.into())
    }
    /// A name typed outside a stack (`--renamed OLD=NEW`), if it is an identifier as the
    /// grammar defines one: a letter, then letters, digits, `_` and `-`.
    pub fn parse(text: &str) -> Option<Name> {
        let mut chars = text.chars();
        let first = chars.next()?;
        (first.is_ascii_alphabetic()
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .then(|| Name(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The name as it appears in Terraform resource addresses.
    pub fn address(&self) -> String {
        self.0.replace('-', "_")
    }
}

/// A proven reference to a block of kind `T` of this stack: the block's position among the
/// blocks of its kind, and its name. Only the checker makes one, after resolving the name to
/// a declaration of that kind; a model is only handed out complete, so `stack[&id]` always
/// finds the block.
pub struct Id<T> {
    index: u32,
    name: Name,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub(crate) fn new(index: usize, name: Name) -> Id<T> {
        Id {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            name,
            kind: std::marker::PhantomData,
        }
    }
    /// The referenced block's name.
    pub fn name(&self) -> &Name {
        &self.name
    }
    /// The referenced block's name in Terraform addresses.
    pub fn address(&self) -> String {
        self.name.address()
    }
    fn position(&self) -> usize {
        self.index as usize
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Id<T> {
        Id::new(self.position(), self.name.clone())
    }
}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Id<T>) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for Id<T> {}

impl<T> std::fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id({}, {})", self.index, self.name)
    }
}

impl<T> std::fmt::Display for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name.as_str())
    }
}

/// `stack[&id]` for each kind of block a reference can name.
macro_rules! arena {
    ($($kind:ident => $field:ident),* $(,)?) => {$(
        impl std::ops::Index<&Id<$kind>> for Stack {
            type Output = $kind;
            // Ids are positions in these vectors, made only by the checker for a complete
            // model (see `Id`): an index out of range would be a bug in pmigc, not in a stack.
            #[allow(clippy::indexing_slicing)]
            fn index(&self, id: &Id<$kind>) -> &$kind {
                &self.$field[id.position()]
            }
        }

        impl Lookup<$kind> for Stack {
            fn find(&self, id: &Id<$kind>) -> Option<&$kind> {
                self.$field.get(id.position()).filter(|b| b.name == id.name)
            }
        }
    )*};
}

/// A fallible lookup, for the checker's rules, which also run on a model whose blocks did
/// not all check (to report every independent error): there an id's position may not hold
/// its block. Lowering, which only ever sees complete models, indexes (`stack[&id]`).
pub(crate) trait Lookup<T> {
    fn find(&self, id: &Id<T>) -> Option<&T>;
}

arena!(
    Input => inputs,
    Vpn => vpns,
    Secret => secrets,
    Certificate => certificates,
    Network => networks,
    Database => databases,
    Service => services,
    Replication => replications,
    Cutover => cutovers,
    DataCutover => data_cutovers,
);

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a block was declared: byte range of its header in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// A percentage proven to be within 0..=100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u8);

impl Percent {
    pub fn new(value: u8) -> Option<Percent> {
        (value <= 100).then_some(Percent(value))
    }
    pub fn get(self) -> u8 {
        self.0
    }
    /// A percentage typed on the command line: `25%` or `25`.
    pub fn parse(text: &str) -> Option<Percent> {
        let digits = text.trim().strip_suffix('%').unwrap_or(text.trim());
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<u8>().ok().and_then(Percent::new)
    }
    /// `100 - self`: the legacy side's share of traffic when AWS has `self`.
    pub fn complement(self) -> Percent {
        Percent(100 - self.0)
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// A TCP port proven to be within 1..=65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port(u16);

impl Port {
    pub fn new(value: u16) -> Option<Port> {
        (value >= 1).then_some(Port(value))
    }
    pub fn get(self) -> u16 {
        self.0
    }
}

/// A duration in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub u64);

/// One piece of the stack's name pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamePart {
    Text(String),
    /// `{input}`: an input of type `name`, filled in with its value in the workspace.
    Input(Id<Input>),
}

/// The whole compiled stack for one workspace.
#[derive(Debug, Clone)]
pub struct Stack {
    pub name: Name,
    pub region: String,
    /// The resource-name pattern, e.g. `payment-migration-{environment_suffix}`.
    pub name_pattern: Vec<NamePart>,
    /// The name pattern with every input at its value in this workspace (for diagnostics and
    /// the dashboard title shown in the runbook).
    pub resolved_name: String,
    pub tags: BTreeMap<String, String>,
    pub inputs: Vec<Input>,
    pub vpns: Vec<Vpn>,
    pub secrets: Vec<Secret>,
    pub certificates: Vec<Certificate>,
    pub networks: Vec<Network>,
    pub databases: Vec<Database>,
    pub services: Vec<Service>,
    pub replications: Vec<Replication>,
    pub cutovers: Vec<Cutover>,
    /// The data cutovers (one per replicated database at most), in source order.
    pub data_cutovers: Vec<DataCutover>,
    pub dashboards: Vec<Dashboard>,
    pub outputs: Vec<Output>,
    pub workspace: Workspace,
    /// Whether this workspace's root creates the two IAM roles DMS requires by fixed,
    /// account-wide names (`dms_roles` in the `stack` block).
    pub dms_roles: DmsRoles,
    /// The `stack` block: where stack-wide resources (the KMS key, shared lookups) come from.
    pub origin: Origin,
}

impl Stack {
    /// The AWS name of a block's main resource in this workspace, `{resolved name}-{block}`
    /// with `_` turned into `-` (what the checker measures against AWS's length limits;
    /// lowering emits the same shape with the name pattern as a Terraform expression).
    pub fn aws_name(&self, block: &Name) -> String {
        format!(
            "{}-{}",
            self.resolved_name,
            block.as_str().replace('_', "-")
        )
    }
    /// The DMS tasks of replication `replication` (or of a data cutover's fallback, named
    /// `block`, moving `database`'s databases): one per database of its target, each as the
    /// block its resources carry (`model::task_block`) and the database it moves (`None` on
    /// MySQL, where one task reads every selected schema).
    pub fn tasks(&self, block: &Name, database: &Name) -> Vec<(Name, Option<String>)> {
        let Some(db) = self.databases.iter().find(|d| &d.name == database) else {
            return vec![(block.clone(), None)];
        };
        let all = db.databases();
        if all.is_empty() {
            return vec![(block.clone(), None)];
        }
        all.into_iter()
            .enumerate()
            .map(|(i, d)| (task_block(block, i, &d), Some(d)))
            .collect()
    }

    /// The tasks of replication `replication` (`tasks`), one per database of its target.
    pub fn replication_tasks(&self, replication: &Name) -> Vec<(Name, Option<String>)> {
        match self.replications.iter().find(|r| &r.name == replication) {
            Some(r) => self.tasks(replication, r.target.name()),
            None => vec![(replication.clone(), None)],
        }
    }

    /// The names of the lag alarms (source side, target side) of every task of a condition's
    /// replication, one pair per database, as AWS shows them in this workspace.
    pub fn task_lag_alarm_names(&self, condition: &LagCondition) -> Vec<[String; 2]> {
        self.replication_tasks(condition.replication.name())
            .into_iter()
            .map(|(task, _)| {
                let base = format!("{}-lag-under-{}s", task.as_str(), condition.threshold.0)
                    .replace('_', "-");
                [
                    format!("{}-{base}-source", self.resolved_name),
                    format!("{}-{base}-target", self.resolved_name),
                ]
            })
            .collect()
    }

    /// Whether this workspace's root manages `cutover`'s records and gate: the cutover names
    /// no owner (its workspaces are in accounts of their own) or lists this workspace.
    pub fn manages(&self, cutover: &Cutover) -> bool {
        cutover
            .owner
            .as_ref()
            .is_none_or(|owners| owners.contains(&self.workspace.name))
    }

    /// The gates this root writes: of the cutovers it manages whose legacy side is not retired.
    fn live_gates(&self) -> impl Iterator<Item = &Gate> {
        self.cutovers
            .iter()
            .filter(|c| self.manages(c) && !self.legacy_retired(c))
            .filter_map(|c| c.gate.as_ref())
    }

    /// Every distinct lag condition of the gates of the cutovers this root manages, in a fixed
    /// order: one alarm pair each, shared by every gate that states the same condition. A
    /// condition on a replication stopped by its data cutover, or of a cutover whose legacy side
    /// is retired, holds nothing back any more and is left out.
    pub fn gate_conditions(&self) -> Vec<&LagCondition> {
        let mut conditions: Vec<&LagCondition> = self
            .live_gates()
            .flat_map(|g| &g.conditions)
            .filter(|c| self.forward_runs(c.replication.name()))
            .collect();
        conditions.sort_by_key(|c| c.slug());
        conditions.dedup_by(|a, b| a.slug() == b.slug());
        conditions
    }

    /// Every distinct service condition of the gates of the cutovers this root manages (whose
    /// legacy side is not retired), in a fixed order: one set of alarms each, shared by every
    /// gate that states the same condition.
    pub fn service_gate_conditions(&self) -> Vec<&ServiceCondition> {
        let mut conditions: Vec<&ServiceCondition> =
            self.live_gates().flat_map(|g| &g.service).collect();
        conditions.sort_by_key(|c| c.slug());
        conditions.dedup_by(|a, b| a.slug() == b.slug());
        conditions
    }

    /// The names of a service condition's alarms in this workspace, in `alarm_parts` order.
    pub fn service_alarm_names(&self, condition: &ServiceCondition) -> Vec<String> {
        condition
            .alarm_parts()
            .into_iter()
            .map(|(part, _)| {
                let suffix = format!("{}_{part}", condition.service.address());
                format!("{}-{}", self.resolved_name, suffix.replace('_', "-"))
            })
            .collect()
    }

    /// The cutovers this workspace manages whose gate satisfies `watches`, by name: who an
    /// alarm holds back, for its description.
    pub fn gated_cutovers(&self, watches: impl Fn(&Gate) -> bool) -> Vec<String> {
        self.cutovers
            .iter()
            .filter(|c| self.manages(c))
            .filter(|c| c.gate.as_ref().is_some_and(&watches))
            .map(|c| c.name.to_string())
            .collect()
    }

    /// Every replication a gate this workspace manages watches, once each, in name order: each
    /// gets one pair of consistency alarms (`lower::health::consistency`).
    pub fn gated_replications(&self) -> Vec<&Id<Replication>> {
        let mut replications: Vec<&Id<Replication>> = self
            .gate_conditions()
            .into_iter()
            .map(|c| &c.replication)
            .collect();
        replications.sort_by(|a, b| a.name().cmp(b.name()));
        replications.dedup_by(|a, b| a.name() == b.name());
        replications
    }

    /// The name (tag) of a cutover's application health check in this workspace.
    pub fn app_check_name(&self, cutover: &Name) -> String {
        format!("{}-{}", self.resolved_name, app_check_suffix(cutover))
    }

    /// The names of the consistency gate's two alarms (failed rows, suspended validation).
    pub fn consistency_alarm_names(&self, replication: &Name) -> [String; 2] {
        consistency_alarm_suffixes(replication)
            .map(|suffix| format!("{}-{suffix}", self.resolved_name))
    }
}

/// A typed input with its value in this workspace (the default unless overridden).
#[derive(Debug, Clone)]
pub struct Input {
    pub name: Name,
    pub value: InputValue,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputValue {
    /// A resource-name fragment: lowercase letters, digits and `-`.
    Name(String),
    Percent(Percent),
    Text(String),
    Number(u64),
    /// Where a database's writes go (`datacentre`, `both`, `aurora`).
    Writer(Writer),
}
