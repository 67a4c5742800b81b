// The LedgerLake web console: hash routes over the HTTP API of `ledgerlake up` (docs/console.md).
import { h, fill, table, shortCid, wei } from './dom.js'
import { api, session, ApiError } from './api.js'
import { signInWithKey, signInWithInjectedWallet, signOut } from './wallet.js'
import { upload } from './tus.js'
import { drawGraph, KIND_COLORS } from './graph.js'

const main = () => document.getElementById('main')

function show (title, ...content) {
  document.title = `${title} · LedgerLake console`
  const m = main()
  fill(m, h('h1', {}, title), ...content)
  m.focus({ preventScroll: true })
}

function errorBox (e) {
  return h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? `${e.message} (${e.code})` : String(e.message ?? e))
}

function renderWho () {
  const who = document.getElementById('who')
  fill(who, session.address
    ? h('span', {}, 'Signed in as ', h('code', {}, session.address), ' ',
      h('button', { class: 'secondary', type: 'button', onclick: async () => { await signOut(); renderWho(); route() } }, 'Sign out'))
    : h('a', { href: '#/' }, 'Sign in'))
}

// ---- sign in ------------------------------------------------------------------------------------------------------

function home () {
  const status = h('p', { role: 'status', 'aria-live': 'polite' })
  const key = h('input', { id: 'devkey', type: 'password', autocomplete: 'off', spellcheck: 'false' })
  const signedIn = address => { fill(status, h('span', { class: 'ok' }, `Signed in as ${address}`)); renderWho() }
  show('Sign in',
    h('p', {}, 'Sign in with your EVM address (EIP-4361): the server sends a message, your wallet signs it.'),
    h('div', { class: 'card' },
      h('h2', {}, 'Browser wallet'),
      h('button', { type: 'button', id: 'wallet-signin', onclick: async () => { try { signedIn(await signInWithInjectedWallet()) } catch (e) { fill(status, errorBox(e)) } } }, 'Sign in with wallet')),
    h('form', { class: 'card', id: 'devkey-form', onsubmit: async e => { e.preventDefault(); try { signedIn(await signInWithKey(key.value)); key.value = '' } catch (err) { fill(status, errorBox(err)) } } },
      h('h2', {}, 'Development key'),
      h('p', { class: 'muted' }, 'For local development and the demo only: the key stays in this page, which signs with it.'),
      h('label', { for: 'devkey' }, 'Private key (hex)'), key,
      h('button', { type: 'submit' }, 'Sign in with key')),
    status)
}

// ---- datasets -----------------------------------------------------------------------------------------------------

async function datasets () {
  const list = h('div', {}, h('p', {}, 'Loading…'))
  const status = h('div', { role: 'status', 'aria-live': 'polite' })
  const name = h('input', { id: 'ds-name', type: 'text', required: true })
  const format = h('select', { id: 'ds-format' }, ['jsonl', 'csv', 'parquet', 'document'].map(f => h('option', { value: f }, f)))
  const visibility = h('select', { id: 'ds-visibility' }, h('option', { value: 'public' }, 'public'), h('option', { value: 'private' }, 'private (only you)'))
  const labelSchema = h('textarea', { id: 'ds-labels', rows: 3, placeholder: '{"version":1,"kind":"single_label","classes":["pos","neg"]}' })
  const form = h('form', { class: 'card', id: 'create-dataset', onsubmit: async e => {
    e.preventDefault()
    try {
      const body = { name: name.value, format: format.value, visibility: visibility.value }
      // Private means private: only the owner reads and submits (the API's allowlist mode; an open private dataset
      // would be readable by every signed-in contributor, since anyone may submit to it).
      if (visibility.value === 'private') body.submitters = { mode: 'allowlist', allowlist: [] }
      if (labelSchema.value.trim()) body.labelSchema = JSON.parse(labelSchema.value)
      const r = await api('POST', '/v1/datasets', body)
      location.hash = `#/datasets/${encodeURIComponent(r.json.id)}`
    } catch (err) { fill(status, errorBox(err)) }
  } },
  h('h2', {}, 'Create a dataset'),
  h('label', { for: 'ds-name' }, 'Name'), name,
  h('label', { for: 'ds-format' }, 'Format'), format,
  h('label', { for: 'ds-visibility' }, 'Visibility'), visibility,
  h('label', { for: 'ds-labels' }, 'Label schema for annotators (JSON, optional)'), labelSchema,
  h('button', { type: 'submit' }, 'Create'), status)
  show('Datasets', list, session.token ? form : h('p', {}, h('a', { href: '#/' }, 'Sign in'), ' to create a dataset.'))
  try {
    const r = await api('GET', '/v1/datasets')
    fill(list, r.json.datasets.length === 0 ? h('p', {}, 'No datasets yet.') : table(['Dataset', 'Name', 'Format', 'Visibility', 'Owner'],
      r.json.datasets.map(d => [h('a', { href: `#/datasets/${encodeURIComponent(d.id)}` }, d.id), d.name, d.format, d.visibility, h('code', {}, d.owner)])))
  } catch (e) { fill(list, errorBox(e)) }
}

