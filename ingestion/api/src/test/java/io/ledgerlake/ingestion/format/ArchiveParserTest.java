package io.ledgerlake.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.atIndex;

import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.LimitExceededException;
import io.ledgerlake.ingestion.UnsupportedFormatException;
import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ArchiveParserTest {
  private final UploadParser parser = UploadParser.create(ParseLimits.defaults());

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] tar(Map<String, byte[]> entries, String symlinkName) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
      if (symlinkName != null) {
        TarArchiveEntry link = new TarArchiveEntry(symlinkName, TarArchiveEntry.LF_SYMLINK, true);
        link.setLinkName("/etc/passwd");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private CollectingVisitor parse(DataFormat format, String contentType, byte[] content) throws IOException {
    CollectingVisitor visitor = new CollectingVisitor();
    parser.parse(format, contentType, ContentInputs.ofBytes(content), visitor);
    return visitor;
  }

  @Test
  void zipAndTarOfJsonLinesYieldRecordsWithEntryPositions() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("dir/a.jsonl", utf8("{\"n\":1}\n{\"n\":2}\n"));
    files.put("b.ndjson", utf8("{\"n\":3}\nnot json\n"));
    files.put("readme.csv", utf8("x\n1\n"));
    for (CollectingVisitor v : new CollectingVisitor[] {
        parse(DataFormat.JSONL, "application/zip", zip(files)),
        parse(DataFormat.JSONL, "application/x-tar", tar(files, null))}) {
      assertThat(v.records).extracting(r -> r.value().get("n").asInt()).containsExactly(1, 2, 3);
      assertThat(v.records.get(2).position().entry()).isEqualTo("b.ndjson");
      assertThat(v.rejections).extracting(r -> r.code())
          .containsExactly(RejectionCode.MALFORMED_JSON, RejectionCode.UNSUPPORTED_ENTRY);
      assertThat(v.rejections.get(0).position().toString()).isEqualTo("entry b.ndjson line 2 (byte 8)");
      assertThat(v.rejections.get(1).reason()).contains("not a jsonl file");
    }
  }

  @Test
  void documentsInAnArchiveAreOneRecordEach() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("notes/one.md", utf8("# Title\n\nBody"));
    files.put("two.txt", utf8("plain"));
    CollectingVisitor v = parse(DataFormat.DOCUMENT, "application/zip", zip(files));
    assertThat(v.records).extracting(r -> r.value().toString()).containsExactly(
        "{\"path\":\"notes/one.md\",\"media_type\":\"text/markdown\",\"text\":\"# Title\\n\\nBody\"}",
        "{\"path\":\"two.txt\",\"media_type\":\"text/plain\",\"text\":\"plain\"}");
  }

  @Test
  void parentTraversalAbsolutePathsAndSymlinksRejectTheWholeArchiveBeforeAnyRecord() throws IOException {
    Map<String, byte[]> good = new LinkedHashMap<>();
    good.put("a.jsonl", utf8("{\"n\":1}\n"));
    for (String evil : new String[] {"../evil.jsonl", "x/../../evil.jsonl", "/etc/evil.jsonl", "C:\\evil.jsonl"}) {
      Map<String, byte[]> files = new LinkedHashMap<>(good);
      files.put(evil, utf8("{\"n\":2}\n"));
      CollectingVisitor zipVisitor = new CollectingVisitor();
      assertThatThrownBy(() -> parser.parse(DataFormat.JSONL, "application/zip", ContentInputs.ofBytes(zip(files)),
          zipVisitor)).isInstanceOf(InvalidContentException.class).hasMessageContaining("evil.jsonl").hasMessageContaining("archives may only contain relative paths");
      assertThat(zipVisitor.records).isEmpty();
    }
    Map<String, byte[]> tarFiles = new LinkedHashMap<>(good);
    tarFiles.put("../evil.jsonl", utf8("{}\n"));
    CollectingVisitor tarVisitor = new CollectingVisitor();
    assertThatThrownBy(() -> parser.parse(DataFormat.JSONL, "application/x-tar",
        ContentInputs.ofBytes(tar(tarFiles, null)), tarVisitor))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("'..' segment");
    assertThat(tarVisitor.records).isEmpty();
    assertThatThrownBy(() -> parse(DataFormat.JSONL, "application/x-tar", tar(good, "link.jsonl")))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("is a link to /etc/passwd");
  }

  @Test
  void zipSymlinkEntryRejectsTheArchive() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream zip =
        new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
      org.apache.commons.compress.archivers.zip.ZipArchiveEntry ok =
          new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("a.jsonl");
      zip.putArchiveEntry(ok);
      zip.write(utf8("{\"n\":1}\n"));
      zip.closeArchiveEntry();
      org.apache.commons.compress.archivers.zip.ZipArchiveEntry link =
          new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("passwd.jsonl");
      link.setUnixMode(0120777); // S_IFLNK
      zip.putArchiveEntry(link);
      zip.write(utf8("/etc/passwd"));
      zip.closeArchiveEntry();
    }
    CollectingVisitor v = new CollectingVisitor();
    assertThatThrownBy(() -> parser.parse(DataFormat.JSONL, "application/zip",
        ContentInputs.ofBytes(bytes.toByteArray()), v))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("'passwd.jsonl' is a symbolic link");
    assertThat(v.records).isEmpty();
  }

  @Test
  void zipBombIsStoppedByTheCompressionRatio() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("bomb.jsonl", new byte[20 << 20]); // 20 MiB of zeros deflate to ~20 KiB
    byte[] bomb = zip(files);
    assertThat(bomb.length).isLessThan(100_000);
    assertThatThrownBy(() -> parse(DataFormat.JSONL, "application/zip", bomb))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("zip bomb")
        .extracting(e -> ((LimitExceededException) e).limitKey())
        .isEqualTo("ledgerlake.ingestion.archive.max-compression-ratio");
  }

  @Test
  void expandedSizeAndEntryCountAreCapped() throws IOException {
    UploadParser tight = UploadParser.create(ParseLimits.defaults().withArchiveLimits(2, 1000, 100));
    Map<String, byte[]> three = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      three.put(i + ".jsonl", utf8("{}\n"));
    }
    assertThatThrownBy(() -> tight.parse(DataFormat.JSONL, "application/zip", ContentInputs.ofBytes(zip(three)),
        new CollectingVisitor())).isInstanceOf(LimitExceededException.class).hasMessageContaining("more than 2 files");
    Map<String, byte[]> big = new LinkedHashMap<>();
    big.put("big.jsonl", utf8(("{\"k\":\"" + "v".repeat(90) + "\"}\n").repeat(20)));
    assertThatThrownBy(() -> tight.parse(DataFormat.JSONL, "application/x-tar", ContentInputs.ofBytes(tar(big, null)),
        new CollectingVisitor())).isInstanceOf(LimitExceededException.class).hasMessageContaining("more than 1000 bytes");
  }

  @Test
  void wrongContentTypeAndMismatchedSignaturesAreClearErrors() {
    assertThatThrownBy(() -> parse(DataFormat.JSONL, "text/csv", utf8("a\n1\n")))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("'text/csv' is not accepted by a jsonl dataset")
        .hasMessageContaining("application/x-ndjson");
    assertThatThrownBy(() -> parse(DataFormat.JSONL, "application/zip", utf8("{\"not\":\"zip\"}\n")))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("zip signature");
    assertThatThrownBy(() -> parse(DataFormat.JSONL, "application/x-tar", utf8("{\"not\":\"tar\"}\n")))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("no valid tar header");
  }

  @Test
  void contentTypeParametersAreIgnored() throws IOException {
    assertThat(parse(DataFormat.CSV, "Text/CSV; charset=utf-8", utf8("a\n1\n")).records).hasSize(1);
  }

  /** Everything a visitor saw, in order, with full positions. */
  private static List<String> seen(CollectingVisitor v) {
    List<String> out = new ArrayList<>();
    v.records.forEach(r -> out.add(r.position() + " #" + r.position().ordinal() + " " + r.value()));
    v.rejections.forEach(r -> out.add(r.position() + " #" + r.position().ordinal() + " " + r.code()));
    return out;
  }

  @Test
  void anArchiveParsedInRunsOfFilesGivesWhatTheWholeParseGives() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("dir/", new byte[0]); // a directory: listed by zip, never a file of a run
    for (int i = 0; i < 9; i++) {
      StringBuilder lines = new StringBuilder();
      for (int n = 0; n < 20 + i; n++) {
        lines.append(n % 7 == 3 ? "not json" : "{\"f\":" + i + ",\"n\":" + n + "}").append('\n');
      }
      files.put("dir/part-" + i + ".jsonl", utf8(lines.toString()));
      if (i == 4) {
        files.put("notes.csv", utf8("x\n1\n")); // not the dataset's format: rejected as an entry
      }
    }
    Map<String, byte[]> tarFiles = new LinkedHashMap<>(files);
    tarFiles.remove("dir/");
    for (String type : List.of("application/zip", "application/x-tar")) {
      byte[] archive = type.endsWith("zip") ? zip(files) : tar(tarFiles, null);
      CollectingVisitor whole = parse(DataFormat.JSONL, type, archive);
      List<ArchiveParser.Entry> entries = parser.archives().entries(ContentInputs.ofBytes(archive), type);
      assertThat(entries).extracting(ArchiveParser.Entry::name).hasSize(10).doesNotContain("dir/")
          .startsWith("dir/part-0.jsonl").contains("notes.csv", atIndex(5));
      List<ArchiveParser.Run> runs = ArchiveParser.runs(entries, 1000);
      assertThat(runs).hasSizeBetween(3, 9);
      assertThat(runs.stream().mapToInt(ArchiveParser.Run::count).sum()).isEqualTo(10);

      CollectingVisitor inRuns = new CollectingVisitor();
      long expanded = 0;
      for (ArchiveParser.Run run : runs) {
        CollectingVisitor part = new CollectingVisitor();
        ArchiveParser.RunResult result = parser.archives().parseRun(ContentInputs.ofBytes(archive), type,
            DataFormat.JSONL, run.first(), run.count(), part);
        assertThat(result.completed()).isTrue();
        expanded += result.expandedBytes();
        inRuns.records.addAll(part.records);
        inRuns.rejections.addAll(part.rejections);
      }
      assertThat(whole.records).hasSizeGreaterThan(150);
      assertThat(seen(inRuns)).as(type).isEqualTo(seen(whole));
      // Every byte the JSON Lines files expanded to; the CSV entry is rejected by its name, unread.
      assertThat(expanded).isEqualTo(tarFiles.values().stream().mapToLong(b -> b.length).sum() - 4);
    }
  }

  @Test
  void listingAnArchiveMakesTheWholeArchiveChecksAndRunsShareItsLimits() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.jsonl", utf8("{}\n"));
    files.put("../evil.jsonl", utf8("{}\n"));
    assertThatThrownBy(() -> parser.archives().entries(ContentInputs.ofBytes(zip(files)), "application/zip"))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("'..' segment");
    assertThatThrownBy(() -> parser.archives().entries(ContentInputs.ofBytes(tar(files, null)), "application/x-tar"))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("'..' segment");
    assertThatThrownBy(() -> parser.archives().entries(ContentInputs.ofBytes(utf8("{}")), "application/zip"))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("zip signature");
    assertThatThrownBy(() -> parser.archives().entries(ContentInputs.ofBytes(utf8("{}")), "text/csv"))
        .isInstanceOf(IllegalArgumentException.class);

    // Each run counts its own bytes; their sum is checked against the archive's limit by the caller.
    UploadParser tight = UploadParser.create(ParseLimits.defaults().withArchiveLimits(10, 1000, 100));
    tight.archives().checkExpandedTotal(1000);
    assertThatThrownBy(() -> tight.archives().checkExpandedTotal(1001)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("more than 1000 bytes");

    Map<String, byte[]> bomb = new LinkedHashMap<>();
    bomb.put("a.jsonl", utf8("{}\n"));
    bomb.put("bomb.jsonl", new byte[4 << 20]);
    byte[] archive = zip(bomb);
    assertThat(parser.archives().parseRun(ContentInputs.ofBytes(archive), "application/zip", DataFormat.JSONL, 0, 1,
        new CollectingVisitor()).expandedBytes()).isEqualTo(3);
    assertThatThrownBy(() -> parser.archives().parseRun(ContentInputs.ofBytes(archive), "application/zip",
        DataFormat.JSONL, 1, 1, new CollectingVisitor())).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("zip bomb");
  }

  @Test
  void runsGroupConsecutiveFilesUpToTheTargetSize() {
    List<ArchiveParser.Entry> entries = List.of(new ArchiveParser.Entry("a", 600), new ArchiveParser.Entry("b", 500),
        new ArchiveParser.Entry("c", 2000), new ArchiveParser.Entry("d", 10), new ArchiveParser.Entry("e", 10));
    assertThat(ArchiveParser.runs(entries, 1000)).containsExactly(new ArchiveParser.Run(0, 2),
        new ArchiveParser.Run(2, 1), new ArchiveParser.Run(3, 2));
    assertThat(ArchiveParser.runs(entries, 1 << 20)).containsExactly(new ArchiveParser.Run(0, 5));
    assertThat(ArchiveParser.runs(List.of(), 1000)).isEmpty();
  }
}
