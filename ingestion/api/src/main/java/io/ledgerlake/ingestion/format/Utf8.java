package io.ledgerlake.ingestion.format;

import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that says where the first invalid byte is. Not thread-safe: one per parse. */
final class Utf8 {
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** @param baseOffset absolute offset of bytes[0] in the file, for the message */
  String decode(byte[] bytes, int length, long baseOffset) {
    int start = startsWithBom(bytes, length) && baseOffset == 0 ? 3 : 0;
    // Fast path: the JDK decoder (ASCII/UTF-8 intrinsics) replaces bad input with U+FFFD. Only if a U+FFFD shows up
    // (bad input, or a genuine U+FFFD) do we decode again strictly to find and report the first invalid byte.
    String fast = new String(bytes, start, length - start, StandardCharsets.UTF_8);
    if (fast.indexOf('\uFFFD') < 0) {
      return fast;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, length - start);
    CharBuffer out = CharBuffer.allocate(Math.max(length, 1));
    decoder.reset();
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      long at = baseOffset + in.position();
      throw new RecordRejectedException(RejectionCode.INVALID_UTF8, String.format(
          "Invalid UTF-8: byte 0x%02x at byte offset %d starts no valid sequence; re-encode the file as UTF-8",
          bytes[in.position()] & 0xff, at));
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  private static boolean startsWithBom(byte[] bytes, int length) {
    return length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
  }
}
