//! `pmigc lsp`: the language server's JSON-RPC loop on stdin/stdout (`lsp-server`). Every
//! answer comes from the library's pure handlers (`pmigc::lsp`); this module keeps the open
//! documents, re-analyses one on each change, publishes its diagnostics, and turns requests
//! into handler calls. Documents are synchronised in full on every change.
//!
//! The catalogue a diagnostic's code links to is `initializationOptions.catalogueUrl`, else
//! `$PMIGC_CATALOGUE_URL`, else the `docs/diagnostics.md` of the source tree the binary was
//! built in (a `file:` URL), when it is there.

use super::Fatal;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use pmigc::check::boot::Found;
use pmigc::lsp::{self as handlers, Document, Encoding};
use serde_json::Value;
use std::collections::HashMap;
use std::process::ExitCode;

struct Server {
    connection: Connection,
    documents: HashMap<lsp::Uri, Document>,
    encoding: Encoding,
    catalogue: Option<String>,
}

pub fn run() -> Result<ExitCode, Fatal> {
    let (connection, io) = Connection::stdio();
    let fatal = |e: lsp_server::ProtocolError| Fatal(format!("lsp: {e}"));
    let (id, params) = connection.initialize_start().map_err(fatal)?;
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let catalogue = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("catalogueUrl"))
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| std::env::var("PMIGC_CATALOGUE_URL").ok())
        .or_else(local_catalogue);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "pmigc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(fatal)?;
    let mut server = Server {
        connection,
        documents: HashMap::new(),
        encoding,
        catalogue,
    };
    let clean = server.serve().map_err(fatal)?;
    drop(server);
    io.join().map_err(|e| Fatal(format!("lsp: {e}")))?;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `docs/diagnostics.md` beside the sources this binary was built from, as a URL.
