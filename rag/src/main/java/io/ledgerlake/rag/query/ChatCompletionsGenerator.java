package io.ledgerlake.rag.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link AnswerGenerator} for OpenAI-compatible {@code POST <base>/chat/completions} endpoints (OpenAI, vLLM,
 * llama.cpp's server, Ollama's OpenAI API, ...). The prompt numbers the passages [1]..[k] and asks for an answer that
 * cites them by number and uses nothing else; temperature 0. The answer's citations are the numbers found in its text
 * that name a passage. The API key, if any, is sent as a bearer token and never logged.
 */
public final class ChatCompletionsGenerator implements AnswerGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,3})]");
  static final String SYSTEM_PROMPT = "Answer the question using only the numbered passages. Cite every passage you"
      + " use by its number in square brackets, e.g. [1]. If the passages do not contain the answer, say so.";

  private final URI endpoint;
  private final String model;
  private final Optional<String> apiKey;
  private final Duration timeout;
  private final HttpClient http;

  /** @param baseUrl e.g. {@code http://127.0.0.1:8000/v1}; {@code /chat/completions} is appended */
  public ChatCompletionsGenerator(URI baseUrl, String model, Optional<String> apiKey, Duration timeout) {
    String base = requireNonNull(baseUrl, "baseUrl").toString();
    this.endpoint = URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    this.model = requireNonNull(model, "model");
    this.apiKey = requireNonNull(apiKey, "apiKey");
    this.timeout = requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The user message: the question, then the passages numbered from 1 (what the citations refer to). */
  static String prompt(String question, List<RagRetriever.Passage> passages) {
    StringBuilder sb = new StringBuilder("Question: ").append(question).append("\n\nPassages:\n");
    for (int i = 0; i < passages.size(); i++) {
      sb.append('[').append(i + 1).append("] ").append(passages.get(i).text().replace('\n', ' ')).append('\n');
    }
    return sb.toString();
  }

  @Override
  public GeneratedAnswer generate(String question, List<RagRetriever.Passage> passages) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("temperature", 0);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
    messages.addObject().put("role", "user").put("content", prompt(question, passages));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "answer generation at %s failed: %s", endpoint, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "answer generation at %s interrupted", endpoint);
    }
    if (response.statusCode() / 100 != 2) {
      String text = response.body();
      throw new LakehouseException(ErrorCategory.EXTERNAL, "answer generation at %s answered %d: %s", endpoint,
          response.statusCode(), text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
    String text;
    String usedModel;
    try {
      JsonNode json = JSON.readTree(response.body());
      JsonNode content = json.path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        throw new LakehouseException(ErrorCategory.EXTERNAL, "answer generation at %s returned no choices[0].message.content",
            endpoint);
      }
      text = content.textValue();
      usedModel = json.path("model").asText(model);
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "answer generation at %s returned invalid JSON", endpoint);
    }
    return new GeneratedAnswer(text, usedModel, citations(text, passages));
  }

  /** The passages cited in {@code text}, by number, once each, in number order; numbers that name no passage are ignored. */
  static List<Citation> citations(String text, List<RagRetriever.Passage> passages) {
    TreeSet<Integer> numbers = new TreeSet<>();
    Matcher m = CITATION.matcher(text);
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (n >= 1 && n <= passages.size()) {
        numbers.add(n);
      }
    }
    List<Citation> out = new ArrayList<>();
    for (int n : numbers) {
      RagRetriever.Passage p = passages.get(n - 1);
      out.add(new Citation(n, p.recordCid(), p.chunk()));
    }
    return out;
  }
}
