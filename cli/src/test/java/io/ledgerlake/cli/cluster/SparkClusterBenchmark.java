package io.ledgerlake.cli.cluster;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ledgerlake train} as a whole process (JVM start, SparkContext, executors, the job), on {@code local[2]} and on
 * the local Spark standalone cluster with one and with two Workers of one core each (infra/local-cluster/local-cluster.sh,
 * embedded SQLite catalog so that only the engine differs). Prints the median of each and its ratio to {@code local[2]},
 * measured in the same run. Not a test: run it on purpose, see docs/benchmarks.md.
 *
 * <pre>
 * ./mvnw -q -pl cli -am install -DskipTests        # the CLI's jars (cli/target/lib) and this class
 * ./mvnw -q -pl cli test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.ledgerlake.cli.cluster.SparkClusterBenchmark -Dexec.args="--records 20000 --runs 3"
 * </pre>
 */
public final class SparkClusterBenchmark {
  private SparkClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = 20_000;
    int runs = 3;
    String maxIter = "50";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--max-iter" -> maxIter = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: [--records N] [--runs R] [--max-iter N]");
      }
    }
    Path repo = repoRoot();
    Path work = Files.createDirectories(repo.resolve("cli").resolve("target").resolve("spark-cluster-bench"));
    Path data = work.resolve("data");
    LocalClusterITCase.deleteRecursively(work);
    Files.createDirectories(data);
    LakehouseOptions options = LakehouseOptions.embedded(data);
    try (Lakehouse lakehouse = Lakehouse.open(options)) {
      lakehouse.init();
    }
    LocalClusterITCase.writeDataset(options, records);
    System.out.printf(Locale.ROOT, "%,d records, logistic regression, 1,024 features, %s iterations, %d runs each%n",
        records, maxIter, runs);

    double local = median(time(repo, data, runs, maxIter, "-D", "ledgerlake.spark.master=local[2]"));
    System.out.printf(Locale.ROOT, "local[2]                       median %6.1f s  ratio 1.00%n", local);
    for (int workers : new int[] {1, 2}) {
      Path state = work.resolve("cluster-" + workers);
      String up = script(repo, state, "up", "--no-postgres", "--workers", Integer.toString(workers), "--worker-cores", "1",
          "--worker-memory", "1g");
      Path props = state.resolve("ledgerlake.properties");
      if (!Files.isRegularFile(props)) {
        System.out.println("the local cluster did not start:\n" + up);
        return;
      }
      try {
        double t = median(time(repo, data, runs, maxIter, "--config", props.toString()));
        System.out.printf(Locale.ROOT, "standalone, %d worker(s) x 1 core median %6.1f s  ratio %.2f%n", workers, t,
            t / local);
      } finally {
        script(repo, state, "down");
      }
    }
  }

  private static double[] time(Path repo, Path data, int runs, String maxIter, String... extra)
      throws IOException, InterruptedException {
    double[] seconds = new double[runs];
    for (int r = 0; r < runs; r++) {
      List<String> command = new ArrayList<>(List.of(repo.resolve("ledgerlake").toString(), "--data-dir",
          data.toString()));
      command.addAll(Arrays.asList(LocalClusterITCase.trainWith(maxIter, extra)));
      long start = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(data.resolveSibling("train.log").toFile()).start();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("train failed; see " + data.resolveSibling("train.log"));
      }
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    return seconds;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The repository: the first directory upwards from here with the local-cluster script (Maven may run us anywhere). */
  private static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("infra/local-cluster/local-cluster.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException("run from inside the LedgerLake repository");
  }

  private static String script(Path repo, Path state, String action, String... extra)
      throws IOException, InterruptedException {
    return LocalClusterScript.of(repo, state).run(action, extra);
  }

}
