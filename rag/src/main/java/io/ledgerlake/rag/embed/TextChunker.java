package io.ledgerlake.rag.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a record's text into chunks of at most {@code maxWords} whitespace-separated words and {@code maxChars}
 * characters, each chunk repeating the last {@code overlapWords} words of the previous one. A word longer than
 * {@code maxChars} is cut. Chunk {@code i} of a record is stored as (record CID, i). Deterministic; linear in the text.
 * Blank text gives no chunks.
 */
public final class TextChunker {
  private final int maxWords;
  private final int overlapWords;
  private final int maxChars;

  public TextChunker(int maxWords, int overlapWords, int maxChars) {
    if (maxWords <= 0 || overlapWords < 0 || overlapWords >= maxWords || maxChars <= 0) {
      throw new IllegalArgumentException("bad chunking: " + maxWords + "/" + overlapWords + "/" + maxChars);
    }
    this.maxWords = maxWords;
    this.overlapWords = overlapWords;
    this.maxChars = maxChars;
  }

  public List<String> chunks(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.strip().split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      for (int i = 0; i < w.length(); i += maxChars) {
        words.add(w.substring(i, Math.min(w.length(), i + maxChars)));
      }
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < words.size()) {
      StringBuilder sb = new StringBuilder();
      int end = start;
      while (end < words.size() && end - start < maxWords
          && sb.length() + (sb.length() == 0 ? 0 : 1) + words.get(end).length() <= maxChars) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(words.get(end));
        end++;
      }
      out.add(sb.toString());
      if (end >= words.size()) {
        break;
      }
      // always advance by at least one word, whatever the overlap
      start = Math.max(start + 1, end - overlapWords);
    }
    return out;
  }
}
