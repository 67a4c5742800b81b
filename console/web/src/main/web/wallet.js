// Sign-In with Ethereum (EIP-4361) against /v1/auth/challenge and /v1/auth/login: with an injected wallet
// (EIP-1193 personal_sign) or, for development and the demo, a private key typed into the page and used only in it.
import { secp256k1 } from '@noble/curves/secp256k1'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3'
import { bytesToHex, hexToBytes, utf8ToBytes, concatBytes } from '@noble/hashes/utils'
import { api, session } from './api.js'

export function addressOf (privateKeyHex) {
  const pub = secp256k1.getPublicKey(hexToBytes(strip0x(privateKeyHex)), false)
  return '0x' + bytesToHex(keccak256(pub.slice(1)).slice(-20))
}

/** personal_sign: keccak256("\x19Ethereum Signed Message:\n" + length + message), 65 bytes r || s || v (27/28). */
export function personalSign (privateKeyHex, message) {
  const msg = utf8ToBytes(message)
  const digest = keccak256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${msg.length}`), msg))
  const sig = secp256k1.sign(digest, hexToBytes(strip0x(privateKeyHex)), { lowS: true })
  return '0x' + bytesToHex(sig.toCompactRawBytes()) + (27 + sig.recovery).toString(16)
}

function strip0x (hex) {
  const h = String(hex).trim()
  const body = h.startsWith('0x') ? h.slice(2) : h
  if (!/^[0-9a-fA-F]{64}$/.test(body)) throw new Error('A private key is 64 hex digits (with or without 0x)')
  return body
}

export async function signIn (address, sign) {
  const challenge = await api('POST', '/v1/auth/challenge', { address })
  const message = challenge.json.message
  const signature = await sign(message)
  const login = await api('POST', '/v1/auth/login', { message, signature })
  session.set(login.json.token, login.json.address)
  return login.json.address
}

export async function signInWithKey (privateKeyHex) {
  const address = addressOf(privateKeyHex)
  return signIn(address, async message => personalSign(privateKeyHex, message))
}

export async function signInWithInjectedWallet () {
  const eth = window.ethereum
  if (!eth) throw new Error('No browser wallet found (window.ethereum); use a development key, or install one')
  const [address] = await eth.request({ method: 'eth_requestAccounts' })
  return signIn(address, message => eth.request({ method: 'personal_sign', params: [message, address] }))
}

export async function signOut () {
  try { await api('POST', '/v1/auth/logout') } finally { session.clear() }
}
