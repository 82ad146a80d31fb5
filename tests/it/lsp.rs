//! `pmigc lsp` end to end: a client speaking JSON-RPC over the process's stdin/stdout, one
//! test per bullet of the issue (diagnostics with related information and catalogue links,
//! quick fixes, hover, definition, references, rename and its warning, completion, the
//! outline, formatting, UTF-16 and negotiated UTF-8 positions, shutdown), on the payment
//! stack and on a second stack.

use crate::golden;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const MINIMAL: &str = include_str!("../cases/ok/minimal-service.pmig");
const URI: &str = "file:///work/stack.pmig";

struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
}

impl Client {
    fn start(capabilities: Value) -> Client {
        Client::start_with(capabilities, json!(null))
    }

    /// A server initialized with `capabilities` and `initializationOptions`.
    fn start_with(capabilities: Value, options: Value) -> Client {
        let mut client = Client::spawn();
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options }),
        );
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        client.notify("initialized", json!({}));
        client
    }

    /// A server that has not been initialized.
    fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pmigc"))
            .arg("lsp")
            .env("PMIGC_CATALOGUE_URL", "https://example.com/diagnostics.md")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                stdout.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            inbox,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    /// Bytes as they are, framed or not.
    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message that is not a notification (an answer, maybe to no request).
    fn answer(&mut self) -> Value {
        loop {
            let message = self.receive();
            if message.get("method").is_none() {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        self.inbox
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for the document.
    fn diagnostics(&mut self) -> Vec<Value> {
        let position = self
            .notifications
            .iter()
            .position(|n| n["method"] == "textDocument/publishDiagnostics");
        let message = match position {
            Some(i) => self.notifications.remove(i),
            None => loop {
                let message = self.receive();
                if message["method"] == "textDocument/publishDiagnostics" {
                    break message;
                }
                self.notifications.push(message);
            },
        };
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, text: &str) -> Vec<Value> {
        self.open_at(URI, text)
    }

    fn open_at(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "pmig", "version": 1, "text": text } }),
        );
        self.diagnostics()
    }

    fn change(&mut self, version: i64, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        self.diagnostics()
    }

    fn at(&mut self, method: &str, position: (usize, usize)) -> Value {
        self.at_with(method, position, json!({}))
    }

    fn at_with(&mut self, method: &str, (line, character): (usize, usize), extra: Value) -> Value {
        let mut params = json!({
            "textDocument": { "uri": URI },
            "position": { "line": line, "character": character },
        });
        for (k, v) in extra.as_object().unwrap() {
            params[k] = v.clone();
        }
        self.request(method, params)
    }

    fn shutdown(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        drop(self.stdin);
        self.child.wait().unwrap().code().unwrap()
    }
}

/// The 0-based line and UTF-16 column of the `nth` occurrence of `needle` (plus `delta` bytes).
fn position(text: &str, needle: &str, nth: usize, delta: usize) -> (usize, usize) {
    let offset = text.match_indices(needle).nth(nth).expect(needle).0 + delta;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].encode_utf16().count())
}

