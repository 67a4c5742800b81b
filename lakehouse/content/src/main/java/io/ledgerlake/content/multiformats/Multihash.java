package io.ledgerlake.content.multiformats;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A self-describing hash: {@code varint(code) varint(length) digest}. Immutable; the arrays are
 * never handed out without a copy.
 */
public final class Multihash {
  private final long code;
  private final byte[] digest;
  private final byte[] bytes;

  private Multihash(long code, byte[] digest) {
    this.code = code;
    this.digest = digest;
    byte[] b = new byte[Varint.size(code) + Varint.size(digest.length) + digest.length];
    int off = Varint.write(code, b, 0);
    off = Varint.write(digest.length, b, off);
    System.arraycopy(digest, 0, b, off, digest.length);
    this.bytes = b;
  }

  public static Multihash of(long code, byte[] digest) {
    if (code == Multicodec.SHA2_256 && digest.length != 32) {
      throw new IllegalArgumentException("sha2-256 digest must be 32 bytes, got " + digest.length);
    }
    return new Multihash(code, digest.clone());
  }

  /** Wraps a freshly computed sha2-256 digest without copying it (the caller gives it up). */
  public static Multihash sha256Owned(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("sha2-256 digest must be 32 bytes, got " + digest.length);
    }
    return new Multihash(Multicodec.SHA2_256, digest);
  }

  public static Multihash sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  public static Multihash sha256(byte[] data, int off, int len) {
    MessageDigest md = newSha256();
    md.update(data, off, len);
    return sha256Owned(md.digest());
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Parses a complete multihash; throws IllegalArgumentException if malformed or with trailing bytes. */
  public static Multihash decode(byte[] in) {
    int[] pos = {0};
    Multihash mh = read(in, pos, in.length);
    if (pos[0] != in.length) {
      throw new IllegalArgumentException((in.length - pos[0]) + " unexpected bytes after the multihash");
    }
    return mh;
  }

  /** Reads a multihash at {@code pos[0]}, advancing it. */
  public static Multihash read(byte[] in, int[] pos, int limit) {
    long code = Varint.read(in, pos, limit);
    long len = Varint.read(in, pos, limit);
    if (len > limit - pos[0]) {
      throw new IllegalArgumentException("multihash digest length " + len + " exceeds the remaining " + (limit - pos[0]) + " bytes");
    }
    if (code == Multicodec.SHA2_256 && len != 32) {
      throw new IllegalArgumentException("sha2-256 multihash must have a 32-byte digest, got " + len);
    }
    byte[] digest = Arrays.copyOfRange(in, pos[0], pos[0] + (int) len);
    pos[0] += (int) len;
    return new Multihash(code, digest);
  }

  public long code() {
    return code;
  }

  public byte[] digest() {
    return digest.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int byteLength() {
    return bytes.length;
  }

  /** Copies the encoded multihash into {@code out}; returns the offset after it. */
  public int writeTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
    return offset + bytes.length;
  }

  /** True if {@code digestBytes} (a freshly computed digest with this hash function) equals ours. */
  public boolean matchesDigest(byte[] digestBytes) {
    return MessageDigest.isEqual(digest, digestBytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash && Arrays.equals(bytes, ((Multihash) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return Multicodec.name(code) + ":" + Base16.encode(digest);
  }
}
