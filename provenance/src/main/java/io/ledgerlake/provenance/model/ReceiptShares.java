package io.ledgerlake.provenance.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Helpers for a version's list of shares. */
public final class ReceiptShares {
  private ReceiptShares() {}

  /** Sum of the shares in basis points. */
  public static int sumBps(List<ReceiptShare> shares) {
    int sum = 0;
    for (ReceiptShare s : shares) {
      sum += s.shareBps();
    }
    return sum;
  }

  /**
   * Start of each receipt's range, in list order: receipt i covers [offset_i, offset_i + share_i). The contract
   * assigns the same offsets to direct receipts; Merkle leaves carry them explicitly.
   */
  public static int[] offsets(List<ReceiptShare> shares) {
    int[] offsets = new int[shares.size()];
    int running = 0;
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = running;
      running += shares.get(i).shareBps();
    }
    return offsets;
  }

  /**
   * Shares proportional to {@code weights} (e.g. accepted records per data provider), rounded with the largest
   * remainder method so that they sum to exactly 10,000. Ties go to the earlier entry in iteration order.
   * Contributors whose share rounds to 0 bps are left out (a receipt needs a positive share); with more than
   * 10,000 contributors some always are.
   */
  public static List<ReceiptShare> proRata(Map<String, Long> weights, ContributorRole role) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(weights.entrySet());
    BigInteger total = BigInteger.ZERO;
    for (Map.Entry<String, Long> e : entries) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("Negative weight " + e.getValue() + " for " + e.getKey());
      }
      total = total.add(BigInteger.valueOf(e.getValue()));
    }
    if (total.signum() == 0) {
      throw new IllegalArgumentException("Pro-rata shares need at least one positive weight");
    }
    int n = entries.size();
    int[] bps = new int[n];
    BigInteger[] remainders = new BigInteger[n];
    int assigned = 0;
    BigInteger full = BigInteger.valueOf(ReceiptShare.TOTAL_BPS);
    for (int i = 0; i < n; i++) {
      BigInteger[] qr = BigInteger.valueOf(entries.get(i).getValue()).multiply(full).divideAndRemainder(total);
      bps[i] = qr[0].intValueExact();
      remainders[i] = qr[1];
      assigned += bps[i];
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing((Integer i) -> remainders[i]).reversed().thenComparing(i -> i));
    for (int k = 0; assigned < ReceiptShare.TOTAL_BPS; k++, assigned++) {
      bps[order.get(k)]++;
    }
    List<ReceiptShare> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (bps[i] > 0) {
        out.add(new ReceiptShare(entries.get(i).getKey(), role, bps[i]));
      }
    }
    return List.copyOf(out);
  }
}