fn labels(completion: &Value) -> Vec<String> {
    let items = &completion["result"];
    let items = items.get("items").unwrap_or(items);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn hover_text(hover: &Value) -> String {
    hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Applies `TextEdit`s (UTF-16 positions, non-overlapping) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, col) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= col {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn diagnostics_are_pmigc_checks_and_a_quick_fix_repairs_the_stack() {
    let mut client = Client::start(json!({}));
    assert!(
        client.open(PAYMENT).is_empty(),
        "the payment stack is clean"
    );
    // A misspelt reference: PMG0601, at the name, with a machine-applicable fix.
    let typo = PAYMENT.replacen("reads    = ledger", "reads    = ledgr", 1);
    let diagnostics = client.change(2, &typo);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "PMG0601");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "pmigc");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("no database named `ledgr`")
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `ledger`?")
    );
    let (line, col) = position(&typo, "ledgr", 0, 0);
    assert_eq!(
        d["range"]["start"],
        json!({ "line": line, "character": col })
    );
    assert_eq!(
        d["range"]["end"],
        json!({ "line": line, "character": col + 5 })
    );
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://example.com/diagnostics.md#pmg0601"),
        "{d}"
    );
    // The quick fix, applied, gives back the clean stack; its diagnostics clear.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply(&typo, edits);
    assert_eq!(fixed, PAYMENT);
    assert!(client.change(3, &fixed).is_empty());
    // A secondary label becomes related information; a warning keeps its severity.
    let overlap = PAYMENT.replacen("cidr    = 10.40.0.0/16", "cidr    = 192.168.0.0/16", 1);
    let diagnostics = client.change(4, &overlap);
    let d = diagnostics.iter().find(|d| d["code"] == "PMG0504").unwrap();
    let related = d["relatedInformation"].as_array().unwrap();
    assert_eq!(related[0]["message"], "on-premises network declared here");
    let (line, _) = position(&overlap, "networks   = [192.168.0.0/16]", 0, 0);
    assert_eq!(related[0]["location"]["range"]["start"]["line"], line);
    let forward = PAYMENT.replacen(
        "  reads    = ledger",
        "  reads    = ledger\n  http     = forward",
        1,
    );
    let diagnostics = client.change(5, &forward);
    assert!(
        diagnostics.iter().any(|d| d["severity"] == 2),
        "{diagnostics:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_shows_the_registry_references_and_the_catalogue() {
    let mut client = Client::start(json!({}));
    client.open(PAYMENT);
    let text = hover_text(&client.at("textDocument/hover", position(PAYMENT, "capacity", 0, 2)));
    assert!(text.contains("service.capacity"), "{text}");
    assert!(text.contains("range of instances"), "{text}");
    assert!(text.contains("required"), "{text}");
    let text = hover_text(&client.at("textDocument/hover", position(PAYMENT, "nat ", 0, 1)));
    assert!(
        text.contains("`per_zone`, `single`") && text.contains("default `per_zone`"),
        "{text}"
    );
    let text = hover_text(&client.at(
        "textDocument/hover",
        position(PAYMENT, "database ledger", 0, 2),
    ));
    assert!(
        text.contains("Aurora cluster") && text.contains("| `engine` |"),
        "{text}"
    );
    // A reference: what it refers to and where.
    let text = hover_text(&client.at("textDocument/hover", position(PAYMENT, "= ledger", 0, 3)));
    assert!(
        text.contains("database `ledger`") && text.contains("database ledger {"),
        "{text}"
    );
    // A place with a diagnostic: the code's catalogue page.
    let typo = PAYMENT.replacen("reads    = ledger", "reads    = ledgr", 1);
    client.change(2, &typo);
    let text = hover_text(&client.at("textDocument/hover", position(&typo, "ledgr", 0, 1)));
    assert!(
        text.contains("**PMG0601**") && text.contains("Wrong:"),
        "{text}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn definition_references_and_rename_cover_every_kind_of_name() {
    let mut client = Client::start(json!({}));
    client.open(PAYMENT);
    let definition = client.at(
        "textDocument/definition",
        position(PAYMENT, "= ledger", 0, 2),
    );
    let (line, col) = position(PAYMENT, "database ledger", 0, 9);
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({ "line": line, "character": col })
    );
    // Secret keys and tiers are names too.
    let definition = client.at(
        "textDocument/definition",
        position(PAYMENT, "db.dms_password", 0, 4),
    );
    let (line, _) = position(
        PAYMENT,
        "keys = [password, dms_password, dms_writer_password]",
        0,
        0,
    );
    assert_eq!(definition["result"]["range"]["start"]["line"], line);
    let definition = client.at(
        "textDocument/definition",
        position(PAYMENT, "main.private", 0, 6),
    );
    let (line, _) = position(PAYMENT, "  private = /24 per zone", 0, 0);
    assert_eq!(definition["result"]["range"]["start"]["line"], line);
    // An input used in a workspace key and in a `{placeholder}`.
    let references = client.at_with(
        "textDocument/references",
        position(PAYMENT, "input environment_suffix", 0, 7),
        json!({ "context": { "includeDeclaration": false } }),
    );
    let lines: Vec<u64> = references["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{references}");
    assert_eq!(
        lines[0] as usize,
        position(PAYMENT, "{environment_suffix}", 0, 0).0
    );
    // `ledger`: reads, to, the data cutover's database, a workspace override, two outputs, the
    // declaration.
    let references = client.at_with(
        "textDocument/references",
        position(PAYMENT, "database ledger", 0, 10),
        json!({ "context": { "includeDeclaration": true } }),
    );
    assert_eq!(
        references["result"].as_array().unwrap().len(),
        7,
        "{references}"
    );
    // Rename everywhere; the block owns AWS resources, so the server warns.
    let rename = client.at_with(
        "textDocument/rename",
        position(PAYMENT, "database ledger", 0, 10),
        json!({ "newName": "books" }),
    );
    let renamed = apply(
        PAYMENT,
        rename["result"]["changes"][URI].as_array().unwrap(),
    );
    assert!(!renamed.contains("ledger.") && renamed.contains("database books {"));
    assert!(
        client.change(2, &renamed).is_empty(),
        "the renamed stack checks"
    );
    let warning = client
        .notifications
        .iter()
        .find(|n| n["method"] == "window/showMessage")
        .expect("a warning");
    assert!(
        warning["params"]["message"]
            .as_str()
            .unwrap()
            .contains("--renamed ledger=books"),
        "{warning}"
    );
    // Not a name, a taken name, a tier: refused with a reason.
    for (at, new) in [
        (position(&renamed, "service api", 0, 9), "2api"),
        (position(&renamed, "service api", 0, 9), "books"),
        (position(&renamed, "main.private", 0, 6), "inner"),
    ] {
        let answer = client.at_with("textDocument/rename", at, json!({ "newName": new }));
        assert!(answer["error"]["message"].is_string(), "{answer}");
    }
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_offers_what_fits_where_the_cursor_is() {
    let mut client = Client::start(json!({}));
    let edited = PAYMENT.replacen("dashboard migration { }", "data", 1);
    client.open(&edited);
    let top = labels(&client.at("textDocument/completion", position(&edited, "\ndata", 0, 5)));
    assert!(
        ["database", "service", "cutover", "existing"]
            .iter()
            .all(|k| top.contains(&k.to_string())),
        "{top:?}"
    );
    // A block's missing attributes only, with a half-written stack around it.
    let partial = PAYMENT.replacen("  health   = \"/health\"\n", "  he\n", 1);
    client.change(2, &partial);
    let attrs = labels(&client.at(
        "textDocument/completion",
        position(&partial, "  he\n", 0, 4),
    ));
    assert!(
        attrs.contains(&"health".into()) && attrs.contains(&"http".into()),
        "{attrs:?}"
    );
    assert!(
        !attrs.contains(&"capacity".into()),
        "present attributes are not offered: {attrs:?}"
    );
    // Values: enum words, instance classes, names of the right kind.
    // (line written, what is left of it, which occurrence of that, wanted, not wanted)
    type Case = (
        &'static str,
        &'static str,
        usize,
        &'static [&'static str],
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            "nat     = per_zone",
            "nat     = ",
            0,
            &["per_zone", "single"],
            &[],
        ),
        (
            "instance = t3.medium",
            "instance = ",
            1,
            &["t3.medium", "m5.2xlarge"],
            &["ledger", "db.r6g.large"],
        ),
        (
            "instance = db.r6g.large",
            "instance = ",
            0,
            &["db.r6g.large", "db.r6g.2xlarge"],
            &["t3.medium"],
        ),
        (
            "reads    = ledger",
            "reads    = ",
            0,
            &["ledger"],
            &["api", "main"],
        ),
        ("to       = ledger", "to       = ", 0, &["ledger"], &["api"]),
        ("aws      = api", "aws      = ", 0, &["api"], &["ledger"]),
        (
            "gate     = onprem_to_aws.lag < 5s",
            "gate     = ",
            0,
            // A replication's lag, and the service's own errors and latency (docs/gates.md).
            &["onprem_to_aws.lag < ", "api.errors < ", "api.latency < "],
            &[],
        ),
        (
            "password = db.password",
            "password = ",
            0,
            &["db.password", "db.dms_password"],
            &[],
        ),
    ];
    for (version, (line, prefix, nth, want, not)) in cases.iter().enumerate() {
        let text = PAYMENT.replacen(line, prefix, 1);
        client.change(3 + version as i64, &text);
        let got = labels(&client.at(
            "textDocument/completion",
            position(&text, prefix, *nth, prefix.len()),
        ));
        for w in *want {
            assert!(got.contains(&w.to_string()), "{prefix}: {w} not in {got:?}");
        }
        for n in *not {
            assert!(!got.contains(&n.to_string()), "{prefix}: {n} in {got:?}");
        }
    }
    // `in =` of a database: only private tiers.
    // (The first `in =` is the database's.)
    let text = PAYMENT.replacen("  in       = main.private", "  in       = ", 1);
    client.change(20, &text);
    let got = labels(&client.at(
        "textDocument/completion",
        position(&text, "  in       = \n", 0, 13),
    ));
    assert!(
        got.contains(&"main.private".into()) && !got.contains(&"main.public".into()),
        "{got:?}"
    );
    // In a workspace: what the registry lets it override, the stack's settings by `stack.`.
    for (version, (typed, want, not)) in [
        ("stack.", "stack.tags", "stack.region"),
        ("pay.", "pay.domain", "pay.colour"),
        ("db.", "db.name", "db.keys"),
    ]
    .into_iter()
    .enumerate()
    {
        let line = format!("  {typed}\n");
        let text = PAYMENT.replacen(
            "  traffic_weight     = 100%\n",
            &format!("  traffic_weight     = 100%\n{line}"),
            1,
        );
        client.change(21 + version as i64, &text);
        let got = labels(&client.at(
            "textDocument/completion",
            position(&text, &line, 0, typed.len() + 2),
        ));
        assert!(got.contains(&want.to_string()), "{typed}: {got:?}");
        assert!(!got.contains(&not.to_string()), "{typed}: {got:?}");
    }
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn outline_and_formatting() {
    let mut client = Client::start(json!({}));
    client.open(MINIMAL);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shop", "env", "shop", "edge", "web", "url"]);
    let web = &symbols["result"][4];
    assert_eq!(web["detail"], "service");
    assert!(
        web["children"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "capacity")
    );
    // Formatting is `pmigc fmt`: a mangled stack comes back canonical; a formatted one is left.
    let mangled = MINIMAL.replace("  cidr    = 10.8.0.0/20", "cidr=10.8.0.0/20");
    client.change(2, &mangled);
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let edits = formatting["result"].as_array().unwrap();
    assert_eq!(apply(&mangled, edits), pmigc::fmt::format(MINIMAL).unwrap());
    let broken = format!("{MINIMAL}\nservice {{");
    client.change(3, &broken);
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(
        formatting["error"]["message"]
            .as_str()
            .unwrap()
            .contains("syntax error"),
        "{formatting}"
    );
    assert_eq!(client.shutdown(), 0);
}

