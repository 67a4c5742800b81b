package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.SiweAuthenticator;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.content.ContentSink;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload HTTP server: JDK {@code com.sun.net.httpserver} (no extra dependency, streams request bodies, handles
 * chunked transfer; see docs/decisions/ingestion-upload-api.md). Everything it persists lives under the data dir:
 * {@code auth/}, {@code datasets/}, {@code submissions/}, {@code dedup/}, {@code uploads/}.
 */
public final class IngestionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionServer.class);

  private final HttpServer http;
  private final ExecutorService executor;
  private final URI baseUri;
  private final UploadService uploads;

  private IngestionServer(HttpServer http, ExecutorService executor, URI baseUri, UploadService uploads) {
    this.http = http;
    this.executor = executor;
    this.baseUri = baseUri;
    this.uploads = uploads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** e.g. {@code http://127.0.0.1:8080} */
  public URI baseUri() {
    return baseUri;
  }

  /** The upload path without HTTP, for in-process callers (CLI submit against an embedded platform, tests). */
  public UploadService uploads() {
    return uploads;
  }

  @Override
  public void close() {
    http.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    LOG.info("Upload API at {} stopped", baseUri);
  }

  /** Collects the collaborators; {@link #start()} validates that each is set. */
  public static final class Builder {
    private IngestionOptions options = IngestionOptions.defaultOptions();
    private Path dataDir;
    private ContentSink contentSink;
    private ContentSource contentSource;
    private SubmissionLog submissionLog;
    private SubmissionStatusSource statusSource = SubmissionStatusSource.none();
    private IngestionReadiness readiness = IngestionReadiness.alwaysReady();
    private Clock clock = Clock.systemUTC();
    private final java.util.List<ApiExtension> extensions = new java.util.ArrayList<>();

    public Builder options(IngestionOptions value) {
      this.options = requireNonNull(value, "options");
      return this;
    }

    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    public Builder contentSink(ContentSink value) {
      this.contentSink = value;
      return this;
    }

    public Builder contentSource(ContentSource value) {
      this.contentSource = value;
      return this;
    }

    public Builder submissionLog(SubmissionLog value) {
      this.submissionLog = value;
      return this;
    }

    public Builder statusSource(SubmissionStatusSource value) {
      this.statusSource = requireNonNull(value, "statusSource");
      return this;
    }

    /** What is asked before each upload is admitted, and reported by {@code GET /health}. */
    public Builder readiness(IngestionReadiness value) {
      this.readiness = requireNonNull(value, "readiness");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    /** Adds endpoints served by another module (e.g. annotation); tried in the order added. */
    public Builder extension(ApiExtension value) {
      this.extensions.add(requireNonNull(value, "extension"));
      return this;
    }

    public IngestionServer start() throws IOException {
      check(dataDir, "dataDir");
      check(contentSink, "contentSink");
      check(contentSource, "contentSource");
      check(submissionLog, "submissionLog");
      String host = options.getString(IngestionOptions.HTTP_HOST);
      int port = (int) options.getLong(IngestionOptions.HTTP_PORT);
      HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
      URI base = URI.create("http://" + host + ":" + http.getAddress().getPort());

      TokenStore tokens = new TokenStore(dataDir.resolve("auth"), options.getDuration(IngestionOptions.AUTH_TOKEN_TTL),
          clock);
      SiweAuthenticator siwe = SiweAuthenticator.create(options, base.toString(), tokens, clock);
      DatasetStore datasets = new DatasetStore(DatasetFiles.dir(dataDir));
      SubmissionStore submissions = new SubmissionStore(dataDir);
      UploadLimiter limiter = new UploadLimiter(options.getLong(IngestionOptions.RATE_UPLOADS_PER_MINUTE),
          options.getLong(IngestionOptions.QUOTA_BYTES_PER_DAY), clock);
      UploadService uploads = new UploadService(datasets, submissions, contentSink, contentSource, submissionLog,
          UploadParser.create(ParseLimits.from(options)), limiter, options, clock, readiness);
      ResumableUploads resumable = new ResumableUploads(dataDir.resolve("uploads"), uploads,
          options.getDuration(IngestionOptions.UPLOAD_SESSION_TTL), clock);
      java.util.List<ApiExtension> all = new java.util.ArrayList<>(extensions);
      all.add(new HealthEndpoint(readiness));
      HttpApi api = new HttpApi(tokens, siwe, datasets, submissions, uploads, resumable, statusSource,
          options.getLong(IngestionOptions.MAX_UPLOAD_BYTES), clock, all);

      int threads = (int) options.getLong(IngestionOptions.HTTP_THREADS);
      AtomicInteger counter = new AtomicInteger();
      ExecutorService executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ledgerlake-http-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      http.setExecutor(executor);
      http.createContext("/", api);
      http.start();
      LOG.info("Upload API listening on {} (data in {})", base, dataDir);
      return new IngestionServer(http, executor, base, uploads);
    }

    private static void check(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException("IngestionServer.builder(): '" + name + "' is required");
      }
    }
  }
}
