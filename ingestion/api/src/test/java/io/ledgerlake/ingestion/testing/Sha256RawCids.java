package io.ledgerlake.ingestion.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * TEST ONLY: a CIDv1 (raw codec 0x55, sha2-256 multihash) in base32 multibase, so tests can name content before the
 * content module exists. Production code gets CIDs from the content module through the ContentSink / RecordNamer seams.
 */
public final class Sha256RawCids {
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Sha256RawCids() {}

  public static String cidOf(byte[] bytes) {
    return cidOfDigest(sha256().digest(bytes));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String cidOfDigest(byte[] digest) {
    byte[] cid = new byte[4 + digest.length];
    cid[0] = 0x01; // CID version 1
    cid[1] = 0x55; // raw
    cid[2] = 0x12; // sha2-256
    cid[3] = 0x20; // 32 bytes
    System.arraycopy(digest, 0, cid, 4, digest.length);
    return "b" + base32(cid);
  }

  private static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
