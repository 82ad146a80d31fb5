//! `iam.allows` and `iam.least`: roles, their trust, their policies, and the keys they
//! decrypt with, against the calls each component makes.
//!
//! Who assumes a role is read from what refers to it: an instance profile in a launch template
//! (EC2), an endpoint's `secrets_manager_access_role_arn` (DMS), a flow log's `iam_role_arn`
//! (VPC Flow Logs), an Aurora instance's `monitoring_role_arn` (Enhanced Monitoring), or DMS's
//! fixed names. The calls are the intent's (a service reading its databases' secrets and its
//! SSM parameters) and those the root implies (an endpoint reads its secret and decrypts it,
//! a flow log writes its log group).

use super::super::root::Val;
use super::super::{Finding, Input};
use crate::aws::{rds, services};
use serde_json::Value;
use std::collections::BTreeMap;

/// One statement of a policy, its lists as written.
#[derive(Debug)]
struct Statement {
    allow: bool,
    actions: Vec<String>,
    resources: Vec<String>,
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A policy document's statements; `None` when it is not JSON the verifier can read.
fn statements(text: &str) -> Option<Vec<Statement>> {
    let value: Value = serde_json::from_str(text).ok()?;
    let list = match value.get("Statement")? {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    Some(
        list.iter()
            .map(|s| Statement {
                allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
                actions: strings(s.get("Action")),
                resources: strings(s.get("Resource")),
            })
            .collect(),
    )
}

/// IAM's wildcard match (`*` any run, `?` one character), actions case-insensitively.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None, 0usize);
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

fn action_matches(pattern: &str, action: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// One call a role must allow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Need {
    action: String,
    resource: String,
    /// Whether the role must allow it (as opposed to merely being allowed to).
    required: bool,
}

/// A role: who assumes it, what it must and may do, the managed policies it may carry.
#[derive(Debug, Default)]
struct Use {
    principals: Vec<String>,
    needs: Vec<Need>,
    managed: Vec<String>,
    /// The component that uses it, for messages.
    by: Vec<String>,
}

/// `${aws_kms_key.x.arn}` for the key a secret is encrypted with, when it is one of the root's.
fn secret_key(input: &Input, secret: &str) -> Option<String> {
    let key = input.root.one_ref(secret, "kms_key_id")?;
    key.starts_with("aws_kms_key.")
        .then(|| format!("${{{key}.arn}}"))
}

/// Every role in the root, with its uses.
fn uses(input: &Input) -> BTreeMap<String, Use> {
    let root = input.root;
    let mut uses: BTreeMap<String, Use> = BTreeMap::new();
    let mut add =
        |role: String, principal: String, by: &str, needs: Vec<Need>, managed: &[&str]| {
            let entry = uses.entry(role).or_default();
            entry.principals.push(principal);
            entry.needs.extend(needs);
            entry.managed.extend(managed.iter().map(|m| m.to_string()));
            entry.by.push(by.to_string());
        };
    let mut calls: std::collections::HashMap<&str, Vec<&super::super::intent::Call>> =
        std::collections::HashMap::new();
    for call in &input.intent.calls {
        calls.entry(call.from.as_str()).or_default().push(call);
    }
    for body in root.each("aws_autoscaling_group") {
        let asg = body.address();
        let template = body.one_ref("launch_template");
        let profile = template.and_then(|t| root.one_ref(&t, "iam_instance_profile"));
        if let Some(role) = profile.and_then(|p| root.one_ref(&p, "role")) {
            let needs = calls
                .get(asg)
                .into_iter()
                .flatten()
                .map(|c| Need {
                    action: c.action.clone(),
                    resource: c.resource.clone(),
                    required: true,
                })
                .collect();
            add(role, services::EC2_PRINCIPAL.into(), asg, needs, &[]);
        }
    }
    for body in root.each("aws_dms_endpoint") {
        let endpoint = body.address();
        let (Some(role), Some(secret)) = (
            body.one_ref("secrets_manager_access_role_arn"),
            body.one_ref("secrets_manager_arn"),
        ) else {
            continue;
        };
        let mut needs = vec![Need {
            action: "secretsmanager:GetSecretValue".into(),
            resource: format!("${{{secret}.arn}}"),
            required: true,
        }];
        if let Some(key) = secret_key(input, &secret) {
            needs.push(Need {
                action: "kms:Decrypt".into(),
                resource: key,
                required: true,
            });
        }
        add(
            role,
            services::dms_secrets_principal(&root.region),
            endpoint,
            needs,
            &[],
        );
    }
    for body in root.each("aws_flow_log") {
        let log = body.address();
        let (Some(role), Some(group)) = (
            body.one_ref("iam_role_arn"),
            body.one_ref("log_destination"),
        ) else {
            continue;
        };
        let arn = format!("${{{group}.arn}}");
        let mut needs = Vec::new();
        for action in services::FLOW_LOGS_ACTIONS
            .iter()
            .chain(&["logs:DescribeLogStreams"])
        {
            for resource in [arn.clone(), format!("{arn}:*")] {
                // It writes log streams: `ARN:*` is where it must be allowed.
                let required =
                    services::FLOW_LOGS_ACTIONS.contains(action) && resource.ends_with(":*");
                needs.push(Need {
                    action: action.to_string(),
                    resource,
                    required,
                });
            }
        }
        add(role, services::FLOW_LOGS_PRINCIPAL.into(), log, needs, &[]);
    }
    for body in root.each("aws_rds_cluster_instance") {
        let instance = body.address();
        let interval = body.get("monitoring_interval").and_then(Val::as_u64);
        if let Some(role) = body.one_ref("monitoring_role_arn")
            && interval.is_some_and(|i| i > 0)
        {
            add(
                role,
                rds::MONITORING_PRINCIPAL.into(),
                instance,
                Vec::new(),
                &["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
            );
        }
    }
    for body in root.each("aws_iam_role") {
        let role = body.address();
        let managed = match body.text("name").as_deref() {
            Some("dms-vpc-role") => "AmazonDMSVPCManagementRole",
            Some("dms-cloudwatch-logs-role") => "AmazonDMSCloudWatchLogsRole",
            _ => continue,
        };
        add(
            role.to_string(),
            services::DMS_PRINCIPAL.into(),
            "DMS (by the role's fixed name)",
            Vec::new(),
            &[&format!("arn:aws:iam::aws:policy/service-role/{managed}")],
        );
    }
    uses
}

/// A role's inline policies (address, statements when readable) and managed policy ARNs.
type Policies = (Vec<(String, Option<Vec<Statement>>)>, Vec<String>);

/// Each role's inline statements and managed policy ARNs.
fn policies(input: &Input) -> BTreeMap<String, Policies> {
    let mut out: BTreeMap<String, Policies> = BTreeMap::new();
    for body in input.root.each("aws_iam_role_policy") {
        let policy = body.address();
        if let Some(role) = body.one_ref("role") {
            let parsed = body.text("policy").and_then(|p| statements(&p));
            out.entry(role)
                .or_default()
                .0
                .push((policy.to_string(), parsed));
        }
    }
    for body in input.root.each("aws_iam_role_policy_attachment") {
        if let (Some(role), Some(arn)) = (body.one_ref("role"), body.text("policy_arn")) {
            out.entry(role).or_default().1.push(arn.to_string());
        }
    }
    out
}

/// The services a role's trust policy lets assume it.
fn trusted(input: &Input, role: &str) -> Vec<String> {
    let Some(text) = input.root.text(role, "assume_role_policy") else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    let list = match value.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    list.iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter(|s| {
            strings(s.get("Action"))
                .iter()
                .any(|a| action_matches(a, "sts:AssumeRole"))
        })
        .flat_map(|s| strings(s.get("Principal").and_then(|p| p.get("Service"))))
        .collect()
}

/// Whether some key policy statement of `key` lets `principal_service` (or, with `None`, the
/// account's IAM policies through `arn:aws:iam::ACCOUNT:root`) do `action`.
fn key_allows(input: &Input, key: &str, service: Option<&str>, action: &str) -> bool {
    let Some(text) = input.root.text(key, "policy") else {
        // No key policy: AWS gives the key the default one, which delegates to IAM.
        return service.is_none();
    };
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return false;
    };
    let list = match value.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    list.iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Allow")
            && strings(s.get("Action"))
                .iter()
                .any(|a| action_matches(a, action))
            && match service {
                Some(svc) => strings(s.get("Principal").and_then(|p| p.get("Service")))
                    .iter()
                    .any(|p| p == svc),
                None => strings(s.get("Principal").and_then(|p| p.get("AWS")))
                    .iter()
                    .any(|p| p.starts_with("arn:aws:iam::") && p.ends_with(":root")),
            }
    })
}

