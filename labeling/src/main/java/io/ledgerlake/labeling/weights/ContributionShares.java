package io.ledgerlake.labeling.weights;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Contribution shares in basis points, summing to exactly 10,000, for {@code ledgerlake publish}.
 *
 * <p>Formula (docs/labeling.md, "Contribution weights"):
 *
 * <ol>
 *   <li>Each role has a pool in bps (default providers 8,000, annotators 1,500, reviewers 500). A pool whose total
 *       weight is zero is redistributed to the other pools pro rata to their bps.
 *   <li>Within a pool a participant's exact share is {@code pool x weight / total weight of the pool}, with weight =
 *       count x quality ({@link Contribution}).
 *   <li>A participant's exact shares over all roles are summed, then rounded once to integers with the largest-remainder
 *       (Hamilton) method: everyone gets the floor, and the units still missing to 10,000 go one each to the largest
 *       fractional remainders, ties broken by participant id (ascending), so the result is deterministic.
 * </ol>
 *
 * Arithmetic is exact (BigDecimal from each double, rationals kept to 40 significant digits) so the rounding does not
 * depend on floating-point summation order.
 */
public final class ContributionShares {
  public static final int TOTAL_BPS = 10_000;
  private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);

  private final Map<Role, Integer> poolBps;

  public ContributionShares(int providerBps, int annotatorBps, int reviewerBps) {
    InvalidLabelingInputException.check(providerBps >= 0 && annotatorBps >= 0 && reviewerBps >= 0,
        "pool bps must be >= 0, got %s/%s/%s", providerBps, annotatorBps, reviewerBps);
    InvalidLabelingInputException.check(providerBps + annotatorBps + reviewerBps == TOTAL_BPS,
        "pool bps must sum to %s, got %s + %s + %s", TOTAL_BPS, providerBps, annotatorBps, reviewerBps);
    poolBps = new EnumMap<>(Role.class);
    poolBps.put(Role.PROVIDER, providerBps);
    poolBps.put(Role.ANNOTATOR, annotatorBps);
    poolBps.put(Role.REVIEWER, reviewerBps);
  }

  public static ContributionShares defaults() {
    return new ContributionShares(8_000, 1_500, 500);
  }

  /** One participant's share. */
  public record Share(String participantId, int bps) {}

  /** One participant's share in one role (a receipt on chain is per contributor and role). */
  public record RoleShare(String participantId, Role role, int bps) {}

  /** Shares sorted by participant id; every participant with a contribution appears, possibly with 0 bps. */
  public List<Share> compute(List<Contribution> contributions) {
    Map<String, BigDecimal> byParticipant = new TreeMap<>();
    exactQuotas(contributions).forEach((key, quota) -> byParticipant.merge(key.participantId(), quota,
        BigDecimal::add));
    return largestRemainder(byParticipant, TOTAL_BPS);
  }

  /**
   * Shares per participant and role, sorted by participant id then role, for receipts: the same pools and weights as
   * {@link #compute}, but each (participant, role) pair is rounded as its own quota (ties: participant id, then role
   * order), so a provider who also annotates gets one receipt per role. With providers only this equals plain
   * pro-rata largest-remainder shares of the providers' counts.
   */
  public List<RoleShare> computeByRole(List<Contribution> contributions) {
    Map<RoleKey, BigDecimal> quotas = exactQuotas(contributions);
    Map<String, BigDecimal> byKey = new TreeMap<>();
    Map<String, RoleKey> keys = new TreeMap<>();
    quotas.forEach((key, quota) -> {
      // participant ids never contain NUL, so this key sorts by participant id first, then role order
      String k = key.participantId() + '\u0000' + key.role().ordinal();
      byKey.put(k, quota);
      keys.put(k, key);
    });
    List<RoleShare> out = new ArrayList<>();
    for (Share s : largestRemainder(byKey, TOTAL_BPS)) {
      RoleKey key = keys.get(s.participantId());
      out.add(new RoleShare(key.participantId(), key.role(), s.bps()));
    }
    return out;
  }

  private record RoleKey(String participantId, Role role) {}

  /** Exact (unrounded) bps per participant and role; they sum to 10,000 up to the 40-digit precision. */
  private Map<RoleKey, BigDecimal> exactQuotas(List<Contribution> contributions) {
    Map<Role, BigDecimal> poolWeight = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      poolWeight.put(r, BigDecimal.ZERO);
    }
    for (Contribution c : contributions) {
      poolWeight.merge(c.role(), exact(c), BigDecimal::add);
    }
    int activeBps = 0;
    for (Role r : Role.values()) {
      if (poolWeight.get(r).signum() > 0) {
        activeBps += poolBps.get(r);
      }
    }
    if (activeBps == 0) {
      throw new InvalidLabelingInputException("no contribution has positive weight (count x quality) in a pool with"
          + " a positive share: nothing to apportion among " + contributions.size() + " contributions");
    }
    // effective pool = bps * 10000 / activeBps (redistributes empty pools pro rata)
    Map<RoleKey, BigDecimal> exactShares = new java.util.LinkedHashMap<>();
    for (Contribution c : contributions) {
      BigDecimal total = poolWeight.get(c.role());
      BigDecimal share = BigDecimal.ZERO;
      if (total.signum() > 0 && poolBps.get(c.role()) > 0) {
        BigDecimal pool = BigDecimal.valueOf((long) poolBps.get(c.role()) * TOTAL_BPS)
            .divide(BigDecimal.valueOf(activeBps), MC);
        share = pool.multiply(exact(c), MC).divide(total, MC);
      }
      exactShares.merge(new RoleKey(c.participantId(), c.role()), share, BigDecimal::add);
    }
    return exactShares;
  }

  /**
   * Hamilton apportionment of {@code total} units to exact quotas that sum to {@code total} (up to rounding of the
   * quotas themselves); ties in the remainder go to the smaller id.
   */
  static List<Share> largestRemainder(Map<String, BigDecimal> quotas, int total) {
    List<String> ids = new ArrayList<>(new TreeMap<>(quotas).keySet());
    int[] floors = new int[ids.size()];
    BigDecimal[] remainders = new BigDecimal[ids.size()];
    long assigned = 0;
    for (int i = 0; i < ids.size(); i++) {
      BigDecimal q = quotas.get(ids.get(i));
      BigInteger floor = q.setScale(0, RoundingMode.FLOOR).toBigInteger();
      floors[i] = floor.intValueExact();
      remainders[i] = q.subtract(new BigDecimal(floor));
      assigned += floors[i];
    }
    int missing = (int) (total - assigned);
    InvalidLabelingInputException.check(missing >= 0 && missing <= ids.size(),
        "internal: quotas do not sum to %s (floors sum to %s over %s participants)", total, assigned, ids.size());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer, BigDecimal>comparing(i -> remainders[i]).reversed()
        .thenComparing(i -> ids.get(i)));
    for (int k = 0; k < missing; k++) {
      floors[order.get(k)]++;
    }
    List<Share> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(new Share(ids.get(i), floors[i]));
    }
    return out;
  }

  private static BigDecimal exact(Contribution c) {
    return BigDecimal.valueOf(c.count()).multiply(new BigDecimal(c.quality()));
  }
}
