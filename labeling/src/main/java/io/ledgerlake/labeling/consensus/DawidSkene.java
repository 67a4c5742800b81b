package io.ledgerlake.labeling.consensus;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dawid-Skene (1979) expectation-maximisation over per-worker confusion matrices.
 *
 * <p>Model: item i has a hidden true class with prior {@code p}; worker j answers class l for true class k with
 * probability {@code pi_j[k][l]}. Initialised from majority-vote shares (the usual start), then alternates the M-step
 * (priors and confusion matrices from the current posteriors, with additive smoothing {@code alpha} so a worker who never
 * saw a class does not get a zero row) and the E-step (posteriors from the product of the worker likelihoods, computed in
 * log space) until the marginal log-likelihood improves by less than {@code tolerance} per item (EM never decreases
 * it, and near the optimum posteriors can creep for hundreds of iterations without changing any decision).
 */
public final class DawidSkene {
  public static final String METHOD = "dawid-skene";

  private final int maxIterations;
  private final double tolerance;
  private final double alpha;

  public DawidSkene(int maxIterations, double tolerance, double alpha) {
    InvalidLabelingInputException.check(maxIterations >= 1, "maxIterations must be >= 1, got %s", maxIterations);
    InvalidLabelingInputException.check(tolerance > 0, "tolerance must be > 0, got %s", tolerance);
    InvalidLabelingInputException.check(alpha >= 0, "alpha must be >= 0, got %s", alpha);
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.alpha = alpha;
  }

  public DawidSkene() {
    this(100, 1e-6, 0.01);
  }

  /** Fitted model: consensus per item, per-worker confusion matrices and estimated accuracies. */
  public record Result(
      Map<String, ConsensusLabel> consensus,
      List<String> classes,
      double[] classPriors,
      Map<String, double[][]> confusion,
      Map<String, Double> workerAccuracy,
      int iterations,
      boolean converged) {
    public Result {
      consensus = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consensus));
      classes = List.copyOf(classes);
      confusion = Map.copyOf(confusion);
      workerAccuracy = Map.copyOf(workerAccuracy);
    }
  }

  public Result fit(List<Vote> votes) {
    return fit(votes, List.of());
  }

  public Result fit(List<Vote> votes, List<String> classes) {
    VoteMatrix m = new VoteMatrix(votes, classes);
    int nItems = m.items.size();
    int nWorkers = m.workers.size();
    int nClasses = m.classes.size();
    double[][] t = MajorityVote.counts(m);
    for (double[] row : t) {
      normalize(row);
    }
    double[] priors = new double[nClasses];
    double[][][] pi = new double[nWorkers][nClasses][nClasses];
    int iterations = 0;
    boolean converged = false;
    double[] logRow = new double[nClasses];
    double previousLogLikelihood = Double.NEGATIVE_INFINITY;
    while (iterations < maxIterations && !converged) {
      iterations++;
      // M-step
      java.util.Arrays.fill(priors, 0);
      for (double[] row : t) {
        for (int k = 0; k < nClasses; k++) {
          priors[k] += row[k];
        }
      }
      for (int k = 0; k < nClasses; k++) {
        priors[k] = (priors[k] + alpha) / (nItems + nClasses * alpha);
      }
      for (double[][] w : pi) {
        for (double[] row : w) {
          java.util.Arrays.fill(row, alpha);
        }
      }
      for (int n = 0; n < m.size(); n++) {
        double[] post = t[m.item[n]];
        double[][] w = pi[m.worker[n]];
        for (int k = 0; k < nClasses; k++) {
          w[k][m.label[n]] += post[k];
        }
      }
      for (double[][] w : pi) {
        for (double[] row : w) {
          normalize(row);
        }
      }
      // E-step
      double[][] logT = new double[nItems][nClasses];
      for (int i = 0; i < nItems; i++) {
        for (int k = 0; k < nClasses; k++) {
          logT[i][k] = Math.log(priors[k]);
        }
      }
      for (int n = 0; n < m.size(); n++) {
        double[][] w = pi[m.worker[n]];
        double[] row = logT[m.item[n]];
        for (int k = 0; k < nClasses; k++) {
          row[k] += Math.log(w[k][m.label[n]]);
        }
      }
      double logLikelihood = 0;
      for (int i = 0; i < nItems; i++) {
        System.arraycopy(logT[i], 0, logRow, 0, nClasses);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logRow) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < nClasses; k++) {
          logRow[k] = Math.exp(logRow[k] - max);
          sum += logRow[k];
        }
        logLikelihood += max + Math.log(sum);
        for (int k = 0; k < nClasses; k++) {
          t[i][k] = logRow[k] / sum;
        }
      }
      converged = logLikelihood - previousLogLikelihood < tolerance * nItems;
      previousLogLikelihood = logLikelihood;
    }

    Map<String, ConsensusLabel> consensus = new LinkedHashMap<>();
    for (int i = 0; i < nItems; i++) {
      int best = 0;
      Map<String, Double> dist = new HashMap<>();
      for (int k = 0; k < nClasses; k++) {
        if (t[i][k] > t[i][best]) {
          best = k;
        }
        dist.put(m.classes.get(k), t[i][k]);
      }
      consensus.put(m.items.get(i), new ConsensusLabel(m.items.get(i), m.classes.get(best), t[i][best], dist, METHOD));
    }
    // expected accuracy on the items each worker labeled: mean posterior of the class they chose
    double[] correct = new double[nWorkers];
    int[] count = new int[nWorkers];
    for (int n = 0; n < m.size(); n++) {
      correct[m.worker[n]] += t[m.item[n]][m.label[n]];
      count[m.worker[n]]++;
    }
    Map<String, double[][]> confusion = new HashMap<>();
    Map<String, Double> accuracy = new HashMap<>();
    for (int j = 0; j < nWorkers; j++) {
      confusion.put(m.workers.get(j), pi[j]);
      accuracy.put(m.workers.get(j), correct[j] / count[j]);
    }
    return new Result(consensus, m.classes, priors, confusion, accuracy, iterations, converged);
  }

  private static void normalize(double[] row) {
    double sum = 0;
    for (double v : row) {
      sum += v;
    }
    if (sum == 0) {
      java.util.Arrays.fill(row, 1.0 / row.length);
      return;
    }
    for (int k = 0; k < row.length; k++) {
      row[k] /= sum;
    }
  }
}
