//! The verifier's rules, one function each with its id and doc. A rule reads the root, its
//! network picture and its intent, and pushes findings; it never reads the model.

mod account;
mod dms;
mod dns;
mod iam;
mod names;
mod reach;
mod restrict;
mod values;

pub use account::Facts;
pub(crate) use iam::Roles;

use super::{AccountRule, Rule};

/// The rules over one root, in the order their findings are reported.
pub const RULES: &[Rule] = &[
    Rule {
        id: "names",
        doc: "Every name a resource gets in AWS is one AWS accepts: its length, characters and reserved prefixes (`crate::aws::names`).",
        check: names::check,
    },
    Rule {
        id: "values",
        doc: "Values AWS refuses given what pmigc adds itself, and regional facts: Performance Insights on a class that has none, an Enhanced Monitoring interval AWS does not offer, zones chosen by letter (mapped per account), load balancer log delivery by an ELB account in a region that has none, a Route 53 health check bound to an alarm it cannot watch (missing, in another region, metric math, an extended statistic, a period under a minute).",
        check: values::check,
    },
    Rule {
        id: "reach.flow",
        doc: "Every flow the stack means has a path there and back: security groups on both sides, a listener and target group for load balancers, routes (the VPC's own, the internet gateway, the VPN gateway attached and propagating) for the replies.",
        check: reach::flows,
    },
    Rule {
        id: "reach.api",
        doc: "Every AWS API a component calls (Secrets Manager, SSM, …) is reachable from where it runs: through an interface endpoint with private DNS that admits it, or out through a NAT gateway to the internet.",
        check: reach::apis,
    },
    Rule {
        id: "reach.dns",
        doc: "Every host name a component connects to resolves from its VPC: a name only the data centre knows (a private top-level domain or a domain declared as the data centre's) needs a Route 53 Resolver forwarding rule associated with the VPC, through an outbound endpoint that reaches the data centre's DNS servers, or a private hosted zone with the record.",
        check: dns::check,
    },
    Rule {
        id: "restrict.ingress",
        doc: "No flow the stack does not mean: every ingress rule of every component's security group is one of the stack's flows (the internet reaches only its public load balancers; a database only its readers, replications and allow-list).",
        check: restrict::ingress,
    },
    Rule {
        id: "restrict.path",
        doc: "An allow-list on a service routed by path behind a shared load balancer is applied there: every listener rule that forwards to it has a source-IP condition within the list.",
        check: restrict::paths,
    },
    Rule {
        id: "iam.allows",
        doc: "Every API call a component needs is allowed: its role trusts the service that assumes it, a policy allows the action on the resource, and a key it decrypts with delegates to IAM; a log group's key lets CloudWatch Logs use it.",
        check: iam::allows,
    },
    Rule {
        id: "iam.least",
        doc: "No role is broader than its calls: every action on every resource a policy allows is a call the component makes; no wildcard, no unused role, no managed policy but the one a service requires.",
        check: iam::least,
    },
    Rule {
        id: "dms.mappings",
        doc: "Every DMS task's table mappings are a document DMS accepts (selection rules with numeric, unique ids and unique names, an include/exclude/explicit action, a schema and a table) and include at least one table.",
        check: dms::check,
    },
    Rule {
        id: "dms.gated",
        doc: "A gate that watches the lag of one DMS task of a replication instance watches every task that instance runs (one per database of the replication): both lag alarms of each are children of the gate's calculated health check.",
        check: dms::gated,
    },
];

/// The rules over the roots of one build, by account.
pub const ACCOUNT_RULES: &[AccountRule] = &[
    AccountRule {
        id: "account.once",
        doc: "Nothing AWS allows once per account is created twice: a virtual private gateway is attached to one VPC at a time, and a name unique in an account (IAM roles, load balancers, clusters, secrets, …) is used by one root.",
        check: account::once,
    },
    AccountRule {
        id: "account.lookup",
        doc: "Nothing that exists in one account is looked up from another: a VPN gateway (its id names one gateway in one account) is looked up from the roots of one account only.",
        check: account::lookup,
    },
];