function submissionView (s) {
  const counts = s.counts ?? {}
  const rejections = (s.rejectionSample ?? []).map(r => [r.line ?? r.entry ?? '', r.byteOffset ?? '', r.code, r.reason])
  return h('div', { class: 'card submission', 'data-status': s.status },
    h('p', {}, h('strong', {}, `Submission ${s.submissionId}: `), h('span', { class: 'status' }, s.status),
      ` · accepted ${counts.accepted ?? 0}, rejected ${counts.rejected ?? 0}, duplicates ${counts.duplicate ?? 0}`),
    s.failure ? h('p', { class: 'error' }, s.failure) : null,
    rejections.length ? h('div', {}, h('h3', {}, 'Rejected records'), table(['Line', 'Byte offset', 'Code', 'Reason'], rejections)) : null)
}

async function pollSubmission (id, box) {
  for (let i = 0; i < 600; i++) {
    const r = await api('GET', `/v1/submissions/${encodeURIComponent(id)}`)
    fill(box, submissionView(r.json))
    if (!['received', 'ingesting'].includes(r.json.status)) return r.json
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}

function recordsTable (records) {
  return table(['Record', 'Contributor', 'Text (PII redacted)', 'Labels', 'Curation'], records.map(r => [
    h('span', { class: 'cid', title: r.recordCid }, shortCid(r.recordCid)),
    h('code', {}, shortCid(r.contributor)),
    h('span', { class: 'record-text' }, r.text),
    // the headline labels; the detailed ones (quality.*, exact.*) are in the lakehouse and in SQL
    h('span', { class: 'labels' }, Object.entries(r.labels).filter(([k]) => !k.includes('.')).map(([k, v]) => `${k}=${v.length > 40 ? v.slice(0, 40) + '…' : v}`).join(', ')),
    r.included === null ? 'not labeled yet' : (r.included ? 'included' : `excluded: ${r.exclusionReason ?? ''}`)]))
}

async function dataset (id) {
  const info = h('div', {}, 'Loading…')
  const versions = h('div', {})
  const records = h('div', {})
  const submission = h('div', { id: 'submission', 'aria-live': 'polite' })
  const file = h('input', { id: 'upload-file', type: 'file' })
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, 'aria-label': 'Upload progress' })
  const uploadForm = h('form', { class: 'card', id: 'upload-form', onsubmit: async e => {
    e.preventDefault()
    if (!file.files.length) return
    try {
      const r = await upload(id, file.files[0], (done, total) => { progress.max = Math.max(total, 1); progress.value = done })
      fill(submission, h('p', {}, `Uploaded as ${r.cid}${r.duplicate ? ' (a duplicate of an earlier upload)' : ''}; ingesting…`))
      await pollSubmission(r.submissionId, submission)
      await loadRecords()
    } catch (err) { fill(submission, errorBox(err)) }
  } }, h('h2', {}, 'Upload a file'), h('label', { for: 'upload-file' }, 'File'), file, progress, h('button', { type: 'submit' }, 'Upload'))
  const submissions = h('div', {})
  async function loadSubmissions () {
    const s = (await api('GET', `/v1/datasets/${encodeURIComponent(id)}/submissions`)).json.submissions
    fill(submissions, h('h2', {}, 'Submissions'), s.length ? table(['Submission', 'Contributor', 'Status', 'Accepted', 'Rejected', 'Duplicates', 'Received'],
      s.map(x => [h('button', { type: 'button', class: 'secondary', onclick: () => pollSubmission(x.submissionId, submission) }, x.submissionId),
        h('code', {}, shortCid(x.contributor)), x.status, x.acceptedRecords, x.rejectedRecords, x.duplicateRecords, x.receivedAt])) : h('p', {}, 'No submissions ingested yet.'))
  }
  async function loadRecords () {
    await loadSubmissions()
    const r = await api('GET', `/v1/datasets/${encodeURIComponent(id)}/records?limit=50`)
    fill(records, h('h2', {}, 'Latest records'), r.json.records.length ? recordsTable(r.json.records) : h('p', {}, 'No records yet.'))
  }
  show(`Dataset ${id}`, info, session.token ? uploadForm : null, submission, submissions, versions, records)
  try {
    const d = (await api('GET', `/v1/datasets/${encodeURIComponent(id)}`)).json
    fill(info, h('p', {}, `${d.name} · ${d.format} · ${d.visibility} · owner `, h('code', {}, d.owner)),
      d.labelSchema ? h('p', {}, 'Label schema: ', h('code', {}, JSON.stringify(d.labelSchema)), ' · ',
        h('a', { href: `#/datasets/${encodeURIComponent(id)}/annotate` }, 'Annotate records')) : null)
    const v = (await api('GET', `/v1/datasets/${encodeURIComponent(id)}/versions`)).json.versions
    fill(versions, h('h2', {}, 'Versions'), v.length ? table(['Version', 'Published on chain', 'Manifest', 'Lineage'], v.map(x => [
      h('a', { href: `#/datasets/${encodeURIComponent(id)}/versions/${encodeURIComponent(x.tag)}` }, x.tag),
      x.published ? `asset ${x.assetId} version ${x.version}` : 'not published',
      x.manifestCid ? h('span', { class: 'cid' }, x.manifestCid) : '',
      h('a', { href: `#/lineage?node=${encodeURIComponent('dataset_version:' + x.tag)}` }, 'lineage')])) : h('p', {}, 'No versions yet.'))
    await loadRecords()
  } catch (e) { fill(info, errorBox(e)) }
}

