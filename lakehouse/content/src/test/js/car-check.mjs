// Reads a CAR with the reference reader (@ipld/car), re-hashes every block and checks it against
// its CID, decodes dag-pb blocks, and prints a JSON summary for the Java integration test.
//   node car-check.mjs FILE.car
import fs from 'node:fs'
import { CarBlockIterator } from '@ipld/car/iterator'
import { sha256 } from 'multiformats/hashes/sha2'
import * as dagPb from '@ipld/dag-pb'
import { equals } from 'multiformats/bytes'

const stream = fs.createReadStream(process.argv[2])
const reader = await CarBlockIterator.fromIterable(stream)
const roots = (await reader.getRoots()).map(String)
const blocks = []
let bytes = 0
for await (const { cid, bytes: data } of reader) {
  const digest = await sha256.digest(data)
  if (cid.multihash.code !== sha256.code || !equals(digest.digest, cid.multihash.digest)) {
    throw new Error(`block ${cid} does not hash to its CID`)
  }
  if (cid.code === dagPb.code) {
    dagPb.decode(data) // throws on non-canonical dag-pb
  }
  blocks.push(String(cid))
  bytes += data.length
}
process.stdout.write(JSON.stringify({ roots, blocks, bytes }) + '\n')
