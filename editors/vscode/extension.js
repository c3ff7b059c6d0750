// The VS Code side of the language server: starts `snnc lsp` (the path is the setting
// `snn.snncPath`, default `snnc` on the PATH) for .snn files and lets vscode-languageclient
// carry diagnostics, hover, go-to-definition and completion. Everything else (highlighting,
// brackets, snippets) is declarative, in package.json.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('snn').get('snncPath', 'snnc') || 'snnc';
  // stdio is the default transport: the server reads requests on stdin and answers on stdout.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'snn' },
      { scheme: 'untitled', language: 'snn' },
    ],
  };
  client = new LanguageClient('snn', 'snn language server (snnc lsp)', serverOptions, clientOptions);
  // vscode-languageclient 7 returns a Disposable from start(), 8 and later a Promise.
  const started = client.start();
  if (started && typeof started.dispose === 'function') context.subscriptions.push(started);

  // A changed path takes effect at the next start of the extension; say so rather than keep
  // talking to the old server silently.
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('snn.snncPath')) {
      vscode.window.showInformationMessage('snn: reload the window to use the new snn.snncPath.');
    }
  }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
