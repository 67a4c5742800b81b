package io.ledgerlake.jobs.platform;

import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the labeling stage ({@link LabelingStage#runOnce()}) periodically under {@code ledgerlake up}. Each run is
 * exactly once on its own (cursor in label.labels), so a failed or interrupted run is simply retried next time.
 */
final class LabelingFollower {
  private static final Logger LOG = LoggerFactory.getLogger(LabelingFollower.class);

  private LabelingFollower() {}

  static void schedule(ScheduledExecutorService executor, Lakehouse lakehouse, LedgerLakePlatform.Labeling config) {
    long every = config.interval().toMillis();
    // Built on the background thread: loading the language model should not delay the API.
    LabelingStage[] stage = new LabelingStage[1];
    executor.scheduleWithFixedDelay(() -> {
      try {
        if (stage[0] == null) {
          stage[0] = new LabelingStage(lakehouse, new LabelingPipeline(config.options()), config.stage());
        }
        stage[0].runOnce();
      } catch (RuntimeException e) {
        LOG.warn("Labeling stage failed; retrying in {} ms", every, e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }
}
