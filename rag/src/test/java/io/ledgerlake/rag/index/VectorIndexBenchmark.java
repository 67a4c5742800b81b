package io.ledgerlake.rag.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark harness (run on purpose, not a unit test): HNSW recall@10 against brute force, build time and query
 * latency for N random unit vectors, for each ef given; brute force over the same vectors is the same-run baseline.
 * Usage (docs/benchmarks.md): {@code VectorIndexBenchmark [n=50000] [queries=200] [m=16] [beam=100] [ef=100,...]}.
 */
public final class VectorIndexBenchmark {
  private VectorIndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int m = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int beam = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int[] efs = args.length > 4 ? Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {100};
    int k = 10;
    Random random = new Random(42);
    List<float[]> vectors = new ArrayList<>(n);
    Path dir = Files.createTempDirectory("ledgerlake-rag-bench-").resolve("idx");
    long t0 = System.nanoTime();
    try (VectorIndexWriter w = new VectorIndexWriter(dir, new IndexSettings(VectorIndexRecallTest.DIMS, m, beam,
        "random", "0".repeat(64)))) {
      for (int i = 0; i < n; i++) {
        float[] v = VectorIndexRecallTest.randomUnit(random);
        vectors.add(v);
        w.add(new IndexedChunk("r" + i, 0, "0xc", "t", v));
      }
    }
    double buildS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "n=%d dims=%d M=%d beam=%d: build %.1f s (%.0f vectors/s)%n", n,
        VectorIndexRecallTest.DIMS, m, beam, buildS, n / buildS);
    List<float[]> qs = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      qs.add(VectorIndexRecallTest.randomUnit(random));
    }
    List<Set<String>> exact = new ArrayList<>();
    long b0 = System.nanoTime();
    for (float[] q : qs) {
      Set<String> s = new HashSet<>();
      VectorIndexRecallTest.bruteForce(vectors, q, k).forEach(i -> s.add("r" + i));
      exact.add(s);
    }
    double bruteMs = (System.nanoTime() - b0) / 1e6 / queries;
    try (VectorIndexSearcher s = new VectorIndexSearcher(dir)) {
      for (int ef : efs) {
        for (int q = 0; q < Math.min(50, queries); q++) {
          s.search(qs.get(q), k, ef); // warm-up
        }
        long[] lat = new long[queries];
        double hits = 0;
        for (int q = 0; q < queries; q++) {
          long s0 = System.nanoTime();
          var res = s.search(qs.get(q), k, ef);
          lat[q] = System.nanoTime() - s0;
          Set<String> e = exact.get(q);
          hits += res.stream().filter(h -> e.contains(h.recordCid())).count();
        }
        Arrays.sort(lat);
        double p50 = lat[queries / 2] / 1e6;
        double p99 = lat[Math.min(queries - 1, (int) (queries * 0.99))] / 1e6;
        System.out.printf(Locale.ROOT,
            "ef=%d: recall@%d %.3f, p50 %.2f ms, p99 %.2f ms; brute force %.2f ms/query (%.1fx the HNSW p50)%n", ef,
            k, hits / (queries * k), p50, p99, bruteMs, bruteMs / p50);
      }
    }
  }
}
