// The lineage graph on a canvas: nodes in columns by signed distance from the root (upstream left, downstream right),
// drawn in one pass, so 10,000 nodes stay interactive. Wheel or pinch zooms, drag pans, a click (or Enter on the
// node list below) re-roots. The node list is the accessible form of the same graph.
const COLORS = {
  submission: '#7a4d00', record: '#5b6b7a', dataset_version: '#0b4f9c', asset_version: '#6a1b9a',
  model: '#1d6b2f', index: '#a4000f', embeddings: '#00695c'
}
export const KIND_COLORS = COLORS

/** Positions nodes: column = signed depth, rows in order within a column. */
export function layout (graph) {
  const side = new Map([[graph.root, 0]])
  // upstream nodes (sources of edges into the root side) get negative columns
  const incoming = new Map()
  for (const e of graph.edges) {
    if (!incoming.has(e.to)) incoming.set(e.to, [])
    incoming.get(e.to).push(e.from)
  }
  const up = new Set()
  const queue = [graph.root]
  while (queue.length) {
    const n = queue.shift()
    for (const s of incoming.get(n) ?? []) if (!up.has(s) && s !== graph.root) { up.add(s); queue.push(s) }
  }
  const columns = new Map()
  for (const n of graph.nodes) {
    const col = n.id === graph.root ? 0 : (up.has(n.id) ? -n.depth : n.depth)
    side.set(n.id, col)
    if (!columns.has(col)) columns.set(col, [])
    columns.get(col).push(n)
  }
  const pos = new Map()
  for (const [col, nodes] of columns) {
    nodes.forEach((n, i) => pos.set(n.id, { x: col * 260, y: (i - (nodes.length - 1) / 2) * 28, node: n }))
  }
  return pos
}

export function drawGraph (canvas, graph, onSelect) {
  const ctx = canvas.getContext('2d')
  const pos = layout(graph)
  let scale = Math.min(1, 600 / Math.max(200, Math.sqrt(pos.size) * 60))
  let tx = 0; let ty = 0
  const resize = () => {
    const r = canvas.getBoundingClientRect()
    canvas.width = Math.max(1, Math.floor(r.width * devicePixelRatio))
    canvas.height = Math.max(1, Math.floor(r.height * devicePixelRatio))
    draw()
  }
  const toScreen = p => [canvas.width / 2 + (p.x + tx) * scale * devicePixelRatio, canvas.height / 2 + (p.y + ty) * scale * devicePixelRatio]
  function draw () {
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, canvas.width, canvas.height)
    ctx.strokeStyle = '#9aa4ae'
    ctx.lineWidth = 1
    ctx.beginPath()
    for (const e of graph.edges) {
      const a = pos.get(e.from); const b = pos.get(e.to)
      if (!a || !b) continue
      const [x1, y1] = toScreen(a); const [x2, y2] = toScreen(b)
      ctx.moveTo(x1, y1); ctx.lineTo(x2, y2)
    }
    ctx.stroke()
    const r = Math.max(2, 6 * scale * devicePixelRatio)
    const labels = pos.size <= 400 || scale > 0.6
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`
    for (const p of pos.values()) {
      const [x, y] = toScreen(p)
      if (x < -50 || y < -50 || x > canvas.width + 50 || y > canvas.height + 50) continue
      ctx.fillStyle = COLORS[p.node.kind] ?? '#333'
      ctx.beginPath(); ctx.arc(x, y, p.node.id === graph.root ? r * 1.8 : r, 0, 2 * Math.PI); ctx.fill()
      if (labels) {
        ctx.fillStyle = '#1a1a1a'
        const l = p.node.label.length > 24 ? p.node.label.slice(0, 10) + '…' + p.node.label.slice(-8) : p.node.label
        ctx.fillText(`${p.node.kind}: ${l}`, x + r + 4, y + 4)
      }
    }
  }
  let drag = null; let moved = false
  canvas.addEventListener('pointerdown', e => { drag = { x: e.clientX, y: e.clientY }; moved = false; canvas.setPointerCapture(e.pointerId) })
  canvas.addEventListener('pointermove', e => {
    if (!drag) return
    const dx = e.clientX - drag.x; const dy = e.clientY - drag.y
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true
    tx += dx / scale; ty += dy / scale; drag = { x: e.clientX, y: e.clientY }; draw()
  })
  canvas.addEventListener('pointerup', e => {
    drag = null
    if (moved) return
    const rect = canvas.getBoundingClientRect()
    const px = (e.clientX - rect.left) * devicePixelRatio; const py = (e.clientY - rect.top) * devicePixelRatio
    let best = null; let bestD = Infinity
    for (const p of pos.values()) {
      const [x, y] = toScreen(p)
      const d = (x - px) ** 2 + (y - py) ** 2
      if (d < bestD) { bestD = d; best = p }
    }
    if (best && bestD < (14 * devicePixelRatio) ** 2) onSelect(best.node.id)
  })
  canvas.addEventListener('wheel', e => { e.preventDefault(); scale *= e.deltaY < 0 ? 1.15 : 1 / 1.15; draw() }, { passive: false })
  new ResizeObserver(resize).observe(canvas)
  resize()
  return { redraw: draw, nodes: pos.size }
}
