// Tokenises .snn text with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma) and
// checks the scopes the grammar gives, so a grammar change that breaks colouring fails here
// rather than in someone's editor.
//
//   node vscode_tokens.cjs NODE_MODULES_DIR GRAMMAR.json REPO_ROOT UNIT_SPELLINGS.txt
//
// UNIT_SPELLINGS.txt is the compiler's own list (allUnitSpellings(), printed by
// snn_unit_spellings): every spelling must be coloured as a unit after a number and after `:`,
// and every other word must not be, for prefix x spelling combinations and every identifier of
// examples/ and stdlib/. That is the drift check between the grammar's unit regex and the
// compiler's unit table.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [modulesDir, grammarPath, root, spellingsPath] = process.argv.slice(2);
if (!spellingsPath) {
  console.error('usage: node vscode_tokens.cjs NODE_MODULES_DIR GRAMMAR.json REPO_ROOT SPELLINGS');
  process.exit(2);
}
const requireFrom = createRequire(path.join(path.resolve(modulesDir), 'index.js'));
const vsctm = requireFrom('vscode-textmate');
const oniguruma = requireFrom('vscode-oniguruma');

const UNIT = 'keyword.other.unit.snn';
let passed = 0;
const failures = [];
function check(ok, message) {
  if (ok) passed++;
  else failures.push(message);
}

async function loadGrammar() {
  const wasm = fs.readFileSync(requireFrom.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.snn') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  return registry.loadGrammar('source.snn');
}

// [{line, tokens: [{start, end, text, scopes}]}] for a whole text, state carried across lines.
function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return {
      line,
      tokens: r.tokens.map((t) => ({
        start: t.startIndex, end: Math.min(t.endIndex, line.length),
        text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes,
      })),
    };
  });
}

// The token at the `occurrence`-th `needle` on the first line containing `lineText`.
function tokenAt(lines, lineText, needle, occurrence = 0) {
  const row = lines.find((l) => l.line.includes(lineText));
  if (!row) throw new Error(`no line contains ${JSON.stringify(lineText)}`);
  let column = row.line.indexOf(lineText) - 1;
  let from = row.line.indexOf(lineText);
  for (let k = 0; k <= occurrence; k++) {
    column = row.line.indexOf(needle, k === 0 ? from : column + 1);
    if (column < 0) throw new Error(`${JSON.stringify(needle)} not in ${JSON.stringify(row.line)}`);
  }
  return row.tokens.find((t) => t.start <= column && column < t.end);
}

// expect(lines, where, needle, scope) with the token's text equal to needle (exact) unless the
// scope is a region (meta/string/comment) that spans more.
function expectScope(lines, what, lineText, needle, scope, { occurrence = 0, exact = true } = {}) {
  const t = tokenAt(lines, lineText, needle, occurrence);
  const has = t.scopes.includes(scope);
  const whole = !exact || t.text === needle;
  check(has && whole, `${what}: \`${needle}\` in \`${lineText.trim()}\`: wanted ${scope}` +
        `${exact ? ' on exactly that text' : ''}, got ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`);
}

function expectNotScope(lines, what, lineText, needle, scope, occurrence = 0) {
  const t = tokenAt(lines, lineText, needle, occurrence);
  check(!t.scopes.includes(scope),
        `${what}: \`${needle}\` in \`${lineText.trim()}\` must not be ${scope}: ${t.scopes.join(' ')}`);
}

function file(grammar, relative) {
  return tokenize(grammar, fs.readFileSync(path.join(root, relative), 'utf8'));
}

