package io.ledgerlake.cli.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.common.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Publish notifies Airflow with an asset event when configured; a failure is one line, not the publish's failure. */
class AirflowNotifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anAssetEventCarriesTheVersionAndFailuresDoNotFailThePublish() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      String answer;
      int status;
      if (ex.getRequestURI().getPath().equals("/auth/token")) {
        status = 201;
        answer = "{\"access_token\":\"t\"}";
      } else {
        events.add(body);
        status = 200;
        answer = "{\"id\":5,\"asset_id\":" + body.path("asset_id").asLong() + ",\"source_map_index\":-1,"
            + "\"created_dagruns\":[],\"timestamp\":\"2026-06-01T00:00:00Z\"}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    server.start();
    try {
      StringWriter out = new StringWriter();
      Settings settings = Settings.of(Map.of("ledgerlake.airflow.url", "http://127.0.0.1:"
          + server.getAddress().getPort(), "ledgerlake.airflow.username", "admin",
          "ledgerlake.airflow.password", "s3cret", "ledgerlake.airflow.publish-asset-id", "3"));
      AirflowCommand.notifyPublished(settings, new PrintWriter(out, true), "ds1", "ds1-v2", "bafyman");
      assertThat(out.toString()).isEqualTo("Airflow: asset event 5 on asset 3" + System.lineSeparator());
      assertThat(events).hasSize(1);
      assertThat(events.get(0).path("extra").path("version").asText()).isEqualTo("ds1-v2");
      assertThat(events.get(0).path("extra").path("manifest_cid").asText()).isEqualTo("bafyman");
    } finally {
      server.stop(0);
    }
    StringWriter down = new StringWriter();
    AirflowCommand.notifyPublished(Settings.of(Map.of("ledgerlake.airflow.url", "http://127.0.0.1:1",
        "ledgerlake.airflow.password", "s3cret", "ledgerlake.airflow.publish-asset-id", "3")),
        new PrintWriter(down, true), "ds1", "ds1-v2", "bafyman");
    assertThat(down.toString()).startsWith("Airflow not notified: cannot reach Airflow at http://127.0.0.1:1/")
        .doesNotContain("s3cret");
    StringWriter off = new StringWriter();
    AirflowCommand.notifyPublished(Settings.of(Map.of()), new PrintWriter(off, true), "ds1", "ds1-v2", "bafyman");
    assertThat(off.toString()).isEmpty();
  }
}
