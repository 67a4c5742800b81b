package io.ledgerlake.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.content.blockstore.FsyncPolicy;
import io.ledgerlake.content.gateway.TrustlessGateway;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.testing.NodeScripts;
import io.ledgerlake.content.testing.SeededBytes;
import io.ledgerlake.content.testing.Vectors;
import io.ledgerlake.content.unixfs.Dag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Independent JS implementations consume what we produce: a real IPFS client and the reference CAR reader. */
class JsInteropITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private ContentStore store() {
    return ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve("store")).withFsync(FsyncPolicy.NEVER));
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void verifiedFetchGetsAndVerifiesAFileFromOurGateway(Profile profile) throws Exception {
    ContentStore store = store();
    Path file = tmp.resolve("data.bin");
    SeededBytes.writeFile(file, 77, 3L * profile.chunkSize() + 12345);
    AddResult added = store.add(file, profile);
    try (TrustlessGateway gateway = store.startGateway(0)) {
      JsonNode r = JSON.readTree(NodeScripts.run(120, "fetch-check.mjs", gateway.baseUri().toString(), added.cid().toString()));
      assertThat(r.get("status").asInt()).isEqualTo(200);
      assertThat(r.get("length").asLong()).isEqualTo(Files.size(file));
      String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
      assertThat(r.get("sha256").asText()).isEqualTo(expected);
    }
  }

  @Test
  void referenceCarReaderAcceptsOurExportInDagOrder() throws Exception {
    ContentStore store = store();
    Vectors.DirCase small = Vectors.directories().stream()
        .filter(d -> d.name().equals("small-tree") && d.profile() == Profile.UNIXFS_V1_2025).findFirst().orElseThrow();
    Path dir = tmp.resolve("root");
    small.create(dir);
    SeededBytes.writeFile(dir.resolve("big.bin"), 3, 3 * (1 << 20) + 1);
    AddResult added = store.add(dir, Profile.UNIXFS_V1_2025);
    Path car = tmp.resolve("out.car");
    store.exportCar(added.cid(), car);

    JsonNode r = JSON.readTree(NodeScripts.run(120, "car-check.mjs", car.toString()));
    assertThat(r.get("roots")).hasSize(1);
    assertThat(r.get("roots").get(0).asText()).isEqualTo(added.cid().toString());
    List<String> blocks = new ArrayList<>();
    r.get("blocks").forEach(b -> blocks.add(b.asText()));
    assertThat(blocks).containsExactlyElementsOf(depthFirst(store, added.cid()));
    assertThat(r.get("bytes").asLong()).isEqualTo(store.stats().bytes());
  }

  @Test
  void referenceCarReaderAcceptsTheGatewaysCarStream() throws Exception {
    ContentStore store = store();
    AddResult added = store.add(new SeededBytes(9, 2 * (1 << 20) + 9), Profile.UNIXFS_V0_2015);
    try (TrustlessGateway gateway = store.startGateway(0)) {
      Path car = tmp.resolve("gw.car");
      var http = java.net.http.HttpClient.newHttpClient();
      http.send(java.net.http.HttpRequest.newBuilder(gateway.baseUri().resolve("/ipfs/" + added.cid()))
          .header("Accept", "application/vnd.ipld.car").build(), java.net.http.HttpResponse.BodyHandlers.ofFile(car));
      JsonNode r = JSON.readTree(NodeScripts.run(120, "car-check.mjs", car.toString()));
      assertThat(r.get("roots").get(0).asText()).isEqualTo(added.cid().toString());
      assertThat(r.get("blocks")).hasSize((int) store.stats().blocks());
    }
  }

  /** Expected CAR order: depth-first pre-order, each block once. */
  private static List<String> depthFirst(ContentStore store, Cid root) {
    Set<String> out = new LinkedHashSet<>();
    Deque<Cid> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Cid c = todo.pop();
      if (!out.add(c.toString())) {
        continue;
      }
      List<Cid> links = Dag.links(c, store.blockstore().get(c));
      for (int i = links.size() - 1; i >= 0; i--) {
        todo.push(links.get(i));
      }
    }
    return new ArrayList<>(out);
  }
}