function checkKnownPositions(grammar) {
  const lif = file(grammar, 'examples/lif_step.snn');
  const f = 'examples/lif_step.snn';
  expectScope(lif, f, '// examples/lif_step.snn', '// examples', 'comment.line.double-slash.snn', { exact: false });
  expectScope(lif, f, 'import "stdlib', 'import', 'keyword.control.snn');
  expectScope(lif, f, 'import "stdlib', 'stdlib', 'string.quoted.double.snn', { exact: false });
  expectScope(lif, f, 'experiment lif_step', 'experiment', 'storage.type.snn');
  expectScope(lif, f, 'experiment lif_step', 'lif_step', 'entity.name.type.snn');
  expectScope(lif, f, 'dt = 0.1 ms', 'dt', 'variable.language.snn');
  expectScope(lif, f, 'dt = 0.1 ms', '0.1', 'constant.numeric.snn');
  expectScope(lif, f, 'dt = 0.1 ms', 'ms', UNIT);
  expectScope(lif, f, 'population n = LIF[1]', 'population', 'keyword.other.snn');
  expectScope(lif, f, 'population n = LIF[1]', '1', 'constant.numeric.snn');
  expectScope(lif, f, 'record spikes(n)', 'record', 'keyword.other.snn');
  expectScope(lif, f, 'record spikes(n)', 'spikes', 'support.function.builtin.snn');
  expectScope(lif, f, 'at 50 ms', 'at', 'keyword.other.snn');
  expectScope(lif, f, 'at 50 ms', '50', 'constant.numeric.snn');
  expectScope(lif, f, 'at 50 ms', 'ms', UNIT);
  expectScope(lif, f, 'n.I_ext = 25 mV', 'mV', UNIT);
  expectScope(lif, f, '// step on', '// step on', 'comment.line.double-slash.snn', { exact: false });
  expectScope(lif, f, 'run 300 ms', 'run', 'keyword.other.snn');
  expectScope(lif, f, 'print "{spike_count', 'print', 'keyword.other.snn');
  expectScope(lif, f, 'print "{spike_count', '{', 'punctuation.section.embedded.begin.snn');
  expectScope(lif, f, 'print "{spike_count', 'spike_count', 'support.function.builtin.snn');
  expectScope(lif, f, 'print "{spike_count', 'spike_count', 'string.quoted.double.snn');
  expectScope(lif, f, 'print "{spike_count', 'spikes during', 'string.quoted.double.snn', { exact: false });
  expectNotScope(lif, f, 'print "{spike_count', 'ms step', UNIT);  // prose inside a string
  expectScope(lif, f, 'print "mean rate', ':.1f', 'constant.other.format-spec.snn');
  expectNotScope(lif, f, 'print "mean rate', 'Hz"', UNIT);
  expectScope(lif, f, 'plot trace(n.V[0])', 'plot', 'keyword.other.snn');
  expectScope(lif, f, 'plot trace(n.V[0])', 'trace', 'support.function.builtin.snn');
  expectScope(lif, f, 'plot trace(n.V[0])', 'to', 'keyword.other.snn');

  const neurons = file(grammar, 'stdlib/neurons.snn');
  const g = 'stdlib/neurons.snn';
  expectScope(neurons, g, 'neuron LIF {', 'neuron', 'storage.type.snn');
  expectScope(neurons, g, 'neuron LIF {', 'LIF', 'entity.name.type.snn');
  expectScope(neurons, g, 'parameters {', 'parameters', 'keyword.other.snn');
  expectScope(neurons, g, 'V_rest  = -70 mV', '70', 'constant.numeric.snn');
  expectScope(neurons, g, 'V_rest  = -70 mV', 'mV', UNIT);
  expectNotScope(neurons, g, 'V_rest  = -70 mV', 'V_rest', UNIT);
  expectScope(neurons, g, 'V     : volt = V_rest', 'volt', UNIT);
  expectNotScope(neurons, g, 'V     : volt = V_rest', 'V_rest', UNIT);
  expectScope(neurons, g, 'g_e   : 1 ', '1', UNIT);
  expectScope(neurons, g, 'dV/dt = (V_rest - V + I_ext', 'dV/dt', 'variable.other.derivative.snn');
  expectScope(neurons, g, 'dI_syn/dt = -I_syn / tau_syn', 'dI_syn/dt', 'variable.other.derivative.snn');
  expectNotScope(neurons, g, 'dI_syn/dt = -I_syn / tau_syn', 'tau_syn', UNIT);
  expectScope(neurons, g, 'dV/dt = (V_rest - V + I_ext', 'unless', 'keyword.other.flag.snn', { exact: false });
  expectScope(neurons, g, 'dV/dt = (V_rest - V + I_ext', 'refractory)', 'meta.flags.snn', { exact: false });
  expectNotScope(neurons, g, 'dV/dt = (V_rest - V + I_ext', '/ tau', 'support.function.builtin.snn');
  expectScope(neurons, g, 'threshold V > V_th', 'threshold', 'keyword.other.snn');
  expectScope(neurons, g, 'reset { V = V_reset }', 'reset', 'keyword.other.snn');
  expectScope(neurons, g, 'refractory t_ref', 'refractory', 'keyword.other.snn');
  expectScope(neurons, g, 'Delta_T * exp((V', 'exp', 'support.function.builtin.snn');
  expectScope(neurons, g, 'C_m  = 1 uF/cm^2', 'uF', UNIT);
  expectScope(neurons, g, 'C_m  = 1 uF/cm^2', 'cm', UNIT);
  expectScope(neurons, g, 'C_m  = 1 uF/cm^2', '2', 'constant.numeric.snn');
  expectScope(neurons, g, 'g_Na = 120 msiemens/cm^2', 'msiemens', UNIT);

  const plasticity = file(grammar, 'stdlib/plasticity.snn');
  expectScope(plasticity, 'stdlib/plasticity.snn', 'dApre/dt  = -Apre / taupre', 'event-driven',
              'keyword.other.flag.snn');
  expectNotScope(plasticity, 'stdlib/plasticity.snn', 'The traces are event-driven', 'event-driven',
                 'keyword.other.flag.snn');

  // Forms that no example happens to contain.
  const snippet = tokenize(grammar, [
    '/* a block',
    '   comment 10 mV */ neuron X {',
    '    equations { post.I_in = g * (E - post.V) : amp (summed) }',
    '    state { g : siemens/metre^2 = 120 msiemens/cm**2 }',
    '}',
    'print "a {{ literal }} and {x:.2f} \\" quote"',
    'print "never closed',
    'x = 10 mV / tau  # hash comment',
    'y = N * m + e',
    'z = 1.5e-3 mV*ms',
  ].join('\n'));
  const s = 'snippet';
  expectScope(snippet, s, '/* a block', '/*', 'comment.block.snn', { exact: false });
  expectScope(snippet, s, 'comment 10 mV */', 'mV', 'comment.block.snn', { exact: false });
  expectNotScope(snippet, s, 'comment 10 mV */', 'mV', UNIT);
  expectScope(snippet, s, '*/ neuron X', 'neuron', 'storage.type.snn');
  expectScope(snippet, s, ': amp (summed)', 'amp', UNIT);
  expectScope(snippet, s, ': amp (summed)', 'summed', 'keyword.other.flag.snn');
  expectScope(snippet, s, 'g : siemens/metre^2', 'siemens', UNIT);
  expectScope(snippet, s, 'g : siemens/metre^2', 'metre', UNIT);
  expectScope(snippet, s, '= 120 msiemens/cm**2', 'cm', UNIT);
  expectScope(snippet, s, '"a {{ literal', '{{', 'constant.character.escape.snn');
  expectScope(snippet, s, '"a {{ literal', ':.2f', 'constant.other.format-spec.snn');
  expectScope(snippet, s, '"a {{ literal', '\\"', 'constant.character.escape.snn');
  expectScope(snippet, s, '"never closed', 'closed', 'string.quoted.double.snn', { exact: false });
  expectScope(snippet, s, 'x = 10 mV / tau', 'x', 'source.snn', { exact: false });  // the string ended at its line
  expectNotScope(snippet, s, 'x = 10 mV / tau', 'x', 'string.quoted.double.snn');
  expectNotScope(snippet, s, 'x = 10 mV / tau', 'tau', UNIT);
  expectScope(snippet, s, 'x = 10 mV / tau', '# hash', 'comment.line.number-sign.snn', { exact: false });
  expectNotScope(snippet, s, 'y = N * m + e', 'N', UNIT);  // a unit only after a number
  expectNotScope(snippet, s, 'y = N * m + e', 'm', UNIT);
  expectScope(snippet, s, 'y = N * m + e', 'N', 'variable.language.snn');
  expectScope(snippet, s, 'y = N * m + e', 'e', 'constant.language.snn');
  expectScope(snippet, s, 'z = 1.5e-3 mV*ms', '1.5e-3', 'constant.numeric.snn');
  expectScope(snippet, s, 'z = 1.5e-3 mV*ms', 'ms', UNIT);
}

