package io.ledgerlake.labeling.stage;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.ExclusiveLease;
import io.ledgerlake.lakehouse.coordination.JdbcLeaseStore;
import io.ledgerlake.lakehouse.coordination.LeaseHeldException;
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
 * {@code <data-dir>/labeling.lock}: released when the holder closes it or its process dies. With a PostgreSQL catalog
 * ({@link JdbcLeaseStore#isPostgresCatalog}) processes on other machines share {@code label.labels}, so the lock is the
 * lease {@value #LEASE_NAME} in the catalog database instead (freed after its time-to-live when the holder dies).
 */
public final class LabelWriterLock implements AutoCloseable {
  public static final String FILE_NAME = "labeling.lock";

  /** Name of the lease in the catalog database's {@code ledgerlake_coord_leases}. */
  public static final String LEASE_NAME = "label.labels writer";

  private final FileChannel channel;
  private final FileLock lock;
  private final ExclusiveLease lease;

  private LabelWriterLock(FileChannel channel, FileLock lock, ExclusiveLease lease) {
    this.channel = channel;
    this.lock = lock;
    this.lease = lease;
  }

  /**
   * The selection point: the catalog database's lease for a PostgreSQL catalog, the data directory's file lock
   * otherwise.
   */
  public static LabelWriterLock acquire(LakehouseOptions options, String holder) {
    var store = JdbcLeaseStore.forCatalog(options);
    if (store.isEmpty()) {
      return acquire(options.dataDir(), holder);
    }
    String who = holder + " (pid " + ProcessHandle.current().pid() + " on " + hostName() + ")";
    try {
      return new LabelWriterLock(null, null, store.get().acquire(LEASE_NAME, who));
    } catch (LeaseHeldException e) {
      throw heldBy(e.holder(), "lease '" + LEASE_NAME + "' in the catalog database");
    }
  }

  /**
   * For a process that can wait its turn ({@code ledgerlake up} on one of several machines sharing a PostgreSQL
   * catalog): the catalog database's lease if it is free, or the holder's description if another process has it.
   * Empty when the catalog is not PostgreSQL: then the lock is the data directory's, which one machine's processes
   * share, and a second holder there is a mistake to report ({@link #acquire(LakehouseOptions, String)}).
   */
  public static java.util.Optional<Attempt> tryAcquireShared(LakehouseOptions options, String holder) {
    var store = JdbcLeaseStore.forCatalog(options);
    if (store.isEmpty()) {
      return java.util.Optional.empty();
    }
    String who = holder + " (pid " + ProcessHandle.current().pid() + " on " + hostName() + ")";
    try {
      return java.util.Optional.of(new Attempt(new LabelWriterLock(null, null, store.get().acquire(LEASE_NAME, who)),
          null));
    } catch (LeaseHeldException e) {
      return java.util.Optional.of(new Attempt(null, e.holder()));
    }
  }

  /** The outcome of {@link #tryAcquireShared}: the lock, or who holds it. */
  public record Attempt(LabelWriterLock lock, String heldBy) {
    public boolean acquired() {
      return lock != null;
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "this machine";
    }
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
      return new LabelWriterLock(channel, lock, null);
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
    return heldBy(holder.isEmpty() ? "another process" : holder, file.toString());
  }

  private static LabelingStageException heldBy(String holder, String lock) {
    return new LabelingStageException(ErrorCategory.USER_ERROR, String.format(
        "label.labels is being written by %s (lock %s); `ledgerlake up` labels as records arrive, so stop it "
            + "before running `ledgerlake label run`, or wait for the running labeling to finish", holder, lock));
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

  /**
   * Runs {@code action} if the lock is lost while held: only the catalog database's lease can be (its holder stalled
   * past the expiry and another process took it); an OS file lock lasts as long as its process.
   */
  public void onLost(Runnable action) {
    if (lease != null) {
      lease.onLost(action);
    }
  }

  @Override
  public void close() {
    if (lease != null) {
      lease.close();
      return;
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }
}
