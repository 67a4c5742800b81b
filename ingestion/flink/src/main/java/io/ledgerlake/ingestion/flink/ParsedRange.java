package io.ledgerlake.ingestion.flink;

import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The parsed form of (a chunk of) one range of an upload, as it travels from a parsing subtask to the dedup step:
 * accepted records (position, CID, canonical JSON) and rejections, in file order. In a byte range or row groups of a
 * plain upload, ordinals are the range's own (from 1), and the reader adds the ordinals of the earlier ranges; in a
 * run of archive files, positions name their entry and ordinals are per entry already. One byte array per chunk of about {@link
 * RangeParseFunction#CHUNK_BYTES}, so Flink moves many records as one element without a general-purpose serializer
 * per record.
 *
 * <p>Format version 2: a version byte, then items. Record: {@code 1, position, cid (string), canonical JSON (int
 * length + bytes)}. Rejection: {@code 2, position, code name, reason}. A position is {@code entry (string), ordinal,
 * line, byteOffset (longs)}. (Version 1 had no entry.)
 * Strings are an int length and UTF-8 bytes. It lives only in flight between two operators of one job (checkpoints
 * are aligned, so it never lands in channel state), but it is versioned like every other format here.
 */
final class ParsedRange {
  static final int VERSION = 2;
  private static final int RECORD = 1;
  private static final int REJECTION = 2;

  private ParsedRange() {}

  /** Receives the items of a range in file order. */
  interface Reader {
    void accepted(RecordPosition position, String cid, byte[] canonicalJson);

    void rejected(Rejection rejection);
  }

  /** Accumulates one range. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(320 * 1024);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private long items;

    Writer() {
      write(() -> out.writeByte(VERSION));
    }

    void record(RecordPosition position, String cid, byte[] canonicalJson) {
      write(() -> {
        out.writeByte(RECORD);
        position(position);
        string(cid);
        out.writeInt(canonicalJson.length);
        out.write(canonicalJson);
      });
      items++;
    }

    void rejection(Rejection rejection) {
      write(() -> {
        out.writeByte(REJECTION);
        position(rejection.position());
        string(rejection.code().name());
        string(rejection.reason());
      });
      items++;
    }

    /** Records plus rejections: the ordinals this range used. */
    long items() {
      return items;
    }

    /** Bytes written so far. */
    int size() {
      return bytes.size();
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }

    private void position(RecordPosition p) throws IOException {
      string(p.entry());
      out.writeLong(p.ordinal());
      out.writeLong(p.line());
      out.writeLong(p.byteOffset());
    }

    private void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }

    private void write(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /** Reads a range, adding {@code ordinalsBefore} to every ordinal outside an archive entry. */
  static void read(byte[] parsed, long ordinalsBefore, Reader reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parsed))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("parsed range format version " + version + ", this build reads " + VERSION);
      }
      int kind;
      while ((kind = in.read()) >= 0) {
        String entry = string(in);
        long ordinal = in.readLong() + (entry.isEmpty() ? ordinalsBefore : 0);
        RecordPosition position = RecordPosition.ofLine(entry, ordinal, in.readLong(), in.readLong());
        if (kind == RECORD) {
          String cid = string(in);
          byte[] json = new byte[in.readInt()];
          in.readFully(json);
          reader.accepted(position, cid, json);
        } else if (kind == REJECTION) {
          RejectionCode code = RejectionCode.valueOf(string(in));
          reader.rejected(new Rejection(position, code, string(in)));
        } else {
          throw new IllegalStateException("unknown item kind " + kind + " in a parsed range");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("truncated parsed range", e);
    }
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
