// Builds the console into OUT (default ../target/classes/ledgerlake-console, what the module's jar holds):
// one bundled, minified ES module (esbuild) plus the static page and style sheet. No CDN, nothing fetched at run time.
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const out = path.resolve(process.argv[2] ?? path.join(here, 'target', 'classes', 'ledgerlake-console'))
fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })
await build({
  entryPoints: [path.join(here, 'src', 'main', 'web', 'main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  outfile: path.join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning'
})
for (const f of ['index.html', 'app.css']) fs.copyFileSync(path.join(here, 'src', 'main', 'web', f), path.join(out, f))
console.log(`console built into ${out}`)
