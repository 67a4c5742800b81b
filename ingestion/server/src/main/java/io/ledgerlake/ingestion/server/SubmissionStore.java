package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accepted submissions ({@code submissions/<id>.json}) and the per-dataset duplicate index
 * ({@code dedup/<dataset>/<cid>} holding the first submission id for that content). Files, not memory: both must
 * survive a restart, and they are written once per upload.
 */
final class SubmissionStore {
  private static final Pattern SAFE_CID = Pattern.compile("[A-Za-z0-9]{8,128}");

  private final Path submissions;
  private final Path dedup;

  SubmissionStore(Path dataDir) throws IOException {
    this.submissions = Files.createDirectories(dataDir.resolve("submissions"));
    this.dedup = Files.createDirectories(dataDir.resolve("dedup"));
  }

  Optional<SubmissionRecord> get(String submissionId) {
    if (!Ids.isWellFormed(submissionId)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SubmissionRecord.fromJson(
          Json.MAPPER.readTree(submissions.resolve(submissionId + ".json").toFile())));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read submission " + submissionId, e);
    }
  }

  void put(SubmissionRecord record) {
    try {
      AtomicFiles.write(submissions.resolve(record.event().submissionId() + ".json"),
          Json.MAPPER.writeValueAsBytes(record.toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write submission " + record.event().submissionId(), e);
    }
  }

  /** The submission that first brought this content into this dataset, if any. */
  Optional<String> duplicateOf(String datasetId, String cid) {
    Path marker = markerPath(datasetId, cid);
    try {
      return Optional.of(Files.readString(marker, StandardCharsets.UTF_8).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read duplicate marker " + marker, e);
    }
  }

  /**
   * Records that {@code submissionId} brought this content. If a concurrent upload of the same content won the race,
   * returns that submission's id instead.
   */
  String claim(String datasetId, String cid, String submissionId) {
    Path marker = markerPath(datasetId, cid);
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, submissionId, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SYNC);
      AtomicFiles.syncDirectory(marker.getParent());
      return submissionId;
    } catch (FileAlreadyExistsException e) {
      return duplicateOf(datasetId, cid).orElse(submissionId);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write duplicate marker " + marker, e);
    }
  }

  private Path markerPath(String datasetId, String cid) {
    if (!Ids.isWellFormed(datasetId) || !SAFE_CID.matcher(cid).matches()) {
      throw new IllegalArgumentException("Unexpected dataset id or CID shape: " + datasetId + " / " + cid);
    }
    return dedup.resolve(datasetId).resolve(cid);
  }
}
