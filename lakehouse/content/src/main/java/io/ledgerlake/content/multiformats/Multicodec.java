package io.ledgerlake.content.multiformats;

/** The multicodec codes this module uses (https://github.com/multiformats/multicodec). */
public final class Multicodec {
  public static final long IDENTITY = 0x00;
  public static final long SHA2_256 = 0x12;
  public static final long RAW = 0x55;
  public static final long DAG_PB = 0x70;
  public static final long DAG_CBOR = 0x71;
  /** murmur3-x64-64, the hash UnixFS HAMT directories name in their hashType field. */
  public static final long MURMUR3_X64_64 = 0x22;

  private Multicodec() {}

  public static String name(long code) {
    if (code == RAW) {
      return "raw";
    }
    if (code == DAG_PB) {
      return "dag-pb";
    }
    if (code == DAG_CBOR) {
      return "dag-cbor";
    }
    if (code == SHA2_256) {
      return "sha2-256";
    }
    if (code == IDENTITY) {
      return "identity";
    }
    return "0x" + Long.toHexString(code);
  }
}
