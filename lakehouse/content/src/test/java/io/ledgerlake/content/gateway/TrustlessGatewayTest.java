package io.ledgerlake.content.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.AddResult;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.blockstore.FsyncPolicy;
import io.ledgerlake.content.car.CarImporter;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.testing.SeededBytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustlessGatewayTest {
  @TempDir Path tmp;
  private ContentStore store;
  private TrustlessGateway gateway;
  private AddResult file;
  private byte[] content;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("store")).withFsync(FsyncPolicy.NEVER));
    content = SeededBytes.bytes(11, 2 * (1 << 20) + 123);
    file = store.add(new ByteArrayInputStream(content), Profile.UNIXFS_V1_2025);
    gateway = store.startGateway(0);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(gateway.baseUri().resolve(path));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void bindsToLoopbackOnAFreePort() {
    assertThat(gateway.port()).isPositive();
    assertThat(gateway.baseUri().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void rawBlockByFormatParameterAndByAccept() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + file.cid() + "?format=raw", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.ipld.raw");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=29030400, immutable");
    assertThat(r.headers().firstValue("Etag")).hasValue("\"" + file.cid() + ".raw\"");
    assertThat(r.body()).isEqualTo(store.blockstore().get(file.cid()));

    HttpResponse<byte[]> byAccept = get("/ipfs/" + file.cid(), "application/vnd.ipld.raw");
    assertThat(byAccept.statusCode()).isEqualTo(200);
    assertThat(byAccept.body()).isEqualTo(r.body());
  }

  @Test
  void carOfTheWholeDagImportsIntoAnotherStore() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + file.cid(), "application/vnd.ipld.car; version=1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.ipld.car; version=1; order=dfs; dups=n");
    ContentStore other = ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("other")).withFsync(FsyncPolicy.NEVER));
    CarImporter.Result imported = other.importCar(new ByteArrayInputStream(r.body()), "gateway");
    assertThat(imported.roots()).containsExactly(file.cid());
    try (InputStream in = other.open(file.cid())) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void dagScopeBlockCarriesOnlyTheRoot() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + file.cid() + "?format=car&dag-scope=block", null);
    assertThat(r.statusCode()).isEqualTo(200);
    ContentStore other = ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("other")).withFsync(FsyncPolicy.NEVER));
    CarImporter.Result imported = CarImporter.importCar(new ByteArrayInputStream(r.body()), "gw", other.blockstore(), false);
    assertThat(imported.blocks()).isEqualTo(1);
  }

  @Test
  void dagScopeEntityOfADirectoryCarriesOnlyItsOwnNode() throws Exception {
    Path dir = tmp.resolve("dir");
    SeededBytes.writeFile(dir.resolve("a.bin"), 1, 3 * (1 << 20));
    SeededBytes.writeFile(dir.resolve("b.bin"), 2, 10);
    AddResult added = store.add(dir, Profile.UNIXFS_V1_2025);
    ContentStore other = ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("other")).withFsync(FsyncPolicy.NEVER));
    HttpResponse<byte[]> entity = get("/ipfs/" + added.cid() + "?format=car&dag-scope=entity", null);
    assertThat(CarImporter.importCar(new ByteArrayInputStream(entity.body()), "gw", other.blockstore(), false).blocks())
        .isEqualTo(1);
    HttpResponse<byte[]> all = get("/ipfs/" + added.cid() + "?format=car&dag-scope=all", null);
    // directory node + a.bin (root + 3 leaves) + b.bin (1 raw leaf)
    assertThat(CarImporter.importCar(new ByteArrayInputStream(all.body()), "gw", other.blockstore(), false).blocks())
        .isEqualTo(6);
  }

  @Test
  void headHasHeadersButNoBody() throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/ipfs/" + file.cid() + "?format=raw"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.ipld.raw");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void ifNoneMatchGives304() throws Exception {
    String etag = "\"" + file.cid() + ".raw\"";
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/ipfs/" + file.cid() + "?format=raw"))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(304);
  }

  @Test
  void errors() throws Exception {
    Cid unknown = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assertThat(get("/ipfs/" + unknown + "?format=raw", null).statusCode()).isEqualTo(404);
    assertThat(get("/ipfs/" + unknown + "?format=car", null).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> bad = get("/ipfs/not-a-cid?format=raw", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("not-a-cid");
    assertThat(get("/ipfs/" + file.cid() + "?format=json", null).statusCode()).isEqualTo(400);
    assertThat(get("/ipfs/" + file.cid(), "text/html").statusCode()).isEqualTo(406);
    assertThat(get("/ipfs/" + file.cid() + "?format=car&dag-scope=everything", null).statusCode()).isEqualTo(400);
    assertThat(get("/other", null).statusCode()).isEqualTo(404);
  }

  @Test
  void noPathTraversal() throws Exception {
    // A raw socket, because HTTP clients normalise dot segments away before sending.
    for (String target : new String[] {"/ipfs/../../VERSION", "/ipfs/..%2F..%2FVERSION", "/ipfs/" + file.cid() + "/../../pins",
        "/ipfs/%2e%2e/blocks"}) {
      try (Socket s = new Socket("127.0.0.1", gateway.port())) {
        s.getOutputStream().write(("GET " + target + "?format=raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).as(target).startsWith("HTTP/1.1 400").doesNotContain("ledgerlake-blockstore");
      }
    }
    assertThat(URI.create("/ipfs/x").getPath()).isEqualTo("/ipfs/x");
  }
}
