package io.ledgerlake.ingestion.server;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.SiweAuthenticator;
import io.ledgerlake.ingestion.auth.FileTokenStore;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.content.ContentSink;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload HTTP server: Jetty core (no servlets), for its idle timeout on every read and write, its asynchronous
 * reads (a connection waiting for bytes holds no thread), its header size bound and connection listeners (the
 * per-client connection bound); see docs/decisions/ingestion-http-server.md. Everything it persists lives under the
 * data dir: {@code auth/}, {@code datasets/}, {@code submissions/}, {@code dedup/}, {@code uploads/}.
 */
public final class IngestionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionServer.class);

  private final Server http;
  private final URI baseUri;
  private final UploadService uploads;
  private final ResumableUploads resumable;

  private IngestionServer(Server http, URI baseUri, UploadService uploads, ResumableUploads resumable) {
    this.resumable = resumable;
    this.http = http;
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
    try {
      http.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Graceful stop waits up to a second for requests in flight; idle keep-alive connections are then closed.
      LOG.debug("Upload API at {}: connections still open after the stop timeout were closed", baseUri);
    } catch (Exception e) {
      LOG.warn("Upload API at {} did not stop cleanly: {}", baseUri, e.toString());
    }
    resumable.close();
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
    private io.ledgerlake.ingestion.dataset.DatasetCatalog datasets; // null: files under the data dir
    private TokenStore tokens; // null: a FileTokenStore under the data dir

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
    /** Where dataset definitions live; by default files under the data directory ({@link DatasetFiles#catalog}). */
    /** Where API tokens live (e.g. the catalog database shared by several ups); by default a file under the data dir. */
    public Builder tokens(TokenStore value) {
      this.tokens = value;
      return this;
    }

    public Builder datasets(io.ledgerlake.ingestion.dataset.DatasetCatalog value) {
      this.datasets = value;
      return this;
    }

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
      long idleTimeoutMs = options.getDuration(IngestionOptions.HTTP_IDLE_TIMEOUT).toMillis();
      if (idleTimeoutMs <= 0) {
        throw new IllegalArgumentException(IngestionOptions.HTTP_IDLE_TIMEOUT + " must be positive, got "
            + options.getString(IngestionOptions.HTTP_IDLE_TIMEOUT));
      }
      long maxPerClient = options.getLong(IngestionOptions.HTTP_MAX_CONNECTIONS_PER_CLIENT);
      if (maxPerClient < 1) {
        throw new IllegalArgumentException(IngestionOptions.HTTP_MAX_CONNECTIONS_PER_CLIENT + " must be at least 1");
      }

      // Handler threads, plus one acceptor and one selector thread (which never run handlers).
      int threads = (int) Math.max(2, options.getLong(IngestionOptions.HTTP_THREADS));
      QueuedThreadPool pool = new QueuedThreadPool(threads + 2, Math.min(4, threads + 2));
      pool.setName("ledgerlake-http");
      pool.setDaemon(true);
      pool.setReservedThreads(0);
      Server http = new Server(pool);
      HttpConfiguration config = new HttpConfiguration();
      config.setRequestHeaderSize((int) Math.min(Integer.MAX_VALUE,
          options.getLong(IngestionOptions.HTTP_MAX_HEADER_BYTES)));
      config.setSendServerVersion(false);
      config.setSendXPoweredBy(false);
      ServerConnector connector = new ServerConnector(http, 1, 1, new HttpConnectionFactory(config));
      connector.setHost(host);
      connector.setPort(port);
      connector.setIdleTimeout(idleTimeoutMs);
      connector.setAcceptQueueSize(64);
      connector.addBean(new ClientConnectionLimit(maxPerClient));
      http.addConnector(connector);
      http.setErrorHandler(Builder::jsonError);
      http.setStopTimeout(1000);
      connector.open(); // binds now, so that the base URI (with an ephemeral port) is known to the SIWE domain check
      URI base = URI.create("http://" + host + ":" + connector.getLocalPort());

      TokenStore tokens = this.tokens != null ? this.tokens
          : new FileTokenStore(dataDir.resolve("auth"), options.getDuration(IngestionOptions.AUTH_TOKEN_TTL), clock);
      tokens.purgeExpired(); // expired tokens are refused anyway; this keeps the store from growing forever
      SiweAuthenticator siwe = SiweAuthenticator.create(options, base.toString(), tokens, clock);
      DatasetStore datasets = new DatasetStore(this.datasets != null ? this.datasets : DatasetFiles.catalog(dataDir));
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
          options.getLong(IngestionOptions.MAX_UPLOAD_BYTES), options.getLong(IngestionOptions.HTTP_ERROR_DRAIN_BYTES),
          clock, all);
      http.setHandler(api);
      try {
        http.start();
      } catch (Exception e) {
        try {
          http.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e instanceof IOException io ? io : new IOException("Cannot start the upload API on " + host + ":"
            + port + ": " + e.getMessage(), e);
      }
      LOG.info("Upload API listening on {} (data in {}; idle timeout {} ms, {} connections per client)", base,
          dataDir, idleTimeoutMs, maxPerClient);
      return new IngestionServer(http, base, uploads, resumable);
    }

    /**
     * Errors Jetty answers itself, before a request reaches the API (a malformed request, headers over
     * {@code ledgerlake.ingestion.http.max-header-bytes}): the API's JSON error shape.
     */
    private static boolean jsonError(Request request, org.eclipse.jetty.server.Response response,
        org.eclipse.jetty.util.Callback callback) {
      int status = response.getStatus();
      Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      String code = switch (status) {
        case 400 -> "BAD_REQUEST";
        case 408 -> "REQUEST_TIMEOUT";
        case 413 -> "REQUEST_TOO_LARGE";
        case 414 -> "URI_TOO_LONG";
        case 431 -> "HEADERS_TOO_LARGE";
        default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
      };
      String text = message == null ? "HTTP " + status : message.toString();
      if (status == 431) {
        text += "; request headers are limited to " + IngestionOptions.HTTP_MAX_HEADER_BYTES;
      }
      byte[] body;
      try {
        body = Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("code", code).put("message", text));
      } catch (IOException e) {
        callback.failed(e);
        return true;
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }

    private static void check(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException("IngestionServer.builder(): '" + name + "' is required");
      }
    }
  }
}