/// A line with characters outside ASCII before a name: the columns differ per encoding.
const WIDE: &str = "existing secret db { name = \"pay-\u{1F4B3}-é\", keys = [password, dms_password, dms_writer_password] }";

fn wide_stack() -> String {
    PAYMENT.replacen(
        "existing secret db {\n  name = \"payment-db-credentials\"\n  keys = [password, dms_password, dms_writer_password]\n}",
        WIDE,
        1,
    )
}

#[test]
fn positions_are_utf16_by_default_and_utf8_when_offered() {
    let text = wide_stack();
    assert!(text.contains(WIDE));
    let (line, utf16) = position(&text, "[password,", 0, 1);
    let line_start = text[..text.find(WIDE).unwrap()].len();
    let utf8 = text.find("[password,").unwrap() + 1 - line_start;
    assert_ne!(utf8, utf16);
    for (capabilities, column, encoding) in [
        (json!({}), utf16, "utf-16"),
        (
            json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
            utf8,
            "utf-8",
        ),
    ] {
        let mut client = Client::start(capabilities);
        client.open(&text);
        let definition = client.at(
            "textDocument/definition",
            position(&text, "db.password", 0, 4),
        );
        assert_eq!(
            definition["result"]["range"]["start"],
            json!({ "line": line, "character": column }),
            "{encoding}"
        );
        // And back: a position in that encoding finds the key.
        let hover = client.at("textDocument/hover", (line, column + 1));
        assert!(
            hover_text(&hover).contains("key `db.password`"),
            "{encoding}: {hover}"
        );
        assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn bad_requests_get_errors_and_an_exit_without_shutdown_is_code_1() {
    let mut client = Client::start(json!({}));
    let answer = client.at("textDocument/hover", (0, 0));
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not open"),
        "{answer}"
    );
    let answer = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(answer["error"].is_object(), "{answer}");
    let answer = client.request("workspace/unknownThing", json!({}));
    assert_eq!(answer["error"]["code"], -32601);
    client.open("stack {");
    client.notify("exit", Value::Null);
    drop(client.stdin);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

/// An input filled into strings everywhere (a tag, a record, a host and port, a user name, a
/// workspace's `stack.tags`) and set by workspaces: every use is a reference, and a rename
/// reaches them all.
#[test]
fn an_input_is_found_in_every_placeholder() {
    let text = include_str!("../cases/ok/overrides-and-placeholders.pmig");
    let mut client = Client::start(json!({}));
    client.open(text);
    let references = client.at_with(
        "textDocument/references",
        position(text, "input env:", 0, 7),
        json!({ "context": { "includeDeclaration": false } }),
    );
    let found = references["result"].as_array().unwrap().len();
    let placeholders: usize = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.matches("{env}").count())
        .sum();
    let settings = text.matches("\n  env ").count();
    assert!(
        placeholders >= 8 && settings == 2,
        "{placeholders} {settings}"
    );
    assert_eq!(found, placeholders + settings, "{references}");
    let rename = client.at_with(
        "textDocument/rename",
        position(text, "input env:", 0, 7),
        json!({ "newName": "stage" }),
    );
    let renamed = apply(text, rename["result"]["changes"][URI].as_array().unwrap());
    assert_eq!(renamed.matches("{stage}").count(), placeholders);
    assert!(renamed.contains("\"pg-{stage}.corp.example.eu\":5432"));
    // The renamed stack checks: no error (the stack's warnings stay as they were).
    let diagnostics = client.change(2, &renamed);
    assert!(
        diagnostics.iter().all(|d| d["severity"] != 1),
        "the renamed stack checks: {diagnostics:?}"
    );
}

/// A boot script is read beside the document's file, as `pmigc check` reads it: a missing one
/// is PMG0610 at its path, and writing the file clears it on the next change.
#[test]
fn boot_scripts_are_read_beside_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let stack_dir = dir.path().join("my stacks");
    std::fs::create_dir_all(stack_dir.join("boot")).unwrap();
    let text = include_str!("../cases/ok/boot-script.pmig");
    let uri = format!(
        "file://{}/main.pmig",
        stack_dir.display().to_string().replace(' ', "%20")
    );
    let mut client = Client::start(json!({}));
    let diagnostics = client.open_at(&uri, text);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PMG0610", "PMG0610"], "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("my stacks/boot/web.sh"), "{message}");
    for name in ["web.sh", "web-canary.sh"] {
        std::fs::write(stack_dir.join("boot").join(name), "echo hi\n").unwrap();
    }
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    assert_eq!(client.diagnostics(), Vec::<Value>::new());
    assert_eq!(client.shutdown(), 0);
}

