// Run by the Maven build before the integration tests: installs the pinned npm packages with
// `npm ci` unless node_modules already matches package-lock.json (npm's own record of what it
// installed is node_modules/.package-lock.json), so repeated builds do not reinstall ~1000 packages.
// Other modules run it on their own npm folder: `node .../ensure-deps.mjs DIR` (default: this folder).
import fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.resolve(process.argv[2] ?? path.dirname(fileURLToPath(import.meta.url)))
const wanted = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8')).packages
const installedFile = path.join(here, 'node_modules', '.package-lock.json')

function upToDate () {
  if (!fs.existsSync(installedFile)) return false
  const installed = JSON.parse(fs.readFileSync(installedFile, 'utf8')).packages
  for (const [name, meta] of Object.entries(wanted)) {
    // optional packages for other platforms are legitimately absent
    if (name === '' || meta.optional) continue
    if (installed[name]?.version !== meta.version) return false
  }
  return true
}

if (upToDate()) {
  console.log('node_modules matches package-lock.json; skipping npm ci')
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