async function version (id, tag) {
  const body = h('div', {}, 'Loading…')
  show(`Version ${tag}`, h('p', {}, h('a', { href: `#/datasets/${encodeURIComponent(id)}` }, `Dataset ${id}`), ' · ',
    h('a', { href: `#/lineage?node=${encodeURIComponent('dataset_version:' + tag)}` }, 'Lineage graph')), body)
  try {
    const all = []
    let next = null
    do {
      const r = await api('GET', `/v1/datasets/${encodeURIComponent(id)}/records?version=${encodeURIComponent(tag)}&limit=200${next ? '&after=' + encodeURIComponent(next) : ''}`)
      all.push(...r.json.records)
      next = r.json.next
    } while (next && all.length < 2000)
    const included = all.filter(r => r.included).length
    const reasons = {}
    all.filter(r => r.included === false).forEach(r => { for (const x of (r.exclusionReason ?? 'unknown').split('; ')) { const k = x.split(':')[0]; reasons[k] = (reasons[k] ?? 0) + 1 } })
    fill(body, 
      h('h2', {}, 'Quality report'),
      h('p', { id: 'quality' }, `${all.length} records, ${included} included in the curated view, ${all.length - included} excluded`),
      Object.keys(reasons).length ? table(['Exclusion reason', 'Records'], Object.entries(reasons)) : null,
      h('h2', {}, 'Records'), recordsTable(all))
  } catch (e) { fill(body, errorBox(e)) }
}

// ---- annotation ---------------------------------------------------------------------------------------------------

