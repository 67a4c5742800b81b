// Times the reference JS importer computing the CID of a file (no block writes: a black-hole
// blockstore), for the benchmark harness io.ledgerlake.content.bench.CidBenchmark.
//   node bench-js.mjs FILE PROFILE
import fs from 'node:fs'
import { importer } from 'ipfs-unixfs-importer'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'

const [file, profile] = process.argv.slice(2)
const start = process.hrtime.bigint()
let root
for await (const entry of importer([{ content: fs.createReadStream(file, { highWaterMark: 1 << 20 }) }],
  new BlackHoleBlockstore(), { profile })) {
  root = entry
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
process.stdout.write(JSON.stringify({ cid: String(root.cid), bytes: fs.statSync(file).size, seconds }) + '\n')
