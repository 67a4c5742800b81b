package io.ledgerlake.rag.index;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an index of vectors 0..n-1 of a {@link SyntheticVectors} stream with {@link VectorIndexWriter} and measures,
 * through {@link VectorIndexSearcher}, recall@k against exact top-k and per-query latency. Shared by
 * VectorIndexRecallITCase and VectorIndexBenchmark so the test and the published figures measure the same thing.
 */
public final class HnswRecall {
  /** Query vectors come from this far into the stream, so no query is an indexed vector. */
  static final int QUERY_OFFSET = 100_000_000;

  private HnswRecall() {}

  /**
   * @param latenciesMs per query at each ef, sorted
   * @param peakBuildHeapBytes peak heap (all heap pools) while building, after a GC before the build; the vectors
   *     are streamed, so this is the writer's own
   */
  public record Result(int n, double buildSeconds, long peakBuildHeapBytes, int[] efs, double[] recall,
      double[][] latenciesMs, double exactMsPerQuery) {
    public double percentile(int efIndex, double p) {
      double[] l = latenciesMs[efIndex];
      return l[Math.min(l.length - 1, (int) Math.floor(p * l.length))];
    }
  }

  public static Result run(Path dir, SyntheticVectors vectors, int n, int queries, int k, int m, int beam, int... efs)
      throws IOException {
    System.gc();
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long t0 = System.nanoTime();
    try (VectorIndexWriter w = new VectorIndexWriter(dir, new IndexSettings(vectors.dims(), m, beam,
        "synthetic", "0".repeat(64)))) {
      for (int i = 0; i < n; i++) {
        w.add(new IndexedChunk("r" + i, 0, "0xc", "t", vectors.get(i)));
      }
    }
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    long peakHeap = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();

    List<float[]> qs = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      qs.add(vectors.get(QUERY_OFFSET + q));
    }
    long e0 = System.nanoTime();
    List<int[]> exact = vectors.exactTopK(qs, n, k);
    double exactMs = (System.nanoTime() - e0) / 1e6 / queries;

    double[] recall = new double[efs.length];
    double[][] latencies = new double[efs.length][queries];
    try (VectorIndexSearcher s = new VectorIndexSearcher(dir)) {
      if (s.size() != n) {
        throw new AssertionError("index holds " + s.size() + " vectors, expected " + n);
      }
      for (int e = 0; e < efs.length; e++) {
        for (int q = 0; q < Math.min(50, queries); q++) {
          s.search(qs.get(q), k, efs[e]); // warm-up
        }
        long found = 0;
        for (int q = 0; q < queries; q++) {
          long s0 = System.nanoTime();
          List<VectorIndexSearcher.Hit> hits = s.search(qs.get(q), k, efs[e]);
          latencies[e][q] = (System.nanoTime() - s0) / 1e6;
          Set<String> want = new HashSet<>();
          for (int id : exact.get(q)) {
            want.add("r" + id);
          }
          found += hits.stream().filter(h -> want.contains(h.recordCid())).count();
        }
        recall[e] = (double) found / ((long) queries * k);
        Arrays.sort(latencies[e]);
      }
    }
    return new Result(n, buildSeconds, peakHeap, efs, recall, latencies, exactMs);
  }
}
