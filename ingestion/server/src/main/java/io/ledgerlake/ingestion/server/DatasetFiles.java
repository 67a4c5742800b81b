package io.ledgerlake.ingestion.server;

import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.ingestion.dataset.DatasetCatalog;
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

/**
 * Read access to the dataset definitions the upload API keeps under {@code <ingestion data dir>/datasets}, for
 * processes that run next to it (the CLI's {@code label} commands read a dataset's label schema from here). Always
 * reads the file, so it sees changes made by a running server.
 */
public final class DatasetFiles {
  private static final Object WRITE_LOCK = new Object();

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
   * The upload API's datasets as files, one JSON document per dataset under {@code <ingestionDataDir>/datasets},
   * written atomically; every read goes to the files, so processes next to the server see its changes at once.
   */
  public static DatasetCatalog catalog(Path ingestionDataDir) {
    Path dir = dir(ingestionDataDir);
    return new DatasetCatalog() {
      @Override
      public Optional<DatasetDefinition> find(String id) {
        return read(ingestionDataDir, id);
      }

      @Override
      public List<DatasetDefinition> all() {
        if (!Files.isDirectory(dir)) {
          return List.of(); // no dataset was ever created here
        }
        try {
          return readAll(dir);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read the dataset definitions in " + dir, e);
        }
      }

      // One machine, one upload API per data directory: a lock within this process makes check-and-write atomic.
      @Override
      public boolean create(DatasetDefinition dataset) {
        synchronized (WRITE_LOCK) {
          if (find(dataset.id()).isPresent()) {
            return false;
          }
          put(dataset);
          return true;
        }
      }

      @Override
      public boolean replace(DatasetDefinition expected, DatasetDefinition updated) {
        synchronized (WRITE_LOCK) {
          if (!find(expected.id()).equals(Optional.of(expected))) {
            return false;
          }
          put(updated);
          return true;
        }
      }

      @Override
      public void put(DatasetDefinition dataset) {
        try {
          Files.createDirectories(dir);
          AtomicFiles.write(dir.resolve(dataset.id() + ".json"),
              Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(dataset.toJson()));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot write dataset " + dataset.id() + " under " + dir, e);
        }
      }
    };
  }

  /**
   * The datasets {@code address} may not read, by the API's own rule ({@link DatasetDefinition#readableBy}): private
   * ones it neither owns nor is admitted to. Empty address: a reader without one, who reads public datasets only.
   * Reads every definition anew (datasets are few and small), so a change by the running server counts at once.
   *
   * @throws UncheckedIOException when a definition cannot be read: callers deciding visibility must not guess
   */
  public static Set<String> unreadableBy(Path ingestionDataDir, Optional<String> address) {
    return catalog(ingestionDataDir).unreadableBy(address);
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
