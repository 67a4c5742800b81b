package io.ledgerlake.content.unixfs;

import java.util.List;

/**
 * A dag-pb node: an optional opaque {@code data} payload (UnixFS puts its protobuf there) and an
 * ordered list of links. The array is not copied: treat it as read-only.
 */
public record PbNode(byte[] data, List<PbLink> links) {
  public PbNode {
    links = List.copyOf(links);
  }
}
