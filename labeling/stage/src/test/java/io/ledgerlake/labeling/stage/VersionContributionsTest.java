package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.labeling.weights.ContributionShares.RoleShare;
import io.ledgerlake.labeling.weights.Role;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shares of a version with annotators and reviewers (docs/labeling.md, "Contribution weights"). */
class VersionContributionsTest {
  static final String P1 = "0x" + "01".repeat(20);
  static final String P2 = "0x" + "02".repeat(20);
  static final String GOOD = "0x" + "aa".repeat(20);
  static final String OK = "0x" + "bb".repeat(20);
  static final String SLOPPY = "0x" + "cc".repeat(20);
  static final String REVIEWER = "0x" + "dd".repeat(20);
  static final VersionContributions.Pools POOLS = VersionContributions.Pools.of(LabelingOptions.defaults());

  @TempDir Path dir;

  /** 10 records; GOOD and OK are always right, SLOPPY wrong on 6 of 10; truth alternates pos/neg. */
  static List<Annotation> crowd() {
    List<Annotation> out = new ArrayList<>();
    Instant t = Instant.parse("2026-11-22T00:00:00Z");
    for (int r = 0; r < 10; r++) {
      String truth = r % 2 == 0 ? "pos" : "neg";
      String wrong = r % 2 == 0 ? "neg" : "pos";
      out.add(new Annotation("g" + r, "ds", "cid" + r, GOOD, List.of(truth), 1, t, Annotation.Status.SUBMITTED));
      out.add(new Annotation("o" + r, "ds", "cid" + r, OK, List.of(truth), 1, t, Annotation.Status.SUBMITTED));
      out.add(new Annotation("s" + r, "ds", "cid" + r, SLOPPY, List.of(r < 6 ? wrong : truth), 1, t,
          Annotation.Status.SUBMITTED));
    }
    return out;
  }

  static Map<String, Integer> byKey(List<RoleShare> shares) {
    Map<String, Integer> m = new TreeMap<>();
    shares.forEach(s -> m.put(s.participantId() + "/" + s.role(), s.bps()));
    return m;
  }

  @Test
  void sumsToTenThousandAndMoreAccurateAnnotatorsEarnMore() {
    List<RoleShare> shares = VersionContributions.shares(Map.of(P1, 30L, P2, 10L), crowd(),
        List.of(new Review("v1", "g0", REVIEWER, Review.Decision.ACCEPT, "")), POOLS);
    assertThat(shares.stream().mapToInt(RoleShare::bps).sum()).isEqualTo(10_000);
    Map<String, Integer> m = byKey(shares);
    assertThat(m.get(P1 + "/PROVIDER") + m.get(P2 + "/PROVIDER")).isEqualTo(8_000);
    assertThat(m.get(P1 + "/PROVIDER")).isEqualTo(6_000);
    assertThat(m.get(GOOD + "/ANNOTATOR")).as("same count, accuracy 1.0 vs 0.4")
        .isGreaterThan(m.get(SLOPPY + "/ANNOTATOR"));
    assertThat(m.get(GOOD + "/ANNOTATOR") + m.get(OK + "/ANNOTATOR") + m.get(SLOPPY + "/ANNOTATOR"))
        .isEqualTo(1_500);
    assertThat(m.get(GOOD + "/ANNOTATOR")).isEqualTo(625); // 1500 x 10 / (10 + 10 + 4)
    assertThat(m.get(REVIEWER + "/REVIEWER")).isEqualTo(500);
  }

  @Test
  void noAnnotationsMeansProvidersOnly() {
    List<RoleShare> shares = VersionContributions.shares(Map.of(P1, 2L, P2, 1L), List.of(), List.of(), POOLS);
    assertThat(shares).containsExactly(new RoleShare(P1, Role.PROVIDER, 6_667), new RoleShare(P2, Role.PROVIDER, 3_333));
  }

  @Test
  void readsTheAnnotationsSnapshotOfTheVersionsRecordsOnly() throws Exception {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      AnnotationTable table = new AnnotationTable(lakehouse);
      VersionContributions contributions = new VersionContributions(lakehouse);
      Set<String> version = Set.of("cid0", "cid1", "cid2", "cid3", "cid4", "cid5", "cid6", "cid7", "cid8", "cid9");
      assertThat(contributions.shares("ds", Map.of(P1, 1L), version, table.currentSnapshotId(), POOLS))
          .as("empty table").containsExactly(new RoleShare(P1, Role.PROVIDER, 10_000));
      table.append(crowd());
      table.review("ds", "g0", REVIEWER, Annotation.Status.ACCEPTED, OffsetDateTime.now(ZoneOffset.UTC));
      Long snapshot = table.currentSnapshotId();
      List<RoleShare> atPublish = contributions.shares("ds", Map.of(P1, 1L), version, snapshot, POOLS);
      assertThat(byKey(atPublish)).isEqualTo(byKey(VersionContributions.shares(Map.of(P1, 1L),
          table.annotations("ds"), table.ledger("ds").asReviews(), POOLS)));
      table.append(List.of(new Annotation("late", "ds", "cid0", "0x" + "ee".repeat(20), List.of("pos"), 1,
          Instant.now(), Annotation.Status.SUBMITTED)));
      assertThat(contributions.shares("ds", Map.of(P1, 1L), version, snapshot, POOLS))
          .as("recomputed at the recorded snapshot: later answers do not change it").isEqualTo(atPublish);
      assertThat(contributions.shares("ds", Map.of(P1, 1L), Set.of("other"), snapshot, POOLS))
          .as("answers on records outside the version do not count")
          .containsExactly(new RoleShare(P1, Role.PROVIDER, 10_000));
    }
  }
}
