package io.ledgerlake.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.provenance.chain.PendingTransaction;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import io.ledgerlake.provenance.model.TxInfo;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attribution.payouts on a real embedded Iceberg catalog: rows round-trip (root, total, leaves, settlements, the signed
 * transaction) and an epoch's state follows the rows, not their clocks.
 */
class PayoutsTest {
  @TempDir Path dir;
  Lakehouse lakehouse;
  final Epoch epoch = Epoch.parse("2026-01-01", Duration.ofDays(1));
  final UsagePayoutTree tree = UsagePayoutTree.build(epoch.start().getEpochSecond(), Map.of(
      "0x00000000000000000000000000000000000000aa", BigInteger.valueOf(7),
      "0x00000000000000000000000000000000000000bb", new BigInteger("123456789012345678901234567890")));
  final List<String> ids = List.of("2026-01-01/3/0x01", "2026-01-01/3/0x02");

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  static PendingTransaction pending(String hash) {
    return new PendingTransaction("0x00000000000000000000000000000000000000f3", BigInteger.valueOf(41), hash,
        "0x02f8deadbeef", "Revenue.commitUsagePayout");
  }

  @Test
  void aCommittingRowRoundTripsAndIsOpenUntilAFailedRowClosesItsTransaction() {
    // A clock going backwards: states must not depend on it.
    Payouts store = new Payouts(lakehouse, "run-1", Clock.fixed(Instant.parse("2026-01-03T00:00:00Z"), ZoneOffset.UTC));
    store.committing(epoch, tree, ids, pending("0xaa01"));
    Payouts.Row open = Payouts.latest(lakehouse).get(epoch.id());
    assertThat(open.status()).isEqualTo(Payouts.COMMITTING);
    assertThat(open.root()).isEqualTo(tree.rootHex());
    assertThat(open.totalWei()).isEqualTo(tree.total());
    assertThat(open.leaves()).isEqualTo(2);
    assertThat(open.leafVersion()).isEqualTo(UsagePayoutTree.LEAF_VERSION);
    assertThat(open.epochStart()).isEqualTo(epoch.start().getEpochSecond());
    assertThat(open.settlementIds()).isEqualTo(ids);
    assertThat(open.txHash()).isEqualTo("0xaa01");
    assertThat(open.txNonce()).isEqualTo(41);
    assertThat(open.signedTx()).isEqualTo("0x02f8deadbeef");
    assertThat(open.runId()).isEqualTo("run-1");
    assertThat(Payouts.committed(lakehouse, epoch.id())).isEmpty();

    Payouts earlier = new Payouts(lakehouse, "run-2", Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"),
        ZoneOffset.UTC));
    earlier.failed(epoch, tree, ids, "0xaa01", "replaced");
    assertThat(Payouts.latest(lakehouse).get(epoch.id()).status()).isEqualTo(Payouts.FAILED);

    earlier.committing(epoch, tree, ids, pending("0xaa02"));
    assertThat(Payouts.latest(lakehouse).get(epoch.id()).txHash()).isEqualTo("0xaa02");
  }

  @Test
  void aFinalRowWinsWhateverIsWrittenAfterIt() {
    Payouts store = new Payouts(lakehouse, "run-1", Clock.systemUTC());
    store.committing(epoch, tree, ids, pending("0xbb01"));
    store.committed(epoch, tree, ids, new TxInfo("0xbb01", 22, 95_536), null);
    store.failed(epoch, tree, ids, null, "a later run found another root");
    Payouts.Row state = Payouts.committed(lakehouse, epoch.id()).orElseThrow();
    assertThat(state.blockNumber()).isEqualTo(22);
    assertThat(state.txHash()).isEqualTo("0xbb01");
    assertThat(Payouts.latest(lakehouse)).containsOnlyKeys(epoch.id());
  }

  @Test
  void theTreeIsRebuiltFromTheSharesOfThePayoutsSettlementsOnly() {
    // No shares rows: the rebuilt tree cannot give the recorded root, which is an error, never a wrong proof.
    Payouts store = new Payouts(lakehouse, "run-1", Clock.systemUTC());
    store.committed(epoch, tree, ids, new TxInfo("0xcc01", 5, 1), null);
    Payouts.Row row = Payouts.committed(lakehouse, epoch.id()).orElseThrow();
    assertThat(Payouts.owed(lakehouse, epoch.id(), java.util.Set.copyOf(ids))).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Payouts.tree(lakehouse, row))
        .hasMessageContaining("no positive amount");
  }
}
