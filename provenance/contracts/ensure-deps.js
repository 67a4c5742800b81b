#!/usr/bin/env node
// Runs `npm ci` for the contract tooling (solc-js, anvil) unless node_modules already matches
// package-lock.json. Called by the Maven build so that a fresh clone needs nothing but node + npm.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execSync } = require('child_process');

const dir = __dirname;
const lock = fs.readFileSync(path.join(dir, 'package-lock.json'));
const digest = crypto.createHash('sha256').update(lock).digest('hex');
const stamp = path.join(dir, 'node_modules', '.ledgerlake-lock.sha256');
const anvil = path.join(dir, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(anvil)) {
  console.log('contract tooling up to date (npm ci skipped)');
  process.exit(0);
}
execSync('npm ci --no-audit --no-fund', { cwd: dir, stdio: 'inherit' });
fs.chmodSync(anvil, 0o755);
fs.writeFileSync(stamp, digest);
console.log('contract tooling installed');
