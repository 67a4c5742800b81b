package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.dataset.DatasetCatalog;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import java.util.List;
import java.util.Optional;

/**
 * The upload API's view of its {@link DatasetCatalog}: ids are checked before any lookup, and a missing dataset is a
 * 404 for the endpoints.
 */
final class DatasetStore {
  private final DatasetCatalog catalog;

  DatasetStore(DatasetCatalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  Optional<DatasetDefinition> get(String id) {
    return Ids.isWellFormed(id) ? catalog.find(id) : Optional.empty();
  }

  DatasetDefinition require(String id) {
    return get(id).orElseThrow(() -> new ResourceNotFoundException("Dataset " + id + " does not exist"));
  }

  List<DatasetDefinition> all() {
    return catalog.all();
  }

  void put(DatasetDefinition dataset) {
    catalog.put(dataset);
  }

  boolean create(DatasetDefinition dataset) {
    return catalog.create(dataset);
  }

  boolean replace(DatasetDefinition expected, DatasetDefinition updated) {
    return catalog.replace(expected, updated);
  }
}
