package io.ledgerlake.rag.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Deterministic unit vectors for recall tests and benchmarks, streamed (vector i is a pure function of the seed and
 * i), so exact top-k can be computed in one pass without holding 100k vectors on the heap next to the index.
 *
 * <p>{@link #clustered}: sentence embeddings are not isotropic: they share a common direction (all-MiniLM-L6-v2
 * vectors of unrelated sentences still have a positive cosine) and bunch around topics of very unequal sizes. So a
 * vector is normalize(shared * mu + centroid_c + noise), with cluster c drawn from a Zipf law over a few hundred
 * centroids. {@link #isotropic} (Gaussian, normalised) is HNSW's worst case and the earlier baseline.
 */
public final class SyntheticVectors {
  private final int dims;
  private final IntFunction<float[]> generator;
  private final String description;

  private SyntheticVectors(int dims, String description, IntFunction<float[]> generator) {
    this.dims = dims;
    this.description = description;
    this.generator = generator;
  }

  public static SyntheticVectors isotropic(int dims, long seed) {
    return new SyntheticVectors(dims, "isotropic Gaussian", i -> {
      Random r = new Random(seed * 1_000_003L + i);
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) r.nextGaussian();
      }
      return normalize(v);
    });
  }

  /**
   * @param clusters number of centroids (topics)
   * @param shared weight of the direction common to all vectors
   * @param noise norm of a vector's own Gaussian offset from its (unit) centroid: 1.0 gives a cosine of about 0.5
   *     between two vectors of one cluster
   */
  public static SyntheticVectors clustered(int dims, long seed, int clusters, double shared, double noise) {
    Random r = new Random(seed);
    float[] mu = gaussian(r, dims, 1.0);
    float[][] centroids = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centroids[c] = gaussian(r, dims, 1.0);
    }
    // Zipf(1) cluster sizes: a few big topics and a long tail.
    double[] cdf = new double[clusters];
    double sum = 0;
    for (int c = 0; c < clusters; c++) {
      sum += 1.0 / (c + 1);
      cdf[c] = sum;
    }
    double total = sum;
    return new SyntheticVectors(dims, String.format("clustered: %d Zipf-sized clusters, shared direction %.2f, noise %.2f",
        clusters, shared, noise), i -> {
          Random ri = new Random(seed * 1_000_003L + i + 1);
          int idx = Arrays.binarySearch(cdf, ri.nextDouble() * total);
          int c = Math.min(clusters - 1, idx < 0 ? -idx - 1 : idx);
          float[] v = gaussian(ri, dims, noise);
          for (int d = 0; d < dims; d++) {
            v[d] += (float) (shared * mu[d]) + centroids[c][d];
          }
          return normalize(v);
        });
  }

  /** Vector {@code i} of the stream (indexed vectors use 0..n-1, queries another range). */
  public float[] get(int i) {
    return generator.apply(i);
  }

  public int dims() {
    return dims;
  }

  @Override
  public String toString() {
    return description;
  }

  /** Gaussian vector of expected norm {@code norm}. */
  private static float[] gaussian(Random r, int dims, double norm) {
    float[] v = new float[dims];
    double scale = norm / Math.sqrt(dims);
    for (int d = 0; d < dims; d++) {
      v[d] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  static float[] normalize(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }

  /**
   * Exact top-k by dot product of every query over vectors 0..n-1, in one streamed pass: result q holds the ids of
   * query q's k nearest.
   */
  public List<int[]> exactTopK(List<float[]> queries, int n, int k) {
    List<PriorityQueue<double[]>> heaps = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      heaps.add(new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a[0], b[0])));
    }
    for (int i = 0; i < n; i++) {
      float[] v = get(i);
      for (int q = 0; q < queries.size(); q++) {
        float[] query = queries.get(q);
        double s = 0;
        for (int d = 0; d < v.length; d++) {
          s += v[d] * query[d];
        }
        PriorityQueue<double[]> h = heaps.get(q);
        if (h.size() < k) {
          h.add(new double[] {s, i});
        } else if (s > h.peek()[0]) {
          h.poll();
          h.add(new double[] {s, i});
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    for (PriorityQueue<double[]> h : heaps) {
      out.add(h.stream().mapToInt(e -> (int) e[1]).toArray());
    }
    return out;
  }
}
