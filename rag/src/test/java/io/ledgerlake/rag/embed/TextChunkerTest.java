package io.ledgerlake.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk boundaries on synthetic tokenizations (the real tokenizer's are in {@link SentenceEmbedderTest}). */
class TextChunkerTest {
  /** Tokens of a text whose words are separated by single spaces and split into pieces of {@code piece} chars. */
  static TextChunker.Tokens pieces(String text, int piece) {
    List<int[]> spans = new ArrayList<>();
    int word = 0;
    int i = 0;
    for (String w : text.split(" ")) {
      for (int p = 0; p < w.length(); p += piece) {
        spans.add(new int[] {word, i + p, i + Math.min(w.length(), p + piece)});
      }
      word++;
      i += w.length() + 1;
    }
    return new TextChunker.Tokens(spans.stream().mapToInt(s -> s[0]).toArray(),
        spans.stream().mapToInt(s -> s[1]).toArray(), spans.stream().mapToInt(s -> s[2]).toArray());
  }

  @Test
  void shortTextIsOneChunkAndNoTokensNoChunks() {
    TextChunker c = new TextChunker(4, 1);
    assertThat(c.chunks("one two three", pieces("one two three", 10))).containsExactly("one two three");
    assertThat(c.chunks("", new TextChunker.Tokens(new int[0], new int[0], new int[0]))).isEmpty();
  }

  @Test
  void windowsOverlapAndNeverSplitAWordOfSeveralPieces() {
    TextChunker c = new TextChunker(4, 1);
    // one piece per word: windows of 4 words, the next starting at the previous one's last word
    String words = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9";
    assertThat(c.chunks(words, pieces(words, 10))).containsExactly("w0 w1 w2 w3", "w3 w4 w5 w6", "w6 w7 w8 w9");
    // "bbbbbb" is three pieces: it does not fit after "aa" in a window of 3, so the first chunk ends before it, and
    // no chunk starts inside it
    TextChunker three = new TextChunker(3, 1);
    String text = "aa bbbbbb cc dd";
    List<String> chunks = three.chunks(text, pieces(text, 2));
    assertThat(chunks).containsExactly("aa", "bbbbbb", "cc dd");
    for (String chunk : chunks) {
      assertThat(pieces(chunk, 2).size()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aWordLongerThanTheWindowIsCutInsideAndTheChunkerAlwaysAdvances() {
    TextChunker c = new TextChunker(3, 2);
    String text = "x".repeat(14);
    assertThat(c.chunks(text, pieces(text, 2))).containsExactly("xxxxxx", "xxxxxx", "xx");
  }
}
