package io.ledgerlake.rag.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.rag.RagOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HNSW recall@10 against exact brute force, at the shipped settings (the 50k+ run: VectorIndexBenchmark). */
class VectorIndexRecallTest {
  static final int DIMS = 384;

  @TempDir Path dir;

  static float[] randomUnit(Random random) {
    float[] v = new float[DIMS];
    double sum = 0;
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) random.nextGaussian();
      sum += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < DIMS; i++) {
      v[i] *= inv;
    }
    return v;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Exact top-k by dot product: indexes into {@code vectors}. */
  static List<Integer> bruteForce(List<float[]> vectors, float[] q, int k) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      ids.add(i);
    }
    double[] scores = vectors.stream().mapToDouble(v -> dot(v, q)).toArray();
    ids.sort((a, b) -> Double.compare(scores[b], scores[a]));
    return ids.subList(0, k);
  }

  /** Builds an index of {@code n} random unit vectors (record CID "r<i>") and returns the mean recall@k. */
  static double recall(Path dir, int n, int queries, int k, long seed) throws Exception {
    RagOptions o = RagOptions.defaults();
    Random random = new Random(seed);
    List<float[]> vectors = new ArrayList<>(n);
    try (VectorIndexWriter w = new VectorIndexWriter(dir, new IndexSettings(DIMS, o.hnswM(), o.hnswBeamWidth(), "random",
        "0".repeat(64)))) {
      for (int i = 0; i < n; i++) {
        float[] v = randomUnit(random);
        vectors.add(v);
        w.add(new IndexedChunk("r" + i, 0, "0xc", "t" + i, v));
      }
    }
    double total = 0;
    try (VectorIndexSearcher s = new VectorIndexSearcher(dir)) {
      assertThat(s.size()).isEqualTo(n);
      for (int q = 0; q < queries; q++) {
        float[] query = randomUnit(random);
        Set<String> exact = new HashSet<>();
        bruteForce(vectors, query, k).forEach(i -> exact.add("r" + i));
        long found = s.search(query, k, o.searchEf()).stream().filter(h -> exact.contains(h.recordCid())).count();
        total += (double) found / k;
      }
    }
    return total / queries;
  }

  @Test
  void recallAt10IsAtLeast95PercentOn5kRandomUnitVectors() throws Exception {
    assertThat(recall(dir.resolve("idx"), 5_000, 100, 10, 42)).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void aStoredVectorIsItsOwnNearestNeighbourWithCosineOne() throws Exception {
    Random random = new Random(7);
    List<float[]> vectors = new ArrayList<>();
    try (VectorIndexWriter w = new VectorIndexWriter(dir.resolve("small"),
        new IndexSettings(DIMS, 16, 100, "random", "0".repeat(64)))) {
      for (int i = 0; i < 500; i++) {
        float[] v = randomUnit(random);
        vectors.add(v);
        w.add(new IndexedChunk("r" + i, i % 3, "0xc" + i, "text " + i, v));
      }
    }
    try (VectorIndexSearcher s = new VectorIndexSearcher(dir.resolve("small"))) {
      for (int i = 0; i < 500; i += 7) {
        VectorIndexSearcher.Hit top = s.search(vectors.get(i), 1, 100).get(0);
        assertThat(top.recordCid()).isEqualTo("r" + i);
        assertThat(top.chunk()).isEqualTo(i % 3);
        assertThat(top.contributor()).isEqualTo("0xc" + i);
        assertThat(top.text()).isEqualTo("text " + i);
        assertThat(top.score()).isGreaterThan(0.9999);
      }
    }
  }
}
