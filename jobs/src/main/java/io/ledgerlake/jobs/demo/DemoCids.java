package io.ledgerlake.jobs.demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * CIDv1 (raw codec, sha2-256, base32) of a small byte array: what IPFS gives a single-block file
 * under the unixfs-v1-2025 profile. Interim: replaced by the content module's importer when it
 * lands (issue 3).
 */
final class DemoCids {
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private DemoCids() {}

  static String rawCid(byte[] data) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] cid = new byte[4 + digest.length];
    cid[0] = 0x01; // CID version 1
    cid[1] = 0x55; // raw
    cid[2] = 0x12; // sha2-256
    cid[3] = 0x20; // 32 bytes
    System.arraycopy(digest, 0, cid, 4, digest.length);
    StringBuilder sb = new StringBuilder("b");
    int buffer = 0;
    int bits = 0;
    for (byte b : cid) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }
}
