package io.ledgerlake.content.car;

import io.ledgerlake.content.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CAR v1 header (https://ipld.io/specs/transport/car/carv1/): the DAG-CBOR map
 * {@code {"roots": [CID...], "version": 1}}. Only the tiny subset of DAG-CBOR the header needs is
 * implemented: maps, arrays, text, unsigned ints and tag 42 CID links. Keys are written in DAG-CBOR
 * canonical order (shorter key first), as reference writers do.
 */
public record CarHeader(int version, List<Cid> roots) {
  public CarHeader {
    roots = List.copyOf(roots);
  }

  public static CarHeader v1(List<Cid> roots) {
    return new CarHeader(1, roots);
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, 5, 2);
    text(out, "roots");
    head(out, 4, roots.size());
    for (Cid c : roots) {
      head(out, 6, 42);
      byte[] cid = c.bytes();
      // tag 42 wraps the binary CID behind a 0x00 multibase "identity" prefix
      head(out, 2, cid.length + 1);
      out.write(0);
      out.write(cid, 0, cid.length);
    }
    text(out, "version");
    head(out, 0, version);
    return out.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(out, 3, b.length);
    out.write(b, 0, b.length);
  }

  private static void head(ByteArrayOutputStream out, int major, long value) {
    int mt = major << 5;
    if (value < 24) {
      out.write(mt | (int) value);
    } else if (value < 0x100) {
      out.write(mt | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(mt | 25);
      out.write((int) (value >>> 8));
      out.write((int) value);
    } else if (value < 0x100000000L) {
      out.write(mt | 26);
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (value >>> s));
      }
    } else {
      out.write(mt | 27);
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (value >>> s));
      }
    }
  }

  /** @throws IllegalArgumentException if not a well-formed CAR header */
  public static CarHeader decode(byte[] b) {
    Cbor r = new Cbor(b);
    int entries = (int) r.expect(5);
    Integer version = null;
    List<Cid> roots = null;
    for (int i = 0; i < entries; i++) {
      String key = r.text();
      if (key.equals("version")) {
        version = (int) r.expect(0);
      } else if (key.equals("roots")) {
        int n = (int) r.expect(4);
        roots = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          if (r.expect(6) != 42) {
            throw new IllegalArgumentException("root is not a CID (tag 42)");
          }
          byte[] cid = r.bytes();
          if (cid.length < 2 || cid[0] != 0) {
            throw new IllegalArgumentException("CID link without the 0x00 prefix");
          }
          roots.add(Cid.fromBytes(java.util.Arrays.copyOfRange(cid, 1, cid.length)));
        }
      } else {
        r.skip();
      }
    }
    if (r.pos != b.length) {
      throw new IllegalArgumentException("trailing bytes after the header map");
    }
    if (version == null) {
      throw new IllegalArgumentException("header has no version");
    }
    if (version == 1 && roots == null) {
      throw new IllegalArgumentException("CAR v1 header has no roots");
    }
    return new CarHeader(version, roots == null ? List.of() : roots);
  }

  private static final class Cbor {
    final byte[] b;
    int pos;

    Cbor(byte[] b) {
      this.b = Objects.requireNonNull(b);
    }

    private int u8() {
      if (pos >= b.length) {
        throw new IllegalArgumentException("truncated header");
      }
      return b[pos++] & 0xFF;
    }

    /** Reads a head of the given major type; returns its argument. */
    long expect(int major) {
      int ib = u8();
      if ((ib >>> 5) != major) {
        throw new IllegalArgumentException("expected CBOR major type " + major + " but found " + (ib >>> 5));
      }
      return argument(ib & 31);
    }

    private long argument(int ai) {
      if (ai < 24) {
        return ai;
      }
      int n;
      switch (ai) {
        case 24: n = 1; break;
        case 25: n = 2; break;
        case 26: n = 4; break;
        case 27: n = 8; break;
        default: throw new IllegalArgumentException("indefinite or reserved CBOR length");
      }
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | u8();
      }
      if (v < 0) {
        throw new IllegalArgumentException("CBOR length out of range");
      }
      return v;
    }

    String text() {
      int n = len(expect(3));
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    byte[] bytes() {
      int n = len(expect(2));
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    private int len(long n) {
      if (n > b.length - pos) {
        throw new IllegalArgumentException("CBOR length exceeds the header");
      }
      return (int) n;
    }

    void skip() {
      int ib = u8();
      int major = ib >>> 5;
      long arg = argument(ib & 31);
      switch (major) {
        case 0, 1, 7 -> { }
        case 2, 3 -> pos += len(arg);
        case 4 -> {
          for (long i = 0; i < arg; i++) {
            skip();
          }
        }
        case 5 -> {
          for (long i = 0; i < 2 * arg; i++) {
            skip();
          }
        }
        case 6 -> skip();
        default -> throw new IllegalArgumentException("bad CBOR");
      }
    }
  }
}
