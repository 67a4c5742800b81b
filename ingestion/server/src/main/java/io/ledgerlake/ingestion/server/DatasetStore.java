package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dataset definitions, one JSON file each under {@code datasets/}, cached in memory. Datasets are few and small;
 * the lakehouse catalog can take over this role later without changing the API.
 */
final class DatasetStore {
  private final Path dir;
  private final Map<String, DatasetDefinition> byId = new ConcurrentHashMap<>();

  DatasetStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    for (DatasetDefinition dataset : DatasetFiles.readAll(dir)) {
      byId.put(dataset.id(), dataset);
    }
  }

  Optional<DatasetDefinition> get(String id) {
    return Ids.isWellFormed(id) ? Optional.ofNullable(byId.get(id)) : Optional.empty();
  }

  DatasetDefinition require(String id) {
    return get(id).orElseThrow(() -> new ResourceNotFoundException("Dataset " + id + " does not exist"));
  }

  List<DatasetDefinition> all() {
    return List.copyOf(byId.values());
  }

  void put(DatasetDefinition dataset) {
    try {
      AtomicFiles.write(dir.resolve(dataset.id() + ".json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(dataset.toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write dataset " + dataset.id() + " under " + dir, e);
    }
    byId.put(dataset.id(), dataset);
  }
}
