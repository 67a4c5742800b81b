// The JS side of io.ledgerlake.rag.embed.EmbeddingBenchmark: embeds the sentences of a JSON file in batches with
// all-MiniLM-L6-v2 on onnxruntime-node, with a fixed number of intra-op threads, and prints one JSON line:
// sentences/s (after a warm-up batch), model load time, peak RSS, and the first vector (checked by the harness).
//
//   node bench-embed.mjs MODEL.onnx TOKENIZER.json SENTENCES.json BATCH THREADS MODE
// MODE per-text: one unpadded model call per text, as langchain4j does (the like-for-like baseline);
//      padded:   one padded model call per batch (how a JS application would usually batch).
import fs from 'node:fs'
import { loadMiniLm, runtimeDescription } from './minilm.mjs'

const [model, tokenizer, file, batchArg, threadsArg, mode] = process.argv.slice(2)
if (!['per-text', 'padded'].includes(mode)) {
  console.error('usage: node bench-embed.mjs MODEL TOKENIZER SENTENCES.json BATCH THREADS per-text|padded')
  process.exit(2)
}
const batch = Number(batchArg)
const sentences = JSON.parse(fs.readFileSync(file, 'utf8'))

const l0 = process.hrtime.bigint()
const minilm = await loadMiniLm({ model, tokenizer, threads: Number(threadsArg) })
const loadSeconds = Number(process.hrtime.bigint() - l0) / 1e9

async function embedBatch (texts) {
  if (mode === 'padded') return minilm.embedPadded(texts)
  const out = []
  for (const t of texts) out.push((await minilm.embed(t)).vector)
  return out
}

const first = (await embedBatch(sentences.slice(0, batch)))[0] // warm-up, not timed
const t0 = process.hrtime.bigint()
for (let i = 0; i < sentences.length; i += batch) {
  await embedBatch(sentences.slice(i, i + batch))
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9
process.stdout.write(JSON.stringify({
  runtime: runtimeDescription(),
  mode,
  sentences: sentences.length,
  seconds,
  load_seconds: loadSeconds,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  first_vector: Array.from(first)
}) + '\n')
