//! The edge of exposed services: one access-log bucket per stack, written to by the load
//! balancers, internet-facing and internal alike (encrypted with S3-managed keys, the only
//! kind ALB log delivery supports; public access blocked; TLS-only; versioned; logs kept a
//! year), and the `access_logs` setting each load balancer points at it.

use super::expr::tmpl;
use super::json::{Json, json};
use super::security::{self, Waiver, account_id};
use super::{Root, attr, row_tag};
use crate::derived::Address;
use crate::derived::table::{service, stack as st};
use crate::model::Stack;

/// The log bucket.
pub(super) fn bucket(stack: &Stack) -> Address {
    st::LOG_BUCKET.at(&stack.name, &[])
}

const BUCKET_WAIVERS: [Waiver; 4] = [
    Waiver {
        check: "CKV_AWS_18",
        reason: "this is the access-log bucket; logging access to it would need another bucket, and that one another",
    },
    Waiver {
        check: "CKV_AWS_144",
        reason: "logs stay in the stack's region for a year; cross-region copies are an organisation-wide choice",
    },
    Waiver {
        check: "CKV_AWS_145",
        reason: "load balancer log delivery only supports S3-managed keys (SSE-S3), not KMS",
    },
    Waiver {
        check: "CKV2_AWS_62",
        reason: "nothing consumes log-arrival events",
    },
];

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    if !stack.services.iter().any(|s| s.exposure.is_some()) {
        return;
    }
    let origin = stack.origin;
    let b = bucket(stack);
    let id = attr(&b, "id");
    let elb = st::ELB_ACCOUNT.at(&stack.name, &[]);
    // Regions opened since August 2022 have no ELB account: logs come from a service
    // principal there (`crate::aws::regions`).
    let elb_account = crate::aws::regions::elb_account_delivers(&stack.region);
    if elb_account {
        root.data(&elb, json!({}), origin);
    }
    root.resource(
        &b,
        json!({
            "//": security::waivers(&BUCKET_WAIVERS, None),
            "bucket": root.aws(&st::LOG_BUCKET, "bucket", &stack.name, &[]),
            "tags": row_tag(root, &st::LOG_BUCKET, &stack.name, &[]),
        }),
        origin,
    );
    let setting = |row: &crate::derived::Row| row.at(&stack.name, &[]);
    root.resource(
        &setting(&st::LOG_BUCKET_PUBLIC_ACCESS),
        json!({ "bucket": id.clone(), "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true }),
        origin,
    );
    root.resource(
        &setting(&st::LOG_BUCKET_ENCRYPTION),
        json!({ "bucket": id.clone(), "rule": [{ "apply_server_side_encryption_by_default": { "sse_algorithm": "AES256" } }] }),
        origin,
    );
    root.resource(
        &setting(&st::LOG_BUCKET_VERSIONING),
        json!({ "bucket": id.clone(), "versioning_configuration": { "status": "Enabled" } }),
        origin,
    );
    root.resource(
        &setting(&st::LOG_BUCKET_LIFECYCLE),
        json!({
            "bucket": id.clone(),
            "rule": [{
                "id": "keep-a-year",
                "status": "Enabled",
                "filter": {},
                "expiration": { "days": 365 },
                "noncurrent_version_expiration": { "noncurrent_days": 30 },
                "abort_incomplete_multipart_upload": { "days_after_initiation": 7 }
            }],
        }),
        origin,
    );
    let arn = attr(&b, "arn");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LoadBalancersWriteAccessLogs",
                "Effect": "Allow",
                "Principal": if elb_account {
                    json!({ "AWS": attr(&elb, "arn") })
                } else {
                    json!({ "Service": crate::aws::regions::LOG_DELIVERY_PRINCIPAL })
                },
                "Action": "s3:PutObject",
                "Resource": tmpl!(arn.clone(), "/*/AWSLogs/", account_id(), "/*")
            },
            {
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn.clone(), tmpl!(arn.clone(), "/*")],
                "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }
        ]
    });
    root.resource(
        &setting(&st::LOG_BUCKET_POLICY),
        json!({ "bucket": id, "policy": policy.compact() }),
        origin,
    );
}

/// Points a load balancer's body at the stack's log bucket (its own prefix), and makes it wait
/// for the bucket policy that lets it write there.
pub(super) fn attach_access_logs(
    root: &Root,
    stack: &Stack,
    service: &crate::model::Name,
    body: &mut Json,
) {
    let b = bucket(stack);
    body.insert(
        "access_logs",
        json!({ "bucket": attr(&b, "id"), "prefix": root.aws(&service::LOAD_BALANCER, "access_logs.prefix", service, &[]), "enabled": true }),
    );
    body.insert(
        "depends_on",
        json!([st::LOG_BUCKET_POLICY.at(&stack.name, &[]).spelled()]),
    );
}
