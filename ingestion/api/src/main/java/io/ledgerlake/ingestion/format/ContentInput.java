package io.ledgerlake.ingestion.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * The bytes of one upload or archive entry. Streaming formats call {@link #openStream()}; formats that need random
 * access (Parquet footers, zip central directories) call {@link #openChannel()}. May be opened more than once.
 */
public interface ContentInput {
  InputStream openStream() throws IOException;

  SeekableByteChannel openChannel() throws IOException;

  /** Size in bytes, or -1 if unknown until read. */
  long size();
}