/// Every role's uses and policies, read once for `iam.allows` and `iam.least`.
pub(crate) struct Roles {
    uses: BTreeMap<String, Use>,
    policies: BTreeMap<String, Policies>,
}

fn roles<'i>(input: &'i Input) -> &'i Roles {
    input.roles.get_or_init(|| Roles {
        uses: uses(input),
        policies: policies(input),
    })
}

/// `iam.allows`.
pub(super) fn allows(input: &Input, out: &mut Vec<Finding>) {
    let Roles { uses, policies } = roles(input);
    // Whether each key's policy delegates to IAM (read once per key, not per call).
    let mut delegates: BTreeMap<String, bool> = BTreeMap::new();
    for (role, used) in uses {
        let trust = trusted(input, role);
        for principal in &used.principals {
            if !trust.contains(principal) {
                out.push(Finding {
                    rule: "iam.allows",
                    message: format!(
                        "{role} is assumed by {principal} (for {}), but its trust policy does not let it",
                        used.by.join(", ")
                    ),
                    resources: vec![role.clone()],
                });
            }
        }
        let statements: Vec<&Statement> = policies
            .get(role)
            .map(|(inline, _)| {
                inline
                    .iter()
                    .filter_map(|(_, s)| s.as_ref())
                    .flatten()
                    .collect()
            })
            .unwrap_or_default();
        for need in used.needs.iter().filter(|n| n.required) {
            let allowed = |allow: bool| {
                statements.iter().any(|s| {
                    s.allow == allow
                        && s.actions.iter().any(|a| action_matches(a, &need.action))
                        && s.resources.iter().any(|r| glob(r, &need.resource))
                })
            };
            if !allowed(true) || allowed(false) {
                out.push(Finding {
                    rule: "iam.allows",
                    message: format!(
                        "{role} does not allow `{}` on `{}`, which {} needs",
                        need.action,
                        need.resource,
                        used.by.join(", ")
                    ),
                    resources: vec![role.clone()],
                });
            }
            if need.action == "kms:Decrypt"
                && let Some(key) = key_address(&need.resource)
                && !*delegates
                    .entry(key.clone())
                    .or_insert_with(|| key_allows(input, &key, None, "kms:Decrypt"))
            {
                out.push(Finding {
                    rule: "iam.allows",
                    message: format!(
                        "the policy of {key} does not let the account's IAM policies use it, so {role} cannot decrypt with it"
                    ),
                    resources: vec![key.clone(), role.clone()],
                });
            }
        }
        let managed = policies
            .get(role)
            .map(|(_, m)| m.clone())
            .unwrap_or_default();
        for needed in &used.managed {
            if !managed.contains(needed) {
                out.push(Finding {
                    rule: "iam.allows",
                    message: format!(
                        "{role} lacks the managed policy {needed}, which {} needs",
                        used.by.join(", ")
                    ),
                    resources: vec![role.clone()],
                });
            }
        }
    }
    // A log group encrypted with a key: CloudWatch Logs must be allowed to use it.
    let logs = services::logs_principal(&input.root.region);
    for body in input.root.each("aws_cloudwatch_log_group") {
        let group = body.address();
        if let Some(key) = body.one_ref("kms_key_id")
            && key.starts_with("aws_kms_key.")
            && !(key_allows(input, &key, Some(&logs), "kms:Encrypt")
                && key_allows(input, &key, Some(&logs), "kms:GenerateDataKey"))
        {
            out.push(Finding {
                rule: "iam.allows",
                message: format!(
                    "{group} is encrypted with {key}, whose policy does not let {logs} encrypt with it"
                ),
                resources: vec![group.to_string(), key],
            });
        }
    }
}

