package io.ledgerlake.indexer;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.indexer.project.StateProjector;
import java.time.Duration;
import java.util.Locale;

/**
 * What one catch-up did.
 *
 * @param fromBlock first block looked at in this run
 * @param indexedBlock last indexed block after the run
 * @param eventsIndexed rows added to chain.events (re-indexed rows after a reorg included)
 * @param reorgs reorgs detected and rolled back
 * @param rolledBackEvents rows removed by rollbacks
 * @param commits chain.events commits
 * @param projectionsRebuilt whether the current-state tables were written (incrementally or rebuilt)
 * @param elapsed wall time of the whole run
 * @param projectionElapsed the part of {@code elapsed} spent bringing the current-state tables up to date
 * @param projection how the current-state tables were brought up to date
 */
public record RunSummary(
    long chainId,
    long fromBlock,
    long indexedBlock,
    long headBlock,
    long eventsIndexed,
    int reorgs,
    long rolledBackEvents,
    int commits,
    boolean projectionsRebuilt,
    Duration elapsed,
    Duration projectionElapsed,
    IndexerLag lag,
    StateProjector.Refresh projection) {
  public RunSummary {
    requireNonNull(projection, "projection");
    requireNonNull(elapsed, "elapsed");
    requireNonNull(projectionElapsed, "projectionElapsed");
    requireNonNull(lag, "lag");
  }

  /** One line for the CLI. */
  public String describe() {
    return String.format("chain %d: indexed blocks %d..%d (head %d), %d events, %d reorg(s) rolled back %d events, "
            + "%d commit(s), lag %d blocks / %ds, in %d ms (%d ms of it projecting, %s)", chainId, fromBlock,
        indexedBlock, headBlock, eventsIndexed, reorgs, rolledBackEvents, commits, lag.blocks(),
        lag.behind().toSeconds(), elapsed.toMillis(), projectionElapsed.toMillis(),
        projection.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
