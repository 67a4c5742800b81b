// Benchmark: how long the console's lineage page takes to show a graph of N nodes in headless Chromium, from the
// navigation to the drawn canvas, for N = 100 (the baseline) and 10,000, with the API answer replaced by a synthetic
// layered graph (page.route) so only the browser's work is measured. Needs a running `ledgerlake up` for the page.
//   node e2e/lineage-bench.mjs --base http://127.0.0.1:8080 --chromium /usr/bin/chromium [--runs 5]
import { chromium } from 'playwright-core'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const runs = Number(args.runs ?? 5)

function graph (n) {
  const root = 'dataset_version:ds-bench-v1'
  const nodes = [{ id: root, kind: 'dataset_version', label: 'ds-bench-v1', depth: 0 }]
  const edges = []
  const up = Math.floor(n / 3)
  for (let i = 1; i < n; i++) {
    const upstream = i <= up
    const id = upstream ? `record:rec${i}` : `asset_version:${i}@${i}`
    const depth = upstream ? 1 + (i % 2) : 1 + (i % 3)
    nodes.push({ id, kind: upstream ? 'record' : 'asset_version', label: id.split(':')[1], depth })
    edges.push(upstream ? { from: id, to: root, kind: 'contains' } : { from: root, to: id, kind: 'registered_as' })
  }
  return { root, nodes, edges, truncated: false, hidden: 0 }
}

const browser = await chromium.launch({ executablePath: args.chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
const result = {}
for (const n of [100, 10000]) {
  const body = JSON.stringify(graph(n))
  await page.route('**/v1/lineage?*', route => route.fulfill({ status: 200, contentType: 'application/json', body }))
  const times = []
  for (let r = 0; r < runs + 1; r++) {
    await page.goto(`${args.base}/console/#/`)
    await page.waitForSelector('#devkey')
    const t0 = Date.now()
    await page.evaluate(() => { location.hash = '#/lineage?node=dataset_version%3Ads-bench-v1&r=' + Math.random() })
    await page.waitForSelector('#lineage-summary')
    // the canvas is drawn in the same task as the summary; one frame later it is on screen
    await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => resolve())))
    if (r > 0) times.push(Date.now() - t0) // the first run warms the JIT
  }
  await page.unroute('**/v1/lineage?*')
  times.sort((a, b) => a - b)
  result[`nodes${n}Ms`] = times[Math.floor(times.length / 2)]
}
result.ratio10kTo100 = +(result.nodes10000Ms / result.nodes100Ms).toFixed(2)
await browser.close()
console.log(JSON.stringify(result))
