package io.ledgerlake.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.LakehouseException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UsageSharesTest {
  @Test
  void sharesSumExactlyToTheWeiOverAThousandRandomEpochsAndOnlyRetrievedContributorsGetAnything() {
    Random random = new Random(15);
    for (int epoch = 0; epoch < 1_000; epoch++) {
      int contributors = 1 + random.nextInt(40);
      List<String> everyone = new ArrayList<>();
      for (int c = 0; c < contributors; c++) {
        everyone.add(String.format("0x%040x", c + 1));
      }
      List<UsageShares.Retrieval> rows = new ArrayList<>();
      int queries = 1 + random.nextInt(30);
      for (int q = 0; q < queries; q++) {
        int k = 1 + random.nextInt(12);
        for (int rank = 1; rank <= k; rank++) {
          // Only the first half of the contributors is ever retrieved: the others must get nothing.
          String who = everyone.get(random.nextInt(Math.max(1, contributors / 2)));
          rows.add(new UsageShares.Retrieval("q" + q, "bafy" + random.nextInt(1000), who, rank));
        }
      }
      BigInteger amount = new BigInteger(1 + random.nextInt(80), random);
      List<UsageShares.Share> shares = UsageShares.split(amount, rows);
      assertThat(shares.stream().map(UsageShares.Share::amountWei).reduce(BigInteger.ZERO, BigInteger::add))
          .as("epoch %d", epoch).isEqualTo(amount);
      assertThat(shares.stream().mapToInt(UsageShares.Share::bps).sum()).isEqualTo(UsageShares.TOTAL_BPS);
      Set<String> retrieved = rows.stream().map(UsageShares.Retrieval::contributor).collect(Collectors.toSet());
      assertThat(shares).extracting(UsageShares.Share::contributor).containsExactlyInAnyOrderElementsOf(retrieved);
      Set<String> never = new HashSet<>(everyone);
      never.removeAll(retrieved);
      assertThat(shares).noneMatch(s -> never.contains(s.contributor()));
      // No share is off its exact quota by a wei or more.
      for (UsageShares.Share s : shares) {
        double quota = amount.doubleValue() * s.weight() / s.totalWeight();
        assertThat(Math.abs(s.amountWei().doubleValue() - quota)).isLessThan(1.0 + quota * 1e-9);
      }
    }
  }

  @Test
  void weightsAreOneOverRankWithLargestRemainders() {
    // a: rank 1 (1), b: ranks 2 and 3 (1/2 + 1/3 = 5/6); total 11/6 -> a 6/11, b 5/11 of 100 wei = 54.54.., 45.45..
    List<UsageShares.Share> shares = UsageShares.split(BigInteger.valueOf(100), List.of(
        new UsageShares.Retrieval("q1", "r1", "0xa", 1), new UsageShares.Retrieval("q1", "r2", "0xb", 2),
        new UsageShares.Retrieval("q1", "r3", "0xb", 3)));
    assertThat(shares).extracting(UsageShares.Share::contributor, UsageShares.Share::amountWei,
        UsageShares.Share::bps, UsageShares.Share::rows)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("0xa", BigInteger.valueOf(55), 5455, 1L),
            org.assertj.core.groups.Tuple.tuple("0xb", BigInteger.valueOf(45), 4545, 2L));
    assertThat(shares.get(1).weight()).isEqualTo(5.0 / 6, org.assertj.core.data.Offset.offset(1e-12));
    // Ties in the remainder go to the smaller address.
    assertThat(UsageShares.apportion(BigInteger.ONE, Map.of("0xb", BigInteger.ONE, "0xa", BigInteger.ONE)))
        .containsEntry("0xa", BigInteger.ONE).containsEntry("0xb", BigInteger.ZERO);
    assertThat(UsageShares.split(BigInteger.TEN, List.of())).isEmpty();
  }

  @Test
  void epochsAreUtcDaysByDefaultAndConfigurable() {
    Duration day = AttributionOptions.defaults().epochLength();
    Epoch e = Epoch.containing(Instant.parse("2025-01-31T23:59:59Z"), day);
    assertThat(e).isEqualTo(new Epoch("2025-01-31", Instant.parse("2025-01-31T00:00:00Z"),
        Instant.parse("2025-02-01T00:00:00Z")));
    assertThat(Epoch.parse("2025-01-31", day)).isEqualTo(e);
    Epoch sixHours = Epoch.containing(Instant.parse("2025-01-31T07:00:00Z"), Duration.ofHours(6));
    assertThat(sixHours.id()).isEqualTo("2025-01-31T06:00:00Z");
    assertThat(Epoch.parse("2025-01-31T06:00:00Z", Duration.ofHours(6))).isEqualTo(sixHours);
    assertThatThrownBy(() -> Epoch.parse("2025-01-31T07:00:00Z", Duration.ofHours(6)))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("2025-01-31T06:00:00Z");
    assertThatThrownBy(() -> Epoch.parse("yesterday", day)).isInstanceOf(LakehouseException.class);
  }
}
