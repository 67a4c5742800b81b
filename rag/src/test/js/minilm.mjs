// all-MiniLM-L6-v2 in node, written independently of the JVM code from the algorithm of langchain4j's
// OnnxBertBiEncoder (docs/decisions/rag-embedding-parity.md): the same .onnx file and tokenizer.json, extracted from
// the langchain4j jar by the caller; ONNX Runtime through onnxruntime-node, tokenization through the pure-JS
// @huggingface/tokenizers (not the Rust library the JVM uses, so a tokenizer bug on either side shows up).
import fs from 'node:fs'
import * as ort from 'onnxruntime-node'
import { Tokenizer } from '@huggingface/tokenizers'

// langchain4j splits a token sequence into pieces of at most this many word pieces (512 minus [CLS] and [SEP]).
const MAX_SEQUENCE_LENGTH = 510

/** Which node and package versions computed a result (read from node_modules: the packages do not export it). */
export function runtimeDescription () {
  const version = name => JSON.parse(fs.readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version
  return `node ${process.versions.node}, onnxruntime-node ${version('onnxruntime-node')}, ` +
    `@huggingface/tokenizers ${version('@huggingface/tokenizers')}`
}

export async function loadMiniLm ({ model, tokenizer, threads }) {
  const tokenizerJson = JSON.parse(fs.readFileSync(tokenizer, 'utf8'))
  const tok = new Tokenizer(tokenizerJson, {})
  // The JVM's tokenizer (DJL over Rust tokenizers) applies the truncation that tokenizer.json declares; the JS
  // tokenizer ignores that section, so apply it here, from the same file.
  const trunc = tokenizerJson.truncation
  if (trunc && (trunc.direction !== 'Right' || trunc.stride !== 0)) {
    throw new Error(`unsupported truncation in ${tokenizer}: ${JSON.stringify(trunc)}`)
  }
  const maxLength = trunc ? trunc.max_length : Infinity
  const options = { graphOptimizationLevel: 'all', executionProviders: ['cpu'] }
  if (threads) {
    options.intraOpNumThreads = threads
    options.interOpNumThreads = 1
  }
  const session = await ort.InferenceSession.create(model, options)

  // Token strings and ids of `text` with [CLS]/[SEP], truncated on the right like the Rust tokenizer does for a
  // single sequence (the special tokens are kept, the text is cut).
  function encode (text) {
    const e = tok.encode(text, { add_special_tokens: true })
    const untruncated = e.ids.length
    if (untruncated <= maxLength) return { tokens: e.tokens, ids: e.ids, untruncated }
    const keep = maxLength - 2
    return {
      tokens: [e.tokens[0], ...e.tokens.slice(1, 1 + keep), e.tokens.at(-1)],
      ids: [e.ids[0], ...e.ids.slice(1, 1 + keep), e.ids.at(-1)],
      untruncated
    }
  }

  // langchain4j's partition: pieces of at most `size` tokens between [CLS] and [SEP], never ending a piece just
  // before a '##' continuation (a word stays in one piece unless it alone is longer than `size`).
  function partition (tokens, size) {
    const parts = []
    for (let from = 1; from < tokens.length - 1;) {
      let to = from + size
      if (to >= tokens.length - 1) {
        to = tokens.length - 1
      } else {
        while (to > from && tokens[to].startsWith('##')) to--
        if (to === from) to = from + size
      }
      parts.push(tokens.slice(from, to))
      from = to
    }
    return parts
  }

  // langchain4j turns a piece back into text (DJL's buildSentence: join with spaces, glue '##' pieces) and keeps
  // it if it tokenizes to the same piece, else joins the raw tokens.
  function pieceText (piece) {
    const sentence = piece.join(' ').replaceAll(' ##', '').trim()
    const again = encode(sentence).tokens.slice(1, -1)
    const same = again.length === piece.length && again.every((t, i) => t === piece[i])
    return same ? sentence : piece.join('')
  }

  function feeds (idRows, width) {
    const n = idRows.length
    const ids = new BigInt64Array(n * width)
    const mask = new BigInt64Array(n * width)
    idRows.forEach((row, r) => row.forEach((id, c) => {
      ids[r * width + c] = BigInt(id)
      mask[r * width + c] = 1n
    }))
    const f = {
      input_ids: new ort.Tensor('int64', ids, [n, width]),
      attention_mask: new ort.Tensor('int64', mask, [n, width])
    }
    if (session.inputNames.includes('token_type_ids')) {
      f.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * width), [n, width])
    }
    return f
  }

  // Mean over the unmasked positions of row r of the last hidden state ([CLS] and [SEP] included, as langchain4j).
  function meanPool (hidden, dims, width, r, length) {
    const out = new Float64Array(dims)
    for (let p = 0; p < length; p++) {
      const base = (r * width + p) * dims
      for (let d = 0; d < dims; d++) out[d] += hidden[base + d]
    }
    for (let d = 0; d < dims; d++) out[d] /= length
    return out
  }

  function normalize (v) {
    let s = 0
    for (const x of v) s += x * x
    const inv = s > 0 ? 1 / Math.sqrt(s) : 1
    return Float32Array.from(v, x => x * inv)
  }

  async function run (idRows) {
    const width = Math.max(...idRows.map(r => r.length))
    const out = await session.run(feeds(idRows, width))
    const hidden = out[session.outputNames[0]]
    return { data: hidden.data, dims: hidden.dims[2], width }
  }

  /** The embedding of one text exactly as langchain4j computes it: one model call per piece, unpadded. */
  async function embed (text) {
    const { tokens, ids, untruncated } = encode(text)
    const pieces = partition(tokens, MAX_SEQUENCE_LENGTH)
    if (pieces.length === 0) throw new Error('cannot embed empty or whitespace-only text')
    let sum = null
    let weight = 0
    for (const piece of pieces) {
      const pieceIds = encode(pieceText(piece)).ids
      const { data, dims, width } = await run([pieceIds])
      const pooled = meanPool(data, dims, width, 0, pieceIds.length)
      sum ??= new Float64Array(dims)
      for (let d = 0; d < dims; d++) sum[d] += pooled[d] * piece.length
      weight += piece.length
    }
    return { ids, untruncated, vector: normalize(sum.map(x => x / weight)) }
  }

  /**
   * How a JS application would batch: one padded model call for all texts, masked mean pooling. Not what the JVM
   * does (it runs each text alone), so only a second baseline for the benchmark; vectors agree to ~1e-6.
   */
  async function embedPadded (texts) {
    const rows = texts.map(t => encode(t).ids)
    const { data, dims, width } = await run(rows)
    return rows.map((row, r) => normalize(meanPool(data, dims, width, r, row.length)))
  }

  return { embed, embedPadded, encode, maxLength }
}
