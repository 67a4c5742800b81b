// A tus 1.0.0 client for /v1/datasets/{id}/uploads (creation, core): the file goes in chunks, each PATCH saying its
// offset; an interrupted upload resumes from the offset HEAD reports (the upload URL is kept in localStorage per file).
import { session } from './api.js'

const CHUNK = 4 * 1024 * 1024

function headers (extra) {
  const h = { 'Tus-Resumable': '1.0.0', ...extra }
  if (session.token) h.Authorization = `Bearer ${session.token}`
  return h
}

async function check (r, what) {
  if (r.ok) return r
  let msg = `${what}: HTTP ${r.status}`
  try { const j = await r.json(); msg = j.message ?? msg } catch {}
  throw new Error(msg)
}

const b64 = s => btoa(unescape(encodeURIComponent(s)))

// Browsers know no type for .jsonl or .parquet files; the API accepts these for the dataset formats.
const TYPES = { jsonl: 'application/x-ndjson', ndjson: 'application/x-ndjson', json: 'application/x-ndjson', csv: 'text/csv', tsv: 'text/tab-separated-values', txt: 'text/plain', parquet: 'application/vnd.apache.parquet', zip: 'application/zip', tar: 'application/x-tar' }
export function contentType (file) {
  return file.type || TYPES[file.name.split('.').pop().toLowerCase()] || 'application/octet-stream'
}

export async function upload (datasetId, file, onProgress) {
  const key = `ledgerlake.tus.${datasetId}.${file.name}.${file.size}.${file.lastModified}`
  let url = localStorage.getItem(key)
  let offset = 0
  if (url) {
    const r = await fetch(url, { method: 'HEAD', headers: headers() })
    if (r.ok) offset = Number(r.headers.get('Upload-Offset'))
    else url = null
  }
  if (!url) {
    const r = await check(await fetch(`/v1/datasets/${encodeURIComponent(datasetId)}/uploads`, {
      method: 'POST',
      headers: headers({ 'Upload-Length': String(file.size), 'Upload-Metadata': `filename ${b64(file.name)},filetype ${b64(contentType(file))}` })
    }), 'creating the upload')
    url = r.headers.get('Location')
    localStorage.setItem(key, url)
  }
  onProgress(offset, file.size)
  let last = null
  while (offset < file.size || (file.size === 0 && last === null)) {
    const chunk = file.slice(offset, offset + CHUNK)
    last = await check(await fetch(url, {
      method: 'PATCH',
      headers: headers({ 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }),
      body: chunk
    }), 'uploading')
    offset = Number(last.headers.get('Upload-Offset'))
    onProgress(offset, file.size)
    if (file.size === 0) break
  }
  localStorage.removeItem(key)
  return { submissionId: last.headers.get('LedgerLake-Submission-Id'), cid: last.headers.get('LedgerLake-Cid'), duplicate: last.headers.get('LedgerLake-Duplicate') === 'true' }
}
