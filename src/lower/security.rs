//! Security plumbing shared by every concern: the stack's KMS key (everything that stores data
//! is encrypted with it), security-group rules (one resource per rule, each with a
//! description, so a reviewer reads who talks to whom), and IAM roles with only the actions a
//! component needs.

use super::expr::{Expr, tmpl};
use super::json::{Json, json};
use super::{Root, attr, row_tag};
use crate::derived::table::{existing, stack as st};
use crate::derived::{Address, Row};
use crate::model::{Id, Name, Origin, Secret, Stack};

/// A reference to the ARN of the stack's KMS key.
pub(super) fn kms_key(stack: &Stack) -> Expr {
    attr(&st::KMS_KEY.at(&stack.name, &[]), "arn")
}

/// The account the roots are applied in.
pub(super) fn account_id() -> Expr {
    attr(&st::CALLER.at(&Name::checked("current"), &[]), "account_id")
}

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    let origin = stack.origin;
    root.data(&st::CALLER.at(&stack.name, &[]), json!({}), origin);
    let account_root = tmpl!("arn:aws:iam::", account_id(), ":root");
    let logs_arn = tmpl!(
        format!("arn:aws:logs:{}:", stack.region),
        account_id(),
        ":*"
    );
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": { "AWS": account_root },
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "CloudWatchLogsEncryptsWithTheKey",
                "Effect": "Allow",
                "Principal": { "Service": format!("logs.{}.amazonaws.com", stack.region) },
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": { "ArnLike": { "kms:EncryptionContext:aws:logs:arn": logs_arn } }
            }
        ]
    });
    let key = st::KMS_KEY.at(&stack.name, &[]);
    root.resource(
        &key,
        json!({
            "description": format!("Encryption at rest for stack {}", stack.name),
            "enable_key_rotation": true,
            "deletion_window_in_days": 30,
            "policy": policy.compact(),
            "tags": row_tag(root, &st::KMS_KEY, &stack.name, &[]),
        }),
        origin,
    );
    root.resource(
        &st::KMS_ALIAS.at(&stack.name, &[]),
        json!({ "name": root.aws(&st::KMS_ALIAS, "name", &stack.name, &[]), "target_key_id": attr(&key, "key_id") }),
        origin,
    );
    secrets(root, stack);
}

/// Who is on the other side of a security-group rule.
pub(super) enum Peer {
    Group(Address),
    Cidr(String),
}

/// One security-group rule: TCP `port` between the group `group` and `peer`.
pub(super) struct Rule<'a> {
    pub name: Address,
    pub group: &'a Address,
    pub port: u16,
    pub peer: Peer,
    pub description: String,
}

/// Adds a rule (an ingress or egress rule, as its address's row says).
pub(super) fn ingress(root: &mut Root, rule: Rule, origin: Origin) {
    add_rule(root, rule, origin, &[]);
}

pub(super) fn egress(root: &mut Root, rule: Rule, origin: Origin) {
    add_rule(root, rule, origin, &[]);
}

/// An ingress rule that a scanner flags but the design needs, with the reasons it does not
/// apply.
pub(super) fn ingress_waived(root: &mut Root, rule: Rule, origin: Origin, waived: &[Waiver]) {
    add_rule(root, rule, origin, waived);
}

fn add_rule(root: &mut Root, rule: Rule, origin: Origin, waived: &[Waiver]) {
    let mut body = json!({
        "security_group_id": attr(rule.group, "id"),
        "ip_protocol": "tcp",
        "from_port": rule.port,
        "to_port": rule.port,
        "description": description(&rule.description),
    });
    match rule.peer {
        Peer::Group(other) => {
            body.insert("referenced_security_group_id", json!(attr(&other, "id")))
        }
        Peer::Cidr(cidr) => body.insert("cidr_ipv4", json!(cidr)),
    }
    if !waived.is_empty() {
        body.insert("//", waivers(waived, None));
    }
    root.resource(&rule.name, body, origin);
}

/// The longest description EC2 takes for a security group or a rule (`CreateSecurityGroup`,
/// `GroupDescription`: "Up to 255 characters").
pub(super) const DESCRIPTION_MAX: usize = 255;

