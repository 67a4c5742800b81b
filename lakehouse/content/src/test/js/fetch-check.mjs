// Fetches a CID through a real IPFS client (@helia/verified-fetch) whose only block source is the
// given trustless gateway, so every block it returns has been verified against its CID. The Helia
// node is HTTP-only (no libp2p, no delegated routers): nothing leaves 127.0.0.1. Prints status,
// length and SHA-256 of the body for the Java integration test.
//   node fetch-check.mjs http://127.0.0.1:PORT CID
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch'
import { withHTTP } from '@helia/http'
import { createHeliaLight } from 'helia'
import { fallbackRouter } from '@helia/fallback-router'
import { createHash } from 'node:crypto'

const [gateway, cid] = process.argv.slice(2)
const helia = withHTTP(createHeliaLight({}), {
  delegatedRouters: [],
  recursiveGateways: [],
  allowInsecure: true,
  allowLocal: true
})
// The gateway is offered as an ordinary (not "fallback") router: with no other router, Helia's
// routing waits forever on the empty default set before it reaches fallbacks.
const local = fallbackRouter({ gateways: [gateway], shuffle: false })
helia.addRouter({ name: 'ledgerlake-gateway', findProviders: (cid, options) => local.findProviders(cid, options) })
await helia.start()
const verifiedFetch = await createVerifiedFetchWithHelia(helia)
try {
  const response = await verifiedFetch(`ipfs://${cid}`, { signal: AbortSignal.timeout(60_000) })
  const body = new Uint8Array(await response.arrayBuffer())
  const sha256 = createHash('sha256').update(body).digest('hex')
  process.stdout.write(JSON.stringify({ status: response.status, length: body.length, sha256 }) + '\n')
} finally {
  await verifiedFetch.stop()
  await helia.stop()
}