// What a client may send that must not take the server down (issue 28): each test below
// failed against the server before it read its input itself.

const MIB: usize = 1024 * 1024;

/// A `Content-Length` larger than the server reads (or than any number) is answered with an
/// error and not allocated; the server goes on with the next message, whether the body was
/// sent or not.
#[test]
fn a_huge_content_length_is_refused_and_the_server_goes_on() {
    let mut client = Client::start(json!({}));
    let refused = |client: &mut Client| {
        let answer = client.answer();
        assert_eq!(answer["id"], Value::Null, "{answer}");
        assert_eq!(answer["error"]["code"], -32600, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains("16 MiB"), "{message}");
    };
    for length in [
        "18446744073709551615".to_string(),
        "99999999999999999999999999".to_string(),
        (16 * MIB + 1).to_string(),
    ] {
        client.raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
        refused(&mut client);
        assert!(client.open(PAYMENT).is_empty());
    }
    // The body of a message too large, sent in full: skipped.
    let body = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": URI, "languageId": "pmig", "version": 9, "text": "#".repeat(17 * MIB) }
    } })
    .to_string();
    client.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    refused(&mut client);
    let hover = client.at("textDocument/hover", position(PAYMENT, "capacity", 0, 2));
    assert!(hover_text(&hover).contains("service.capacity"), "{hover}");
    assert_eq!(client.shutdown(), 0);
}

