package io.ledgerlake.content.multiformats;

import io.ledgerlake.content.InvalidCidException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A content identifier (https://github.com/multiformats/cid). CIDv0 is a bare sha2-256 multihash
 * of a dag-pb block, written in base58btc ("Qm..."); CIDv1 is {@code varint(1) varint(codec)
 * multihash}, written by default in base32 lower case ("bafy..."). Immutable and comparable by
 * its binary form.
 */
public final class Cid {
  private final int version;
  private final long codec;
  private final Multihash multihash;
  private final byte[] bytes;
  private final String string;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    if (version == 0) {
      this.bytes = multihash.bytes();
      this.string = Base58.encode(bytes);
    } else {
      byte[] b = new byte[1 + Varint.size(codec) + multihash.byteLength()];
      int off = Varint.write(1, b, 0);
      off = Varint.write(codec, b, off);
      multihash.writeTo(b, off);
      this.bytes = b;
      this.string = Multibase.encode(Multibase.BASE32_LOWER, b);
    }
  }

  /** CIDv0: only dag-pb blocks hashed with sha2-256 can have one. */
  public static Cid v0(Multihash multihash) {
    Objects.requireNonNull(multihash, "multihash");
    if (multihash.code() != Multicodec.SHA2_256) {
      throw new IllegalArgumentException("CIDv0 requires a sha2-256 multihash, got " + Multicodec.name(multihash.code()));
    }
    return new Cid(0, Multicodec.DAG_PB, multihash);
  }

  public static Cid v1(long codec, Multihash multihash) {
    Objects.requireNonNull(multihash, "multihash");
    if (codec < 0) {
      throw new IllegalArgumentException("negative codec " + codec);
    }
    return new Cid(1, codec, multihash);
  }

  /** CIDv0 for dag-pb when {@code version} is 0, else CIDv1 with {@code codec}. */
  public static Cid of(int version, long codec, Multihash multihash) {
    if (version == 0) {
      if (codec != Multicodec.DAG_PB) {
        throw new IllegalArgumentException("CIDv0 can only name dag-pb blocks, not " + Multicodec.name(codec));
      }
      return v0(multihash);
    }
    return v1(codec, multihash);
  }

  /**
   * Parses the textual form.
   *
   * @throws InvalidCidException naming the value and the reason
   */
  public static Cid parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidCidException(text, "empty");
    }
    String s = text.strip();
    try {
      if (s.length() == 46 && s.startsWith("Qm")) {
        Multihash mh = Multihash.decode(Base58.decode(s));
        if (mh.code() != Multicodec.SHA2_256) {
          throw new IllegalArgumentException("CIDv0 must be a sha2-256 multihash");
        }
        return v0(mh);
      }
      return decode(Multibase.decode(s), s);
    } catch (IllegalArgumentException e) {
      throw new InvalidCidException(text, e.getMessage());
    }
  }

  /**
   * Parses the binary form (a CIDv0 is a bare 34-byte sha2-256 multihash).
   *
   * @throws InvalidCidException if malformed
   */
  public static Cid fromBytes(byte[] b) {
    try {
      return decode(b, null);
    } catch (IllegalArgumentException e) {
      throw new InvalidCidException(Base16.encode(b), e.getMessage());
    }
  }

  /**
   * Reads a binary CID at {@code pos[0]} and advances it (CAR sections and dag-pb links embed
   * CIDs without a length prefix of their own).
   */
  public static Cid read(byte[] in, int[] pos, int limit) {
    if (limit - pos[0] >= 2 && in[pos[0]] == 0x12 && in[pos[0] + 1] == 0x20) {
      return v0(Multihash.read(in, pos, limit));
    }
    long version = Varint.read(in, pos, limit);
    if (version != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version + " (expected 0 or 1)");
    }
    long codec = Varint.read(in, pos, limit);
    return v1(codec, Multihash.read(in, pos, limit));
  }

  private static Cid decode(byte[] b, String text) {
    int[] pos = {0};
    Cid cid = read(b, pos, b.length);
    if (pos[0] != b.length) {
      throw new IllegalArgumentException((b.length - pos[0]) + " unexpected bytes after the CID");
    }
    if (cid.version == 0 && text != null) {
      // A multibase-prefixed CIDv0 is not a thing: v0 only exists as bare base58btc.
      throw new IllegalArgumentException("a CIDv0 must be written as bare base58btc ('Qm...')");
    }
    return cid;
  }

  public int version() {
    return version;
  }

  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** Binary form: the multihash for v0, {@code 0x01 codec multihash} for v1. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int byteLength() {
    return bytes.length;
  }

  public int writeTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
    return offset + bytes.length;
  }

  public Cid toV1() {
    return version == 1 ? this : new Cid(1, codec, multihash);
  }

  /** The same CID in another multibase (v1 only; v0 has exactly one textual form). */
  public String toString(char multibase) {
    if (version == 0) {
      return string;
    }
    return Multibase.encode(multibase, bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid && Arrays.equals(bytes, ((Cid) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Canonical text: base58btc for v0, base32 lower case with prefix 'b' for v1. */
  @Override
  public String toString() {
    return string;
  }
}
