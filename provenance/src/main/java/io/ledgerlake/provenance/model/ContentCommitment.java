package io.ledgerlake.provenance.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a version commits to on chain: the root CID of its manifest, either as binary CID bytes or as the UTF-8
 * bytes of its text form. The chain stores the bytes as given (1..128 bytes).
 */
public final class ContentCommitment {
  public static final int MAX_LENGTH = 128;
  private final byte[] bytes;

  private ContentCommitment(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "A content commitment must be 1.." + MAX_LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes;
  }

  /** The text form of a CID (e.g. {@code bafy...}), stored as its UTF-8 bytes. */
  public static ContentCommitment ofCidText(String cid) {
    if (cid == null || cid.isBlank()) {
      throw new IllegalArgumentException("A CID must not be empty");
    }
    return new ContentCommitment(cid.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** A binary CID (or any other commitment bytes). */
  public static ContentCommitment ofBytes(byte[] bytes) {
    return new ContentCommitment(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes as text when they are printable ASCII (a CID in text form), else 0x-hex. */
  public String display() {
    for (byte b : bytes) {
      if (b < 0x21 || b > 0x7e) {
        return "0x" + HexFormat.of().formatHex(bytes);
      }
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentCommitment c && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return display();
  }
}
