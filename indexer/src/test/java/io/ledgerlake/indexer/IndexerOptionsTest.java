package io.ledgerlake.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.indexer.IndexerOptions.Finality;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexerOptionsTest {
  @Test
  void defaults() {
    IndexerOptions o = IndexerOptions.defaults();
    assertThat(o.confirmations()).isEqualTo(12);
    assertThat(o.finalizedDepth()).isEqualTo(64);
    assertThat(o.initialRange()).isEqualTo(2_000);
    assertThat(o.maxRange()).isEqualTo(100_000);
    assertThat(o.hashLogSize()).isEqualTo(128);
    assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.rpcTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.snapshotRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(o.snapshotRetainLast()).isEqualTo(100);
    assertThat(o.expireInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.commitEvents()).isEqualTo(250_000);
  }

  @Test
  void everyKeyMapsToItsOption() {
    IndexerOptions o = IndexerOptions.fromMap(Map.ofEntries(
        Map.entry("ledgerlake.indexer.confirmations", "3"),
        Map.entry("ledgerlake.indexer.finalized-depth", "10"),
        Map.entry("ledgerlake.indexer.initial-range", "5"),
        Map.entry("ledgerlake.indexer.max-range", "50"),
        Map.entry("ledgerlake.indexer.hash-log-size", "16"),
        Map.entry("ledgerlake.indexer.poll-interval-ms", "250"),
        Map.entry("ledgerlake.indexer.rpc-timeout-ms", "4000"),
        Map.entry("ledgerlake.indexer.snapshot-retention-ms", "3600000"),
        Map.entry("ledgerlake.indexer.snapshot-retain-last", "7"),
        Map.entry("ledgerlake.indexer.expire-interval-ms", "0"),
        Map.entry("ledgerlake.indexer.commit-events", "1000")));
    assertThat(o.confirmations()).isEqualTo(3);
    assertThat(o.finalizedDepth()).isEqualTo(10);
    assertThat(o.initialRange()).isEqualTo(5);
    assertThat(o.maxRange()).isEqualTo(50);
    assertThat(o.hashLogSize()).isEqualTo(16);
    assertThat(o.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.rpcTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(o.snapshotRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(o.snapshotRetainLast()).isEqualTo(7);
    assertThat(o.expireInterval()).isZero();
    assertThat(o.commitEvents()).isEqualTo(1000);
  }

  @Test
  void finalityFollowsTheDepthBelowTheHead() {
    IndexerOptions o = IndexerOptions.fromMap(Map.of(IndexerOptions.CONFIRMATIONS, "2",
        IndexerOptions.FINALIZED_DEPTH, "5"));
    assertThat(o.finalityOf(100, 100)).isEqualTo(Finality.PENDING);
    assertThat(o.finalityOf(99, 100)).isEqualTo(Finality.PENDING);
    assertThat(o.finalityOf(98, 100)).isEqualTo(Finality.CONFIRMED);
    assertThat(o.finalityOf(96, 100)).isEqualTo(Finality.CONFIRMED);
    assertThat(o.finalityOf(95, 100)).isEqualTo(Finality.FINALIZED);
    assertThat(Finality.CONFIRMED.column()).isEqualTo("confirmed");
  }

  @Test
  void rejectsInvalidValuesNamingTheKey() {
    assertThatThrownBy(() -> IndexerOptions.fromMap(Map.of(IndexerOptions.MAX_RANGE, "x")))
        .isInstanceOf(IndexerConfigException.class).hasMessageContaining("ledgerlake.indexer.max-range");
    assertThatThrownBy(() -> IndexerOptions.fromMap(Map.of(IndexerOptions.INITIAL_RANGE, "0")))
        .hasMessageContaining("ledgerlake.indexer.initial-range");
    assertThatThrownBy(() -> IndexerOptions.fromMap(Map.of(IndexerOptions.CONFIRMATIONS, "100")))
        .hasMessageContaining("finalized-depth");
    assertThatThrownBy(() -> IndexerOptions.fromMap(Map.of(IndexerOptions.SNAPSHOT_RETAIN_LAST, "0")))
        .hasMessageContaining("ledgerlake.indexer.snapshot-retain-last");
    assertThat(new IndexerConfigException("x").category()).isEqualTo(ErrorCategory.USER_ERROR);
  }
}
