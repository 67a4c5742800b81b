package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;
import java.util.Objects;

/**
 * A dag-pb link. {@code name} and {@code tsize} may be absent (null) in arbitrary dag-pb, but
 * UnixFS importers always write both (files use the empty name).
 *
 * @param tsize cumulative size of the linked DAG: its block plus everything below it
 */
public record PbLink(Cid hash, String name, Long tsize) {
  public PbLink {
    Objects.requireNonNull(hash, "hash");
    if (tsize != null && tsize < 0) {
      throw new IllegalArgumentException("negative Tsize " + tsize);
    }
  }
}