fn local_catalogue() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    super::fs::leads_to_file(&path)
        .then(|| format!("file://{}", path.display()))
        .filter(|url| !url.contains(' '))
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["=".into(), ".".into(), " ".into()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

type Answer = Result<Value, (ErrorCode, String)>;

impl Server {
    /// Serves until `shutdown` (true) or until the client goes away without it (false).
    fn serve(&mut self) -> Result<bool, lsp_server::ProtocolError> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(true);
                    }
                    let id = request.id.clone();
                    let response = match self.answer(request) {
                        Ok(value) => Response::new_ok(id, value),
                        Err((code, message)) => Response::new_err(id, code as i32, message),
                    };
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notified(notification),
                Message::Response(_) => {}
            }
        }
        Ok(false)
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails; the loop ends when its input does.
        let _ = self.connection.sender.send(message);
    }

    fn notified(&mut self, notification: Notification) {
        use lsp::notification::{DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument};
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidOpenTextDocumentParams>(notification.params)
                {
                    self.update(
                        p.text_document.uri,
                        p.text_document.text,
                        Some(p.text_document.version),
                    );
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(notification.params)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.update(
                        p.text_document.uri,
                        change.text,
                        Some(p.text_document.version),
                    );
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(notification.params)
                {
                    self.documents.remove(&p.text_document.uri);
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    fn update(&mut self, uri: lsp::Uri, text: String, version: Option<i32>) {
        // The files the stack names are read beside it, as `pmigc check` reads them; an
        // unsaved buffer (not a `file:` URI) has nothing beside it.
        let stack = file_path(&uri);
        let mut reader = |path: &str| match &stack {
            Some(stack) => super::input::beside(stack, path),
            None => Found::unread(path, "the document is not a file on disk"),
        };
        let document = match self.documents.remove(&uri) {
            Some(previous) => previous.edit_with(text, &mut reader),
            None => Document::new_with(text, self.encoding, &mut reader),
        };
        let diagnostics = handlers::diagnostics(&document, &uri, self.catalogue.as_deref());
        self.documents.insert(uri.clone(), document);
        self.publish(uri, diagnostics, version);
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.send(Message::Notification(Notification::new(
            lsp::notification::PublishDiagnostics::METHOD.into(),
            params,
        )));
    }

    fn document(&self, uri: &lsp::Uri) -> Result<&Document, (ErrorCode, String)> {
        self.documents.get(uri).ok_or((
            ErrorCode::InvalidParams,
            format!("`{}` is not open", uri.as_str()),
        ))
    }

    fn answer(&self, request: Request) -> Answer {
        use lsp::request::{
            CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition,
            HoverRequest, PrepareRenameRequest, References, Rename,
        };
        let Request { method, params, .. } = request;
        match method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = parse(params)?;
                let at = p.text_document_position_params;
                json(handlers::hover(
                    self.document(&at.text_document.uri)?,
                    at.position,
                ))
            }
            GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = parse(params)?;
                let at = p.text_document_position_params;
                let doc = self.document(&at.text_document.uri)?;
                json(handlers::definition(
                    doc,
                    &at.text_document.uri,
                    at.position,
                ))
            }
            References::METHOD => {
                let p: lsp::ReferenceParams = parse(params)?;
                let at = p.text_document_position;
                let doc = self.document(&at.text_document.uri)?;
                json(handlers::references(
                    doc,
                    &at.text_document.uri,
                    at.position,
                    p.context.include_declaration,
                ))
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp::TextDocumentPositionParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                handlers::prepare_rename(doc, p.position)
                    .map_err(|e| (ErrorCode::RequestFailed, e))
                    .and_then(json)
            }
            Rename::METHOD => {
                let p: lsp::RenameParams = parse(params)?;
                let at = p.text_document_position;
                let doc = self.document(&at.text_document.uri)?;
                let answer = handlers::rename(doc, &at.text_document.uri, at.position, &p.new_name)
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                let edit = answer.map(|(edit, warning)| {
                    if let Some(message) = warning {
                        self.send(Message::Notification(Notification::new(
                            lsp::notification::ShowMessage::METHOD.into(),
                            lsp::ShowMessageParams {
                                typ: lsp::MessageType::WARNING,
                                message,
                            },
                        )));
                    }
                    edit
                });
                json(edit)
            }
            Completion::METHOD => {
                let p: lsp::CompletionParams = parse(params)?;
                let at = p.text_document_position;
                json(handlers::completion(
                    self.document(&at.text_document.uri)?,
                    at.position,
                ))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = parse(params)?;
                json(handlers::document_symbols(
                    self.document(&p.text_document.uri)?,
                ))
            }
            Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = parse(params)?;
                handlers::formatting(self.document(&p.text_document.uri)?)
                    .map_err(|e| (ErrorCode::RequestFailed, e))
                    .and_then(json)
            }
            CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                json(handlers::code_actions(
                    doc,
                    &p.text_document.uri,
                    p.range,
                    self.catalogue.as_deref(),
                ))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("`{method}` is not supported"),
            )),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// The local path of a `file:` URI (`file:///home/me/stack.pmig`, percent-escapes decoded).
fn file_path(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` names the same file as `file:///x`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let mut bytes = Vec::with_capacity(rest.len());
    let mut iter = rest.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex: Vec<u8> = iter.by_ref().take(2).collect();
            let value = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(value);
        } else {
            bytes.push(b);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(std::path::PathBuf::from(std::ffi::OsString::from_vec(
            bytes,
        )))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(std::path::PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn file_uris_become_paths() {
        let path = |s: &str| file_path(&lsp::Uri::from_str(s).unwrap());
        assert_eq!(
            path("file:///home/me/my%20stacks/a.pmig"),
            Some("/home/me/my stacks/a.pmig".into())
        );
        assert_eq!(path("file://localhost/x.pmig"), Some("/x.pmig".into()));
        assert_eq!(path("untitled:Untitled-1"), None);
        assert_eq!(path("https://example.com/a.pmig"), None);
    }
}
