package io.ledgerlake.rag.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark harness (run on purpose, not a unit test): sentences/s of the JVM embedder against the same model files
 * in node (onnxruntime-node, src/test/js/bench-embed.mjs), same sentences, same batch size, same intra-op thread
 * count, alternating in one run; each side runs in its own process so its peak RSS is its own. Usage
 * (docs/benchmarks.md): {@code EmbeddingBenchmark [sentences=2000] [batch=64] [threads=2] [rounds=4]}.
 *
 * <p>Sides: {@code jvm} = {@link SentenceEmbedder} as shipped (length-sorted groups, each padded to its own longest
 * text), with the given intra-op threads; {@code jvm per-text} = langchain4j's encoder, one unpadded call per text
 * (what {@code SentenceEmbedder} ran before it batched), same threads; {@code js per-text} = one unpadded call per
 * text like langchain4j; {@code js padded} = one padded call per batch (a JS application's usual batching, the
 * same batch size).
 */
public final class EmbeddingBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddingBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jvm-child")) {
      child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;

    Path work = Files.createTempDirectory("ledgerlake-embed-bench-");
    Path sentencesFile = work.resolve("sentences.json");
    List<String> sentences = sentences(n, 42);
    JSON.writeValue(sentencesFile.toFile(), sentences);
    MiniLmFiles.Paths files = MiniLmFiles.extract();
    System.out.printf(Locale.ROOT, "%d sentences (%.1f words on average), batch %d, %d intra-op threads, %d rounds; "
        + "load average at start: %s%n", n, sentences.stream().mapToInt(s -> s.split(" ").length).average().orElse(0),
        batch, threads, rounds, loadAverage());

    String[] sides = {"jvm", "js per-text", "jvm per-text", "js padded"};
    double[][] rate = new double[sides.length][rounds];
    double[] rss = new double[sides.length];
    float[] reference = null;
    for (int r = 0; r < rounds; r++) {
      // Reverse the order every other round: the machine's load drifts, and no side should always go first.
      for (int step = 0; step < sides.length; step++) {
        int s = r % 2 == 0 ? step : sides.length - 1 - step;
        JsonNode out = sides[s].startsWith("js")
            ? JSON.readTree(MiniLmFiles.scripts().exec(3600, "bench-embed.mjs", files.model().toString(),
                files.tokenizer().toString(), sentencesFile.toString(), String.valueOf(batch), String.valueOf(threads),
                sides[s].substring(3)))
            : runJvmChild(sentencesFile, batch, threads, sides[s]);
        float[] first = new float[out.get("first_vector").size()];
        for (int i = 0; i < first.length; i++) {
          first[i] = (float) out.get("first_vector").get(i).asDouble();
        }
        // Every side must compute the same thing, or the rates compare different work.
        if (reference == null) {
          reference = first;
        } else if (ParityFixture.cosine(reference, first) < 0.999) {
          throw new AssertionError(sides[s] + " computed a different vector for sentence 0");
        }
        rate[s][r] = out.get("sentences").asDouble() / out.get("seconds").asDouble();
        rss[s] = Math.max(rss[s], out.get("peak_rss_mb").asDouble());
        System.out.printf(Locale.ROOT, "round %d %-12s %7.1f sentences/s  load %.1f s  peak RSS %5.0f MB%s  (%s)%n", r,
            sides[s], rate[s][r], out.get("load_seconds").asDouble(), out.get("peak_rss_mb").asDouble(),
            out.has("peak_heap_mb") ? String.format(Locale.ROOT, ", peak heap %.0f MB", out.get("peak_heap_mb")
                .asDouble()) : "", out.get("runtime").asText());
      }
    }
    System.out.printf(Locale.ROOT, "best of %d rounds, sentences/s: jvm %.1f, js per-text %.1f, jvm per-text %.1f, "
        + "js padded %.1f%n", rounds, best(rate[0]), best(rate[1]), best(rate[2]), best(rate[3]));
    // Per-round ratios compare sides measured minutes apart under the same load; their median resists a noisy round.
    System.out.printf(Locale.ROOT, "ratios, median of rounds: jvm / js per-text = %.2f (per round:%s); "
        + "jvm / js padded = %.2f (%s); jvm per-text / js per-text = %.2f (%s)%n",
        medianRatio(rate[0], rate[1]), perRound(rate[0], rate[1]), medianRatio(rate[0], rate[3]),
        perRound(rate[0], rate[3]), medianRatio(rate[2], rate[1]), perRound(rate[2], rate[1]));
    System.out.printf(Locale.ROOT, "peak RSS MB: jvm %.0f, js per-text %.0f, jvm per-text %.0f, js padded %.0f; "
        + "load average at end: %s%n", rss[0], rss[1], rss[2], rss[3], loadAverage());
  }

  /** Deterministic English-like sentences of 6 to 40 words, so both runtimes get identical input. */
  static List<String> sentences(int n, long seed) {
    String[] words = ("the a of to and in is was for on that with as by at from it this be are which an or have "
        + "dataset record version model index query label contributor ledger vector quality review training value "
        + "report market price company revenue growth city river mountain weather winter summer music student school "
        + "teacher doctor patient hospital court law policy government election energy solar battery engine car "
        + "train station airport flight ticket book library history science experiment result analysis network "
        + "server database cloud storage security password user account payment invoice order customer product "
        + "delivered rapidly carefully quietly new old large small important difficult simple 2024 15 3.5 42%").split(" ");
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = 6 + random.nextInt(35);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < len; w++) {
        String word = words[random.nextInt(words.length)];
        sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
        if (w > 0 && w < len - 1 && random.nextInt(12) == 0) {
          sb.append(',');
        }
      }
      out.add(sb.append('.').toString());
    }
    return out;
  }

  private static JsonNode runJvmChild(Path sentences, int batch, int threads, String side) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        EmbeddingBenchmark.class.getName(), "jvm-child", sentences.toString(), String.valueOf(batch),
        String.valueOf(threads), side).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("JVM side " + side + " failed: " + out);
    }
    return JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  /** One side in this (child) JVM; prints one JSON line like bench-embed.mjs. */
  private static void child(Path sentencesFile, int batch, int threads, String side) throws Exception {
    List<String> sentences = List.of(JSON.readValue(sentencesFile.toFile(), String[].class));
    long l0 = System.nanoTime();
    Embedder embedder = side.equals("jvm") ? new SentenceEmbedder(threads)::embed : perTextWithThreads(threads);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    float[] first = embedder.embed(sentences.subList(0, Math.min(batch, sentences.size()))).get(0); // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < sentences.size(); i += batch) {
      embedder.embed(sentences.subList(i, Math.min(i + batch, sentences.size())));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ObjectNode out = JSON.createObjectNode();
    out.put("runtime", "JDK " + Runtime.version() + ", onnxruntime (Java) " + OrtEnvironment.getEnvironment()
        .getVersion() + (side.equals("jvm") ? ", SentenceEmbedder" : ", langchain4j-embeddings"));
    out.put("sentences", sentences.size());
    out.put("seconds", seconds);
    out.put("load_seconds", loadSeconds);
    out.put("peak_rss_mb", peakRssMb());
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    out.put("peak_heap_mb", heap / 1048576.0);
    var v = out.putArray("first_vector");
    for (float x : first) {
      v.add(x);
    }
    System.out.println(JSON.writeValueAsString(out));
  }

  interface Embedder {
    List<float[]> embed(List<String> texts);
  }

  /**
   * langchain4j's all-MiniLM-L6-v2 encoder exactly as AllMiniLmL6V2EmbeddingModel builds it (same model bytes, same
   * tokenizer resource, mean pooling, calling thread), except that the session's intra-op thread count is set.
   */
  private static Embedder perTextWithThreads(int threads) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    byte[] model;
    try (InputStream in = SentenceEmbedder.class.getResourceAsStream(SentenceEmbedder.MODEL_RESOURCE)) {
      model = in.readAllBytes();
    }
    OnnxBertBiEncoder encoder;
    try (InputStream tokenizer = SentenceEmbedder.class.getResourceAsStream(MiniLmFiles.TOKENIZER_RESOURCE)) {
      encoder = new OnnxBertBiEncoder(env, env.createSession(model, options), tokenizer, PoolingMode.MEAN);
    }
    AbstractInProcessEmbeddingModel m = new AbstractInProcessEmbeddingModel(Runnable::run) {
      @Override
      protected OnnxBertBiEncoder model() {
        return encoder;
      }
    };
    return texts -> m.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
        .map(e -> SentenceEmbedder.normalize(e.vector())).toList();
  }

  private static double peakRssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static double best(double[] rates) {
    double b = 0;
    for (double r : rates) {
      b = Math.max(b, r);
    }
    return b;
  }

  private static double medianRatio(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    java.util.Arrays.sort(r);
    return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  }

  private static String perRound(double[] a, double[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length; i++) {
      sb.append(String.format(Locale.ROOT, " %.2f", a[i] / b[i]));
    }
    return sb.toString();
  }
}
