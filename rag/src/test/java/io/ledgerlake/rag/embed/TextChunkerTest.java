package io.ledgerlake.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextChunkerTest {
  @Test
  void shortTextIsOneChunkLongTextOverlapsAndWordsWithoutSpacesAreCut() {
    TextChunker c = new TextChunker(4, 1, 30);
    assertThat(c.chunks("  one two  three ")).containsExactly("one two three");
    assertThat(c.chunks(" \n ")).isEmpty();
    String words = IntStream.range(0, 10).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    assertThat(c.chunks(words)).containsExactly("w0 w1 w2 w3", "w3 w4 w5 w6", "w6 w7 w8 w9");
    assertThat(c.chunks("x".repeat(70))).containsExactly("x".repeat(30), "x".repeat(30), "x".repeat(10));
  }
}
