package io.ledgerlake.platform;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.IngestionLineage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the lineage of ingestion commits ({@link IngestionLineage}) every interval under {@code ledgerlake up}; its
 * cursor is committed with the events, so a pass cut short is redone at the next one or the next start.
 */
final class LineageFollower implements PlatformService {
  private static final Logger LOG = LoggerFactory.getLogger(LineageFollower.class);

  private final Lakehouse lakehouse;
  private final Duration interval;
  private final ScheduledExecutorService background;

  private LineageFollower(Lakehouse lakehouse, Duration interval) {
    this.lakehouse = lakehouse;
    this.interval = interval;
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ledgerlake-lineage");
      t.setDaemon(true);
      return t;
    });
  }

  static LineageFollower start(Lakehouse lakehouse, Duration interval) {
    LineageFollower f = new LineageFollower(lakehouse, interval);
    IngestionLineage lineage = new IngestionLineage(lakehouse);
    long every = interval.toMillis();
    f.background.scheduleWithFixedDelay(() -> {
      try {
        lineage.catchUp();
      } catch (RuntimeException e) {
        LOG.warn("Lineage follower failed; retrying in {} ms", every, e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return f;
  }

  @Override
  public String name() {
    return "Lineage";
  }

  @Override
  public String describe() {
    return "ingest.records commits → lineage.events / lineage.edges every " + interval.toMillis() + " ms";
  }

  /** Lets a pass in flight finish (interrupting it would abort its Iceberg write), then makes one last pass. */
  @Override
  public void close() {
    background.shutdown();
    try {
      if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
        background.shutdownNow();
      }
    } catch (InterruptedException e) {
      background.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // Not during JVM shutdown: Iceberg's worker pool is stopped by its own shutdown hook then, and the follower's
    // cursor catches up at the next start anyway.
    if (jvmShuttingDown()) {
      LOG.info("JVM shutting down: lineage of the last commits is recorded at the next start");
      return;
    }
    try {
      new IngestionLineage(lakehouse).catchUp();
    } catch (RuntimeException e) {
      LOG.warn("Final lineage pass failed; the next start records it", e);
    }
  }

  private static boolean jvmShuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }
}
