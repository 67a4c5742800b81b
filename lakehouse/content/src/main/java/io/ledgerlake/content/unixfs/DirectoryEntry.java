package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.multiformats.Cid;
import java.util.Objects;

/** A named child of a UnixFS directory. {@code dagSize} is the child's cumulative size (link Tsize). */
public record DirectoryEntry(String name, Cid cid, long dagSize, long contentBytes) {
  public DirectoryEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cid, "cid");
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("invalid directory entry name '" + name + "'");
    }
  }
}