/// The peak memory of a process, in bytes (Linux).
#[cfg(target_os = "linux")]
fn peak_memory(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A header line that does not end is not kept: 64 MiB of it cost the server no memory, and
/// the message after it is read.
#[test]
fn a_header_line_without_a_newline_is_not_buffered() {
    let mut client = Client::start(json!({}));
    let chunk = vec![b'x'; MIB];
    for _ in 0..64 {
        client.raw(&chunk);
    }
    client.raw(b"\r\n");
    assert!(client.open(PAYMENT).is_empty());
    #[cfg(target_os = "linux")]
    {
        let peak = peak_memory(client.child.id()).expect("VmHWM in /proc/PID/status");
        assert!(peak < 48 * MIB, "the server grew to {} MiB", peak / MIB);
    }
    assert_eq!(client.shutdown(), 0);
}

/// A message that is not JSON, or not a request, is answered with the protocol's error; the
/// server goes on.
#[test]
fn a_message_that_is_not_a_request_is_answered_with_an_error() {
    let mut client = Client::start(json!({}));
    // Nested a million deep: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    for (body, code) in [
        ("{oops", -32700),
        (deep.as_str(), -32700),
        ("[1, 2]", -32600),
        (
            "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"x\"}",
            -32600,
        ),
        ("{\"jsonrpc\":\"2.0\",\"id\":7}", -32600),
    ] {
        client.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        let answer = client.answer();
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
    }
    // A header without a number, or no `Content-Length` at all: refused, then the next one.
    client.raw(b"Content-Length: twelve\r\n\r\nContent-Type: x\r\n\r\n");
    assert_eq!(client.answer()["error"]["code"], -32600);
    assert_eq!(client.answer()["error"]["code"], -32600);
    assert!(client.open(PAYMENT).is_empty());
    assert_eq!(client.shutdown(), 0);
}

