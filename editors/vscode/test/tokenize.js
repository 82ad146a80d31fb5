// Tokenizes a stack with the extension's TextMate grammar (vscode-textmate + vscode-oniguruma,
// as VS Code does) and asserts the scopes of real tokens: keywords, block names, attribute
// names, strings and their placeholders, both kinds of comment, numbers with units, ranges,
// prefixes and CIDR blocks. Usage: node tokenize.js STACK.pmig (run by scripts/grammar.sh).
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const stackPath = process.argv[2];
if (!stackPath) {
  console.error("usage: node tokenize.js STACK.pmig");
  process.exit(2);
}
const grammarPath = path.join(__dirname, "..", "syntaxes", "pmig.tmLanguage.json");
const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;

const registry = new vsctm.Registry({
  onigLib: oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  })),
  loadGrammar: async (scope) =>
    scope === "source.pmig"
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath)
      : null,
});

// Every token of a text: { line, text, scopes }.
function tokenize(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split("\n").forEach((line, i) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) {
      out.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = result.ruleStack;
  });
  return out;
}

let failures = 0;
let passed = 0;
function expect(tokens, text, scope, where) {
  const hit = tokens.find((t) => t.text === text && t.scopes.some((s) => s.startsWith(scope)));
  if (hit) {
    passed++;
  } else {
    failures++;
    const seen = tokens.filter((t) => t.text === text).map((t) => `${t.line}: ${t.scopes.join(" ")}`);
    console.error(`FAIL ${where}: \`${text}\` is not ${scope} (seen: ${seen.join("; ") || "never"})`);
  }
}
function expectNot(tokens, text, scope, where) {
  if (tokens.some((t) => t.text === text && t.scopes.some((s) => s.startsWith(scope)))) {
    failures++;
    console.error(`FAIL ${where}: \`${text}\` is ${scope}`);
  } else {
    passed++;
  }
}

registry.loadGrammar("source.pmig").then((grammar) => {
  const stack = fs.readFileSync(stackPath, "utf8");
  const t = tokenize(grammar, stack);
  const w = path.basename(stackPath);
  // Keywords and names of blocks.
  for (const k of ["stack", "input", "existing", "network", "database", "service", "replication", "cutover", "dashboard", "output", "workspace"]) {
    expect(t, k, "keyword.declaration", w);
  }
  expect(t, "vpn", "storage.type", w);
  expect(t, "ledger", "entity.name.type", w);
  expect(t, "percent", "storage.type", w);
  // Attribute names, including a workspace's own.
  for (const a of ["region", "cidr", "engine", "capacity", "reads", "phases", "gate", "environment_suffix"]) {
    expect(t, a, "variable.other.property", w);
  }
  // Strings, with `{input}` placeholders, and comments.
  expect(t, "us-east-1", "string.quoted.double", w);
  expect(t, "{environment_suffix}", "variable.other.placeholder", w);
  const comment = stack.split("\n").find((l) => l.startsWith("# ") && l.length > 10);
  expect(t, comment, "comment.line.number-sign", w);
  expectNot(t, comment, "string", w);
  // Numbers with units, ranges, prefixes, CIDR blocks, plain numbers.
  expect(t, "10.40.0.0/16", "constant.numeric.cidr", w);
  expect(t, "192.168.0.0/16", "constant.numeric.cidr", w);
  expect(t, "/24", "constant.numeric.prefix", w);
  expect(t, "%", "keyword.other.unit", w);
  expect(t, "days", "keyword.other.unit", w);
  expect(t, "s", "keyword.other.unit", w);
  expect(t, "..", "keyword.operator.range", w);
  expect(t, "8080", "constant.numeric.integer", w);
  expect(t, "<", "keyword.operator.comparison", w);
  expectNot(t, "t3", "constant.numeric", w);

  // What the payment stack does not show: `//` comments, a `#` inside a string, one-line blocks.
  const sample = [
    'existing certificate pay { domain = "pay.example.com" } // ACM',
    'network n { cidr = 10.0.0.0/16, zones = 2 }',
    'cutover c {',
    '  legacy = "legacy.example.com#not-a-comment"',
    '  ttl    = 30s',
    '}',
  ].join("\n");
  const s = tokenize(grammar, sample);
  expect(s, "// ACM", "comment.line.double-slash", "sample");
  expect(s, "legacy.example.com#not-a-comment", "string.quoted.double", "sample");
  expectNot(s, "#not-a-comment", "comment", "sample");
  expect(s, "domain", "variable.other.property", "sample");
  expect(s, "zones", "variable.other.property", "sample");
  expect(s, "10.0.0.0/16", "constant.numeric.cidr", "sample");
  expect(s, "30", "constant.numeric", "sample");

  console.log(`grammar: ${passed} passed, ${failures} failed (${w}: ${t.length} tokens)`);
  process.exit(failures === 0 ? 0 : 1);
}).catch((e) => {
  console.error(`grammar: ${e.stack || e}`);
  process.exit(1);
});
