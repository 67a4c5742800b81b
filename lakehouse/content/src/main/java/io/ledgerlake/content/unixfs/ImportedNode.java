package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;
import java.util.Objects;

/**
 * Result of importing a file or directory.
 *
 * @param cid root CID
 * @param contentBytes file bytes (for a directory: the sum over all files below it)
 * @param dagSize cumulative size of the DAG (the Tsize a parent link carries)
 */
public record ImportedNode(Cid cid, long contentBytes, long dagSize) {
  public ImportedNode {
    Objects.requireNonNull(cid, "cid");
  }
}
