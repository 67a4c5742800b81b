package io.ledgerlake.platform.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Per-request latencies of the request benchmarks (RAG queries, model calls): a path is timed sequentially or by
 * several concurrent clients; a summary is {p50, p99, then every latency} in milliseconds.
 */
final class Latencies {
  private Latencies() {}

  /** {@code n} requests one after the other. */
  static double[] time(IntConsumer op, int n) {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      op.accept(i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return summary(ms);
  }

  /** {@code n} requests by {@code clients} concurrent clients: the summary, and {requests per second}. */
  static double[][] timeConcurrent(IntConsumer op, int n, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    double[] ms = new double[n];
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int q = i;
      futures.add(pool.submit(() -> {
        long s = System.nanoTime();
        op.accept(q);
        ms[q] = (System.nanoTime() - s) / 1e6;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    return new double[][] {summary(ms), {n / seconds}};
  }

  static double[] summary(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double[] out = new double[2 + ms.length];
    out[0] = sorted[(int) Math.floor(0.50 * (sorted.length - 1))];
    out[1] = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
    System.arraycopy(ms, 0, out, 2, ms.length);
    return out;
  }

  static double mean(double[] summary) {
    double sum = 0;
    for (int i = 2; i < summary.length; i++) {
      sum += summary[i];
    }
    return sum / (summary.length - 2);
  }

  /** One table row: name | p50 | p99 | p50 / baseline p50 | requests/s. */
  static void row(String name, double[] latencies, double baselineP50, double perSecond) {
    System.out.printf("%s | %.1f | %.1f | %.2f | %.0f%n", name, latencies[0], latencies[1],
        latencies[0] / baselineP50, perSecond);
  }
}
