package io.ledgerlake.ingestion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.kafka.EmbeddedKafkaBroker;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.ingestion.testing.FileContentStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misbehaving clients against the upload API over real loopback HTTP (raw sockets for the misbehaving ones): silent
 * uploads, bodies longer or shorter than declared, oversized JSON, uploads without a token. The server must keep
 * answering everyone else, answer each of them with the API's JSON error, and store nothing.
 */
class HttpHardeningITCase {
  @TempDir
  static Path dir;

  static EmbeddedKafkaBroker broker;
  static final String TOPIC = "submissions-hardening";

  @BeforeAll
  static void startBroker() throws IOException {
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Duration.ofSeconds(60));
    SubmissionLog.ensureTopic(broker.bootstrapServers(), TOPIC, 1, Optional.of((short) 1), Map.of());
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  record Running(IngestionServer server, SubmissionLog log, Path dataDir, ApiClient api, String datasetId)
      implements AutoCloseable {
    URI base() {
      return server.baseUri();
    }

    /** Everything stored so far: content files (also partial ones) and submission records. */
    List<String> stored() throws IOException {
      List<String> out = new ArrayList<>();
      for (String sub : List.of("content", "submissions")) {
        Path p = dataDir.resolve(sub);
        if (Files.isDirectory(p)) {
          try (Stream<Path> files = Files.walk(p)) {
            files.filter(Files::isRegularFile).map(f -> dataDir.relativize(f).toString()).forEach(out::add);
          }
        }
      }
      return out;
    }

    @Override
    public void close() {
      server.close();
      log.close();
    }
  }

  /** A server, a signed-in client and a document dataset of that client. */
  static Running start(String name, Map<String, String> extra) throws Exception {
    IngestionOptions options = IngestionOptions.defaultOptions()
        .with(IngestionOptions.HTTP_PORT, 0)
        .with(IngestionOptions.KAFKA_TOPIC, TOPIC)
        .with(IngestionOptions.KAFKA_SEND_TIMEOUT, "PT20S");
    for (Map.Entry<String, String> e : extra.entrySet()) {
      options = options.with(e.getKey(), e.getValue());
    }
    Path dataDir = dir.resolve(name);
    FileContentStore content = new FileContentStore(dataDir.resolve("content"));
    SubmissionLog log = SubmissionLog.connect(broker.bootstrapServers(), options);
    IngestionServer server = IngestionServer.builder().options(options).dataDir(dataDir).contentSink(content)
        .contentSource(content).submissionLog(log).statusSource(SubmissionStatusSource.none()).start();
    ApiClient api = new ApiClient(server.baseUri()).login(DevKeyFile.generate(dir.resolve("keys/" + name + ".json")));
    String datasetId = api.createDataset("{\"name\":\"docs\",\"format\":\"document\"}");
    return new Running(server, log, dataDir, api, datasetId);
  }

  // ---- raw HTTP/1.1 ------------------------------------------------------------------------------------------

  record RawResponse(int status, Map<String, String> headers, byte[] body) {
    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Socket connect(URI base) throws IOException {
    return connect(base, null);
  }

