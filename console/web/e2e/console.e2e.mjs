// End-to-end test of the web console in a real headless Chromium (the system's, driven by playwright-core; no
// browser download), against a running `ledgerlake up` whose data directory holds the demo's data.
//   node e2e/console.e2e.mjs --base http://127.0.0.1:8080 --chromium /usr/bin/chromium --out DIR --dataset ds-demo0001
// Prints one JSON line with the measurements and exits 1 with the failed step on any failure. Screenshots: DIR/*.png.
import { chromium } from 'playwright-core'
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const base = args.base
const out = args.out ?? 'console-e2e'
fs.mkdirSync(out, { recursive: true })
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const results = { steps: [], axe: {}, measurements: {} }
let step = 'start'

function check (cond, what) { if (!cond) throw new Error(`${step}: ${what}`) }
const newKey = () => '0x' + crypto.randomBytes(32).toString('hex')

async function axe (page, name) {
  await page.evaluate(axeSource)
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] }))
  const serious = r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  results.axe[name] = { violations: r.violations.length, serious: serious.map(v => `${v.id}: ${v.help} (${v.nodes.length})`) }
  check(serious.length === 0, `axe on ${name}: ${JSON.stringify(results.axe[name].serious)}`)
}

async function shot (page, name) { await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true }) }

async function signIn (page, key) {
  await page.goto(`${base}/console/`)
  await page.fill('#devkey', key)
  await page.click('#devkey-form button[type=submit]')
  await page.waitForSelector('#who code', { timeout: 15000 })
}

async function fcp (page, url) {
  await page.goto(url, { waitUntil: 'load' })
  return page.evaluate(() => new Promise(resolve => {
    const e = performance.getEntriesByName('first-contentful-paint')[0]
    if (e) return resolve(e.startTime)
    new PerformanceObserver(l => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true })
  }))
}

