package io.ledgerlake.rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat-completions client against a local stub server (the JDK's HttpServer answering as an OpenAI-compatible
 * endpoint would): never a real remote service.
 */
class ChatCompletionsGeneratorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  HttpServer server;
  final AtomicReference<JsonNode> received = new AtomicReference<>();
  final AtomicReference<String> authorization = new AtomicReference<>();
  volatile int status = 200;
  volatile String reply;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      received.set(JSON.readTree(exchange.getRequestBody()));
      authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  ChatCompletionsGenerator generator(Optional<String> key) {
    return new ChatCompletionsGenerator(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"),
        "stub-model", key, Duration.ofSeconds(5));
  }

  static final List<RagRetriever.Passage> PASSAGES = List.of(
      new RagRetriever.Passage(1, "bafk-river-1", 0, "0xaaa", 0.9, "The river rose to 3.2 m at noon."),
      new RagRetriever.Passage(2, "bafk-birds", 1, "0xbbb", 0.5, "Forty swallows were counted."),
      new RagRetriever.Passage(3, "bafk-river-2", 0, "0xccc", 0.4, "By evening the river fell to 2.9 m."));

  @Test
  void promptNumbersThePassagesAndTheAnswerCitesRecordCids() {
    reply = "{\"model\":\"stub-model-2\",\"choices\":[{\"message\":{\"role\":\"assistant\","
        + "\"content\":\"It rose to 3.2 m [1] and fell to 2.9 m [3]; see also [1] and [9].\"}}]}";
    AnswerGenerator.GeneratedAnswer a = generator(Optional.of("secret-key")).generate("How high is the river?", PASSAGES);

    JsonNode request = received.get();
    assertThat(request.path("model").asText()).isEqualTo("stub-model");
    assertThat(request.path("temperature").asInt()).isZero();
    String user = request.path("messages").get(1).path("content").asText();
    assertThat(user).startsWith("Question: How high is the river?")
        .contains("[1] The river rose to 3.2 m at noon.").contains("[3] By evening the river fell to 2.9 m.");
    assertThat(request.path("messages").get(0).path("content").asText()).contains("only the numbered passages");
    assertThat(authorization.get()).isEqualTo("Bearer secret-key");

    assertThat(a.text()).contains("[3]");
    assertThat(a.model()).isEqualTo("stub-model-2");
    // Each cited passage once, in number order; [9] names no passage.
    assertThat(a.citations()).containsExactly(new AnswerGenerator.Citation(1, "bafk-river-1", 0),
        new AnswerGenerator.Citation(3, "bafk-river-2", 0));
  }

  @Test
  void noKeyNoAuthorizationHeaderAndServerErrorsAreExternalErrors() {
    reply = "{\"error\":{\"message\":\"overloaded\"}}";
    status = 503;
    assertThatThrownBy(() -> generator(Optional.empty()).generate("q", PASSAGES))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("503").hasMessageContaining("overloaded")
        .satisfies(e -> assertThat(((LakehouseException) e).category()).isEqualTo(ErrorCategory.EXTERNAL));
    assertThat(authorization.get()).isNull();
    status = 200;
    reply = "{\"choices\":[]}";
    assertThatThrownBy(() -> generator(Optional.empty()).generate("q", PASSAGES))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("no choices");
  }
}
