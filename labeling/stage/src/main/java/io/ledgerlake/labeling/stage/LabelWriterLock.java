package io.ledgerlake.labeling.stage;

import io.ledgerlake.common.ErrorCategory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer of {@code label.labels} at a time per data directory: the streaming labeling job under
 * {@code ledgerlake up} holds it while it runs, the batch stage for one run. Both resume from the same cursor, but
 * if they ran together the job's next commit would repeat the batch run's rows. An OS file lock on
 * {@code <data-dir>/labeling.lock}: released when the holder closes it or its process dies.
 */
public final class LabelWriterLock implements AutoCloseable {
  public static final String FILE_NAME = "labeling.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private LabelWriterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock for {@code holder} (e.g. "the streaming labeling job"), or fails naming who has it. */
  public static LabelWriterLock acquire(Path dataDir, String holder) {
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw held(file, channel);
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((holder + " (pid " + ProcessHandle.current().pid() + ")\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return new LabelWriterLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      throw held(file, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "cannot lock %s to write label.labels: %s; check the data directory", file, e.getMessage()), e);
    }
  }

  private static LabelingStageException held(Path file, FileChannel channel) {
    String holder;
    try {
      holder = Files.readString(file).trim();
    } catch (IOException e) {
      holder = "another process";
    }
    closeQuietly(channel);
    return new LabelingStageException(ErrorCategory.USER_ERROR, String.format(
        "label.labels is being written by %s (lock %s); `ledgerlake up` labels as records arrive, so stop it "
            + "before running `ledgerlake label run`, or wait for the running labeling to finish",
        holder.isEmpty() ? "another process" : holder, file));
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }
}
