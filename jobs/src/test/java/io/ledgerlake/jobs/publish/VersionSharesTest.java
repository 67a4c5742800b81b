package io.ledgerlake.jobs.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.VersionContributions;
import io.ledgerlake.labeling.weights.ContributionShares;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.model.ReceiptShares;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Without annotations, publish keeps exactly the provider-only pro-rata shares it computed before annotators counted. */
class VersionSharesTest {
  @Test
  void noAnnotationsGiveTheSameSharesAsPlainProRata() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 300; round++) {
      Map<String, Long> counts = new TreeMap<>();
      int n = 1 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        counts.put(String.format("0x%040x", random.nextInt(50)), 1L + random.nextInt(round % 3 == 0 ? 3 : 5000));
      }
      List<ReceiptShare> before = ReceiptShares.proRata(counts, ContributorRole.DATA_PROVIDER);
      List<ReceiptShare> now = VersionContributions.shares(counts, List.of(), List.of(),
          VersionContributions.Pools.of(LabelingOptions.defaults())).stream()
          .map(s -> new ReceiptShare(s.participantId(), VersionShares.role(s.role()), s.bps())).toList();
      assertThat(now).as("round %s: %s", round, counts).isEqualTo(before);
      assertThat(ReceiptShares.sumBps(now)).isEqualTo(ContributionShares.TOTAL_BPS);
    }
  }
}
