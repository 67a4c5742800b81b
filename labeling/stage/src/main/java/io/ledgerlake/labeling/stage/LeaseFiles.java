package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.annotation.LeaseBook;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Each dataset's {@link LeaseBook} in {@code <dir>/<dataset>.json}, updated under an exclusive lock so that the
 * upload API's threads and any number of CLI processes serialize their reservation and answer steps per dataset:
 * first a monitor per lock file (a JVM may hold a {@link FileLock} only once), then the OS file lock on
 * {@code <dataset>.lock} for other processes. The book is written atomically (temp file + rename) and only when it
 * changed.
 */
final class LeaseFiles implements LeaseBookStore {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final Path dir;

  LeaseFiles(Path dir) {
    this.dir = requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** Runs {@code action} on the dataset's book while holding its lock; persists the book if the action changed it. */
  @Override
  public <T> T update(String datasetId, Function<LeaseBook, T> action) {
    String name = fileName(datasetId);
    Path lockFile = dir.resolve(name + ".lock");
    Path bookFile = dir.resolve(name + ".json");
    synchronized (MONITORS.computeIfAbsent(lockFile, k -> new Object())) {
      try {
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          byte[] before = Files.exists(bookFile) ? Files.readAllBytes(bookFile) : new byte[0];
          LeaseBook book = LeaseBook.fromBytes(before);
          T result = action.apply(book);
          byte[] after = book.toBytes();
          if (!Arrays.equals(before, after)) {
            io.ledgerlake.common.AtomicFiles.write(bookFile, after); // under the lock: one writer at a time
          }
          return result;
        }
      } catch (IOException e) {
        throw new LabelingStageException(ErrorCategory.EXTERNAL, "task reservations of dataset " + datasetId
            + " under " + dir + " could not be read or written: " + e.getMessage()
            + "; check that the directory is writable and retry", e);
      }
    }
  }

  /** Dataset ids are usually {@code ds-...}; anything else is named by its SHA-256 so it cannot escape the dir. */
  static String fileName(String datasetId) {
    if (SAFE.matcher(datasetId).matches()) {
      return datasetId;
    }
    try {
      return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(datasetId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
