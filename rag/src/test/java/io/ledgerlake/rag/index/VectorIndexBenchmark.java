package io.ledgerlake.rag.index;

import io.ledgerlake.rag.RagOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark harness (run on purpose, not a unit test): HNSW recall@10 against exact top-k, build time, peak build
 * heap and query latency (in-process, {@link VectorIndexSearcher}) for N synthetic unit vectors, for each ef given;
 * exact top-k over the same vectors is the same-run baseline. Usage (docs/benchmarks.md):
 * {@code VectorIndexBenchmark [n=50000] [queries=200] [m] [beam] [ef,...] [isotropic|clustered]}; m, beam and ef
 * default to the shipped RagOptions.
 */
public final class VectorIndexBenchmark {
  private VectorIndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    RagOptions o = RagOptions.defaults();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int m = args.length > 2 ? Integer.parseInt(args[2]) : o.hnswM();
    int beam = args.length > 3 ? Integer.parseInt(args[3]) : o.hnswBeamWidth();
    int[] efs = args.length > 4 ? Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {o.searchEf()};
    String kind = args.length > 5 ? args[5] : "isotropic";
    SyntheticVectors vectors = switch (kind) {
      case "isotropic" -> SyntheticVectors.isotropic(VectorIndexRecallTest.DIMS, 42);
      case "clustered" -> SyntheticVectors.clustered(VectorIndexRecallTest.DIMS, 14, 300, 0.5, 1.0);
      default -> throw new IllegalArgumentException("vectors: isotropic or clustered, got " + kind);
    };
    int k = 10;
    Path dir = Files.createTempDirectory("ledgerlake-rag-bench-").resolve("idx");
    System.out.printf(Locale.ROOT, "n=%d dims=%d M=%d beam=%d, %s; load average %s%n", n, vectors.dims(), m, beam,
        vectors, loadAverage());
    HnswRecall.Result r = HnswRecall.run(dir, vectors, n, queries, k, m, beam, efs);
    System.out.printf(Locale.ROOT, "build %.1f s (%.0f vectors/s, %.1f s per 100k), peak heap during build %.0f MB "
        + "(-Xmx %d MB)%n", r.buildSeconds(), n / r.buildSeconds(), r.buildSeconds() * 100_000 / n,
        r.peakBuildHeapBytes() / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576);
    for (int e = 0; e < efs.length; e++) {
      double p50 = r.percentile(e, 0.5);
      System.out.printf(Locale.ROOT,
          "ef=%d: recall@%d %.4f over %d queries, p50 %.2f ms, p99 %.2f ms; exact top-k %.2f ms/query "
              + "(%.1fx the HNSW p50)%n", efs[e], k, r.recall()[e], queries, p50, r.percentile(e, 0.99),
          r.exactMsPerQuery(), r.exactMsPerQuery() / p50);
    }
    System.out.printf(Locale.ROOT, "load average at end %s%n", loadAverage());
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (Exception e) {
      return "n/a";
    }
  }
}
