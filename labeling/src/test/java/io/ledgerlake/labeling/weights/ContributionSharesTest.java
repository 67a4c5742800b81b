package io.ledgerlake.labeling.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContributionSharesTest {
  private final ContributionShares shares = ContributionShares.defaults();

  private static Map<String, Integer> asMap(List<ContributionShares.Share> s) {
    Map<String, Integer> m = new LinkedHashMap<>();
    s.forEach(x -> m.put(x.participantId(), x.bps()));
    return m;
  }

  private static int sum(List<ContributionShares.Share> s) {
    return s.stream().mapToInt(ContributionShares.Share::bps).sum();
  }

  @Test
  void poolsSplitByRoleThenProRataByCountTimesQuality() {
    List<ContributionShares.Share> s = shares.compute(List.of(
        Contribution.provider("p1", 300), Contribution.provider("p2", 100),
        new Contribution("a1", Role.ANNOTATOR, 100, 0.9), new Contribution("a2", Role.ANNOTATOR, 100, 0.6),
        new Contribution("r1", Role.REVIEWER, 10, 1.0)));
    // providers 8000 split 3:1; annotators 1500 split 90:60; reviewer 500
    assertThat(asMap(s)).containsExactly(Map.entry("a1", 900), Map.entry("a2", 600), Map.entry("p1", 6000),
        Map.entry("p2", 2000), Map.entry("r1", 500));
  }

  @Test
  void emptyPoolsAreRedistributedProRata() {
    assertThat(asMap(shares.compute(List.of(Contribution.provider("p", 5)))))
        .containsExactly(Map.entry("p", 10_000));
    // no reviewers: 8000:1500 rescaled to 10000 -> 8421.05 and 1578.95
    assertThat(asMap(shares.compute(List.of(Contribution.provider("p", 5),
        new Contribution("a", Role.ANNOTATOR, 3, 1.0)))))
        .containsExactly(Map.entry("a", 1579), Map.entry("p", 8421));
    // an annotator with zero quality leaves the annotator pool empty
    assertThat(asMap(shares.compute(List.of(Contribution.provider("p", 5),
        new Contribution("a", Role.ANNOTATOR, 3, 0.0)))))
        .containsExactly(Map.entry("a", 0), Map.entry("p", 10_000));
  }

  @Test
  void participantInSeveralRolesIsRoundedOnce() {
    List<ContributionShares.Share> s = shares.compute(List.of(Contribution.provider("x", 1),
        Contribution.provider("y", 2), new Contribution("x", Role.ANNOTATOR, 1, 1.0),
        new Contribution("y", Role.REVIEWER, 1, 1.0)));
    // x: 8000/3 + 1500 = 4166.67 ; y: 16000/3 + 500 = 5833.33
    assertThat(asMap(s)).containsExactly(Map.entry("x", 4167), Map.entry("y", 5833));
  }

  @Test
  void largestRemainderTiesGoToTheSmallerId() {
    List<ContributionShares.Share> s = shares.compute(List.of(Contribution.provider("c", 1),
        Contribution.provider("a", 1), Contribution.provider("b", 1)));
    assertThat(asMap(s)).containsExactly(Map.entry("a", 3334), Map.entry("b", 3333), Map.entry("c", 3333));
    Map<String, BigDecimal> quotas = new LinkedHashMap<>();
    quotas.put("z", new BigDecimal("2.5"));
    quotas.put("y", new BigDecimal("2.5"));
    quotas.put("x", new BigDecimal("5"));
    assertThat(ContributionShares.largestRemainder(quotas, 10)).extracting(ContributionShares.Share::bps)
        .containsExactly(5, 3, 2);
  }

  @Test
  void moreParticipantsThanBasisPointsStillSumToTenThousand() {
    List<Contribution> many = new ArrayList<>();
    for (int i = 0; i < 12_345; i++) {
      many.add(Contribution.provider(String.format("p%05d", i), 1));
    }
    List<ContributionShares.Share> s = shares.compute(many);
    assertThat(sum(s)).isEqualTo(10_000);
    assertThat(s.stream().filter(x -> x.bps() == 1).count()).isEqualTo(10_000);
    assertThat(s.get(0).bps()).isEqualTo(1);
    assertThat(s.get(s.size() - 1).bps()).as("ties resolved by id: the last ids get nothing").isZero();
  }

  /** 1..40 contributions of 25 participants in random roles, counts and qualities. */
  private static List<Contribution> randomContributions(SplittableRandom random) {
    List<Contribution> cs = new ArrayList<>();
    int n = 1 + random.nextInt(40);
    for (int i = 0; i < n; i++) {
      Role role = Role.values()[random.nextInt(3)];
      cs.add(new Contribution("id" + random.nextInt(25), role, random.nextInt(1000),
          role == Role.PROVIDER ? 1.0 : random.nextDouble()));
    }
    return cs;
  }

  @Test
  void randomInputsAlwaysSumToExactlyTenThousandAndStayWithinOneOfTheQuota() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 300; round++) {
      List<Contribution> cs = randomContributions(random);
      if (cs.stream().allMatch(c -> c.weight() == 0)) {
        continue;
      }
      List<ContributionShares.Share> s = shares.compute(cs);
      assertThat(sum(s)).isEqualTo(10_000);
      assertThat(s).allSatisfy(x -> assertThat(x.bps()).isBetween(0, 10_000));
      assertThat(s.stream().map(ContributionShares.Share::participantId).collect(Collectors.toList()))
          .isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void invalidInputsAreUserErrors() {
    assertThatThrownBy(() -> shares.compute(List.of(Contribution.provider("p", 0))))
        .isInstanceOf(InvalidLabelingInputException.class).hasMessageContaining("no contribution has positive weight");
    assertThatThrownBy(() -> new ContributionShares(5000, 5000, 1)).hasMessageContaining("must sum to 10000");
    assertThatThrownBy(() -> new Contribution("a", Role.ANNOTATOR, 1, 1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new Contribution("a", Role.ANNOTATOR, -1, 0.5)).hasMessageContaining(">= 0");
  }

  @Test
  void annotatorAndReviewerContributionsFromAnnotationsAndReviews() {
    Instant t = Instant.EPOCH;
    List<Annotation> anns = List.of(
        new Annotation("x1", "ds", "r1", "ann", List.of("pos"), 1, t, Annotation.Status.ACCEPTED),
        new Annotation("x2", "ds", "r2", "ann", List.of("neg"), 1, t, Annotation.Status.SUBMITTED),
        new Annotation("x3", "ds", "r3", "ann", List.of("neg"), 1, t, Annotation.Status.REJECTED),
        new Annotation("y1", "ds", "r1", "bob", List.of("neg"), 1, t, Annotation.Status.SUBMITTED));
    Map<String, String> consensus = Map.of("r1", "pos", "r2", "pos");
    List<Contribution> a = AnnotationContributions.annotators(anns, consensus, Map.of("r1", "pos"), 1);
    assertThat(a).containsExactly(new Contribution("ann", Role.ANNOTATOR, 2, 1.0),
        new Contribution("bob", Role.ANNOTATOR, 1, 0.0));
    List<Contribution> byConsensus = AnnotationContributions.annotators(anns, consensus, Map.of("r1", "pos"), 5);
    assertThat(byConsensus.get(0).quality()).as("too little gold: falls back to consensus").isEqualTo(0.5);

    List<Review> reviews = List.of(
        new Review("v1", "x1", "rev", Review.Decision.ACCEPT, ""),
        new Review("v2", "x3", "rev", Review.Decision.REJECT, ""),
        new Review("v3", "y1", "rev", Review.Decision.ACCEPT, ""),
        new Review("v4", "x2", "rev", Review.Decision.REQUEUE, ""));
    // v1 agrees (accepts the consensus answer), v3 disagrees (accepts a non-consensus answer), v2 has no consensus
    assertThat(AnnotationContributions.reviewers(reviews, anns, consensus))
        .containsExactly(new Contribution("rev", Role.REVIEWER, 3, 0.5));
  }

  @Test
  void byRoleSharesSumToTenThousandAndKeepEachRoleSeparate() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 300; round++) {
      List<Contribution> cs = randomContributions(random);
      if (cs.stream().allMatch(c -> c.weight() == 0)) {
        continue;
      }
      List<ContributionShares.RoleShare> s = shares.computeByRole(cs);
      assertThat(s.stream().mapToInt(ContributionShares.RoleShare::bps).sum()).isEqualTo(10_000);
      assertThat(s.stream().map(x -> x.participantId() + "/" + x.role()).toList()).doesNotHaveDuplicates();
    }
    List<ContributionShares.RoleShare> both = shares.computeByRole(List.of(Contribution.provider("p", 3),
        new Contribution("p", Role.ANNOTATOR, 2, 1.0), new Contribution("r", Role.REVIEWER, 1, 1.0)));
    assertThat(both).containsExactly(new ContributionShares.RoleShare("p", Role.PROVIDER, 8_000),
        new ContributionShares.RoleShare("p", Role.ANNOTATOR, 1_500),
        new ContributionShares.RoleShare("r", Role.REVIEWER, 500));
  }

  @Test
  void byRoleWithProvidersOnlyEqualsTheParticipantShares() {
    List<Contribution> providers = List.of(Contribution.provider("0xa", 1), Contribution.provider("0xb", 1),
        Contribution.provider("0xc", 1));
    assertThat(shares.computeByRole(providers).stream().map(ContributionShares.RoleShare::bps).toList())
        .isEqualTo(shares.compute(providers).stream().map(ContributionShares.Share::bps).toList())
        .containsExactly(3_334, 3_333, 3_333);
  }
}