/// `aws_kms_key.x` from `${aws_kms_key.x.arn}`.
fn key_address(resource: &str) -> Option<String> {
    let inner = resource.strip_prefix("${")?.strip_suffix('}')?;
    let (address, _) = inner.rsplit_once('.')?;
    address
        .starts_with("aws_kms_key.")
        .then(|| address.to_string())
}

/// `iam.least`.
pub(super) fn least(input: &Input, out: &mut Vec<Finding>) {
    let Roles { uses, policies } = roles(input);
    for (role, (inline, managed)) in policies {
        let used = uses.get(role);
        if used.is_none() && input.root.get(role).is_some() {
            out.push(Finding {
                rule: "iam.least",
                message: format!("{role} has policies but nothing in the root uses it"),
                resources: vec![role.clone()],
            });
            continue;
        }
        let needs: Vec<&Need> = used.map(|u| u.needs.iter().collect()).unwrap_or_default();
        for (policy, statements) in inline {
            let Some(statements) = statements else {
                out.push(Finding {
                    rule: "iam.least",
                    message: format!("{policy}'s document is not JSON the verifier can read, so what it allows is unknown"),
                    resources: vec![policy.clone()],
                });
                continue;
            };
            for statement in statements.iter().filter(|s| s.allow) {
                for action in &statement.actions {
                    for resource in &statement.resources {
                        let called = needs.iter().any(|n| {
                            action_matches(action, &n.action)
                                && glob(resource, &n.resource)
                                && !action.contains('*')
                                && (n.resource.contains('*') || !resource.contains('*'))
                        });
                        if !called {
                            out.push(Finding {
                                rule: "iam.least",
                                message: format!(
                                    "{policy} allows `{action}` on `{resource}`, which {} never calls",
                                    used.map(|u| u.by.join(", ")).unwrap_or_else(|| role.clone())
                                ),
                                resources: vec![policy.clone(), role.clone()],
                            });
                        }
                    }
                }
            }
        }
        let allowed: Vec<String> = used.map(|u| u.managed.clone()).unwrap_or_default();
        for arn in managed.iter().filter(|m| !allowed.contains(m)) {
            out.push(Finding {
                rule: "iam.least",
                message: format!(
                    "{role} carries the managed policy {arn}, which no service it serves requires"
                ),
                resources: vec![role.clone()],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_as_iam_does() {
        assert!(glob(
            "arn:aws:ssm:*:parameter/x/*",
            "arn:aws:ssm:us-east-1:1:parameter/x/y"
        ));
        assert!(glob("*", "anything"));
        assert!(!glob("arn:a", "arn:ab"));
        assert!(glob("a?c", "abc"));
    }
}