/** Annotation tasks for the signed-in annotator: each record (PII-redacted) with the label schema's choices. */
async function annotate (id) {
  const area = h('div', { 'aria-live': 'polite' }, 'Loading…')
  show(`Annotate ${id}`, h('p', {}, h('a', { href: `#/datasets/${encodeURIComponent(id)}` }, `Dataset ${id}`)), area)
  if (!session.token) { fill(area, h('p', {}, h('a', { href: '#/' }, 'Sign in'), ' to get annotation tasks.')); return }
  try {
    const r = (await api('GET', `/v1/datasets/${encodeURIComponent(id)}/tasks?limit=5`)).json
    const schema = r.labelSchema ?? {}
    if (!r.tasks.length) { fill(area, h('p', { id: 'no-tasks' }, 'No tasks for you now: every record has its answers, or you answered it.')); return }
    const classes = schema.classes ?? []
    fill(area, h('p', {}, `${r.tasks.length} task(s), reserved for you until ${r.tasks[0].leaseExpiresAt}. Schema: ${schema.kind ?? ''}`),
      r.tasks.map(t => {
        const started = Date.now()
        const status = h('p', { role: 'status' })
        const send = async values => {
          try {
            await api('POST', '/v1/annotations', { annotationId: crypto.randomUUID(), datasetId: id, recordCid: t.recordCid, values, timeSpentMs: Date.now() - started })
            fill(status, h('span', { class: 'ok' }, `Answered: ${values.join(', ')}`))
          } catch (e) { fill(status, errorBox(e)) }
        }
        const text = h('textarea', { id: `answer-${t.recordCid}`, rows: 2 })
        return h('div', { class: 'card task', 'data-record': t.recordCid },
          h('p', { class: 'record-text' }, t.text),
          schema.kind === 'free_text'
            ? h('form', { onsubmit: e => { e.preventDefault(); send([text.value]) } }, h('label', { for: `answer-${t.recordCid}` }, 'Answer'), text, h('button', { type: 'submit' }, 'Send'))
            : h('div', { role: 'group', 'aria-label': `Label for record ${shortCid(t.recordCid)}` }, classes.map(c => h('button', { type: 'button', class: 'secondary', onclick: () => send([c]) }, c), ' ')),
          status)
      }))
  } catch (e) { fill(area, errorBox(e)) }
}

// ---- lineage ------------------------------------------------------------------------------------------------------

async function lineage (params) {
  const node = params.get('node')
  const input = h('input', { id: 'lineage-node', type: 'text', value: node ?? '', placeholder: 'dataset_version:ds-…-v1' })
  const direction = h('select', { id: 'lineage-direction' }, ['both', 'up', 'down'].map(d => h('option', { value: d, selected: (params.get('direction') ?? 'both') === d }, d)))
  const form = h('form', { onsubmit: e => { e.preventDefault(); location.hash = `#/lineage?node=${encodeURIComponent(input.value)}&direction=${direction.value}` } },
    h('label', { for: 'lineage-node' }, 'Node (kind:id)'), input,
    h('label', { for: 'lineage-direction' }, 'Direction'), direction, h('button', { type: 'submit' }, 'Show'))
  const area = h('div', {})
  show('Lineage', form, area)
  if (!node) { fill(area, h('p', {}, 'Pick a node, e.g. a dataset version from its dataset page.')); return }
  try {
    const g = (await api('GET', `/v1/lineage?node=${encodeURIComponent(node)}&direction=${params.get('direction') ?? 'both'}&depth=${params.get('depth') ?? 3}`)).json
    const canvas = h('canvas', { id: 'graph', role: 'img', 'aria-label': `Lineage graph of ${g.root}: ${g.nodes.length} nodes, ${g.edges.length} edges; the list below has the same nodes` })
    const reroot = id => { location.hash = `#/lineage?node=${encodeURIComponent(id)}&direction=${params.get('direction') ?? 'both'}` }
    const legend = h('p', { class: 'legend' }, Object.keys(KIND_COLORS).map(k => h('span', {}, h('i', { class: `k-${k}` }), k)))
    const nodeList = h('ul', { id: 'lineage-nodes' }, g.nodes.slice(0, 300).map(n => h('li', {}, h('a', { href: `#/lineage?node=${encodeURIComponent(n.id)}` }, `${n.kind}: ${n.label}`), ` (${n.depth} hop${n.depth === 1 ? '' : 's'})`)))
    fill(area, 
      h('p', { id: 'lineage-summary' }, `${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? ' (more beyond the depth or node limit)' : ''}${g.hidden ? `; ${g.hidden} hidden (datasets you may not read)` : ''}`),
      legend, canvas, h('h2', {}, 'Nodes'), nodeList)
    drawGraph(canvas, g, reroot)
  } catch (e) { fill(area, errorBox(e)) }
}

// ---- earnings and reconciliation ---------------------------------------------------------------------------------

