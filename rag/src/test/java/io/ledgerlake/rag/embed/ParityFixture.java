package io.ledgerlake.rag.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** rag/src/test/resources/rag/embedding-parity.json: what the JS runtime (src/test/js/gen-parity.mjs) computed. */
public record ParityFixture(String modelSha256, String tokenizerSha256, int maxLength, String generator,
    List<Case> cases) {
  public static final String RESOURCE = "/rag/embedding-parity.json";

  /** One input: its text, its token count before truncation, the ids the model saw, and the JS vector. */
  public record Case(String text, int untruncatedTokens, long[] ids, float[] vector) {
    @Override
    public String toString() {
      return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
  }

  public static ParityFixture committed() {
    try (InputStream in = ParityFixture.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test classpath");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ParityFixture parse(String json) throws IOException {
    return parse(new ObjectMapper().readTree(json));
  }

  static ParityFixture parse(JsonNode root) {
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      long[] ids = new long[c.get("ids").size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = c.get("ids").get(i).asLong();
      }
      float[] v = new float[c.get("vector").size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) c.get("vector").get(i).asDouble();
      }
      cases.add(new Case(c.get("text").asText(), c.get("untruncated_tokens").asInt(), ids, v));
    }
    return new ParityFixture(root.get("model_sha256").asText(), root.get("tokenizer_sha256").asText(),
        root.get("max_length").asInt(), root.get("generator").asText(), List.copyOf(cases));
  }

  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
