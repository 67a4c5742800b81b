package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Read access to the dataset definitions the upload API keeps under {@code <ingestion data dir>/datasets}, for
 * processes that run next to it (the CLI's {@code label} commands read a dataset's label schema from here). Always
 * reads the file, so it sees changes made by a running server.
 */
public final class DatasetFiles {
  private DatasetFiles() {}

  /** The directory {@link DatasetStore} uses under a server data dir. */
  static Path dir(Path ingestionDataDir) {
    return ingestionDataDir.resolve("datasets");
  }

  /** The registry of the datasets the upload API with data dir {@code ingestionDataDir} keeps. */
  public static io.ledgerlake.ingestion.dataset.DatasetRegistry registry(Path ingestionDataDir) {
    return id -> read(ingestionDataDir, id);
  }

  public static Optional<DatasetDefinition> read(Path ingestionDataDir, String id) {
    if (!Ids.isWellFormed(id)) {
      return Optional.empty();
    }
    Path file = dir(ingestionDataDir).resolve(id + ".json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DatasetDefinition.fromJson(Json.MAPPER.readTree(file.toFile())));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dataset definition " + file, e);
    }
  }
}
