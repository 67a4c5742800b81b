// Elements are built with text nodes only: data from the API (record text, names, reasons) is never parsed as HTML.
export function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'text') el.textContent = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue
    el.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return el
}

/** replaceChildren without the nulls of conditional content (the DOM would insert them as the text "null"). */
export function fill (el, ...children) {
  el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false))
}

export function table (headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))))))
}

export function shortCid (cid) {
  return cid && cid.length > 20 ? cid.slice(0, 10) + '…' + cid.slice(-6) : (cid ?? '')
}

export function wei (value) {
  const v = BigInt(value ?? 0)
  const whole = v / 10n ** 18n
  const frac = (v % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '').slice(0, 6)
  return `${whole}${frac ? '.' + frac : ''} ETH`
}
