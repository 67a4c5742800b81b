package io.ledgerlake.jobs.attribution;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Formula {@value #FORMULA}: how the revenue of one settlement is split among the contributors of the records its
 * paid calls retrieved. Each retrieved row (a record's chunk at a rank in one query's answer) weighs 1/rank; a
 * contributor's weight is the sum over its rows; the amount is apportioned to contributors in proportion to their
 * weights with largest remainders, so the shares sum exactly to the amount, to the wei. Exact: weights are computed
 * as integers scaled by the least common multiple of the ranks present (1/rank = L/rank / L), never as floats.
 * Ties in the remainder go to the smaller address. A contributor with no retrieved row gets nothing. Changing any of
 * this is a new formula id (docs/decisions/attribution-usage-settlement.md).
 */
public final class UsageShares {
  public static final String FORMULA = "usage-rank-v1";
  public static final int TOTAL_BPS = 10_000;

  private UsageShares() {}

  /** One retrieved row of a paid call (attribution.usage). */
  public record Retrieval(String queryId, String recordCid, String contributor, int rank) {
    public Retrieval {
      if (rank < 1) {
        throw new IllegalArgumentException("rank must be >= 1: " + rank);
      }
    }
  }

  /**
   * A contributor's share: {@code amountWei} exactly, {@code bps} of the whole (also summing to 10,000), and the
   * formula's inputs: its weight (sum of 1/rank), the total weight and its retrieved rows.
   */
  public record Share(String contributor, BigInteger amountWei, int bps, double weight, double totalWeight,
      long rows) {}

  /** Splits {@code amountWei} by the retrievals; empty if there are none (nothing was used: nothing to split). */
  public static List<Share> split(BigInteger amountWei, Collection<Retrieval> retrievals) {
    if (amountWei.signum() < 0) {
      throw new IllegalArgumentException("negative amount " + amountWei);
    }
    if (retrievals.isEmpty()) {
      return List.of();
    }
    BigInteger lcm = BigInteger.ONE;
    for (Retrieval r : retrievals) {
      BigInteger rank = BigInteger.valueOf(r.rank());
      lcm = lcm.divide(lcm.gcd(rank)).multiply(rank);
    }
    // Hash maps while summing (a settlement can have millions of rows), sorted once at the end.
    BigInteger scale = lcm;
    Map<Integer, BigInteger> perRank = new java.util.HashMap<>();
    Map<String, BigInteger> summed = new java.util.HashMap<>();
    Map<String, Long> rows = new java.util.HashMap<>();
    for (Retrieval r : retrievals) {
      BigInteger w = perRank.computeIfAbsent(r.rank(), k -> scale.divide(BigInteger.valueOf(k)));
      summed.merge(r.contributor(), w, BigInteger::add);
      rows.merge(r.contributor(), 1L, Long::sum);
    }
    Map<String, BigInteger> weights = new TreeMap<>(summed);
    BigInteger total = weights.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    double totalWeight = new java.math.BigDecimal(total).divide(new java.math.BigDecimal(lcm),
        java.math.MathContext.DECIMAL64).doubleValue();
    Map<String, BigInteger> amounts = apportion(amountWei, weights);
    Map<String, BigInteger> bps = apportion(BigInteger.valueOf(TOTAL_BPS), weights);
    List<Share> out = new ArrayList<>();
    for (var e : weights.entrySet()) {
      double w = new java.math.BigDecimal(e.getValue()).divide(new java.math.BigDecimal(lcm),
          java.math.MathContext.DECIMAL64).doubleValue();
      out.add(new Share(e.getKey(), amounts.get(e.getKey()), bps.get(e.getKey()).intValueExact(), w, totalWeight,
          rows.get(e.getKey())));
    }
    return out;
  }

  /**
   * Hamilton (largest remainder) apportionment of {@code total} to non-negative integer {@code weights} with a
   * positive sum, in exact integer arithmetic: floor(total × w / W) each, then one more unit to the largest
   * remainders (ties: smaller key). The result sums to {@code total}.
   */
  public static Map<String, BigInteger> apportion(BigInteger total, Map<String, BigInteger> weights) {
    BigInteger sum = weights.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    if (sum.signum() <= 0) {
      throw new IllegalArgumentException("weights must have a positive sum: " + weights);
    }
    Map<String, BigInteger> out = new TreeMap<>();
    Map<String, BigInteger> remainders = new TreeMap<>();
    BigInteger assigned = BigInteger.ZERO;
    for (var e : new TreeMap<>(weights).entrySet()) {
      if (e.getValue().signum() < 0) {
        throw new IllegalArgumentException("negative weight for " + e.getKey());
      }
      BigInteger[] qr = total.multiply(e.getValue()).divideAndRemainder(sum);
      out.put(e.getKey(), qr[0]);
      remainders.put(e.getKey(), qr[1]);
      assigned = assigned.add(qr[0]);
    }
    List<Map.Entry<String, BigInteger>> order = new ArrayList<>(remainders.entrySet());
    order.sort(Map.Entry.<String, BigInteger>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    // At most one unit per key is missing: the remainders are each < sum, and they add up to (total - assigned) x sum.
    int missing = total.subtract(assigned).intValueExact();
    for (int i = 0; i < missing; i++) {
      out.merge(order.get(i).getKey(), BigInteger.ONE, BigInteger::add);
    }
    return out;
  }
}
