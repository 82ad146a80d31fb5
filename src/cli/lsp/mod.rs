//! `pmigc lsp`: the language server on stdin/stdout. Every answer comes from the library's pure
//! handlers (`pmigc::lsp`, through `requests`); this module reads the messages (`transport`,
//! bounded), follows the protocol's lifecycle, keeps the open documents (`documents`, bounded),
//! re-analyses one on each change and publishes its diagnostics. Documents are synchronised
//! in full on every change. One message is handled at a time, in order.
//!
//! The lifecycle is the specification's: before `initialize` a request is answered with
//! ServerNotInitialized and a notification dropped; after `shutdown` a request is answered with
//! InvalidRequest and a notification dropped, until `exit`, which ends the process with code 0
//! after `shutdown` and 1 without it (as does the end of the input). Nothing a client sends
//! ends the server otherwise: a message that is not JSON gets ParseError, one that is no
//! request InvalidRequest, one too large is refused (`transport`) and the next one read.
//!
//! The catalogue a diagnostic's code links to is `initializationOptions.catalogueUrl`, else
//! `$PMIGC_CATALOGUE_URL`, else the `docs/diagnostics.md` of the source tree the binary was
//! built in (a `file:` URL), when it is there.

mod documents;
mod requests;
pub mod transport;

use super::Fatal;
use documents::{Documents, Open};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use pmigc::lsp::{self as handlers, Encoding};
use requests::{Answer, Context, Failure, code};
use serde::Serialize;
use serde_json::Value;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use transport::Frame;

/// The longest catalogue URL taken from a client (it is repeated in every diagnostic).
const MAX_CATALOGUE_URL: usize = 2048;

/// Where the server is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Waiting,
    Running,
    /// `shutdown` was answered: only `exit` is left.
    ShutDown,
}

/// What to do after a message.
enum Flow {
    Go,
    Exit(u8),
}

struct Server<W: Write> {
    output: W,
    state: State,
    documents: Documents,
    encoding: Encoding,
    catalogue: Option<String>,
}

pub fn run() -> Result<ExitCode, Fatal> {
    let input = std::io::stdin().lock();
    let output = BufWriter::new(std::io::stdout().lock());
    let mut server = Server {
        output,
        state: State::Waiting,
        documents: Documents::default(),
        encoding: Encoding::default(),
        catalogue: None,
    };
    Ok(ExitCode::from(server.serve(transport::Reader::new(input))))
}

/// `docs/diagnostics.md` beside the sources this binary was built from, as a URL.
fn local_catalogue() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    crate::cli::fs::leads_to_file(&path)
        .then(|| format!("file://{}", path.display()))
        .filter(|url| !url.contains(' '))
}

/// The text of a document after a change: the last full text sent. The server asks for full
/// texts; a client that sends a change by range anyway gets the document analysed from its
/// next full text.
fn changed(changes: Vec<lsp::TextDocumentContentChangeEvent>) -> Option<String> {
    let ranged = !changes.is_empty();
    let full = changes.into_iter().rev().find(|c| c.range.is_none());
    if full.is_none() && ranged {
        log("a change by range ignored: the server synchronises whole documents");
    }
    full.map(|c| c.text)
}

/// A note for whoever reads the server's standard error (the editor's log).
fn log(message: &str) {
    eprintln!("pmigc lsp: {message}");
}

#[derive(Serialize)]
struct Outgoing<'a, T: Serialize> {
    jsonrpc: &'static str,
    method: &'a str,
    params: T,
}

impl<W: Write> Server<W> {
    /// Serves until `exit` or the end of the input; the process's exit code.
    fn serve(&mut self, mut input: transport::Reader<impl std::io::BufRead>) -> u8 {
        loop {
            let frame = input.next();
            let skipped = input.take_skipped();
            if skipped > 0 {
                log(&format!(
                    "{skipped} bytes that were no message were skipped"
                ));
            }
            let flow = match frame {
                Ok(Some(Frame::Message(body))) => self.message(&body),
                Ok(Some(Frame::Refused(why))) => {
                    log(&format!("not read: {why}"));
                    self.error(&Value::Null, code::INVALID_REQUEST, &why)
                }
                Ok(None) => Flow::Exit(self.exit_code()),
                Err(e) => {
                    log(&format!("cannot read the input: {e}"));
                    Flow::Exit(1)
                }
            };
            if let Flow::Exit(code) = flow {
                return code;
            }
        }
    }

    /// The code `exit` (or the end of the input) ends the process with.
    fn exit_code(&self) -> u8 {
        if self.state == State::ShutDown { 0 } else { 1 }
    }

    fn message(&mut self, body: &[u8]) -> Flow {
        let message: Value = match serde_json::from_slice(body) {
            Ok(message) => message,
            Err(e) => return self.error(&Value::Null, code::PARSE_ERROR, &e.to_string()),
        };
        let Value::Object(mut message) = message else {
            return self.error(
                &Value::Null,
                code::INVALID_REQUEST,
                "a message is an object",
            );
        };
        let id = message.remove("id");
        if let Some(id) = &id
            && !matches!(id, Value::Number(_) | Value::String(_) | Value::Null)
        {
            let why = "a request's `id` is a number or a string";
            return self.error(&Value::Null, code::INVALID_REQUEST, why);
        }
        let params = message.remove("params").unwrap_or(Value::Null);
        match (message.remove("method"), id) {
            (Some(Value::String(method)), Some(id)) => self.request(&id, &method, params),
            (Some(Value::String(method)), None) => self.notification(&method, params),
            // A response to a request of the server's: it sends none it waits for.
            (None, Some(_)) if message.contains_key("result") || message.contains_key("error") => {
                Flow::Go
            }
            (_, id) => self.error(
                &id.unwrap_or(Value::Null),
                code::INVALID_REQUEST,
                "a request has a `method` (a string)",
            ),
        }
    }

