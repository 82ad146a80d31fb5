//! Security plumbing shared by every concern: the stack's KMS key (everything that stores data
//! is encrypted with it), security-group rules (one resource per rule, each with a
//! description, so a reviewer reads who talks to whom), and IAM roles with only the actions a
//! component needs.

use super::expr::{Expr, Template, tmpl};
use super::json::{Json, json};
use super::{Root, attr, name_tag, stack_name};
use crate::model::{Id, Origin, Secret, Stack};

/// A reference to the ARN of the stack's KMS key.
pub fn kms_key(stack: &Stack) -> Expr {
    attr("aws_kms_key", &stack.name.address(), "arn")
}

/// The account the roots are applied in.
pub fn account_id() -> Expr {
    Expr::data("aws_caller_identity", "current", "account_id")
}

pub fn lower(root: &mut Root, stack: &Stack) {
    let origin = stack.origin;
    root.data("aws_caller_identity", "current", json!({}), origin);
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
    let key = stack.name.address();
    root.resource(
        "aws_kms_key",
        &key,
        json!({
            "description": format!("Encryption at rest for stack {}", stack.name),
            "enable_key_rotation": true,
            "deletion_window_in_days": 30,
            "policy": policy.compact(),
            "tags": name_tag(stack_name("")),
        }),
        origin,
    );
    root.resource(
        "aws_kms_alias",
        &key,
        json!({ "name": tmpl!("alias/", Expr::local("name")), "target_key_id": attr("aws_kms_key", &key, "key_id") }),
        origin,
    );
    secrets(root, stack);
}

/// Who is on the other side of a security-group rule.
pub enum Peer {
    Group(String),
    Cidr(String),
}

/// Adds one ingress or egress rule for TCP `port` on the group `group` (a resource name).
/// One security-group rule: TCP `port` between the group `group` (a resource name) and `peer`.
pub struct Rule<'a> {
    pub name: String,
    pub group: &'a str,
    pub port: u16,
    pub peer: Peer,
    pub description: String,
}

pub fn ingress(root: &mut Root, rule: Rule, origin: Origin) {
    add_rule(
        root,
        "aws_vpc_security_group_ingress_rule",
        rule,
        None,
        origin,
    );
}

/// An ingress rule a scanner flags for a reason the stack made true (port 80 that only
/// redirects), with that reason written beside it.
pub fn ingress_waived(root: &mut Root, rule: Rule, waiver: &Waiver, origin: Origin) {
    add_rule(
        root,
        "aws_vpc_security_group_ingress_rule",
        rule,
        Some(waiver),
        origin,
    );
}

pub fn egress(root: &mut Root, rule: Rule, origin: Origin) {
    add_rule(
        root,
        "aws_vpc_security_group_egress_rule",
        rule,
        None,
        origin,
    );
}

fn add_rule(
    root: &mut Root,
    kind: &'static str,
    rule: Rule,
    waiver: Option<&Waiver>,
    origin: Origin,
) {
    let mut body = json!({
        "security_group_id": attr("aws_security_group", rule.group, "id"),
        "ip_protocol": "tcp",
        "from_port": rule.port,
        "to_port": rule.port,
        "description": rule.description,
    });
    match rule.peer {
        Peer::Group(other) => body.insert(
            "referenced_security_group_id",
            json!(attr("aws_security_group", &other, "id")),
        ),
        Peer::Cidr(cidr) => body.insert("cidr_ipv4", json!(cidr)),
    }
    if let Some(waiver) = waiver {
        body.insert("//", waivers(std::slice::from_ref(waiver), None));
    }
    root.resource(kind, &rule.name, body, origin);
}

/// A security group with no inline rules (rules are separate resources).
pub fn group(
    root: &mut Root,
    name: &str,
    block: &crate::model::Name,
    suffix: &str,
    vpc: &crate::model::Id<crate::model::Network>,
    description: &str,
    origin: Origin,
) {
    let aws = root.aws_name(block, suffix);
    root.resource(
        "aws_security_group",
        name,
        json!({
            "name": aws.clone(),
            "description": description.to_string(),
            "vpc_id": attr("aws_vpc", &vpc.address(), "id"),
            "tags": name_tag(&aws),
        }),
        origin,
    );
}

/// An IAM role that `service` (e.g. `ec2.amazonaws.com`) may assume.
pub fn role(root: &mut Root, name: &str, aws: &Template, service: &str, origin: Origin) {
    let assume = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "Service": service.to_string() }, "Action": "sts:AssumeRole" }]
    });
    root.resource(
        "aws_iam_role",
        name,
        json!({ "name": aws, "assume_role_policy": assume.compact(), "tags": name_tag(aws) }),
        origin,
    );
}

/// The existing secrets, looked up by name (their values are only ever referenced).
pub fn secrets(root: &mut Root, stack: &Stack) {
    for secret in &stack.secrets {
        let s = secret.name.address();
        root.data(
            "aws_secretsmanager_secret",
            &s,
            json!({ "name": secret.secret_name.clone() }),
            secret.origin,
        );
        root.data(
            "aws_secretsmanager_secret_version",
            &s,
            json!({ "secret_id": Expr::data("aws_secretsmanager_secret", &s, "id") }),
            secret.origin,
        );
    }
}

/// An expression reading one key of an existing secret.
pub fn secret_value(secret: &crate::model::SecretRef) -> Expr {
    Expr::call(
        "jsondecode",
        [Expr::data(
            "aws_secretsmanager_secret_version",
            &secret.secret.address(),
            "secret_string",
        )],
    )
    .index(Expr::string(&secret.key))
}

/// A reference to the ARN of an existing secret.
pub fn secret_arn(secret: &Id<Secret>) -> Expr {
    Expr::data("aws_secretsmanager_secret", &secret.address(), "arn")
}

/// A scanner finding that does not apply to this design, with the reason a reviewer reads.
pub struct Waiver {
    pub check: &'static str,
    pub reason: &'static str,
}

/// The `"//"` comment (ignored by Terraform) that records waivers on a resource, in checkov's
/// `checkov:skip=ID: reason` form; `scripts/scan.sh` honours them and prints each reason.
/// `from_stack` adds checks waived by a reason written in the stack itself.
pub fn waivers(waivers: &[Waiver], from_stack: Option<(&[&str], &str)>) -> Json {
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
