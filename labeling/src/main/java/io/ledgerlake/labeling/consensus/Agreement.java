package io.ledgerlake.labeling.consensus;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.List;

/** Inter-annotator agreement: Fleiss' kappa and Krippendorff's alpha for nominal data. */
public final class Agreement {
  private Agreement() {}

  /**
   * Fleiss' kappa (Fleiss 1971) from a subjects x categories table of rater counts; every subject must have the same
   * number of raters n >= 2. kappa = (P̄ - P̄e) / (1 - P̄e).
   */
  public static double fleissKappa(int[][] counts) {
    InvalidLabelingInputException.check(counts.length > 0, "Fleiss' kappa needs at least one subject");
    int categories = counts[0].length;
    int n = 0;
    for (int c : counts[0]) {
      n += c;
    }
    InvalidLabelingInputException.check(n >= 2, "Fleiss' kappa needs at least 2 raters per subject, got %s", n);
    double[] p = new double[categories];
    double pBar = 0;
    for (int[] row : counts) {
      InvalidLabelingInputException.check(row.length == categories, "ragged count table");
      int sum = 0;
      double agree = 0;
      for (int j = 0; j < categories; j++) {
        sum += row[j];
        agree += (double) row[j] * (row[j] - 1);
        p[j] += row[j];
      }
      InvalidLabelingInputException.check(sum == n,
          "Fleiss' kappa needs the same number of raters per subject: %s vs %s; use Krippendorff's alpha", sum, n);
      pBar += agree / (n * (n - 1.0));
    }
    pBar /= counts.length;
    double pe = 0;
    for (int j = 0; j < categories; j++) {
      double pj = p[j] / ((double) counts.length * n);
      pe += pj * pj;
    }
    if (pe == 1.0) {
      return 1.0; // every rater used one category everywhere: perfect but degenerate agreement
    }
    return (pBar - pe) / (1 - pe);
  }

  /** Fleiss' kappa of votes; items must all have the same number of votes. */
  public static double fleissKappa(List<Vote> votes) {
    VoteMatrix m = new VoteMatrix(votes, List.of());
    int[][] counts = new int[m.items.size()][m.classes.size()];
    for (int v = 0; v < m.size(); v++) {
      counts[m.item[v]][m.label[v]]++;
    }
    return fleissKappa(counts);
  }

  /**
   * Krippendorff's alpha for nominal data (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): works with
   * any number of coders per unit and missing values; units with a single value are not pairable and are ignored.
   * alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k over the coincidence matrix o.
   */
  public static double krippendorffAlphaNominal(List<Vote> votes) {
    VoteMatrix m = new VoteMatrix(votes, List.of());
    int q = m.classes.size();
    int[][] unitCounts = new int[m.items.size()][q];
    for (int v = 0; v < m.size(); v++) {
      unitCounts[m.item[v]][m.label[v]]++;
    }
    double[][] o = new double[q][q];
    for (int[] row : unitCounts) {
      int mu = 0;
      for (int c : row) {
        mu += c;
      }
      if (mu < 2) {
        continue;
      }
      for (int c = 0; c < q; c++) {
        for (int k = 0; k < q; k++) {
          double pairs = c == k ? (double) row[c] * (row[c] - 1) : (double) row[c] * row[k];
          o[c][k] += pairs / (mu - 1);
        }
      }
    }
    double[] nc = new double[q];
    double n = 0;
    for (int c = 0; c < q; c++) {
      for (int k = 0; k < q; k++) {
        nc[c] += o[c][k];
      }
      n += nc[c];
    }
    InvalidLabelingInputException.check(n > 1, "Krippendorff's alpha needs at least one unit with 2+ values");
    double disagreeObserved = 0;
    double disagreeExpected = 0;
    for (int c = 0; c < q; c++) {
      for (int k = 0; k < q; k++) {
        if (c != k) {
          disagreeObserved += o[c][k];
          disagreeExpected += nc[c] * nc[k];
        }
      }
    }
    if (disagreeExpected == 0) {
      return 1.0; // a single category was ever used
    }
    return 1 - (n - 1) * disagreeObserved / disagreeExpected;
  }
}
