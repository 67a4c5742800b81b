package io.ledgerlake.ingestion.format;

import io.ledgerlake.ingestion.record.RecordVisitor;
import java.io.IOException;

/**
 * Streams one file of one {@link DataFormat} into records and per-record rejections. Implementations never hold the
 * whole input in memory: at most one record (bounded by {@link ParseLimits}).
 *
 * <p>Per-record problems become {@link io.ledgerlake.ingestion.record.Rejection}s; problems that make the whole file
 * unreadable throw {@link io.ledgerlake.ingestion.InvalidContentException}.
 */
public interface FormatParser {
  DataFormat format();

  /**
   * @param entry archive entry path, or "" for a plain upload; copied into every record position
   * @param mediaType the normalized media type of the file when known (may be "")
   * @return false if the visitor asked to stop
   */
  boolean parse(ContentInput input, String entry, String mediaType, RecordVisitor visitor) throws IOException;
}
