package io.ledgerlake.ingestion.dataset;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the upload API keeps dataset definitions: files under its data directory on one machine
 * ({@code DatasetFiles.catalog}), or the catalog database when several {@code up} processes share a PostgreSQL
 * catalog, so that a dataset created through one is seen by all (docs/decisions/cluster-coordination.md).
 * Implementations read fresh on every call (another process may have changed a definition) and store whole
 * definitions; the upload API is the only writer of a definition's content.
 */
public interface DatasetCatalog extends DatasetRegistry {
  /** Every definition. */
  List<DatasetDefinition> all();

  /** Creates or replaces the definition with this id (the owner's own edits, e.g. a new label schema). */
  void put(DatasetDefinition dataset);

  /**
   * Creates the definition only if no dataset has its id: false when one has (another process may have created it
   * between a check and this call).
   */
  boolean create(DatasetDefinition dataset);

  /**
   * Replaces {@code expected} by {@code updated} only if the stored definition still equals {@code expected}: false
   * otherwise (another process changed it first; read again). Used where two processes may derive the same change
   * at once, such as the schema inferred from a dataset's first upload.
   */
  boolean replace(DatasetDefinition expected, DatasetDefinition updated);

  /**
   * The datasets {@code address} may not read, by the API's own rule ({@link DatasetDefinition#readableBy}): private
   * ones it neither owns nor is admitted to. Empty address: a reader without one, who reads public datasets only.
   */
  default Set<String> unreadableBy(Optional<String> address) {
    Set<String> hidden = new TreeSet<>();
    for (DatasetDefinition dataset : all()) {
      if (!dataset.readableBy(address)) {
        hidden.add(dataset.id());
      }
    }
    return hidden;
  }
}