/// After `shutdown` a request is answered with InvalidRequest (the server does not exit), and
/// `exit` then ends it with code 0; before `initialize` a request is answered with
/// ServerNotInitialized, and `exit` ends it with code 1.
#[test]
fn requests_outside_the_lifecycle_are_answered_with_its_errors() {
    let mut client = Client::start(json!({}));
    client.open(PAYMENT);
    let answer = client.request("shutdown", Value::Null);
    assert!(
        answer.get("error").is_none() && answer["result"].is_null(),
        "{answer}"
    );
    let answer = client.at("textDocument/hover", position(PAYMENT, "capacity", 0, 2));
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    assert_eq!(
        client.request("shutdown", Value::Null)["error"]["code"],
        -32600
    );
    client.notify("exit", Value::Null);
    drop(client.stdin);
    assert_eq!(client.child.wait().unwrap().code(), Some(0));

    let mut client = Client::spawn();
    let answer = client.at("textDocument/hover", (0, 0));
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    client.notify("exit", Value::Null);
    drop(client.stdin);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

/// A document larger than the server analyses gets one diagnostic saying so, and requests on
/// it an error; once small again it is analysed.
#[test]
fn a_document_over_the_size_limit_gets_one_diagnostic() {
    let mut client = Client::start(json!({}));
    let text = format!("{PAYMENT}{}", "# padding\n".repeat(4 * MIB / 10 + 1));
    let diagnostics = client.open(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("not analysed") && message.contains("4 MiB"),
        "{message}"
    );
    let answer = client.at("textDocument/hover", position(PAYMENT, "capacity", 0, 2));
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not analysed"),
        "{answer}"
    );
    assert!(client.change(2, PAYMENT).is_empty());
    assert_eq!(client.shutdown(), 0);
}

/// What a client sends that the server would repeat in its answers is bounded: a new name of
/// a megabyte (copied to every use) is refused, a catalogue URL of a megabyte (copied to every
/// diagnostic) is not used.
#[test]
fn what_the_server_would_repeat_is_bounded() {
    let long = "x".repeat(MIB);
    let mut client = Client::start_with(json!({}), json!({ "catalogueUrl": long }));
    let typo = PAYMENT.replacen("reads    = ledger", "reads    = ledgr", 1);
    let diagnostics = client.open(&typo);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].to_string().len() < 4096,
        "{} bytes",
        diagnostics[0].to_string().len()
    );
    let answer = client.at_with(
        "textDocument/rename",
        position(&typo, "database ledger", 0, 10),
        json!({ "newName": long }),
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("too long"),
        "{}",
        &answer.to_string()[..200]
    );
    assert_eq!(client.shutdown(), 0);
}

/// The UTF-16 position of byte `offset` of `text`, as the server counts.
fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    // A byte-order mark is not part of the first line.
    let start = if line == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        start
    };
    let character: usize = text[start..offset].encode_utf16().count();
    json!({ "line": line, "character": character })
}

