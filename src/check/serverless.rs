//! Aurora Serverless v2: `instance = db.serverless` with `capacity = 0.5..16`, the range of
//! Aurora capacity units (ACUs) every instance of the cluster scales within. AWS takes
//! capacities in steps of 0.5 ACU from 0.5 to 256, and a minimum of 0 — automatic pause of an
//! idle instance — on the versions that offer it ([`crate::engine::Version::pauses`]); never on
//! a database a data cutover makes a DMS source (`rules`). A provisioned class takes no capacity.

mod diagnostics;
pub(crate) use diagnostics::{ServerlessAboveVersion, ServerlessCapacity};

use super::context::Ctx;
use crate::aws::instances;
use crate::diag::at;
use crate::engine::{Engine, Version};
use crate::model::Acus;
use crate::syntax::ast::{TermKind, Value};

/// The largest capacity AWS allows, in ACUs.
const MAX_ACUS: u16 = 256;

/// `N` or `N.5` as half ACUs.
fn halves(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let whole: u16 = whole.parse().ok()?;
    let half = match fraction {
        "0" => 0,
        "5" => 1,
        _ => return None,
    };
    whole.checked_mul(2)?.checked_add(half)
}

impl<'a> Ctx<'a> {
    /// The capacity of a database whose class is `class`, written at `capacity` if at all.
    pub(crate) fn serverless_capacity(
        &mut self,
        class: Option<(&str, &'a Value)>,
        capacity: Option<&'a Value>,
    ) -> Option<Option<(Acus, Acus)>> {
        let serverless = class.is_some_and(|(c, _)| c == instances::SERVERLESS);
        match (serverless, capacity) {
            (false, None) => Some(None),
            (false, Some(value)) => {
                let class = class.map_or("a provisioned class", |(c, _)| c);
                self.error(ServerlessCapacity {
                    problem: format!("`capacity` applies to `{}` only, not to {class}", instances::SERVERLESS),
                    at: at(value.span),
                    label: "capacity of a fixed-size class".into(),
                    help: Some(format!("a provisioned instance has the size its class names; remove `capacity`, or write `instance = {}` to scale in ACUs", instances::SERVERLESS)),
                });
                None
            }
            (true, None) => {
                let span = class.map(|(_, v)| v.span).unwrap_or_default();
                self.error(ServerlessCapacity {
                    problem: format!("`{}` needs a capacity range in ACUs", instances::SERVERLESS),
                    at: at(span),
                    label: "scales between what bounds?".into(),
                    help: Some("add `capacity = 0.5..16`: the fewest and the most Aurora capacity units (about 2 GiB of memory each) every instance may use".into()),
                });
                None
            }
            (true, Some(value)) => self.acus(value).map(Some),
        }
    }

    /// A minimum of 0 ACUs on a version that cannot pause: PMG0408, naming the versions that can.
    pub(crate) fn serverless_pause(
        &mut self,
        engine: Engine,
        version: &Version,
        least: Acus,
        value: &'a Value,
    ) {
        if least.halves() > 0 || version.pauses {
            return;
        }
        let profile = engine.profile();
        let pausing: Vec<String> = profile
            .versions
            .iter()
            .filter(|v| v.offered && v.pauses)
            .map(|v| format!("`engine = {} \"{}\"`", profile.keyword, v.written))
            .collect();
        self.error(ServerlessCapacity {
            problem: format!(
                "{} {} cannot scale a Serverless v2 instance to 0 ACUs",
                profile.title, version.written
            ),
            at: at(value.span),
            label: "automatic pause needs a newer version".into(),
            help: Some(format!(
                "Aurora pauses at 0 ACUs from Aurora MySQL 3.08.0 and Aurora PostgreSQL 13.15, 14.12, 15.7 and 16.3: write a minimum of 0.5, or {}",
                pausing.join(" or ")
            )),
        });
    }

    /// The most ACUs `version` of `engine` serves (128 on older versions): PMG0410 above it.
    pub(crate) fn serverless_within(
        &mut self,
        engine: Engine,
        version: &Version,
        most: Acus,
        value: &'a Value,
    ) {
        let limit = version.serverless_max_acus;
        if most.halves() <= limit.saturating_mul(2) {
            return;
        }
        let profile = engine.profile();
        let newer = profile.oldest_serving(most.halves()).map(|v| {
            format!(
                ", or run a version that serves up to {}: `engine = {} \"{}\"`",
                v.serverless_max_acus, profile.keyword, v.written
            )
        });
        self.error(ServerlessAboveVersion {
            engine: profile.title.into(),
            version: version.written.into(),
            most: limit,
            at: at(value.span),
            asked: most.to_string(),
            help: Some(format!(
                "lower the maximum to {limit}{}",
                newer.unwrap_or_default()
            )),
        });
    }

    fn acus(&mut self, value: &'a Value) -> Option<(Acus, Acus)> {
        let (value, _) = self.follow(value)?;
        let term = self.single(value, "a range of ACUs like `0.5..16`")?;
        let TermKind::Range { low, high } = &term.kind else {
            self.mismatch(value, "a range of ACUs like `0.5..16`", None);
            return None;
        };
        let problem = match (halves(low), halves(high)) {
            (Some(_), Some(0)) => Some(format!("the maximum capacity {high} ACU serves nothing")),
            (Some(l), Some(h)) if l > h => Some(format!(
                "capacity {low}..{high} has its minimum above its maximum"
            )),
            (Some(_), Some(h)) if h > MAX_ACUS * 2 => Some(format!(
                "capacity {high} ACUs is above the {MAX_ACUS} Aurora allows"
            )),
            (Some(l), Some(h)) => return Some((Acus::from_halves(l), Acus::from_halves(h))),
            _ => Some(format!("capacity {low}..{high} is not in steps of 0.5 ACU")),
        };
        self.error(ServerlessCapacity {
            problem: problem.unwrap_or_default(),
            at: at(term.span),
            label: "not a capacity Aurora Serverless v2 takes".into(),
            help: Some(format!("write two numbers from 0.5 to {MAX_ACUS} in steps of 0.5, the smaller first: `0.5..16` (a minimum of 0 pauses an idle instance, on the versions that offer it)")),
        });
        None
    }
}
