package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.ingestion.testing.FileContentStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark harness (not a test): upload MB/s of one large file over loopback (HTTP → SHA-256 → file → fsync → Kafka
 * append) against a raw sequential write + fsync of the same bytes in the same run. Prints peak RSS and peak heap of
 * the JVM (client and server share it). The content store is the test FileContentStore until the content module is
 * wired in. Run: see docs/benchmarks.md.
 */
public final class UploadBenchmark {
  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    Path work = Files.createTempDirectory("ledgerlake-upload-bench");
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    try {
      Path file = work.resolve("upload.jsonl");
      byte[] line = ("{\"id\":1,\"text\":\"" + "x".repeat(1000) + "\"}\n").getBytes();
      ByteBuffer block = ByteBuffer.allocate(1 << 20);
      while (block.remaining() >= line.length) {
        block.put(line);
      }
      while (block.hasRemaining()) {
        block.put((byte) '\n');
      }
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (long i = 0; i < mib; i++) {
          block.flip();
          while (block.hasRemaining()) {
            out.write(block);
          }
        }
      }
      long bytes = Files.size(file);

      IngestionOptions options = IngestionOptions.defaultOptions()
          .with(IngestionOptions.DATA_DIR, work.resolve("data").toString())
          .with(IngestionOptions.HTTP_PORT, 0);
      FileContentStore content = new FileContentStore(work.resolve("data/content"));
      try (IngestionPlatform platform = IngestionPlatform.start(options, content, content,
          SubmissionStatusSource.none(), Clock.systemUTC())) {
        IngestionClient anonymous = new IngestionClient(platform.server().baseUri(), Optional.empty());
        String token = anonymous.login(DevKeyFile.generate(work.resolve("key.json")));
        IngestionClient client = anonymous.withToken(token);
        HttpClient http = HttpClient.newHttpClient();
        for (int round = 0; round < 2; round++) {
          String dataset = client.createDataset(Json.MAPPER.readTree("{\"name\":\"bench\",\"format\":\"jsonl\","
              + "\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"text\",\"type\":\"string\"}]}}"));
          double raw = rawWrite(file, work.resolve("raw-" + round), bytes);
          long start = System.nanoTime();
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                  platform.server().baseUri().resolve("/v1/datasets/" + dataset + "/uploads"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
          double upload = bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
          if (response.statusCode() != 202) {
            throw new IllegalStateException("upload failed: " + response.body());
          }
          Files.deleteIfExists(work.resolve("raw-" + round));
          System.out.printf("round %d: %d MiB; raw write+fsync %.0f MB/s; upload over loopback %.0f MB/s; ratio %.2f%n",
              round, mib, raw, upload, upload / raw);
        }
      }
      System.out.printf("peak heap used %.0f MB; peak RSS %s%n", peakHeap.get() / 1e6, peakRss());
    } finally {
      sampler.interrupt();
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Reads the source like the upload does and writes it sequentially, then fsyncs: the local ceiling. */
  private static double rawWrite(Path source, Path target, long bytes) throws IOException {
    long start = System.nanoTime();
    try (FileChannel in = FileChannel.open(source); FileChannel out = FileChannel.open(target,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
      while (in.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        buffer.clear();
      }
      out.force(true);
    }
    return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("n/a");
    } catch (IOException e) {
      return "n/a";
    }
  }
}
