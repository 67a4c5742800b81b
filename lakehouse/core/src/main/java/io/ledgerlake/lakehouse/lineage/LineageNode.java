package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;

/**
 * A node of the lineage graph: a kind ({@code submission}, {@code dataset_version}, {@code asset_version}, ...) and
 * an id. Asset versions are {@code asset_id@version_id} (the global on-chain version id), as publishing writes them
 * into lineage.edges.
 */
public record LineageNode(String kind, String id) {
  public LineageNode {
    requireNonNull(kind, "kind");
    requireNonNull(id, "id");
  }

  /** Parses {@code kind:id}, e.g. {@code asset_version:1@2}. */
  public static LineageNode parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "lineage node '%s' is not kind:id, e.g. asset_version:1@2 or dataset_version:demo-v1", text);
    }
    return new LineageNode(text.substring(0, colon), text.substring(colon + 1));
  }

  @Override
  public String toString() {
    return kind + ":" + id;
  }
}
