// Generates the expected CIDs that the Java importer must reproduce, using the reference JS
// importer (ipfs-unixfs-importer with its IPIP-499 profile presets) as the independent
// implementation. Inputs come from prng.mjs so nothing large is committed.
//
//   node gen-vectors.mjs > ../resources/content/unixfs-vectors.json
import { importer } from 'ipfs-unixfs-importer'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { seededChunks } from './prng.mjs'

const KIB = 1024
const MIB = 1024 * KIB
const PROFILES = {
  'unixfs-v1-2025': { chunk: MIB, width: 1024 },
  'unixfs-v0-2015': { chunk: 256 * KIB, width: 174 }
}
// Inputs of at least this many bytes only run in integration tests.
const LARGE = 256 * MIB

async function cidOf (entries, profile, rootPath) {
  const blockstore = new BlackHoleBlockstore()
  let result
  for await (const entry of importer(entries, blockstore, { profile })) {
    if (rootPath == null || entry.path === rootPath) result = entry
  }
  return { cid: result.cid.toString(), size: Number(result.size) }
}

function fileEntry (path, seed, size) {
  return { path, content: seededChunks(seed, size) }
}

function directoryCases () {
  const small = [
    { path: 'a.txt', size: 12, seed: 11 },
    { path: 'B.txt', size: 0, seed: 12 },
    { path: 'aa', size: 3, seed: 13 },
    { path: '\u00e9t\u00e9.bin', size: 300, seed: 14 },
    { path: 'sub/one.bin', size: 1, seed: 15 },
    { path: 'sub/two.bin', size: 70000, seed: 16 },
    { path: 'sub/deeper/three.bin', size: 5, seed: 17 },
    { path: 'empty', dir: true }
  ]
  const hamt = []
  for (let i = 0; i < 6000; i++) {
    hamt.push({ path: `file-${String(i).padStart(5, '0')}.bin`, size: 1 + (i % 7), seed: 1000 + i })
  }
  const belowThreshold = []
  for (let i = 0; i < 1000; i++) {
    belowThreshold.push({ path: `f${i}`, size: 2, seed: 9000 + i })
  }
  return [
    { name: 'small-tree', entries: small },
    { name: 'flat-1000', entries: belowThreshold },
    { name: 'hamt-6000', entries: hamt }
  ]
}

const files = []
for (const [profile, { chunk, width }] of Object.entries(PROFILES)) {
  const sizes = [
    ['empty', 0], ['one-byte', 1], ['chunk-minus-1', chunk - 1], ['chunk', chunk], ['chunk-plus-1', chunk + 1],
    ['random-5mib', 5 * MIB + 12345],
    ['width-times-chunk', width * chunk], ['width-times-chunk-plus-1', width * chunk + 1]
  ]
  let seed = profile === 'unixfs-v1-2025' ? 100 : 200
  for (const [name, size] of sizes) {
    seed++
    const { cid } = await cidOf([{ content: seededChunks(seed, size) }], profile)
    files.push({ profile, name, size, seed, cid, large: size >= LARGE })
    process.stderr.write(`${profile} ${name} ${cid}\n`)
  }
}

const directories = []
for (const profile of Object.keys(PROFILES)) {
  for (const dir of directoryCases()) {
    const entries = dir.entries.map(e => e.dir
      ? { path: `root/${e.path}` }
      : fileEntry(`root/${e.path}`, e.seed, e.size))
    const { cid } = await cidOf(entries, profile, 'root')
    directories.push({ profile, name: dir.name, entries: dir.entries, cid })
    process.stderr.write(`${profile} dir ${dir.name} ${cid}\n`)
  }
}

const out = {
  generator: 'src/test/js/gen-vectors.mjs (ipfs-unixfs-importer 17.1.1)',
  prng: 'xorshift32 13/17/5, seed 0 -> 0x9E3779B9, each state as 4 little-endian bytes, truncated to size',
  files,
  directories
}
// One line per directory entry keeps the fixture small and diffable.
const compact = []
for (const d of directories) {
  d.entries = d.entries.map(e => {
    compact.push(JSON.stringify(e))
    return `@@${compact.length - 1}@@`
  })
}
const text = JSON.stringify(out, null, 2).replace(/"@@(\d+)@@"/g, (_, i) => compact[Number(i)])
process.stdout.write(text + '\n')