/// What the server must publish for the diagnostics `pmigc check --message-format json`
/// printed for `text`: the primary label's range, the severity, the code and its catalogue
/// link, the message with the primary label's words and the help, each other label (in order)
/// as related information.
fn as_published(text: &str, uri: &str, printed: &Value) -> Value {
    let range = |span: &Value| {
        json!({
            "start": utf16_position(text, span["byte_start"].as_u64().unwrap() as usize),
            "end": utf16_position(text, span["byte_end"].as_u64().unwrap() as usize),
        })
    };
    let labels = printed["labels"].as_array().unwrap();
    let primary = labels.iter().position(|l| l["primary"] == true);
    let mut message = printed["message"].as_str().unwrap().to_string();
    if let Some(label) = primary.map(|i| &labels[i]).filter(|l| l["message"] != "") {
        message += &format!("\n{}", label["message"].as_str().unwrap());
    }
    if let Some(help) = printed["help"].as_str() {
        message += &format!("\nhelp: {help}");
    }
    let related: Vec<Value> = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary)
        .map(|(_, l)| {
            let words = match l["message"].as_str().unwrap() {
                "" => printed["message"].as_str().unwrap(),
                words => words,
            };
            json!({ "location": { "uri": uri, "range": range(&l["span"]) }, "message": words })
        })
        .collect();
    let code = printed["code"].as_str().unwrap();
    let mut published = json!({
        "range": primary.map_or(json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }), |i| range(&labels[i]["span"])),
        "severity": match printed["severity"].as_str().unwrap() {
            "error" => 1,
            "warning" => 2,
            _ => 3,
        },
        "code": code,
        "source": "pmigc",
        "message": message,
    });
    if pmigc::codes::find(code).is_some() {
        let link = pmigc::lsp::catalogue_link("https://example.com/diagnostics.md", code).unwrap();
        published["codeDescription"] = json!({ "href": link.as_str() });
    }
    if !related.is_empty() {
        published["relatedInformation"] = json!(related);
    }
    published
}

/// The editor's diagnostics are `pmigc check`'s, on every stack of `stacks/` and every golden
/// case (among them one stopped after 100 syntax errors and one with more than 100 errors of
/// the checker): the server publishes exactly what `pmigc check --message-format json` prints,
/// in protocol form. Each file is written to a directory with the files its stack names, so
/// that both read them beside it.
#[test]
fn the_editor_shows_what_pmigc_check_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
    let mut group = |name: &str, beside: &str, cases: Vec<(String, String)>| {
        let at = dir.path().join(name);
        let from = root.join(beside);
        std::fs::create_dir_all(&at).unwrap();
        if from.is_dir() {
            let to = at.join(from.file_name().unwrap());
            std::fs::create_dir_all(&to).unwrap();
            for entry in std::fs::read_dir(&from).unwrap() {
                let entry = entry.unwrap().path();
                std::fs::copy(&entry, to.join(entry.file_name().unwrap())).unwrap();
            }
        }
        for (stem, text) in cases {
            let path = at.join(format!("{stem}.pmig"));
            std::fs::write(&path, &text).unwrap();
            files.push((path, text));
        }
    };
    let stacks: Vec<(String, String)> = ["payment", "orders", "marketplace"]
        .iter()
        .map(|s| {
            (
                s.to_string(),
                std::fs::read_to_string(root.join(format!("stacks/{s}.pmig"))).unwrap(),
            )
        })
        .collect();
    group("stacks", "stacks/scripts", stacks);
    for kind in ["ok", "err"] {
        let cases = golden::cases(kind)
            .into_iter()
            .map(|c| (c.name, c.text))
            .collect();
        group(kind, &format!("tests/cases/{kind}/boot"), cases);
    }
    let mut client = Client::start(json!({}));
    let (mut compared, mut many) = (0, 0);
    for (path, text) in &files {
        let output = Command::new(env!("CARGO_BIN_EXE_pmigc"))
            .args(["check", "--message-format", "json"])
            .arg(path)
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            path.display()
        );
        let uri = format!("file://{}", path.display());
        let wanted: Vec<Value> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| as_published(text, &uri, &serde_json::from_str(l).unwrap()))
            .collect();
        let published = client.open_at(&uri, text);
        assert_eq!(
            json!(published),
            json!(wanted),
            "{}: the editor differs from `pmigc check`",
            path.display()
        );
        compared += 1;
        many += usize::from(wanted.iter().filter(|d| d["severity"] == 1).count() > 100);
    }
    assert!(compared > 150, "{compared} files compared");
    assert!(many >= 2, "{many} files with more than 100 errors");
    assert_eq!(client.shutdown(), 0);
}