async function earnings (address) {
  const input = h('input', { id: 'earnings-address', type: 'text', value: address ?? session.address ?? '' })
  const area = h('div', {})
  show('Earnings', h('form', { onsubmit: e => { e.preventDefault(); location.hash = `#/earnings/${input.value.trim()}` } },
    h('label', { for: 'earnings-address' }, 'Address'), input, h('button', { type: 'submit' }, 'Show')), area)
  if (!address) { if (session.address) location.hash = `#/earnings/${session.address}`; return }
  try {
    const e = (await api('GET', `/v1/earnings/${encodeURIComponent(address)}`)).json
    fill(area, 
      h('p', { id: 'earnings-total' }, `Total: ${wei(e.totalWei)} (${e.totalWei} wei) in ${e.items.length} share(s)`),
      e.items.length ? table(['Kind', 'Asset', 'Version', 'Role', 'Share', 'Amount', 'Status'], e.items.map(i => [i.kind, i.assetId, i.version, i.role, `${(i.bps / 100).toFixed(2)} %`, wei(i.amountWei), i.status ?? 'final'])) : h('p', {}, 'Nothing earned yet.'),
      h('h2', {}, 'Usage payouts, explained'),
      e.usage.length ? h('div', {}, e.usage.map(u => h('div', { class: 'card' },
        h('p', {}, `Epoch ${u.epoch}, asset ${u.assetId}: ${wei(u.amountWei)} (${u.bps} bps, ${u.status}, formula ${u.basis})`),
        h('p', {}, `Weight ${u.weight.toFixed(4)} of ${u.totalWeight.toFixed(4)} (sum of 1/rank of your retrieved records) in settlement ${u.settlementId}, ${u.settledCalls} paid call(s)`),
        u.uses ? table(['Query', 'Rank', 'Record'], u.uses.map(x => [x.queryId, x.rank, h('span', { class: 'cid' }, x.recordCid)])) : h('p', { class: 'muted' }, 'Sign in as this address to see the queries.'),
        u.claim ? h('p', {}, 'Claim on chain with your wallet, or: ', h('code', {}, u.claim)) : h('p', { class: 'muted' }, 'Not paid out on chain yet.')))) : h('p', {}, 'No usage payouts.'))
  } catch (err) { fill(area, errorBox(err)) }
}

async function reconciliation () {
  const area = h('div', {}, 'Loading…')
  show('Reconciliation', area)
  try {
    const r = (await api('GET', '/v1/reconciliation')).json
    fill(area, r.runId ? h('p', { id: 'reconcile-summary' }, `Run ${r.runId} at ${r.checkedAt}: ${r.items.length} item(s) checked, ${r.discrepancies} discrepanc${r.discrepancies === 1 ? 'y' : 'ies'}`) : h('p', {}, 'No reconciliation run yet (ledgerlake reconcile).'),
      r.items.length ? table(['Check', 'Subject', 'Status', 'Detail'], r.items.map(i => [i.checkKind, h('span', { class: 'cid' }, i.subject ?? ''), i.status, i.detail ?? ''])) : null)
  } catch (e) { fill(area, errorBox(e)) }
}

// ---- router -------------------------------------------------------------------------------------------------------

async function route () {
  const hash = location.hash.replace(/^#/, '') || '/'
  const [path, query] = hash.split('?')
  const params = new URLSearchParams(query ?? '')
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  try {
    if (parts.length === 0) return home()
    if (parts[0] === 'datasets' && parts.length === 1) return await datasets()
    if (parts[0] === 'datasets' && parts.length === 2) return await dataset(parts[1])
    if (parts[0] === 'datasets' && parts[2] === 'versions' && parts.length === 4) return await version(parts[1], parts[3])
    if (parts[0] === 'datasets' && parts[2] === 'annotate' && parts.length === 3) return await annotate(parts[1])
    if (parts[0] === 'lineage') return await lineage(params)
    if (parts[0] === 'earnings') return await earnings(parts[1])
    if (parts[0] === 'reconciliation') return await reconciliation()
    show('Not found', h('p', {}, 'No such page. '), h('a', { href: '#/' }, 'Home'))
  } catch (e) { show('Error', errorBox(e)) }
}

window.addEventListener('hashchange', route)
renderWho()
route()
