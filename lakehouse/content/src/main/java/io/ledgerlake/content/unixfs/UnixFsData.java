package io.ledgerlake.content.unixfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The UnixFS {@code Data} message carried in a dag-pb node's data field
 * (https://specs.ipfs.tech/unixfs/). Optional fields are null when absent; the field order of
 * the encoding is the protobuf field-number order that every IPFS implementation emits.
 *
 * @param data file bytes (file leaves), symlink target, or HAMT bitfield; null when absent
 * @param filesize total file bytes below this node; written for FILE and RAW only
 * @param blocksizes file bytes under each link, in link order
 */
public record UnixFsData(
    Type type, byte[] data, Long filesize, List<Long> blocksizes, Long hashType, Long fanout,
    Integer mode, Long mtimeSeconds, Integer mtimeNanos) {

  /** UnixFS node types with their protobuf enum numbers. */
  public enum Type {
    RAW(0), DIRECTORY(1), FILE(2), METADATA(3), SYMLINK(4), HAMT_SHARD(5);

    private final int number;

    Type(int number) {
      this.number = number;
    }

    public int number() {
      return number;
    }

    static Type of(long n) {
      for (Type t : values()) {
        if (t.number == n) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown UnixFS type " + n);
    }
  }

  public UnixFsData {
    Objects.requireNonNull(type, "type");
    blocksizes = List.copyOf(blocksizes);
  }

  public static UnixFsData directory() {
    return new UnixFsData(Type.DIRECTORY, null, null, List.of(), null, null, null, null, null);
  }

  public static UnixFsData file(byte[] data, long filesize, List<Long> blocksizes) {
    return new UnixFsData(Type.FILE, data, filesize, blocksizes, null, null, null, null, null);
  }

  public static UnixFsData symlink(byte[] target) {
    return new UnixFsData(Type.SYMLINK, target, null, List.of(), null, null, null, null, null);
  }

  public static UnixFsData hamtShard(byte[] bitfield, long hashType, long fanout) {
    return new UnixFsData(Type.HAMT_SHARD, bitfield, null, List.of(), hashType, fanout, null, null, null);
  }

  public boolean isDirectory() {
    return type == Type.DIRECTORY || type == Type.HAMT_SHARD;
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter(16 + (data == null ? 0 : data.length) + blocksizes.size() * 5);
    w.uint64Field(1, type.number());
    // An empty data field is omitted, as the reference importers do.
    if (data != null && data.length > 0) {
      w.bytesField(2, data);
    }
    if (filesize != null) {
      w.uint64Field(3, filesize);
    }
    for (long b : blocksizes) {
      w.uint64Field(4, b);
    }
    if (hashType != null) {
      w.uint64Field(5, hashType);
    }
    if (fanout != null) {
      w.uint64Field(6, fanout);
    }
    if (mode != null) {
      w.uint64Field(7, mode & 0xFFFFFFFFL);
    }
    if (mtimeSeconds != null) {
      ProtoWriter t = new ProtoWriter(16);
      // int64 seconds: negative values take 10 bytes in protobuf; we only write what we read.
      t.uint64Field(1, mtimeSeconds);
      if (mtimeNanos != null) {
        t.fixed32Field(2, mtimeNanos);
      }
      w.bytesField(8, t.toByteArray());
    }
    return w.toByteArray();
  }

  /** @throws IllegalArgumentException if malformed */
  public static UnixFsData decode(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
    Type type = null;
    byte[] data = null;
    Long filesize = null;
    List<Long> blocksizes = new ArrayList<>();
    Long hashType = null;
    Long fanout = null;
    Integer mode = null;
    Long secs = null;
    Integer nanos = null;
    while (r.hasMore()) {
      int[] tag = r.tag();
      switch (tag[0]) {
        case 1:
          type = Type.of(r.varint());
          break;
        case 2:
          data = r.bytes();
          break;
        case 3:
          filesize = r.varint();
          break;
        case 4:
          if (tag[1] == 2) {
            // tolerate packed encoding from other writers
            int len = r.lengthPrefix();
            ProtoReader p = new ProtoReader(r.buffer(), r.position(), r.position() + len);
            while (p.hasMore()) {
              blocksizes.add(p.varint());
            }
            r.advance(len);
          } else {
            blocksizes.add(r.varint());
          }
          break;
        case 5:
          hashType = r.varint();
          break;
        case 6:
          fanout = r.varint();
          break;
        case 7:
          mode = (int) r.varint();
          break;
        case 8: {
          int len = r.lengthPrefix();
          ProtoReader t = new ProtoReader(r.buffer(), r.position(), r.position() + len);
          while (t.hasMore()) {
            int[] tt = t.tag();
            if (tt[0] == 1 && tt[1] == 0) {
              secs = t.varint();
            } else if (tt[0] == 2 && tt[1] == 5) {
              nanos = t.fixed32();
            } else {
              t.skip(tt[1]);
            }
          }
          r.advance(len);
          break;
        }
        default:
          r.skip(tag[1]);
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("UnixFS data without a Type");
    }
    return new UnixFsData(type, data, filesize, blocksizes, hashType, fanout, mode, secs, nanos);
  }
}
