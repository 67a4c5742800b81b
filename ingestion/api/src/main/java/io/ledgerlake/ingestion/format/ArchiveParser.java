package io.ledgerlake.ingestion.format;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.LimitExceededException;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * .zip and .tar archives whose entries are files of the dataset's format. Defensive by design:
 * <ul>
 *   <li>the whole entry list is checked before the first record is emitted (zip: central directory; tar: a pre-scan
 *       pass), so an archive with a {@code ../} or absolute name, a link, or too many entries is rejected whole;</li>
 *   <li>expanded bytes are counted as they are actually inflated, not trusted from headers, and capped in total;</li>
 *   <li>zip entries inflating past {@code max-compression-ratio} (after the first MiB) abort the archive;</li>
 *   <li>nested archives are rejected per entry instead of recursed into.</li>
 * </ul>
 *
 * <p>A large archive can also be parsed in parallel: {@link #entries} lists (and checks) its files, {@link #runs}
 * groups them, and each {@link #parseRun} parses one group; the caller sums the runs' expanded bytes.
 */
public final class ArchiveParser {
  /** Below this many expanded bytes an entry's ratio is not judged: tiny files of zeros compress very well. */
  private static final long RATIO_GRACE_BYTES = 1L << 20;

  private final ParseLimits limits;
  private final Function<DataFormat, FormatParser> parsers;

  public ArchiveParser(ParseLimits limits, Function<DataFormat, FormatParser> parsers) {
    this.limits = limits;
    this.parsers = parsers;
  }

  /** One file of an archive, as listed before parsing: its path and the size its header declares. */
  public record Entry(String name, long declaredBytes) {}

  /** Files {@code [first, first + count)} of an archive, in the order they are parsed. */
  public record Run(int first, int count) {}

  /**
   * What parsing a run of entries did.
   *
   * @param completed false if the visitor stopped early
   * @param expandedBytes bytes the run's entries actually expanded to: the caller that parsed an archive in runs
   *     checks their sum with {@link #checkExpandedTotal}
   */
  public record RunResult(boolean completed, long expandedBytes) {}

  public boolean parseZip(ContentInput input, DataFormat datasetFormat, RecordVisitor visitor) throws IOException {
    return parseZipRun(input, datasetFormat, 0, Integer.MAX_VALUE, visitor).completed();
  }

  public boolean parseTar(ContentInput input, DataFormat datasetFormat, RecordVisitor visitor) throws IOException {
    tarEntries(input); // every entry is checked before anything is emitted
    return parseTarRun(input, datasetFormat, 0, Integer.MAX_VALUE, visitor).completed();
  }

  /**
   * The files of a zip or tar archive in parse order, after the whole-archive checks (names, links, special files,
   * entry count, declared size) that {@link #parseZip}/{@link #parseTar} make before the first record.
   *
   * @throws InvalidContentException or {@link LimitExceededException} as parsing the archive would
   */
  public List<Entry> entries(ContentInput input, String contentType) throws IOException {
    if (isZip(contentType)) {
      checkMagic(input, ZIP_MAGIC, "zip");
      try (SeekableByteChannel channel = input.openChannel();
           ZipFile zip = openZip(channel)) {
        return checkedZipFiles(zip).stream()
            .map(e -> new Entry(e.getName(), Math.max(e.getSize(), 0)))
            .toList();
      }
    }
    return tarEntries(input);
  }

  /**
   * Parses files {@code [first, first + count)} of an archive whose {@link #entries} were listed (and so checked)
   * before. Concatenating the runs of an archive gives exactly what {@link #parseZip}/{@link #parseTar} visit: every
   * position names its entry, and ordinals are per entry, so a run needs nothing from the runs before it.
   */
  public RunResult parseRun(ContentInput input, String contentType, DataFormat datasetFormat, int first, int count,
      RecordVisitor visitor) throws IOException {
    return isZip(contentType)
        ? parseZipRun(input, datasetFormat, first, count, visitor)
        : parseTarRun(input, datasetFormat, first, count, visitor);
  }

  private static boolean isZip(String contentType) {
    if (!DataFormat.isArchive(contentType)) {
      throw new IllegalArgumentException("not an archive content type: " + contentType);
    }
    return DataFormat.ZIP_MEDIA_TYPE.equals(DataFormat.normalizeMediaType(contentType));
  }

  /** Fails as a whole-archive parse would if the runs of one archive together expanded past the limit. */
  public void checkExpandedTotal(long expandedBytes) {
    if (expandedBytes > limits.archiveMaxExpandedBytes()) {
      throw expandedTooLarge(expandedBytes);
    }
  }

  /**
   * Consecutive entries grouped into runs of at least {@code targetBytes} declared bytes (the last may be smaller),
   * for parsing in parallel.
   */
  public static List<Run> runs(List<Entry> entries, long targetBytes) {
    List<Run> runs = new ArrayList<>();
    int first = 0;
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      bytes += entries.get(i).declaredBytes();
      if (bytes >= targetBytes) {
        runs.add(new Run(first, i + 1 - first));
        first = i + 1;
        bytes = 0;
      }
    }
    if (first < entries.size()) {
      runs.add(new Run(first, entries.size() - first));
    }
    return List.copyOf(runs);
  }

  private RunResult parseZipRun(ContentInput input, DataFormat datasetFormat, int first, int count,
      RecordVisitor visitor) throws IOException {
    checkMagic(input, ZIP_MAGIC, "zip");
    try (SeekableByteChannel channel = input.openChannel();
         ZipFile zip = openZip(channel)) {
      // The central directory is small: checked again here, so a run never relies on its caller for safety.
      List<ZipArchiveEntry> files = checkedZipFiles(zip);
      Budget budget = new Budget();
      int end = (int) Math.min(files.size(), (long) first + count);
      for (int i = first; i < end; i++) {
        ZipArchiveEntry entry = files.get(i);
        long compressed = Math.max(entry.getCompressedSize(), 1);
        EntryInput entryInput = new EntryInput(() -> {
          try {
            return budget.track(zip.getInputStream(entry), entry.getName(), compressed);
          } catch (java.util.zip.ZipException e) {
            throw new InvalidContentException("CORRUPT_ARCHIVE",
                "Zip entry " + entry.getName() + " cannot be read: " + e.getMessage(), e);
          }
        });
        if (!parseEntry(entry.getName(), entryInput, datasetFormat, visitor)) {
          return new RunResult(false, budget.expanded);
        }
      }
      return new RunResult(true, budget.expanded);
    }
  }

  /** The zip's files in physical order (directories left out), after checking every entry. */
  private List<ZipArchiveEntry> checkedZipFiles(ZipFile zip) {
    List<ZipArchiveEntry> files = new ArrayList<>();
    long declared = 0;
    for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
      checkName(entry.getName());
      if (entry.isUnixSymlink()) {
        throw unsafe(entry.getName(), "is a symbolic link");
      }
      if (!entry.isDirectory()) {
        files.add(entry);
        declared += Math.max(entry.getSize(), 0);
      }
    }
    checkCounts(files.size(), declared);
    return files;
  }

  /** Pass 1 over a tar: names, types, count and declared sizes (exact in tar), before anything is emitted. */
  private List<Entry> tarEntries(ContentInput input) throws IOException {
    List<Entry> files = new ArrayList<>();
    long declared = 0;
    try (TarArchiveInputStream tar = openTar(input)) {
      TarArchiveEntry entry;
      while ((entry = nextTarEntry(tar)) != null) {
        checkTarEntry(entry);
        if (entry.isDirectory()) {
          continue;
        }
        files.add(new Entry(entry.getName(), entry.getSize()));
        declared += entry.getSize();
        checkCounts(files.size(), declared);
      }
    }
    return files;
  }

  private static void checkTarEntry(TarArchiveEntry entry) {
    checkName(entry.getName());
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw unsafe(entry.getName(), "is a link to " + entry.getLinkName());
    }
    if (!entry.isDirectory() && !entry.isFile()) {
      throw unsafe(entry.getName(), "is a device, FIFO or other special file");
    }
  }

  private RunResult parseTarRun(ContentInput input, DataFormat datasetFormat, int first, int count,
      RecordVisitor visitor) throws IOException {
    Budget budget = new Budget();
    try (TarArchiveInputStream tar = openTar(input)) {
      TarArchiveEntry entry;
      int index = 0;
      long end = (long) first + count;
      while (index < end && (entry = nextTarEntry(tar)) != null) {
        checkTarEntry(entry);
        if (!entry.isFile()) {
          continue;
        }
        if (index++ < first) {
          continue; // tar has no index: the stream passes over the entries of earlier runs
        }
        String name = entry.getName();
        EntryInput entryInput = new EntryInput(() -> budget.track(new NonClosing(tar), name, -1));
        if (!parseEntry(name, entryInput, datasetFormat, visitor)) {
          return new RunResult(false, budget.expanded);
        }
      }
    }
    return new RunResult(true, budget.expanded);
  }

  private boolean parseEntry(String name, EntryInput input, DataFormat datasetFormat, RecordVisitor visitor)
      throws IOException {
    try {
      RecordPosition position = new RecordPosition(name, 0, 0, -1);
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".zip") || lower.endsWith(".tar")) {
        return visitor.onRejection(new Rejection(position, RejectionCode.UNSUPPORTED_ENTRY,
            "Nested archives are not expanded; put the files directly into one archive"));
      }
      DataFormat entryFormat = DataFormat.fromFileName(name).orElse(null);
      if (entryFormat != datasetFormat) {
        return visitor.onRejection(new Rejection(position, RejectionCode.UNSUPPORTED_ENTRY,
            "Entry is not a " + datasetFormat.id() + " file (expected one of " + datasetFormat.extensions()
                + "); the dataset's format is " + datasetFormat.id()));
      }
      return parsers.apply(entryFormat).parse(input, name, "", visitor);
    } finally {
      input.cleanUp();
    }
  }

  private void checkCounts(long files, long declaredBytes) {
    if (files > limits.archiveMaxEntries()) {
      throw new LimitExceededException("ARCHIVE_TOO_MANY_ENTRIES", IngestionOptions.ARCHIVE_MAX_ENTRIES,
          "Archive has more than " + limits.archiveMaxEntries() + " files (" + IngestionOptions.ARCHIVE_MAX_ENTRIES
              + "); split it into several uploads");
    }
    if (declaredBytes > limits.archiveMaxExpandedBytes()) {
      throw expandedTooLarge(declaredBytes);
    }
  }

  private LimitExceededException expandedTooLarge(long bytes) {
    return new LimitExceededException("ARCHIVE_TOO_LARGE", IngestionOptions.ARCHIVE_MAX_EXPANDED_BYTES,
        "Archive expands to more than " + limits.archiveMaxExpandedBytes() + " bytes (at least " + bytes + "; "
            + IngestionOptions.ARCHIVE_MAX_EXPANDED_BYTES + "); split it into several uploads");
  }

  static void checkName(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw unsafe(name, "is empty or contains NUL");
    }
    if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
      throw unsafe(name, "is an absolute path");
    }
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw unsafe(name, "contains a '..' segment that escapes the archive root");
      }
    }
  }

  private static InvalidContentException unsafe(String name, String why) {
    return new InvalidContentException("UNSAFE_ARCHIVE_ENTRY",
        "Archive entry '" + name + "' " + why + "; archives may only contain relative paths to regular files");
  }

  private static final byte[] ZIP_MAGIC = {'P', 'K'};

  private static void checkMagic(ContentInput input, byte[] magic, String kind) throws IOException {
    try (InputStream in = input.openStream()) {
      byte[] head = in.readNBytes(magic.length);
      for (int i = 0; i < magic.length; i++) {
        if (head.length < magic.length || head[i] != magic[i]) {
          throw new InvalidContentException("NOT_AN_ARCHIVE",
              "Content declared as " + kind + " does not start with the " + kind + " signature; check the Content-Type");
        }
      }
    }
  }

  private static ZipFile openZip(SeekableByteChannel channel) {
    try {
      return ZipFile.builder().setSeekableByteChannel(channel).get();
    } catch (IOException e) {
      throw new InvalidContentException("CORRUPT_ARCHIVE",
          "Zip archive cannot be opened (" + e.getMessage() + "); it may be truncated", e);
    }
  }

  private static TarArchiveInputStream openTar(ContentInput input) throws IOException {
    InputStream in = input.openStream();
    byte[] header = in.readNBytes(512);
    in.close();
    if (header.length < 512 || !TarArchiveInputStream.matches(header, header.length)) {
      throw new InvalidContentException("NOT_AN_ARCHIVE",
          "Content declared as tar has no valid tar header; check the Content-Type");
    }
    return new TarArchiveInputStream(input.openStream());
  }

  private static TarArchiveEntry nextTarEntry(TarArchiveInputStream tar) {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new InvalidContentException("CORRUPT_ARCHIVE",
          "Tar archive is corrupt or truncated (" + e.getMessage() + ")", e);
    }
  }

  /** Expanded-byte accounting shared by all entries of one archive. */
  private final class Budget {
    private long expanded;

    InputStream track(InputStream in, String name, long compressedSize) {
      return new FilterInputStream(in) {
        private long entryBytes;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            entryBytes += n;
            expanded += n;
            if (expanded > limits.archiveMaxExpandedBytes()) {
              throw expandedTooLarge(expanded);
            }
            if (compressedSize > 0 && entryBytes > RATIO_GRACE_BYTES
                && entryBytes / compressedSize > limits.archiveMaxCompressionRatio()) {
              throw new LimitExceededException("ARCHIVE_COMPRESSION_RATIO", IngestionOptions.ARCHIVE_MAX_COMPRESSION_RATIO,
                  "Archive entry '" + name + "' expands more than " + limits.archiveMaxCompressionRatio()
                      + " times its compressed size (" + compressedSize + " bytes); this looks like a zip bomb");
            }
          }
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          // Route skips through read so that skipped bytes are counted too.
          byte[] scratch = new byte[(int) Math.min(n, 8192)];
          long done = 0;
          while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
              break;
            }
            done += r;
          }
          return done;
        }
      };
    }
  }

  /** Lets format parsers close what they opened without closing the shared tar stream. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the archive stream stays open for the next entry
    }
  }

  @FunctionalInterface
  private interface StreamOpener {
    InputStream open() throws IOException;
  }

  /**
   * One archive entry as {@link ContentInput}: streamed once, or spilled to a temporary file when a parser needs
   * random access (Parquet). The spill is bounded by the same expanded-bytes budget.
   */
  private static final class EntryInput implements ContentInput {
    private final StreamOpener opener;
    private boolean streamed;
    private Path spill;

    EntryInput(StreamOpener opener) {
      this.opener = opener;
    }

    @Override
    public InputStream openStream() throws IOException {
      if (spill != null) {
        return Files.newInputStream(spill);
      }
      if (streamed) {
        spillNow();
        return Files.newInputStream(spill);
      }
      streamed = true;
      return opener.open();
    }

    @Override
    public SeekableByteChannel openChannel() throws IOException {
      if (spill == null) {
        spillNow();
      }
      return Files.newByteChannel(spill, StandardOpenOption.READ);
    }

    private void spillNow() throws IOException {
      if (streamed) {
        throw new IllegalStateException("Archive entry was already streamed; parsers must open a channel first");
      }
      streamed = true;
      spill = Files.createTempFile("ledgerlake-entry", ".bin");
      try (InputStream in = opener.open()) {
        Files.copy(in, spill, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }

    @Override
    public long size() {
      try {
        return spill != null ? Files.size(spill) : -1;
      } catch (IOException e) {
        return -1;
      }
    }

    void cleanUp() throws IOException {
      if (spill != null) {
        Files.deleteIfExists(spill);
      }
    }
  }
}
