package io.ledgerlake.ingestion.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream at {@code \n} without ever holding more than {@code maxLineBytes} of one line: a longer line is
 * counted and skipped, and reported as oversized with its full length. Bytes, not chars, so that invalid UTF-8 is
 * reported per line instead of breaking the whole stream.
 */
final class LineReader {
  private static final int BUFFER = 64 * 1024;

  /**
   * One line. {@code bytes} excludes the line terminator ({@code \n} or {@code \r\n}) and is null when the line was
   * longer than the limit.
   */
  record Line(long number, long offset, long length, byte[] bytes, long quotes) {
    boolean oversized() {
      return bytes == null;
    }
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final boolean countQuotes;
  private final byte[] buffer = new byte[BUFFER];
  private int bufferPos;
  private int bufferEnd;
  private long streamOffset; // offset of buffer[bufferPos]
  private long lineNumber;
  private boolean eof;
  private byte[] line = new byte[256];

  LineReader(InputStream in, long maxLineBytes) {
    this(in, maxLineBytes, false);
  }

  LineReader(InputStream in, long maxLineBytes, boolean countQuotes) {
    this(in, maxLineBytes, countQuotes, 0, 0);
  }

  /**
   * A reader over a part of a larger input: {@code in} starts at byte {@code startOffset} of the whole, right after
   * line {@code linesBefore}, so that lines report their numbers and offsets in the whole input.
   */
  LineReader(InputStream in, long maxLineBytes, boolean countQuotes, long startOffset, long linesBefore) {
    this.in = in;
    this.countQuotes = countQuotes;
    this.maxLineBytes = (int) Math.min(maxLineBytes, Integer.MAX_VALUE - 16);
    this.streamOffset = startOffset;
    this.lineNumber = linesBefore;
  }

  /** @return the next line, or null at end of input */
  Line next() throws IOException {
    if (eof && bufferPos >= bufferEnd) {
      return null;
    }
    long start = streamOffset;
    long length = 0;
    long quotes = 0;
    int kept = 0;
    boolean sawAny = false;
    while (true) {
      if (bufferPos >= bufferEnd && !fill()) {
        if (!sawAny) {
          return null;
        }
        break;
      }
      sawAny = true;
      int newline = indexOf(buffer, bufferPos, bufferEnd, (byte) '\n');
      int end = newline >= 0 ? newline : bufferEnd;
      int n = end - bufferPos;
      if (countQuotes) {
        // Counted over the whole line, kept or not, so CSV keeps quote parity across oversized lines.
        for (int i = bufferPos; i < end; i++) {
          if (buffer[i] == '"') {
            quotes++;
          }
        }
      }
      if (length + n <= maxLineBytes + 1L) { // +1 leaves room for a '\r' stripped below
        if (kept + n > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(Math.max(line.length * 2L, kept + n), Integer.MAX_VALUE - 8));
        }
        System.arraycopy(buffer, bufferPos, line, kept, n);
        kept += n;
      }
      length += n;
      streamOffset += n;
      bufferPos = end;
      if (newline >= 0) {
        bufferPos++;
        streamOffset++;
        break;
      }
    }
    lineNumber++;
    boolean crlf = length > 0 && length == kept && kept > 0 && line[kept - 1] == '\r';
    if (crlf) {
      kept--;
      length--;
    }
    if (length > maxLineBytes) {
      return new Line(lineNumber, start, length, null, quotes);
    }
    return new Line(lineNumber, start, length, Arrays.copyOf(line, kept), quotes);
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.readNBytes(buffer, 0, buffer.length);
    if (n <= 0) {
      eof = true;
      bufferPos = bufferEnd = 0;
      return false;
    }
    if (n < buffer.length) {
      eof = true;
    }
    bufferPos = 0;
    bufferEnd = n;
    return true;
  }

  private static int indexOf(byte[] bytes, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
