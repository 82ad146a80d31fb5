// Starts `pmigc lsp` for .pmig files. Install: `npm install` in this folder, then copy or link
// the folder into ~/.vscode/extensions/ (or `vsce package` and install the .vsix).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("pmig").get("server.path") || "pmigc";
  client = new LanguageClient(
    "pmigc",
    "pmigc",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "pmig" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
