//! A service's boot script (`boot = file "…"`) and what it may learn at boot.
//!
//! The script is data: its bytes reach the launch template's `user_data` base64-encoded here,
//! at compile time (no `file()`, no `base64encode()`, nothing in it is ever read as Terraform),
//! so a `${x}` in the script reaches the instance as written. What the script needs from the
//! stack that is only known after apply — the endpoints of the databases the service reads —
//! is not put into the script (that would change its bytes): it is published as SSM
//! parameters of type `String` under one path per service, `/<stack name>-<service>/`, one
//! level per database it reads (`…/<database>/writer_endpoint`, `reader_endpoint`, `port`,
//! `username`, `secret_arn`, `secret_key`, and `database` when the engine creates one), never
//! a secret value. For a database a replication feeds, the endpoints are the writer and
//! reader names of `writer` (which a data cutover switches), a service that writes gets only
//! the writer, one that only reads (`DB.reader`) only the reader and the read-only login: the password stays in Secrets Manager, which the instance role may already
//! read for exactly those secrets. The role may read exactly that path (`ssm:GetParameter`,
//! `GetParameters`, `GetParametersByPath`), and the path is an instance tag,
//! `pmigc:parameters`, readable from the instance metadata service, so one script serves
//! every workspace. A service without `boot`, or that reads no database, gets none of this.

use super::expr::{Template, tmpl};
use super::json::{Json, json};
use super::{Root, attr, security};
use crate::derived::table::{database, service as row};
use crate::model::{Service, Stack};

/// The parameters hold no secret, so they are plain `String`s, readable without a KMS grant.
const PARAMETER_WAIVERS: [security::Waiver; 1] = [security::Waiver {
    check: "CKV2_AWS_34",
    reason: "holds no secret (a database endpoint, port, name, user name, or the ARN and key name of the Secrets Manager secret that holds the password); the password itself stays in Secrets Manager",
}];

/// The instance tag that holds the service's parameter path.
pub(crate) const PATH_TAG: &str = "pmigc:parameters";

/// RFC 4648 base64 with padding, the encoding EC2 expects of `user_data`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| {
        let index = ((n >> shift) & 63) as usize;
        char::from(ALPHABET.get(index).copied().unwrap_or(b'='))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| u32::from(chunk.get(i).copied().unwrap_or(0)));
        let n = (a << 16) | (b << 8) | c;
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

/// The service's parameter path, `/<stack name>-<service>` (no trailing `/`).
fn path(root: &Root, service: &Service) -> Template {
    root.named(&row::PARAMETER_PATH, &service.name, &[])
}

/// The launch template's additions for a service with a boot script: `user_data`, and the
/// instance tags in the instance metadata (so the script can read its parameter path).
pub(crate) fn launch_template(service: &Service, template: &mut Json) {
    let Some(boot) = &service.boot else { return };
    template.insert("user_data", json!(base64(boot.script.as_bytes())));
}

/// Whether the service publishes parameters: it has a boot script to read them and reads a
/// database.
fn publishes(service: &Service) -> bool {
    service.boot.is_some() && !service.reads.is_empty()
}

/// Whether instance metadata should carry the instance's tags (so the boot script can read
/// its parameter path).
pub(crate) fn metadata_tags(service: &Service) -> bool {
    publishes(service)
}

/// The Auto Scaling group's tag that tells each instance its parameter path.
pub(crate) fn path_tag(root: &Root, service: &Service) -> Option<Json> {
    publishes(service).then(|| {
        json!({
            "key": PATH_TAG,
            "value": tmpl!(path(root, service), "/"),
            "propagate_at_launch": true,
        })
    })
}

/// The SSM parameters describing the databases the service reads, and the role's permission
/// to read exactly them.
pub(crate) fn parameters(root: &mut Root, stack: &Stack, service: &Service) {
    if !publishes(service) {
        return;
    }
    let name = &service.name;
    let origin = service.origin;
    for id in &service.reads {
        let db = &stack[id];
        let d = db.name.address();
        let cluster = database::CLUSTER.at(&db.name, &[]);
        let named = super::writer::has_names(stack, &db.name);
        let only_reads = service.reads_only(id);
        // A replicated database is reached through the names pmigc switches, never through an
        // endpoint: the data cutover changes a record, not these parameters. A service that
        // writes it reads through the writer too (no reader endpoint: its reads must see its
        // writes); one that only reads it gets only the reader.
        let mut values: Vec<(&str, &str, Json)> = Vec::new();
        if !only_reads {
            values.push(match named {
                true => (
                    "writer_endpoint",
                    "the writer name (the data centre's primary until the data cutover, Aurora after)",
                    json!(super::writer::writer_name(root, &db.name)),
                ),
                false => (
                    "writer_endpoint",
                    "the writer endpoint",
                    json!(attr(&cluster, "endpoint")),
                ),
            });
        }
        if only_reads || !named {
            values.push(match named {
                true => (
                    "reader_endpoint",
                    "the reader name (Aurora's reader endpoint)",
                    json!(super::writer::reader_name(root, &db.name)),
                ),
                false => (
                    "reader_endpoint",
                    "the reader endpoint",
                    json!(attr(&cluster, "reader_endpoint")),
                ),
            });
        }
        let login = stack.login_for(service, id);
        let user = match (only_reads, db.reader_login.is_some()) {
            (true, true) => "the read-only user name",
            _ => "the master user name",
        };
        values.extend([
            ("port", "the port", json!(db.port.get().to_string())),
            ("username", user, json!(login.username.clone())),
            (
                "secret_arn",
                "the ARN of the Secrets Manager secret holding the password",
                json!(security::secret_arn(&login.password.secret)),
            ),
            (
                "secret_key",
                "the key of the password in that secret",
                json!(login.password.key.clone()),
            ),
        ]);
        if let Some(name) = db.initial_database() {
            values.push(("database", "the database name", json!(name)));
        }
        for (key, what, value) in values {
            let params = [d.as_str(), key, db.name.as_str()];
            root.resource(
                &row::PARAMETER.at(name, &params),
                json!({
                    "//": security::waivers(&PARAMETER_WAIVERS, None),
                    "name": root.aws(&row::PARAMETER, "name", name, &params),
                    "description": format!("Database {} for service {}: {what}", db.name, service.name),
                    "type": "String",
                    // Not a secret (an endpoint, a port, an ARN): shown in plans as it is.
                    "insecure_value": value,
                }),
                origin,
            );
        }
    }
    // The path itself, and everything under it.
    let arn = tmpl!(
        format!("arn:aws:ssm:{}:", stack.region),
        security::account_id(),
        ":parameter",
        path(root, service)
    );
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReadServiceParameters",
            "Effect": "Allow",
            "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            "Resource": [arn.clone(), tmpl!(arn, "/*")],
        }]
    });
    root.resource(
        &row::PARAMETERS_POLICY.at(name, &[]),
        json!({ "name": root.aws(&row::PARAMETERS_POLICY, "name", name, &[]), "role": attr(&row::ROLE.at(name, &[]), "id"), "policy": policy.compact() }),
        origin,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        // RFC 4648, section 10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
        assert_eq!(base64(b"${x}"), "JHt4fQ==");
    }
}
