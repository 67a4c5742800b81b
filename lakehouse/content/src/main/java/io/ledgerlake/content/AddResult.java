package io.ledgerlake.content;

import io.ledgerlake.content.multiformats.Cid;
import java.util.Objects;

/**
 * Outcome of adding content.
 *
 * @param cid root CID
 * @param contentBytes file bytes added (for a directory, summed over its files)
 * @param dagSize cumulative size of the DAG including UnixFS framing
 */
public record AddResult(Cid cid, long contentBytes, long dagSize) {
  public AddResult {
    Objects.requireNonNull(cid, "cid");
  }
}
