#!/usr/bin/env node
// Compiles the provenance contracts offline with solc-js (npm "solc", pinned in package-lock.json) through
// the standard-JSON interface. Writes, per contract with bytecode:
//   <Name>.abi           ABI without custom errors (web3j 5 codegen predates them)
//   <Name>.full.abi.json full ABI, read by the Java revert decoder
//   <Name>.bin           init code
// Usage: node compile.js <mainOutDir> <testOutDir>
// Contracts from src/ go to mainOutDir, from test-src/ to testOutDir. One compiler run for both (solc-js
// takes ~20 s); skipped when the sources' hash matches the stamp of the previous run.
// Any compiler error or warning fails the build.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const [mainOut, testOut] = process.argv.slice(2);
if (!mainOut || !testOut) {
  console.error('usage: node compile.js <mainOutDir> <testOutDir>');
  process.exit(2);
}
const root = path.resolve(__dirname);
const dirs = { src: mainOut, 'test-src': testOut };
const sources = {};
const hash = crypto.createHash('sha256');
for (const dir of Object.keys(dirs)) {
  for (const f of fs.readdirSync(path.join(root, dir)).sort()) {
    if (!f.endsWith('.sol')) continue;
    const key = dir + '/' + f;
    const content = fs.readFileSync(path.join(root, key), 'utf8');
    sources[key] = { content };
    hash.update(key).update('\0').update(content).update('\0');
  }
}
const settings = {
  optimizer: { enabled: true, runs: 200 },
  // The IR pipeline removes stack-too-deep limits on the wide receipt functions.
  viaIR: true,
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};
const solc = require('solc');
hash.update(JSON.stringify(settings)).update(solc.version());
const digest = hash.digest('hex');
const stamp = path.join(mainOut, '.sources.sha256');
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(path.join(testOut, '.sources.sha256'))) {
  console.log('contracts up to date, not recompiled');
  process.exit(0);
}

const input = { language: 'Solidity', sources, settings };
function findImports(p) {
  const full = path.resolve(root, p);
  if (full.startsWith(root + path.sep) && fs.existsSync(full)) return { contents: fs.readFileSync(full, 'utf8') };
  return { error: 'not found: ' + p };
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
let failed = false;
for (const e of output.errors || []) {
  console.error(e.formattedMessage || e.message);
  if (e.severity === 'error' || e.type === 'Warning') failed = true;
}
if (failed) process.exit(1);
for (const [file, contracts] of Object.entries(output.contracts)) {
  const outDir = dirs[file.split('/')[0]];
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, c] of Object.entries(contracts)) {
    const bin = c.evm.bytecode.object;
    if (!bin) continue; // interfaces and abstract contracts have no bytecode
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi.filter((x) => x.type !== 'error')));
    fs.writeFileSync(path.join(outDir, name + '.full.abi.json'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), bin);
    console.log(`compiled ${name}: ${bin.length / 2} bytes of init code -> ${outDir}`);
  }
}
fs.writeFileSync(stamp, digest);
fs.writeFileSync(path.join(testOut, '.sources.sha256'), digest);
console.log(`solc ${solc.version()}`);