  /** A socket to the server, from {@code from} (another loopback address) when given. */
  static Socket connect(URI base, InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  static void sendHead(Socket socket, String method, String path, Map<String, String> headers) throws IOException {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one response (status line, headers, Content-Length body). */
  static RawResponse readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new RawResponse(status, headers, in.readNBytes(length));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  /** True once the server has closed the connection (EOF or reset), reading and discarding what it still sends. */
  static boolean closedByServer(Socket socket) throws IOException {
    try {
      InputStream in = socket.getInputStream();
      byte[] scratch = new byte[4096];
      while (in.read(scratch) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  static Map<String, String> uploadHeaders(String token, long contentLength) {
    Map<String, String> h = new LinkedHashMap<>();
    if (token != null) {
      h.put("Authorization", "Bearer " + token);
    }
    h.put("Content-Type", "text/plain");
    h.put("Content-Length", Long.toString(contentLength));
    return h;
  }

  static byte[] text(int bytes, char c) {
    byte[] out = new byte[bytes];
    Arrays.fill(out, (byte) c);
    return out;
  }

  /** Collects what one logger logs at ERROR (the API must not log a client's fault as a server error). */
  static final class ErrorCapture extends AbstractAppender implements AutoCloseable {
    final List<String> errors = new CopyOnWriteArrayList<>();
    private final Logger logger;

    ErrorCapture(Class<?> of) {
      super("capture-" + of.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
      logger = (Logger) LogManager.getLogger(of);
      start();
      logger.addAppender(this);
    }

    @Override
    public void append(LogEvent event) {
      if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
        errors.add(event.getMessage().getFormattedMessage());
      }
    }

    @Override
    public void close() {
      logger.removeAppender(this);
      stop();
    }
  }

  // ---- tests ---------------------------------------------------------------------------------------------------

  /** (a) Silent uploads, with and without a token, cost connections: everyone else is still answered at once. */
  @Test
  void stalledUploadsDoNotStopTheApiAndAreClosedAfterTheIdleTimeout() throws Exception {
    // Default bound of 64 connections per client address: 32 silent uploads from 127.0.0.1 are all accepted.
    try (Running running = start("stalled", Map.of(IngestionOptions.HTTP_IDLE_TIMEOUT, "PT3S"))) {
      String path = "/v1/datasets/" + running.datasetId() + "/uploads?filename=stalled";
      List<String> before = running.stored();
      List<Socket> authenticated = new ArrayList<>();
      List<Socket> anonymous = new ArrayList<>();
      long opened = System.nanoTime();
      for (int i = 0; i < 32; i++) {
        Socket s = connect(running.base());
        sendHead(s, "POST", path, uploadHeaders(i % 2 == 0 ? running.api().token : null, 1_000));
        (i % 2 == 0 ? authenticated : anonymous).add(s);
      }
      try {
        // The thread pool has 16 handler threads; 32 silent uploads hold none of them.
        long t0 = System.nanoTime();
        ApiClient.Response openApi = new ApiClient(running.base()).get("/openapi.json");
        assertThat(openApi.status()).isEqualTo(200);
        ApiClient.Response upload = running.api().upload(running.datasetId(), "text/plain",
            "a real upload".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.raw().body()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

        // Without a token: 401 from the headers alone, the body is never waited for, the connection closed.
        for (Socket s : anonymous) {
          RawResponse r = readResponse(s.getInputStream());
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.json().path("code").asText()).isEqualTo("TOKEN_MISSING");
          assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        }
        // With a token: answered 408 and closed once silent for the idle timeout (3 s), not before, not much after.
        for (Socket s : authenticated) {
          RawResponse r = readResponse(s.getInputStream());
          assertThat(r.status()).isEqualTo(408);
          assertThat(r.json().path("code").asText()).isEqualTo("REQUEST_TIMEOUT");
          assertThat(closedByServer(s)).isTrue();
        }
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - opened);
        assertThat(closedAfter).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(10));
        assertThat(running.stored()).as("only the real upload is stored (content and record)")
            .hasSize(before.size() + 2);
      } finally {
        for (Socket s : authenticated) {
          s.close();
        }
        for (Socket s : anonymous) {
          s.close();
        }
      }
    }
  }

  /** (a) One address cannot hold more connections than the per-client bound; other addresses are served. */
  @Test
  void connectionsBeyondThePerClientBoundAreClosed() throws Exception {
    // All loopback: the misbehaving client uses 127.0.0.3 alone, the others 127.0.0.1 (the JDK client) and 127.0.0.2.
    InetAddress attacker = InetAddress.getByName("127.0.0.3");
    InetAddress other = InetAddress.getByName("127.0.0.2");
    try (Running running = start("per-client", Map.of(IngestionOptions.HTTP_IDLE_TIMEOUT, "PT2S",
        IngestionOptions.HTTP_MAX_CONNECTIONS_PER_CLIENT, "4"))) {
      String path = "/v1/datasets/" + running.datasetId() + "/uploads";
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = connect(running.base(), attacker);
          sendHead(s, "POST", path, uploadHeaders(running.api().token, 1_000));
          held.add(s);
        }
        Thread.sleep(200);
        // The 5th connection of that address is closed on arrival, before anything is read from it.
        try (Socket fifth = connect(running.base(), attacker)) {
          fifth.setSoTimeout(1_500);
          assertThat(closedByServer(fifth)).as("connection over the per-client bound is closed").isTrue();
        }
        // Other addresses are served meanwhile.
        try (Socket fromOther = connect(running.base(), other)) {
          sendHead(fromOther, "GET", "/openapi.json", Map.of("Connection", "close"));
          assertThat(readResponse(fromOther.getInputStream()).status()).isEqualTo(200);
        }
        assertThat(running.api().upload(running.datasetId(), "text/plain", text(10, 'u')).status()).isEqualTo(202);
        // Once its silent uploads are gone (408 after the idle timeout), the address is served again.
        for (Socket s : held) {
          assertThat(readResponse(s.getInputStream()).status()).isEqualTo(408);
          assertThat(closedByServer(s)).isTrue();
          s.close();
        }
        // (The server notices the closes asynchronously: retry briefly.)
        int status = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (status != 200 && System.nanoTime() < deadline) {
          try (Socket again = connect(running.base(), attacker)) {
            sendHead(again, "GET", "/openapi.json", Map.of("Connection", "close"));
            status = readResponse(again.getInputStream()).status();
          } catch (IOException refused) {
            Thread.sleep(250);
          }
        }
        assertThat(status).isEqualTo(200);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /** (b) A Content-Length over the upload limit is refused from the headers: 413 JSON, nothing read or stored. */
  @Test
  void declaredLengthOverTheUploadLimitIsRefusedFromTheHeaders() throws Exception {
    try (Running running = start("too-large", Map.of(IngestionOptions.MAX_UPLOAD_BYTES, "4096"))) {
      List<String> before = running.stored();
      try (Socket s = connect(running.base())) {
        s.setSoTimeout(5_000);
        sendHead(s, "POST", "/v1/datasets/" + running.datasetId() + "/uploads",
            uploadHeaders(running.api().token, 10L << 30));
        RawResponse r = readResponse(s.getInputStream());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().path("code").asText()).isEqualTo("UPLOAD_TOO_LARGE");
        assertThat(r.json().path("message").asText()).contains("ledgerlake.ingestion.max-upload-bytes");
        assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(closedByServer(s)).isTrue();
      }
      assertThat(running.stored()).isEqualTo(before);
    }
  }

  /** (c) A body shorter than its Content-Length is the client's fault: 400, not 500, not logged as an error. */
  @Test
  void bodyShorterThanItsContentLengthIsAClientErrorAndStoresNothing() throws Exception {
    try (Running running = start("short-body", Map.of());
        ErrorCapture errors = new ErrorCapture(HttpApi.class)) {
      List<String> before = running.stored();
      String path = "/v1/datasets/" + running.datasetId() + "/uploads";
      // Half-close: the client can still read the answer.
      try (Socket s = connect(running.base())) {
        sendHead(s, "POST", path, uploadHeaders(running.api().token, 10_000));
        s.getOutputStream().write(text(3_000, 'a'));
        s.getOutputStream().flush();
        s.shutdownOutput();
        RawResponse r = readResponse(s.getInputStream());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isEqualTo("INCOMPLETE_BODY");
      }
      // Close: nobody to answer; nothing may be stored either.
      try (Socket s = connect(running.base())) {
        sendHead(s, "POST", path, uploadHeaders(running.api().token, 10_000));
        s.getOutputStream().write(text(3_000, 'b'));
        s.getOutputStream().flush();
      }
      // The server is still fine, and stored neither partial body.
      Thread.sleep(500);
      assertThat(new ApiClient(running.base()).get("/openapi.json").status()).isEqualTo(200);
      assertThat(running.stored()).isEqualTo(before);
      assertThat(errors.errors).isEmpty();
    }
  }

  /** (d) A 2 MB JSON body gets a 413 the client can read: the rest of the body is drained, not reset. */
  @Test
  void oversizedJsonBodyGetsA413TheClientCanRead() throws Exception {
    try (Running running = start("big-json", Map.of())) {
      byte[] json = ("{\"name\":\"" + "x".repeat(2_000_000) + "\",\"format\":\"jsonl\"}")
          .getBytes(StandardCharsets.UTF_8);
      // A client that writes the whole body before reading (the common case).
      try (Socket s = connect(running.base())) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + running.api().token);
        h.put("Content-Type", "application/json");
        h.put("Content-Length", Integer.toString(json.length));
        sendHead(s, "POST", "/v1/datasets", h);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
          try {
            s.getOutputStream().write(json);
            s.getOutputStream().flush();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        RawResponse r = readResponse(s.getInputStream());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
        writer.get();
      }
      // The JDK client, which sends the body and then reads.
      ApiClient.Response r = running.api().send(running.api().request("/v1/datasets")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)));
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
      // Chunked, so only the reader can tell that it is too large.
      r = running.api().send(running.api().request("/v1/datasets").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(json))));
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    }
  }

  /** (e) Without a valid token, an upload is refused before its body is read: the client need not send it. */
  @Test
  void unauthenticatedUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
    try (Running running = start("no-token", Map.of())) {
      List<String> before = running.stored();
      String path = "/v1/datasets/" + running.datasetId() + "/uploads";
      for (String token : Arrays.asList(null, "not-a-token")) {
        try (Socket s = connect(running.base())) {
          s.setSoTimeout(2_000);
          sendHead(s, "POST", path, uploadHeaders(token, 1L << 30)); // 1 GiB announced, not a byte sent
          RawResponse r = readResponse(s.getInputStream());
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
          assertThat(r.json().path("code").asText()).startsWith("TOKEN_");
          assertThat(closedByServer(s)).isTrue();
        }
      }
      // Expect: 100-continue: refused without inviting the body.
      try (Socket s = connect(running.base())) {
        s.setSoTimeout(2_000);
        Map<String, String> h = uploadHeaders(null, 1L << 30);
        h.put("Expect", "100-continue");
        sendHead(s, "POST", path, h);
        RawResponse r = readResponse(s.getInputStream());
        assertThat(r.status()).isEqualTo(401);
      }
      assertThat(running.stored()).isEqualTo(before);
    }
  }
}
