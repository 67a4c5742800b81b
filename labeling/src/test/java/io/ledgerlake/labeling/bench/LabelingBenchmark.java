package io.ledgerlake.labeling.bench;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.dedup.ExactDuplicateLabeler;
import io.ledgerlake.labeling.dedup.MinHasher;
import io.ledgerlake.labeling.dedup.NearDuplicateLabeler;
import io.ledgerlake.labeling.label.Labeler;
import io.ledgerlake.labeling.pii.Bip39Wordlist;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;

/**
 * Records/s through each labeler and the whole labeling stage on ~1 KB synthetic texts, against a baseline measured in
 * the same run: what ingestion does per record (UTF-8 encode + SHA-256). Run (see docs/benchmarks.md, "Labeling"):
 *
 * <pre>
 * mvn -B -q -pl labeling -am test-compile
 * mvn -B -q -pl labeling exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.ledgerlake.labeling.bench.LabelingBenchmark [-Dexec.args="5000 3"]
 * </pre>
 *
 * Arguments: record count (default 5,000), measured rounds (default 3; the median round is reported). Each case gets
 * a warm-up pass first. Stateful labelers get fresh state each round so every round does the same work.
 */
public final class LabelingBenchmark {
  private LabelingBenchmark() {}

  private static volatile long sink;
  private static final long MIN_ROUND_NANOS = 2_000_000_000L;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> texts = texts(n, 7);
    double meanBytes = texts.stream().mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length).average().orElse(0);
    LabelingOptions options = LabelingOptions.fromMap(Map.of(LabelingOptions.LSH_CAPACITY, Integer.toString(n)));
    LabelingPipeline pipeline = new LabelingPipeline(options);
    System.out.printf(Locale.ROOT, "records=%d mean_bytes=%.0f rounds=%d cores=%d java=%s%n", n, meanBytes, rounds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

    List<String[]> rows = new ArrayList<>();
    double base = measure("baseline: UTF-8 + SHA-256", texts, rounds, LabelingBenchmark::sha256, rows, 0);
    for (Labeler l : pipeline.labelers()) {
      if (l instanceof ExactDuplicateLabeler e) {
        measureStateful(l.id(), texts, rounds, rows, base, () -> {
          var index = e.newIndex();
          return (String t) -> e.label("c" + t.hashCode(), t, index).size();
        });
      } else if (l instanceof NearDuplicateLabeler nd) {
        MinHasher hasher = nd.hasher();
        measure("  minhash signature only (120 x 5-word shingles)", texts, rounds, t -> hasher.signature(t)[0],
            rows, base);
        measureStateful(l.id(), texts, rounds, rows, base, () -> {
          var index = nd.newIndex();
          int[] seq = {0};
          return (String t) -> nd.label("c" + seq[0]++, t, index).size();
        });
      } else {
        measure(l.id(), texts, rounds, t -> l.label("cid", t).size(), rows, base);
      }
    }
    measureStateful("whole stage (LabelingPipeline.process), 1 thread", texts, rounds, rows, base, () -> {
      LabelingState state = pipeline.newState();
      int[] seq = {0};
      return (String t) -> pipeline.process("c" + seq[0]++, t, state).labels().size();
    });
    double twoThreads = twoThreads(pipeline, texts, rounds);
    rows.add(new String[] {"whole stage, 2 threads (state per thread)", fmt(twoThreads), ratio(twoThreads, base)});

    System.out.println();
    System.out.println("| case | records/s | vs baseline |");
    System.out.println("| --- | ---: | ---: |");
    for (String[] r : rows) {
      System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
    }
    System.out.println("(sink " + sink + ")");
  }

  private interface Factory {
    ToLongFunction<String> create();
  }

  private static double measure(String name, List<String> texts, int rounds, ToLongFunction<String> f,
      List<String[]> rows, double base) {
    return measureStateful(name, texts, rounds, rows, base, () -> f);
  }

  private static double measureStateful(String name, List<String> texts, int rounds, List<String[]> rows, double base,
      Factory factory) {
    run(texts, factory.create()); // warm-up
    double[] rates = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      // repeat whole passes (fresh state each) for at least MIN_ROUND_NANOS, so fast cases such as the baseline are
      // not measured over a few milliseconds that one scheduler hiccup can double
      long records = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        run(texts, factory.create());
        records += texts.size();
        elapsed = System.nanoTime() - start;
      } while (elapsed < MIN_ROUND_NANOS);
      rates[r] = records / (elapsed / 1e9);
    }
    Arrays.sort(rates);
    double median = rates[rounds / 2];
    rows.add(new String[] {name, fmt(median), base == 0 ? "1.00" : ratio(median, base)});
    System.out.printf(Locale.ROOT, "%-60s %12.0f rec/s%n", name, median);
    return median;
  }

  private static void run(List<String> texts, ToLongFunction<String> f) {
    long acc = 0;
    for (String t : texts) {
      acc += f.applyAsLong(t);
    }
    sink += acc;
  }

  private static double twoThreads(LabelingPipeline pipeline, List<String> texts, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      double[] rates = new double[rounds + 1];
      for (int r = 0; r <= rounds; r++) {
        long start = System.nanoTime();
        List<Future<Long>> fs = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
          List<String> half = texts.subList(part * texts.size() / 2, (part + 1) * texts.size() / 2);
          int p = part;
          fs.add(pool.submit(() -> {
            LabelingState state = pipeline.newState();
            long acc = 0;
            int seq = 0;
            for (String t : half) {
              acc += pipeline.process("c" + p + "-" + seq++, t, state).labels().size();
            }
            return acc;
          }));
        }
        for (Future<Long> f : fs) {
          sink += f.get();
        }
        rates[r] = texts.size() / ((System.nanoTime() - start) / 1e9);
      }
      double[] measured = Arrays.copyOfRange(rates, 1, rates.length); // round 0 is the warm-up
      Arrays.sort(measured);
      double median = measured[measured.length / 2];
      System.out.printf(Locale.ROOT, "%-60s %12.0f rec/s%n", "whole stage, 2 threads", median);
      return median;
    } finally {
      pool.shutdown();
    }
  }

  private static String fmt(double rate) {
    return String.format(Locale.ROOT, "%,.0f", rate);
  }

  /** Throughput relative to the baseline: 0.25 means a quarter of the records/s of hashing alone. */
  private static String ratio(double rate, double base) {
    return String.format(Locale.ROOT, "%.3f", rate / base);
  }

  private static long sha256(String t) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return md.digest(t.getBytes(StandardCharsets.UTF_8))[0];
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * ~1 KB English-like texts: sentences from the BIP-39 words plus function words; 10% carry PII (email, phone, card),
   * 5% are exact copies and 5% near copies of an earlier text, 1% contain a lexicon phrase.
   */
  static List<String> texts(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> vocab = Bip39Wordlist.english().words();
    String[] function = {"the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "on", "was", "it"};
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      if (i > 10 && u < 0.05) {
        out.add(out.get(random.nextInt(i)));
        continue;
      }
      if (i > 10 && u < 0.10) {
        String base = out.get(random.nextInt(i));
        out.add(base.substring(0, base.length() / 2) + " " + vocab.get(random.nextInt(vocab.size()))
            + base.substring(base.length() / 2));
        continue;
      }
      StringBuilder sb = new StringBuilder(1100);
      while (sb.length() < 1000) {
        int words = 8 + random.nextInt(12);
        for (int w = 0; w < words; w++) {
          String word = random.nextInt(3) == 0 ? function[random.nextInt(function.length)]
              : vocab.get(random.nextInt(vocab.size()));
          if (w == 0) {
            word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
          }
          sb.append(word).append(w == words - 1 ? ". " : " ");
        }
        if (random.nextInt(40) == 0) {
          sb.append("\n\n");
        }
      }
      if (u < 0.20) {
        sb.append(switch (random.nextInt(3)) {
          case 0 -> "Write to user" + i + "@example.com for details. ";
          case 1 -> "Call +1 212-736-5000 today. ";
          default -> "Card 4111 1111 1111 1111 was used. ";
        });
      }
      if (u > 0.99) {
        sb.append("Someone wrote i will kill you on the wall. ");
      }
      out.add(sb.toString());
    }
    return out;
  }
}