/// `text` as EC2 takes it for a description: only `a-zA-Z0-9`, spaces and
/// `._-:/()#,@[]+=&;{}!$*` (CreateSecurityGroup, `GroupDescription`), anything else written as
/// a space, cut at 255 characters (ending in `...` when cut). A description is pmigc's comment,
/// never a name, so shortening it changes nothing the stack says.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
pub(super) fn description(text: &str) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    let clean: String = text
        .chars()
        .map(|c| if allowed(c) { c } else { ' ' })
        .collect();
    if clean.len() <= DESCRIPTION_MAX {
        return clean;
    }
    let mut cut: String = clean.chars().take(DESCRIPTION_MAX - 3).collect();
    cut.push_str("...");
    cut
}

/// A security group with no inline rules (rules are separate resources): `row`'s, for block
/// `block`.
pub(super) fn group(
    root: &mut Root,
    row: &Row,
    block: &Name,
    vpc: &Id<crate::model::Network>,
    text: &str,
    origin: Origin,
) -> Address {
    let at = row.at(block, &[]);
    let vpc = crate::derived::table::network::VPC.at(vpc.name(), &[]);
    root.resource(
        &at,
        json!({
            "name": root.aws(row, "name", block, &[]),
            "description": description(text),
            "vpc_id": attr(&vpc, "id"),
            "tags": row_tag(root, row, block, &[]),
        }),
        origin,
    );
    at
}

/// An IAM role, `row`'s for block `block`, that `service` (e.g. `ec2.amazonaws.com`) may
/// assume.
pub(super) fn role(
    root: &mut Root,
    row: &Row,
    block: &Name,
    service: &str,
    origin: Origin,
) -> Address {
    let assume = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "Service": service.to_string() }, "Action": "sts:AssumeRole" }]
    });
    let at = row.at(block, &[]);
    root.resource(
        &at,
        json!({ "name": root.aws(row, "name", block, &[]), "assume_role_policy": assume.compact(), "tags": row_tag(root, row, block, &[]) }),
        origin,
    );
    at
}

/// The existing secrets, looked up by name. Their values are read by an `ephemeral` resource,
/// which Terraform reads during plan and apply and never stores in the state, and only ever
/// reach write-only arguments (`master_password_wo`, `secret_string_wo`).
pub(super) fn secrets(root: &mut Root, stack: &Stack) {
    for secret in &stack.secrets {
        let lookup = existing::SECRET.at(&secret.name, &[]);
        root.data(
            &lookup,
            json!({ "name": secret.secret_name.clone() }),
            secret.origin,
        );
        root.data(
            &existing::SECRET_VALUE.at(&secret.name, &[]),
            json!({ "secret_id": attr(&lookup, "id") }),
            secret.origin,
        );
    }
}

/// An expression reading one key of an existing secret: ephemeral, so it may only be given
/// to a write-only argument.
pub(super) fn secret_value(secret: &crate::model::SecretRef) -> Expr {
    Expr::call(
        "jsondecode",
        [attr(
            &existing::SECRET_VALUE.at(secret.secret.name(), &[]),
            "secret_string",
        )],
    )
    .index(Expr::string(&secret.key))
}

/// The version of a write-only value pmigc writes from an existing secret: Terraform sends
/// the value again only when this number changes, so it is the secret's `version`.
pub(super) fn write_only_version(stack: &Stack, secret: &crate::model::SecretRef) -> u32 {
    stack[&secret.secret].version
}

/// A reference to the ARN of an existing secret.
pub(super) fn secret_arn(secret: &Id<Secret>) -> Expr {
    attr(&existing::SECRET.at(secret.name(), &[]), "arn")
}

/// A scanner finding that does not apply to this design, with the reason a reviewer reads.
pub(super) struct Waiver {
    pub check: &'static str,
    pub reason: &'static str,
}

/// The `"//"` comment (ignored by Terraform) that records waivers on a resource, in checkov's
/// `checkov:skip=ID: reason` form; `scripts/scan.sh` honours them and prints each reason.
/// `from_stack` adds checks waived by a reason written in the stack itself.
pub(super) fn waivers(waivers: &[Waiver], from_stack: Option<(&[&str], &str)>) -> Json {
    let mut text: Vec<String> = waivers
        .iter()
        .map(|w| format!("checkov:skip={}: {}", w.check, w.reason))
        .collect();
    if let Some((checks, reason)) = from_stack {
        let reason = reason.replace('|', "/");
        text.extend(
            checks
                .iter()
                .map(|check| format!("checkov:skip={check}: waived in the stack: {reason}")),
        );
    }
    json!(text.join(" | "))
}
