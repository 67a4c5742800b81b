package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

  /**
   * The datasets {@code address} may not read, by the API's own rule ({@link DatasetDefinition#readableBy}): private
   * ones it neither owns nor is admitted to. Empty address: a reader without one, who reads public datasets only.
   * Reads every definition anew (datasets are few and small), so a change by the running server counts at once.
   *
   * @throws UncheckedIOException when a definition cannot be read: callers deciding visibility must not guess
   */
  public static Set<String> unreadableBy(Path ingestionDataDir, Optional<String> address) {
    Path dir = dir(ingestionDataDir);
    if (!Files.isDirectory(dir)) {
      return Set.of(); // no upload server ever ran here: no datasets, none private
    }
    Set<String> hidden = new TreeSet<>();
    try {
      for (DatasetDefinition dataset : readAll(dir)) {
        if (!dataset.readableBy(address)) {
          hidden.add(dataset.id());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the dataset definitions in " + dir, e);
    }
    return hidden;
  }

  /** Every definition in a {@link DatasetStore} directory. */
  static List<DatasetDefinition> readAll(Path datasetsDir) throws IOException {
    List<DatasetDefinition> all = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(datasetsDir, "*.json")) {
      for (Path file : files) {
        all.add(DatasetDefinition.fromJson(Json.MAPPER.readTree(file.toFile())));
      }
    }
    return all;
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
