package io.ledgerlake.content.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.unixfs.BlockSink;
import io.ledgerlake.content.unixfs.FileImporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No Kubo daemon can run on this machine (its binaries cannot be downloaded), so these tests run
 * the client against a small hand-written fake of the Kubo RPC API that records each request and
 * answers like Kubo does. It checks the exact query parameters and the multipart framing; for
 * add it computes the CID with our own importer from the uploaded bytes, as a real node would.
 */
class KuboClientTest {
  private HttpServer server;
  private final List<Recorded> requests = new ArrayList<>();
  private KuboClient client;

  record Recorded(String method, String path, Map<String, String> query, String contentType, byte[] body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v0/", this::handle);
    server.start();
    client = new KuboClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    Recorded r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), query(ex.getRequestURI()),
        ex.getRequestHeaders().getFirst("Content-Type"), body);
    requests.add(r);
    String response;
    int status = 200;
    switch (r.path()) {
      case "/api/v0/add" -> {
        byte[] file = multipartFile(r.contentType(), body);
        Profile profile = r.query().get("cid-version").equals("0") ? Profile.UNIXFS_V0_2015 : Profile.UNIXFS_V1_2025;
        Cid cid = new FileImporter(profile, BlockSink.DISCARD).importFrom(new ByteArrayInputStream(file)).cid();
        response = "{\"Name\":\"" + cid + "\",\"Hash\":\"" + cid + "\",\"Size\":\"" + file.length + "\"}\n";
      }
      case "/api/v0/pin/add", "/api/v0/pin/rm" -> response = "{\"Pins\":[\"" + r.query().get("arg") + "\"]}";
      case "/api/v0/pin/ls" -> response =
          "{\"Keys\":{\"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\":{\"Type\":\"recursive\",\"Name\":\"\"}}}";
      case "/api/v0/cat", "/api/v0/block/get" -> response = "bytes of " + r.query().get("arg");
      default -> {
        status = 500;
        response = "{\"Message\":\"unknown command\",\"Code\":0,\"Type\":\"error\"}";
      }
    }
    byte[] out = response.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  /** Extracts the single file part, asserting Kubo's expected multipart framing. */
  private static byte[] multipartFile(String contentType, byte[] body) {
    assertThat(contentType).startsWith("multipart/form-data; boundary=");
    String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
    String text = new String(body, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("--" + boundary + "\r\n");
    assertThat(text).endsWith("\r\n--" + boundary + "--\r\n");
    int headerEnd = text.indexOf("\r\n\r\n");
    String headers = text.substring(0, headerEnd);
    assertThat(headers).contains("Content-Disposition: form-data; name=\"file\"; filename=\"");
    assertThat(headers).contains("Content-Type: application/octet-stream");
    int start = headerEnd + 4;
    int end = text.length() - ("\r\n--" + boundary + "--\r\n").length();
    byte[] file = new byte[end - start];
    System.arraycopy(body, start, file, 0, file.length);
    return file;
  }

  @Test
  void addSendsEveryProfileParameterAndReturnsTheNodesCid() throws IOException {
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    for (Profile profile : Profile.values()) {
      requests.clear();
      Cid cid = client.add("data.bin", new ByteArrayInputStream(data), profile, true);
      Cid ours = new FileImporter(profile, BlockSink.DISCARD).importFrom(new ByteArrayInputStream(data)).cid();
      assertThat(cid).isEqualTo(ours);
      Recorded r = requests.get(0);
      assertThat(r.method()).isEqualTo("POST");
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("cid-version", profile == Profile.UNIXFS_V1_2025 ? "1" : "0");
      expected.put("raw-leaves", profile == Profile.UNIXFS_V1_2025 ? "true" : "false");
      expected.put("chunker", profile == Profile.UNIXFS_V1_2025 ? "size-1048576" : "size-262144");
      expected.put("hash", "sha2-256");
      expected.put("trickle", "false");
      expected.put("max-file-links", profile == Profile.UNIXFS_V1_2025 ? "1024" : "174");
      expected.put("max-hamt-fanout", "256");
      expected.put("inline", "false");
      expected.put("pin", "true");
      expected.put("quieter", "true");
      assertThat(r.query()).containsExactlyEntriesOf(expected);
      assertThat(multipartFile(r.contentType(), r.body())).isEqualTo(data);
    }
  }

  @Test
  void pinCatAndBlockGet() {
    Cid cid = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assertThat(client.pinAdd(cid)).containsExactly(cid);
    assertThat(requests.get(0).query()).containsEntry("arg", cid.toString()).containsEntry("recursive", "true");
    assertThat(client.pinRm(cid)).containsExactly(cid);
    assertThat(requests.get(1).path()).isEqualTo("/api/v0/pin/rm");
    assertThat(client.pinLs()).containsEntry(cid, "recursive");
    assertThat(requests.get(2).query()).containsEntry("type", "recursive");
    assertThat(new String(client.cat(cid), StandardCharsets.UTF_8)).isEqualTo("bytes of " + cid);
    assertThat(new String(client.blockGet(cid), StandardCharsets.UTF_8)).isEqualTo("bytes of " + cid);
    assertThat(requests).allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  @Test
  void errorsCarryKubosMessageAndAreExternal() {
    server.removeContext("/api/v0/");
    server.createContext("/api/v0/", ex -> {
      byte[] out = "{\"Message\":\"merkledag: not found\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    Cid cid = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assertThatThrownBy(() -> client.cat(cid))
        .isInstanceOf(KuboException.class).hasMessageContaining("merkledag: not found").hasMessageContaining("HTTP 500")
        .satisfies(e -> assertThat(((KuboException) e).category()).isEqualTo(ErrorCategory.EXTERNAL));
  }

  @Test
  void unreachableNodeIsExternal() {
    KuboClient dead = new KuboClient(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2));
    assertThatThrownBy(() -> dead.pinLs()).isInstanceOf(KuboException.class).hasMessageContaining("could not reach");
  }
}