// Every spelling of the compiler's list is a unit after a number and after `:`; every other
// candidate is not. Candidates: each letter and SI prefix before each spelling, and the identifiers of every
// example and standard-library model.
function checkUnits(grammar) {
  const spellings = fs.readFileSync(spellingsPath, 'utf8').split('\n').filter((w) => w);
  check(spellings.length > 1000, `only ${spellings.length} unit spellings from the compiler`);
  const isUnit = new Set(spellings);

  const quantity = (w) => `x = 2 ${w}`;
  const annotation = (w) => `    x : ${w} = 0`;
  const scopeOf = (line, word) => {
    const t = tokenize(grammar, line)[0].tokens.find((t) => t.start === line.lastIndexOf(word));
    return Boolean(t && t.text === word && t.scopes.includes(UNIT));
  };

  // Every letter, not only the SI prefixes: a letter the grammar wrongly took for a prefix
  // shows up as a word coloured that the compiler rejects.
  const prefixes = ['\u00b5', '\u03bc', 'da', '_', '1'];
  for (let c = 0; c < 26; c++) prefixes.push(String.fromCharCode(97 + c), String.fromCharCode(65 + c));
  const candidates = new Set(spellings);
  for (const p of prefixes) for (const w of spellings) candidates.add(p + w);
  for (const w of ['tau', 'msec', 'mV2', 'Volt', 'volts', 'mVolt', 'V_rest', 'xkg', 'ms_', 'da']) {
    candidates.add(w);
  }
  for (const dir of ['examples', 'stdlib']) {
    for (const name of fs.readdirSync(path.join(root, dir))) {
      if (!name.endsWith('.snn')) continue;
      const text = fs.readFileSync(path.join(root, dir, name), 'utf8');
      for (const m of text.matchAll(/[A-Za-z_\u00b5\u03bc][A-Za-z0-9_]*/g)) candidates.add(m[0]);
    }
  }

  let wrong = 0;
  for (const w of candidates) {
    const forms = w === '1' ? [annotation] : [quantity, annotation];
    for (const form of forms) {
      const got = scopeOf(form(w), w);
      const want = isUnit.has(w);
      if (got !== want && wrong++ < 20) {
        failures.push(`unit drift: \`${form(w).trim()}\`: \`${w}\` ${want ? 'is' : 'is not'} a unit ` +
                      `for the compiler but ${got ? 'is' : 'is not'} coloured as one`);
      }
    }
  }
  check(wrong === 0, `unit drift: ${wrong} disagreements in ${candidates.size} candidates`);
  console.log(`${candidates.size} unit candidates, ${spellings.length} compiler spellings`);
}

// Every example and library file tokenises, and no stray text is left unscoped as a string or
// comment past its line (an unclosed rule would swallow the rest of the file).
function checkAllFiles(grammar) {
  for (const dir of ['examples', 'stdlib']) {
    for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
      if (!name.endsWith('.snn')) continue;
      const lines = file(grammar, `${dir}/${name}`);
      const last = lines.filter((l) => l.line.trim()).pop();
      const closing = last.tokens.find((t) => t.text.trim() === '}');
      check(closing && closing.scopes.length === 1,
            `${dir}/${name}: the final \`}\` should be plain source, got ` +
            (closing ? closing.scopes.join(' ') : 'no token'));
    }
  }
}

loadGrammar().then((grammar) => {
  check(grammar !== null, 'the grammar did not load');
  checkKnownPositions(grammar);
  checkAllFiles(grammar);
  checkUnits(grammar);
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`vscode_tokens: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}).catch((e) => {
  console.error(e.stack || e);
  process.exit(1);
});
