package io.ledgerlake.content.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.content.AddResult;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.blockstore.FsyncPolicy;
import io.ledgerlake.content.testing.SeededBytes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ContentStore replication to a configured Kubo node. No Kubo can run here, so a hand-written fake
 * RPC server stands in: it answers add with a CID we choose and records which commands arrive.
 */
class KuboReplicationTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final List<String> commands = new ArrayList<>();
  private final AtomicReference<String> addAnswer = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v0/", ex -> {
      ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      commands.add(path);
      String body = path.endsWith("/add")
          ? "{\"Name\":\"x\",\"Hash\":\"" + addAnswer.get() + "\",\"Size\":\"1\"}\n"
          : "{\"Root\":{\"Cid\":{\"/\":\"" + addAnswer.get() + "\"},\"PinErrorMsg\":\"\"}}\n";
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ContentStore store() {
    return ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("s")).withFsync(FsyncPolicy.NEVER)
        .withKuboUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
  }

  @Test
  void fileIsReAddedAndTheNodesCidMustMatchOurs() throws IOException {
    Path file = tmp.resolve("f.bin");
    SeededBytes.writeFile(file, 4, 5000);
    addAnswer.set(ContentStore.cid(file, Profile.UNIXFS_V1_2025).cid().toString());
    AddResult r = store().add(file, Profile.UNIXFS_V1_2025);
    assertThat(r.cid().toString()).isEqualTo(addAnswer.get());
    assertThat(commands).containsExactly("/api/v0/add");
  }

  @Test
  void aDifferentCidFromTheNodeIsReported() throws IOException {
    Path file = tmp.resolve("f.bin");
    SeededBytes.writeFile(file, 4, 5000);
    addAnswer.set("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assertThatThrownBy(() -> store().add(file, Profile.UNIXFS_V1_2025))
        .isInstanceOf(KuboException.class).hasMessageContaining("import settings differ");
  }

  @Test
  void directoriesAreSentAsCar() throws IOException {
    Path dir = tmp.resolve("d");
    SeededBytes.writeFile(dir.resolve("a.bin"), 1, 10);
    addAnswer.set(ContentStore.cid(dir, Profile.UNIXFS_V1_2025).cid().toString());
    store().add(dir, Profile.UNIXFS_V1_2025);
    assertThat(commands).containsExactly("/api/v0/dag/import");
  }
}
