// The LedgerLake HTTP API, same origin as the console (served by `ledgerlake up`). The token lives in the tab's
// sessionStorage: closing the tab signs out.
const TOKEN = 'ledgerlake.token'
const ADDRESS = 'ledgerlake.address'

export const session = {
  get token () { return sessionStorage.getItem(TOKEN) },
  get address () { return sessionStorage.getItem(ADDRESS) },
  set (token, address) { sessionStorage.setItem(TOKEN, token); sessionStorage.setItem(ADDRESS, address) },
  clear () { sessionStorage.removeItem(TOKEN); sessionStorage.removeItem(ADDRESS) }
}

export class ApiError extends Error {
  constructor (status, code, message) { super(message); this.status = status; this.code = code }
}

export async function api (method, path, body, headers = {}) {
  const h = { ...headers }
  if (session.token) h.Authorization = `Bearer ${session.token}`
  let payload
  if (body !== undefined && !(body instanceof Blob)) { h['Content-Type'] = 'application/json'; payload = JSON.stringify(body) } else payload = body
  const r = await fetch(path, { method, headers: h, body: payload })
  const text = await r.text()
  let json = null
  try { json = text ? JSON.parse(text) : null } catch { json = null }
  if (!r.ok) throw new ApiError(r.status, json?.code ?? String(r.status), json?.message ?? `${method} ${path}: HTTP ${r.status}`)
  return { status: r.status, json, headers: r.headers }
}
