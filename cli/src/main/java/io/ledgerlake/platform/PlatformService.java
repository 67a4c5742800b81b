package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

/**
 * One long-running part of {@code ledgerlake up} beside the upload API and the ingestion job, all in one shape: the
 * followers (labeling, lineage, chain index), the scheduler and the SQL service. {@link LedgerLakePlatform} starts
 * them in order after its core (API, Kafka, ingestion job, gateway) and closes them in reverse before it.
 */
public interface PlatformService extends AutoCloseable {
  /** What it is, for the status lines of {@code up} ("Chain indexer"). */
  String name();

  /** Where it runs or why it is off ("following http://127.0.0.1:8545", "off (no chain)"). */
  String describe();

  /** Stops it, letting work in flight finish where stopping half-way would lose it; never throws. */
  @Override
  void close();

  /** Starts a service once the platform's core is up; may return {@link #off} when there is nothing to run. */
  @FunctionalInterface
  interface Starter {
    PlatformService start(LedgerLakePlatform platform) throws Exception;
  }

  /** A service that is not running, with the reason {@code up} prints; empty reason: just "off". */
  static PlatformService off(String name, String reason) {
    requireNonNull(name, "name");
    requireNonNull(reason, "reason");
    return new PlatformService() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String describe() {
        return reason.isEmpty() ? "off" : "off (" + reason + ")";
      }

      @Override
      public void close() {}
    };
  }
}
