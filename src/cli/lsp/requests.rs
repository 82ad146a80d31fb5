//! What the server can do (its capabilities) and the answer to each request it supports, from
//! the library's pure handlers (`pmigc::lsp`). An answer is the JSON text of its result,
//! written straight from the handler's value (a document's outline at 5,000 services is some
//! megabytes: no intermediate tree of it is built), or an error of the protocol.

use super::documents::Documents;
use lsp_types as lsp;
use lsp_types::request::Request as _;
use pmigc::lsp::{self as handlers, Document, Encoding};
use serde_json::Value;

/// JSON-RPC's and LSP's error codes.
pub mod code {
    pub const PARSE_ERROR: i32 = -32700;
    pub const INVALID_REQUEST: i32 = -32600;
    pub const METHOD_NOT_FOUND: i32 = -32601;
    pub const INVALID_PARAMS: i32 = -32602;
    pub const INTERNAL_ERROR: i32 = -32603;
    pub const SERVER_NOT_INITIALIZED: i32 = -32002;
    pub const REQUEST_FAILED: i32 = -32803;
}

/// An error answer: its code and message.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn new(code: i32, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// The JSON text of a result, or an error.
pub type Answer = Result<String, Failure>;

pub fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
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

/// What answering needs of the server.
pub struct Context<'a> {
    pub documents: &'a Documents,
    pub catalogue: Option<&'a str>,
    /// Messages to show the user alongside the answer (a rename's warning).
    pub warnings: Vec<String>,
}

impl Context<'_> {
    fn document(&self, uri: &lsp::Uri) -> Result<&Document, Failure> {
        self.documents
            .get(uri)
            .map_err(|why| Failure::new(code::INVALID_PARAMS, why))
    }

    /// The answer to a request of `method` (an initialized server's, before `shutdown`).
    pub fn answer(&mut self, method: &str, params: Value) -> Answer {
        use lsp::request::{
            CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition,
            HoverRequest, PrepareRenameRequest, References, Rename,
        };
        match method {
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = parse(params)?;
                let at = p.text_document_position_params;
                json(&handlers::hover(
                    self.document(&at.text_document.uri)?,
                    at.position,
                ))
            }
            GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = parse(params)?;
                let at = p.text_document_position_params;
                let doc = self.document(&at.text_document.uri)?;
                json(&handlers::definition(
                    doc,
                    &at.text_document.uri,
                    at.position,
                ))
            }
            References::METHOD => {
                let p: lsp::ReferenceParams = parse(params)?;
                let at = p.text_document_position;
                let doc = self.document(&at.text_document.uri)?;
                json(&handlers::references(
                    doc,
                    &at.text_document.uri,
                    at.position,
                    p.context.include_declaration,
                ))
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp::TextDocumentPositionParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                let answer = handlers::prepare_rename(doc, p.position)
                    .map_err(|e| Failure::new(code::REQUEST_FAILED, e))?;
                json(&answer)
            }
            Rename::METHOD => {
                let p: lsp::RenameParams = parse(params)?;
                let at = p.text_document_position;
                let doc = self.document(&at.text_document.uri)?;
                let answer = handlers::rename(doc, &at.text_document.uri, at.position, &p.new_name)
                    .map_err(|e| Failure::new(code::REQUEST_FAILED, e))?;
                let edit = answer.map(|(edit, warning)| {
                    self.warnings.extend(warning);
                    edit
                });
                json(&edit)
            }
            Completion::METHOD => {
                let p: lsp::CompletionParams = parse(params)?;
                let at = p.text_document_position;
                json(&handlers::completion(
                    self.document(&at.text_document.uri)?,
                    at.position,
                ))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = parse(params)?;
                json(&handlers::document_symbols(
                    self.document(&p.text_document.uri)?,
                ))
            }
            Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = parse(params)?;
                let edits = handlers::formatting(self.document(&p.text_document.uri)?)
                    .map_err(|e| Failure::new(code::REQUEST_FAILED, e))?;
                json(&edits)
            }
            CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = parse(params)?;
                let doc = self.document(&p.text_document.uri)?;
                json(&handlers::code_actions(
                    doc,
                    &p.text_document.uri,
                    p.range,
                    self.catalogue,
                ))
            }
            _ => Err(Failure::new(
                code::METHOD_NOT_FOUND,
                format!(
                    "`{}` is not supported",
                    method.chars().take(100).collect::<String>()
                ),
            )),
        }
    }
}

pub fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, Failure> {
    serde_json::from_value(params).map_err(|e| Failure::new(code::INVALID_PARAMS, e.to_string()))
}

pub fn json(value: &impl serde::Serialize) -> Answer {
    serde_json::to_string(value).map_err(|e| Failure::new(code::INTERNAL_ERROR, e.to_string()))
}
