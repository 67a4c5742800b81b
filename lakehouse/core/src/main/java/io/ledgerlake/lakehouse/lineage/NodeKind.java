package io.ledgerlake.lakehouse.lineage;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.Locale;

/**
 * The kinds of node in {@code lineage.edges} and {@code lineage.closure}: one vocabulary for every writer and reader,
 * stored as {@link #id()}.
 */
public enum NodeKind {
  /** An upload, by its content CID. */
  SUBMISSION,
  /** One ingested record, by record CID. */
  RECORD,
  /** A lakehouse dataset version, by tag ({@code <dataset>-v<n>}). */
  DATASET_VERSION,
  /** An on-chain asset version, {@code <asset id>@<version id>}. */
  ASSET_VERSION,
  /** A trained model, by its CID. */
  MODEL,
  /** A vector index (RAG), by its CID. */
  INDEX,
  /** An embeddings set of a dataset version, by its id. */
  EMBEDDINGS;

  /** As stored: {@code dataset_version}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NodeKind of(String id) {
    try {
      return valueOf(id.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "'%s' is not a lineage node kind; one of %s", id, java.util.Arrays.stream(values()).map(NodeKind::id).toList());
    }
  }
}