const browser = await chromium.launch({ executablePath: args.chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
let code = 0
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const dialogs = []
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss() })
  const consoleErrors = []
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()) })

  step = 'sign in with a development key'
  const ownerKey = newKey()
  await signIn(page, ownerKey)
  const owner = (await page.textContent('#who code')).trim()
  check(/^0x[0-9a-f]{40}$/.test(owner), `signed-in address ${owner}`)
  await shot(page, '01-signed-in')
  await axe(page, 'sign-in')

  step = 'create a dataset'
  await page.goto(`${base}/console/#/datasets`)
  await page.waitForSelector('#create-dataset')
  await page.fill('#ds-name', 'e2e reviews')
  await page.selectOption('#ds-format', 'jsonl')
  await page.fill('#ds-labels', '{"version":1,"kind":"single_label","classes":["pos","neg"]}')
  await page.click('#create-dataset button[type=submit]')
  await page.waitForSelector('#upload-form', { timeout: 15000 })
  const datasetId = decodeURIComponent(page.url().split('#/datasets/')[1])
  check(datasetId.startsWith('ds-'), `dataset id ${datasetId}`)
  await axe(page, 'dataset')

  step = 'upload a file with a bad line and a <script> record'
  const lines = []
  for (let i = 0; i < 6; i++) lines.push(JSON.stringify({ text: `Review ${i}: the product works well and arrived on time, I would buy it again from this shop.` }))
  lines.push('{this is not json')
  lines.push(JSON.stringify({ text: '<script>alert(1)</script><img src=x onerror=alert(2)> is what this review says' }))
  const file = path.join(out, 'upload.jsonl')
  fs.writeFileSync(file, lines.join('\n') + '\n')
  await page.setInputFiles('#upload-file', file)
  await page.click('#upload-form button[type=submit]')
  await page.waitForSelector('.submission[data-status="ingested"]', { timeout: 120000 })
  const submission = await page.textContent('.submission')
  check(submission.includes('accepted 7') && submission.includes('rejected 1'), `submission: ${submission}`)
  const rejection = await page.textContent('.submission table')
  check(rejection.includes('7'), `the rejection names line 7: ${rejection}`)
  check((await page.getAttribute('#upload-progress', 'value')) === (await page.getAttribute('#upload-progress', 'max')), 'progress reached the end')
  await shot(page, '02-uploaded-with-rejection')

  step = 'see the records labeled, the <script> text as text'
  let labeled = false
  for (let i = 0; i < 60 && !labeled; i++) {
    // a reload, not a goto: the same URL with the same hash would not render the page again
    await page.reload()
    await page.waitForFunction(() => document.querySelectorAll('.record-text').length >= 7, null, { timeout: 15000 })
    const text = await page.textContent('#main')
    labeled = text.includes('lang=eng') && text.includes('curation=') && !text.includes('not labeled yet')
    if (!labeled) await page.waitForTimeout(1500)
  }
  check(labeled, 'every record got its labels (lang, quality, curation) from the labeling job')
  const texts = await page.$$eval('.record-text', els => els.map(e => e.textContent))
  check(texts.some(t => t.includes('<script>alert(1)</script>')), 'the <script> record is shown as its text')
  check(await page.$$eval('#main script, #main img', els => els.length) === 0, 'no element was created from record text')
  check(dialogs.length === 0, `no script ran: ${dialogs}`)
  const listed = await page.textContent('#main')
  check(listed.includes('Submissions') && listed.includes(submission.split(':')[0].replace('Submission ', '').trim()), 'the submission is listed with the dataset')
  await shot(page, '03-labels')
  await axe(page, 'dataset-with-records')

  step = 'annotate a record of the new dataset'
  await page.goto(`${base}/console/#/datasets/${encodeURIComponent(datasetId)}/annotate`)
  await page.waitForSelector('.task', { timeout: 15000 })
  const tasks = await page.$$eval('.task', els => els.length)
  check(tasks > 0 && tasks <= 5, `tasks reserved: ${tasks}`)
  await page.click('.task button:has-text("pos")')
  await page.waitForSelector('.task .ok', { timeout: 15000 })
  check((await page.textContent('.task .ok')).includes('Answered: pos'), 'the answer was stored')
  await shot(page, '03b-annotate')
  await axe(page, 'annotate')

  step = 'lineage graph of the demo\'s published version'
  const versions = await (await fetch(`${base}/v1/datasets/${encodeURIComponent(args.dataset)}/versions`)).json()
  const published = versions.versions.find(v => v.published)
  check(published, `a published version of ${args.dataset}`)
  await page.goto(`${base}/console/#/lineage?node=${encodeURIComponent('dataset_version:' + published.tag)}`)
  await page.waitForSelector('#lineage-summary', { timeout: 30000 })
  const summary = await page.textContent('#lineage-summary')
  const nodeCount = Number(summary.split(' ')[0])
  check(nodeCount > 3, `lineage has nodes: ${summary}`)
  const nodes = await page.textContent('#lineage-nodes')
  check(nodes.includes('asset_version') && nodes.includes('submission'), 'upstream uploads and the on-chain version are in the graph')
  check(await page.$eval('#graph', c => c.width > 0 && c.height > 0), 'the graph is drawn')
  await shot(page, '04-lineage')
  await axe(page, 'lineage')

  step = 'version page: records, curation, quality report'
  await page.goto(`${base}/console/#/datasets/${encodeURIComponent(args.dataset)}/versions/${encodeURIComponent(published.tag)}`)
  await page.waitForSelector('#quality', { timeout: 30000 })
  check((await page.textContent('#quality')).includes('included in the curated view'), 'quality report')
  await shot(page, '05-version')
  await axe(page, 'version')

  step = 'earnings of a contributor after the demo\'s licence purchase'
  const records = await (await fetch(`${base}/v1/datasets/${encodeURIComponent(args.dataset)}/records?limit=200`)).json()
  const contributors = [...new Set(records.records.map(r => r.contributor))]
  let earner = null
  for (const c of contributors) {
    const e = await (await fetch(`${base}/v1/earnings/${c}`)).json()
    if (BigInt(e.totalWei) > 0n) { earner = c; break }
  }
  check(earner, `a demo contributor with earnings among ${contributors}`)
  await page.goto(`${base}/console/#/earnings/${earner}`)
  await page.waitForSelector('#earnings-total', { timeout: 15000 })
  const total = await page.textContent('#earnings-total')
  check(/Total: [0-9.]+ ETH/.test(total) && !total.startsWith('Total: 0 ETH'), `earnings: ${total}`)
  await shot(page, '06-earnings')
  await axe(page, 'earnings')

  step = 'reconciliation results'
  await page.goto(`${base}/console/#/reconciliation`)
  await page.waitForSelector('#reconcile-summary', { timeout: 15000 })
  check((await page.textContent('#reconcile-summary')).includes('0 discrepancies'), 'reconciliation')
  await shot(page, '07-reconciliation')
  await axe(page, 'reconciliation')

  step = 'a private dataset is not shown to another address'
  const priv = await (await fetch(`${base}/v1/datasets`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await page.evaluate(() => sessionStorage.getItem('ledgerlake.token'))}` }, body: JSON.stringify({ name: 'secret', format: 'jsonl', visibility: 'private', submitters: { mode: 'allowlist', allowlist: [] } }) })).json()
  check(priv.id, `private dataset created: ${JSON.stringify(priv)}`)
  const other = await browser.newContext()
  const otherPage = await other.newPage()
  await signIn(otherPage, newKey())
  await otherPage.goto(`${base}/console/#/datasets`)
  await otherPage.waitForSelector('#main table, #main p', { timeout: 15000 })
  await otherPage.waitForTimeout(500)
  check(!(await otherPage.textContent('#main')).includes(priv.id), 'not listed for another address')
  check((await otherPage.textContent('#main')).includes(datasetId), 'public datasets are listed')
  await otherPage.goto(`${base}/console/#/datasets/${encodeURIComponent(priv.id)}`)
  await otherPage.waitForSelector('#main .error', { timeout: 15000 })
  check((await otherPage.textContent('#main .error')).includes('does not exist'), 'a direct link says it does not exist')
  await shot(otherPage, '08-private-hidden')
  await page.goto(`${base}/console/#/datasets`)
  await page.waitForSelector('#main table')
  check((await page.textContent('#main')).includes(priv.id), 'the owner sees it')
  await other.close()

  step = 'phone width'
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true })
  const phonePage = await phone.newPage()
  await phonePage.goto(`${base}/console/#/datasets`)
  await phonePage.waitForSelector('#main table', { timeout: 15000 })
  const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  check(overflow <= 1, `no horizontal scrolling of the page at 375 px (${overflow} px)`)
  await shot(phonePage, '09-phone')
  await phone.close()

  step = 'first contentful paint'
  const fresh = await browser.newContext()
  const p2 = await fresh.newPage()
  const baseline = []
  const consoleFcp = []
  for (let i = 0; i < 5; i++) {
    baseline.push(await fcp(p2, `${base}/openapi.json`))
    consoleFcp.push(await fcp(p2, `${base}/console/#/datasets`))
  }
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  results.measurements.fcpConsoleMs = median(consoleFcp)
  results.measurements.fcpBaselineMs = median(baseline)
  await fresh.close()
  check(consoleErrors.filter(e => !e.includes('Failed to load resource')).length === 0, `console errors: ${consoleErrors}`)
  results.steps.push('all')
} catch (e) {
  results.failed = e.message
  code = 1
} finally {
  await browser.close()
}
console.log(JSON.stringify(results))
process.exit(code)