    fn request(&mut self, id: &Value, method: &str, params: Value) -> Flow {
        let answer = match (self.state, method) {
            (State::Waiting, "initialize") => self.initialize(params),
            (State::Waiting, _) => Err(Failure::new(
                code::SERVER_NOT_INITIALIZED,
                "the server is not initialized: `initialize` comes first",
            )),
            (State::Running, "initialize") => Err(Failure::new(
                code::INVALID_REQUEST,
                "the server is already initialized",
            )),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                Ok("null".into())
            }
            (State::Running, _) => {
                let mut context = Context {
                    documents: &self.documents,
                    catalogue: self.catalogue.as_deref(),
                    warnings: Vec::new(),
                };
                let answer = context.answer(method, params);
                for message in std::mem::take(&mut context.warnings) {
                    let shown = lsp::ShowMessageParams {
                        typ: lsp::MessageType::WARNING,
                        message,
                    };
                    if let Flow::Exit(code) =
                        self.notify(lsp::notification::ShowMessage::METHOD, shown)
                    {
                        return Flow::Exit(code);
                    }
                }
                answer
            }
            (State::ShutDown, _) => Err(Failure::new(
                code::INVALID_REQUEST,
                "the server is shut down: only `exit` is accepted",
            )),
        };
        self.respond(id, answer)
    }

    fn initialize(&mut self, params: Value) -> Answer {
        let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
        self.encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        self.catalogue = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("catalogueUrl"))
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| std::env::var("PMIGC_CATALOGUE_URL").ok())
            .or_else(local_catalogue)
            .filter(|url| url.len() <= MAX_CATALOGUE_URL);
        self.state = State::Running;
        requests::json(&serde_json::json!({
            "capabilities": requests::capabilities(self.encoding),
            "serverInfo": { "name": "pmigc", "version": env!("CARGO_PKG_VERSION") },
        }))
    }

    fn notification(&mut self, method: &str, params: Value) -> Flow {
        use lsp::notification::{DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument};
        if method == "exit" {
            return Flow::Exit(self.exit_code());
        }
        if self.state != State::Running {
            return Flow::Go;
        }
        match method {
            DidOpenTextDocument::METHOD => {
                match serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params) {
                    Ok(p) => {
                        let doc = p.text_document;
                        self.update(doc.uri, doc.text, Some(doc.version))
                    }
                    Err(e) => self.ignored(method, &e),
                }
            }
            DidChangeTextDocument::METHOD => {
                match serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params) {
                    Ok(p) => match changed(p.content_changes) {
                        Some(text) => {
                            self.update(p.text_document.uri, text, Some(p.text_document.version))
                        }
                        None => Flow::Go,
                    },
                    Err(e) => self.ignored(method, &e),
                }
            }
            DidCloseTextDocument::METHOD => {
                match serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params) {
                    Ok(p) => {
                        let uri = p.text_document.uri;
                        match self.documents.close(&uri) {
                            Some(_) => self.publish(uri, Vec::new(), None),
                            None => Flow::Go,
                        }
                    }
                    Err(e) => self.ignored(method, &e),
                }
            }
            _ => Flow::Go,
        }
    }

    fn ignored(&self, method: &str, error: &serde_json::Error) -> Flow {
        log(&format!("`{method}` ignored: {error}"));
        Flow::Go
    }

    fn update(&mut self, uri: lsp::Uri, text: String, version: Option<i32>) -> Flow {
        let diagnostics = match self.documents.update(uri.clone(), text, self.encoding) {
            Some(Open::Analysed(doc)) => {
                handlers::diagnostics(doc, &uri, self.catalogue.as_deref())
            }
            Some(Open::Refused(why)) => vec![lsp::Diagnostic {
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("pmigc".into()),
                message: format!("not analysed: {why}"),
                ..Default::default()
            }],
            None => {
                log("a document whose URI is too long was not opened");
                return Flow::Go;
            }
        };
        self.publish(uri, diagnostics, version)
    }

    fn publish(
        &mut self,
        uri: lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) -> Flow {
        let params = lsp::PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.notify(lsp::notification::PublishDiagnostics::METHOD, params)
    }

    fn notify(&mut self, method: &str, params: impl Serialize) -> Flow {
        let message = Outgoing {
            jsonrpc: "2.0",
            method,
            params,
        };
        match serde_json::to_vec(&message) {
            Ok(body) => self.write(&body),
            Err(e) => {
                log(&format!("`{method}` not sent: {e}"));
                Flow::Go
            }
        }
    }

    fn respond(&mut self, id: &Value, answer: Answer) -> Flow {
        match answer {
            Ok(result) => {
                let id = serde_json::to_string(id).unwrap_or_else(|_| "null".into());
                let body = format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{result}}}");
                self.write(body.as_bytes())
            }
            Err(failure) => self.error(id, failure.code, &failure.message),
        }
    }

    fn error(&mut self, id: &Value, code: i32, message: &str) -> Flow {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code, "message": message },
        });
        self.write(body.to_string().as_bytes())
    }

    /// Writes a message; the client is gone when that fails, and the server ends.
    fn write(&mut self, body: &[u8]) -> Flow {
        match transport::write(&mut self.output, body) {
            Ok(()) => Flow::Go,
            Err(e) => {
                log(&format!("cannot write to the client: {e}"));
                Flow::Exit(1)
            }
        }
    }
}
