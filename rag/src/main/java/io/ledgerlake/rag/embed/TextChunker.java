package io.ledgerlake.rag.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a record's text into chunks of at most {@code maxTokens} word pieces of the embedding model's own tokenizer,
 * each chunk repeating at most the last {@code overlapTokens} word pieces (whole words) of the previous one. Chunks end and start on
 * the tokenizer's word boundaries, so a chunk's text tokenizes again to exactly its window of pieces: the model sees
 * all of every chunk (a chunk longer than the model's window would be cut silently by the tokenizer). Only a single
 * word longer than {@code maxTokens} pieces is cut inside the word. Chunk {@code i} of a record is stored as (record
 * CID, i). Deterministic; linear in the text. A text without tokens gives no chunks.
 *
 * <p>Plain Java: the tokenization comes in as {@link Tokens}, made by {@link SentenceEmbedder#tokens}.
 */
public final class TextChunker {
  private final int maxTokens;
  private final int overlapTokens;

  public TextChunker(int maxTokens, int overlapTokens) {
    if (maxTokens <= 0 || overlapTokens < 0 || overlapTokens >= maxTokens) {
      throw new IllegalArgumentException("bad chunking: " + maxTokens + " tokens, " + overlapTokens + " overlap");
    }
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  /**
   * A text's word pieces, without special tokens: for piece {@code i}, the word it belongs to (pieces of one word share
   * the id) and its UTF-16 span {@code [starts[i], ends[i])} in the text.
   */
  public record Tokens(int[] wordIds, int[] starts, int[] ends) {
    public Tokens {
      Objects.requireNonNull(wordIds, "wordIds");
      if (starts.length != wordIds.length || ends.length != wordIds.length) {
        throw new IllegalArgumentException("wordIds, starts and ends differ in length");
      }
    }

    public int size() {
      return wordIds.length;
    }

    boolean startsWord(int i) {
      return i == 0 || wordIds[i] != wordIds[i - 1];
    }
  }

  public List<String> chunks(String text, Tokens tokens) {
    int n = tokens.size();
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < n) {
      int end = Math.min(n, start + maxTokens);
      if (end < n) {
        int e = end;
        while (e > start + 1 && !tokens.startsWord(e)) {
          e--;
        }
        if (tokens.startsWord(e)) {
          end = e; // else one word longer than the window: cut inside it
        }
      }
      out.add(text.substring(tokens.starts()[start], tokens.ends()[end - 1]));
      if (end >= n) {
        break;
      }
      // Overlap up to overlapTokens pieces, starting on a word: move forward to the next word start (end is one,
      // unless a long word was cut there), and always advance.
      int next = Math.max(start + 1, end - overlapTokens);
      while (next < end && !tokens.startsWord(next)) {
        next++;
      }
      start = next;
    }
    return out;
  }
}
