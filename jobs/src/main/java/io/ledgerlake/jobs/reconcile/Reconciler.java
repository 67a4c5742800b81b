package io.ledgerlake.jobs.reconcile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.BlockIntegrityException;
import io.ledgerlake.content.BlockNotFoundException;
import io.ledgerlake.content.ContentException;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.RecordCids;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.publish.PublishDerivedJob;
import io.ledgerlake.jobs.publish.DatasetPublisher.Publication;
import io.ledgerlake.jobs.publish.VersionShares;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.versions.DatasetManifest;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ledgerlake reconcile}: checks that the chain (as indexed into chain.*), the lakehouse and the content
 * store tell the same story, and appends one row per item to ops.reconciliation.
 *
 * <ol>
 *   <li><b>version_root</b>: every on-chain asset version is matched to its publish run (ops.job_runs, by on-chain
 *       version id) and lakehouse tag; the manifest is rebuilt from the tagged records and its CID compared with
 *       the on-chain commitment; the stored manifest must be retrievable and hash-valid (manifest_content).
 *   <li><b>receipts</b>: the version's receipts on chain against the pro-rata shares recomputed from the tagged
 *       records, exactly as publishing computes them.
 *   <li><b>registration</b>: every successful publish run is registered on chain with the same asset and
 *       manifest.
 *   <li><b>records</b>: the bytes of every record of every published version hash to its CID (one item per
 *       version when all do, one {@code record} item per bad record); <b>upload_content</b>: every upload CID of
 *       ingest.records is retrievable from the content store with every block verified.
 * </ol>
 *
 * <p>Reads the indexed chain state; run the indexer first ({@code ledgerlake index --once}). Versions recorded
 * through a Merkle commitment have only the root on chain: the root of the recomputed shares is rebuilt with
 * {@link MerkleReceiptTree} and compared with it.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final String MERKLE_ROOT_EVENT = "MerkleRootRecorded";
  private static final String USAGE_PAYOUT_EVENT = "UsagePayoutCommitted";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Lakehouse lakehouse;
  private final ContentStore content;

  public Reconciler(Lakehouse lakehouse, ContentStore content) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.content = requireNonNull(content, "content");
  }

  /** A version's contents at its tag. */
  private record Tagged(String dataset, String tag, Map<String, String> recordJson, Map<String, Long> counts) {}

  /** The tables a reconcile reads at one snapshot each (dataset versions are read at their immutable tags). */
  public static final List<io.ledgerlake.lakehouse.tables.TableDefinition> READS = List.of(
      TableModel.CHAIN_ASSETS, TableModel.CHAIN_ASSET_VERSIONS, TableModel.CHAIN_RECEIPTS, TableModel.CHAIN_EVENTS,
      TableModel.OPS_JOB_RUNS);

  /** Snapshot ids to read, by qualified table name; a table not in it is read at its current snapshot. */
  private Map<String, Long> pinned = Map.of();

  /**
   * Checks everything as of the current snapshots and appends the items to ops.reconciliation, through the Job runner
   * ({@link ReconcileJob}): the run and the snapshots it read are recorded in ops.job_runs.
   */
  public ReconcileReport run() {
    try {
      return new io.ledgerlake.jobs.JobRunner(lakehouse, new java.io.PrintWriter(java.io.Writer.nullWriter()))
          .run(new ReconcileJob(this), new ReconcileJob.Params()).report();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new io.ledgerlake.lakehouse.LakehouseException(io.ledgerlake.common.ErrorCategory.INTERNAL,
          e, "reconcile failed: %s", e.getMessage());
    }
  }

  /** The work of one reconcile, reading {@link #READS} at {@code snapshots}; {@code runId} names its items. */
  ReconcileReport runPinned(Map<String, Long> snapshots, String runId) {
    this.pinned = Map.copyOf(snapshots);
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
    List<ReconcileItem> items = new ArrayList<>();

    Map<String, List<Publication>> byDataset = DatasetPublisher.publicationsByDataset(lakehouse,
        pinned.getOrDefault(TableModel.OPS_JOB_RUNS.qualifiedName(), -1L));
    Map<String, Publication> runByVersion = new LinkedHashMap<>();
    Map<String, String> datasetOfTag = new HashMap<>();
    byDataset.forEach((dataset, pubs) -> pubs.forEach(p -> {
      runByVersion.put(Long.toString(p.versionId()), p);
      datasetOfTag.put(p.tag(), dataset);
    }));
    List<Record> versions = readAll(TableModel.CHAIN_ASSET_VERSIONS);
    Map<String, String> merkleRoots = merkleRoots();
    Map<String, List<Record>> receipts = new HashMap<>();
    for (Record r : readAll(TableModel.CHAIN_RECEIPTS)) {
      receipts.computeIfAbsent(str(r, "version_id"), k -> new ArrayList<>()).add(r);
    }
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Map<String, Long> tags = lakehouse.versions(TableModel.INGEST_RECORDS).tags();
    Map<String, Tagged> taggedCache = new HashMap<>();

    // Derived assets — models (ml.models, publish --model) and RAG indexes (rag.indexes, publish --index) — are checked
    // against the runs that registered them.
    Map<String, String> kindOfAsset = new HashMap<>();
    readAll(TableModel.CHAIN_ASSETS).forEach(a -> kindOfAsset.put(str(a, "asset_id"), str(a, "kind")));
    Map<Long, PublishDerivedJob.Publication> derivedRuns = PublishDerivedJob.byVersionId(lakehouse,
        pinned.getOrDefault(TableModel.OPS_JOB_RUNS.qualifiedName(), -1L));
    Map<String, Record> versionsById = new HashMap<>();
    versions.forEach(v -> versionsById.put(str(v, "version_id"), v));

    // 1 + 2: every on-chain version against the lakehouse.
    Map<String, Record> onChainByVersionId = new HashMap<>();
    for (Record v : versions) {
      String versionId = str(v, "version_id");
      String assetId = str(v, "asset_id");
      Optional<PublishDerivedJob.Kind> derived = derivedKind(kindOfAsset.get(assetId));
      if (derived.isPresent()) {
        items.addAll(derivedItems(derived.get(), v,
            versionId == null ? null : derivedRuns.get(Long.parseLong(versionId)), versionsById));
        continue;
      }
      String subject = assetId + "@" + v.getField("version");
      String onChainRoot = normalize(str(v, "manifest_cid"));
      onChainByVersionId.put(versionId, v);
      Publication pub = runByVersion.get(versionId);
      String tag = pub != null ? pub.tag() : str(v, "lakehouse_tag");
      if (tag == null || !tags.containsKey(tag)) {
        items.add(new ReconcileItem("version_root", subject, assetId, versionId, tag,
            ReconcileStatus.MISSING_IN_LAKEHOUSE, null, onChainRoot,
            tag == null ? "no publish run in ops.job_runs registered this version"
                : "tag " + tag + " is not on ingest.records"));
        continue;
      }
      String dataset = datasetOfTag.getOrDefault(tag, tag.substring(0, tag.lastIndexOf("-v")));
      Tagged t = taggedCache.computeIfAbsent(tag, k -> readTag(records, dataset, k, tags.get(k)));
      String root = manifestCid(t);
      boolean rootOk = root.equals(onChainRoot);
      items.add(new ReconcileItem("version_root", subject, assetId, versionId, tag,
          rootOk ? ReconcileStatus.MATCH : ReconcileStatus.ROOT_MISMATCH, root, onChainRoot,
          rootOk ? t.recordJson().size() + " records" : "manifest rebuilt from " + t.recordJson().size()
              + " tagged records differs from the on-chain commitment"));
      items.add(contentItem("manifest_content", onChainRoot, assetId, versionId, tag));
      items.add(sharesItem(subject, assetId, versionId, tag, t, receipts.getOrDefault(versionId, List.of()), pub,
          merkleRoots.get(versionId)));
    }

    // 3: every publish run and every version tag registered on chain.
    // Only publish runs count as published: tags alone are lakehouse versions nobody published (the demo makes one).
    runByVersion.forEach((versionId, p) -> {
      Record v = onChainByVersionId.get(versionId);
      String assetId = Long.toString(p.assetId());
      String manifest = normalize(p.manifestCid());
      if (v == null) {
        items.add(new ReconcileItem("registration", p.tag(), assetId, versionId, p.tag(),
            ReconcileStatus.MISSING_ON_CHAIN, manifest, null,
            "publish run names on-chain version " + versionId + ", which the indexed chain does not have;"
                + " run 'ledgerlake index --once', or publish again"));
      } else if (!Objects.equals(assetId, str(v, "asset_id")) || !manifest.equals(normalize(str(v, "manifest_cid")))) {
        items.add(new ReconcileItem("registration", p.tag(), assetId, versionId, p.tag(),
            ReconcileStatus.MISSING_ON_CHAIN, assetId + " " + manifest, str(v, "asset_id") + " "
                + normalize(str(v, "manifest_cid")), "on-chain version " + versionId
                + " has another asset or manifest than the publish run recorded"));
      } else {
        items.add(new ReconcileItem("registration", p.tag(), assetId, versionId, p.tag(), ReconcileStatus.MATCH,
            manifest, manifest, null));
      }
    });

    // 4: record bytes of every published version, and the uploads they came from.
    Map<String, String> checked = new HashMap<>();
    for (Tagged t : taggedCache.values().stream().sorted((a, b) -> a.tag().compareTo(b.tag())).toList()) {
      int bad = 0;
      for (Map.Entry<String, String> e : t.recordJson().entrySet()) {
        if (e.getValue().equals(checked.get(e.getKey()))) {
          continue;
        }
        String actual = RecordCids.of(e.getValue().getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(e.getKey())) {
          bad++;
          items.add(new ReconcileItem("record", e.getKey(), null, null, t.tag(), ReconcileStatus.CONTENT_CORRUPT,
              e.getKey(), actual, "record_json does not hash to record_cid"));
        } else {
          checked.put(e.getKey(), e.getValue());
        }
      }
      if (bad == 0) {
        items.add(new ReconcileItem("records", t.tag(), null, null, t.tag(), ReconcileStatus.MATCH, null, null,
            t.recordJson().size() + " records hash to their CIDs"));
      }
    }
    for (String upload : uploads(records)) {
      items.add(contentItem("upload_content", upload, null, null, null));
    }

    // Usage payouts: each epoch's root on chain against the shares recomputed from the settlement's usage snapshot.
    items.addAll(io.ledgerlake.jobs.attribution.UsagePayoutCheck.check(lakehouse, usagePayoutRoots()));
    // Settled model calls: metered calls against attribution.model_calls, shares against the transaction's credits.
    items.addAll(io.ledgerlake.jobs.attribution.ModelCallsCheck.check(lakehouse));

    ReconcileReport report = new ReconcileReport(runId, items);
    write(report, started);
    LOG.info("Reconciled {} item(s), {} discrepancies (run {})", items.size(), report.discrepancies().size(), runId);
    return report;
  }

  private ReconcileItem sharesItem(String subject, String assetId, String versionId, String tag, Tagged t,
      List<Record> onChain, Publication pub, String merkleRoot) {
    // The same computation as publishing, from the annotations snapshot and pools the publish run recorded.
    List<ReceiptShare> shares = t.counts().isEmpty() ? List.of()
        : VersionShares.compute(lakehouse, t.dataset(), t.counts(), t.recordJson().keySet(),
            pub != null ? pub.shareInputs() : VersionShares.Inputs.LEGACY);
    if (merkleRoot != null) {
      return merkleItem(subject, assetId, versionId, tag, shares, merkleRoot);
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (ReceiptShare s : shares) {
      expected.put(key(s.contributor(), s.role().name()), s.shareBps());
    }
    Map<String, Integer> actual = new TreeMap<>();
    for (Record r : onChain) {
      actual.merge(key(str(r, "contributor"), str(r, "role")), (Integer) r.getField("share_bps"), Integer::sum);
    }
    boolean ok = expected.equals(actual);
    return new ReconcileItem("receipts", subject, assetId, versionId, tag,
        ok ? ReconcileStatus.MATCH : ReconcileStatus.SHARES_MISMATCH, expected.toString(), actual.toString(),
        ok ? expected.size() + " receipts" : "receipts on chain differ from the pro-rata shares of the tagged records");
  }

  /**
   * A version whose receipts went on chain as a Merkle root: only the root is there, so the root of the
   * recomputed shares is rebuilt with the provenance module's tree (same leaves, same order as publishing) and
   * compared with it.
   */
  private static ReconcileItem merkleItem(String subject, String assetId, String versionId, String tag,
      List<ReceiptShare> shares, String onChainRoot) {
    String expected;
    try {
      expected = MerkleReceiptTree.build(Long.parseLong(versionId), shares).rootHex();
    } catch (IllegalArgumentException e) {
      // no records, or shares that cannot form a tree: nothing the chain's root can match
      return new ReconcileItem("receipts", subject, assetId, versionId, tag, ReconcileStatus.SHARES_MISMATCH, null,
          onChainRoot, "no Merkle root can be rebuilt from the tagged records: " + e.getMessage());
    }
    boolean ok = expected.equalsIgnoreCase(onChainRoot);
    return new ReconcileItem("receipts", subject, assetId, versionId, tag,
        ok ? ReconcileStatus.MATCH : ReconcileStatus.SHARES_MISMATCH, expected, onChainRoot,
        ok ? shares.size() + " receipts in the Merkle root"
            : "Merkle root on chain differs from the root of the " + shares.size()
                + " pro-rata shares of the tagged records: a share, account or order differs");
  }

  /** The receipts root of every version recorded in Merkle mode, from the indexed MerkleRootRecorded events. */
  private Map<String, String> merkleRoots() {
    Map<String, String> roots = new HashMap<>();
    for (JsonNode args : eventArgs(MERKLE_ROOT_EVENT)) {
      roots.put(args.path("versionId").asText(), args.path("merkleRoot").asText());
    }
    return roots;
  }

  /** The usage payout root of every epoch key, from the indexed UsagePayoutCommitted events. */
  private Map<Long, String> usagePayoutRoots() {
    Map<Long, String> roots = new TreeMap<>();
    for (JsonNode args : eventArgs(USAGE_PAYOUT_EVENT)) {
      roots.put(args.path("epoch").asLong(), args.path("root").asText());
    }
    return roots;
  }

  /** The decoded arguments of every indexed event named {@code eventName}, in chain order. */
  private List<JsonNode> eventArgs(String eventName) {
    Table events = lakehouse.table(TableModel.CHAIN_EVENTS);
    events.refresh();
    long snapshot = pinned.getOrDefault(TableModel.CHAIN_EVENTS.qualifiedName(),
        events.currentSnapshot() == null ? -1L : events.currentSnapshot().snapshotId());
    List<JsonNode> out = new ArrayList<>();
    if (snapshot < 0) {
      return out;
    }
    List<Record> recorded = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(events).useSnapshot(snapshot)
        .where(Expressions.equal("event_name", eventName)).build()) {
      rows.forEach(r -> recorded.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Chain order, so a value recorded again later (the contracts refuse it, but the index is data) wins.
    recorded.sort(Comparator.comparingLong((Record r) -> (Long) r.getField("block_number"))
        .thenComparingInt(r -> (Integer) r.getField("log_index")));
    for (Record r : recorded) {
      try {
        out.add(JSON.readTree(str(r, "args_json")));
      } catch (IOException e) {
        throw new LakehouseException(ErrorCategory.INTERNAL, e,
            "chain.events row %s:%s has unreadable args_json; re-index with 'ledgerlake index --once'",
            str(r, "tx_hash"), r.getField("log_index"));
      }
    }
    return out;
  }

  private static String key(String contributor, String role) {
    return contributor.toLowerCase(Locale.ROOT) + ":" + role.toLowerCase(Locale.ROOT);
  }

  /** Reads the whole file behind {@code cid}; the store verifies every block against its CID while reading. */
  private static Optional<PublishDerivedJob.Kind> derivedKind(String chainKind) {
    for (PublishDerivedJob.Kind k : PublishDerivedJob.Kind.values()) {
      if (k.chainKind().equals(chainKind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * A derived version (a model or a RAG index): its on-chain commitment is the CID of the publish run that registered
   * it, its content is whole in the content store, and its on-chain parents are exactly the versions it was built from
   * (the dataset version; for a fine-tune also the base model's). Checks are named {@code model_*} or {@code index_*}.
   */
  private List<ReconcileItem> derivedItems(PublishDerivedJob.Kind kind, Record v, PublishDerivedJob.Publication run,
      Map<String, Record> versionsById) {
    String what = kind == PublishDerivedJob.Kind.MODEL ? "model" : "index";
    String versionId = str(v, "version_id");
    String assetId = str(v, "asset_id");
    String subject = assetId + "@" + v.getField("version");
    String onChainRoot = normalize(str(v, "manifest_cid"));
    List<ReconcileItem> out = new ArrayList<>();
    if (run == null || run.kind() != kind) {
      out.add(new ReconcileItem(what + "_root", subject, assetId, versionId, null, ReconcileStatus.MISSING_IN_LAKEHOUSE,
          null, onChainRoot, "no " + kind.jobName() + " run in ops.job_runs registered this " + what + " version"));
      return out;
    }
    String expected = normalize(run.cid());
    boolean rootOk = expected.equals(onChainRoot);
    out.add(new ReconcileItem(what + "_root", subject, assetId, versionId, run.datasetTag(),
        rootOk ? ReconcileStatus.MATCH : ReconcileStatus.ROOT_MISMATCH, expected, onChainRoot,
        rootOk ? what + " " + run.id() : "the chain commits to other content than " + what + " " + run.id()));
    out.add(contentItem(what + "_content", onChainRoot, assetId, versionId, run.datasetTag()));
    List<String> expectedParents = new ArrayList<>();
    for (long parentId : run.parentVersionIds()) {
      Record parent = versionsById.get(Long.toString(parentId));
      expectedParents.add(parent == null ? "version id " + parentId : str(parent, "asset_id") + "@" + parent.getField("version"));
    }
    String expectedParent = String.join(",", expectedParents);
    @SuppressWarnings("unchecked")
    List<String> parents = v.getField("parents") == null ? List.of() : (List<String>) v.getField("parents");
    boolean parentsOk = new java.util.TreeSet<>(parents).equals(new java.util.TreeSet<>(expectedParents))
        && parents.size() == expectedParents.size();
    out.add(new ReconcileItem(what + "_parents", subject, assetId, versionId, run.datasetTag(),
        parentsOk ? ReconcileStatus.MATCH : ReconcileStatus.SHARES_MISMATCH, expectedParent, String.join(",", parents),
        parentsOk ? (kind == PublishDerivedJob.Kind.MODEL ? "trained on " : "built from ") + run.datasetTag() : "on-chain parents differ from the inputs of " + what + " "
            + run.id() + " (" + run.datasetTag() + ")"));
    return out;
  }

  private ReconcileItem contentItem(String check, String cid, String assetId, String versionId, String tag) {
    ReconcileStatus status = ReconcileStatus.MATCH;
    String detail = null;
    try {
      // The whole DAG, every block verified: a file, or a directory such as a model export.
      content.exportCar(io.ledgerlake.content.multiformats.Cid.parse(cid), OutputStream.nullOutputStream());
    } catch (BlockNotFoundException e) {
      status = ReconcileStatus.CONTENT_MISSING;
      detail = "not in the content store: " + e.getMessage();
    } catch (BlockIntegrityException e) {
      status = ReconcileStatus.CONTENT_CORRUPT;
      detail = "a block does not hash to its CID: " + e.getMessage();
    } catch (ContentException | IOException | UncheckedIOException e) {
      status = ReconcileStatus.CONTENT_CORRUPT;
      detail = "unreadable: " + e.getMessage();
    }
    return new ReconcileItem(check, cid, assetId, versionId, tag, status, cid, null, detail);
  }

  private Tagged readTag(Table records, String dataset, String tag, long snapshot) {
    Map<String, String> json = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(records).useSnapshot(snapshot)
        .where(Expressions.equal("dataset_id", dataset)).select("record_cid", "contributor", "record_json").build()) {
      for (Record r : rows) {
        // Count each CID once, as publishing does.
        if (json.putIfAbsent(str(r, "record_cid"), str(r, "record_json")) == null) {
          counts.merge(str(r, "contributor"), 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "reading %s at tag %s failed: %s",
          records.name(), tag, e.getMessage());
    }
    return new Tagged(dataset, tag, json, counts);
  }

  /** The manifest CID exactly as publishing computes it, without storing anything. */
  private static String manifestCid(Tagged t) {
    byte[] manifest = new DatasetManifest(t.dataset(), t.tag(), new ArrayList<>(t.recordJson().keySet())).toBytes();
    try {
      return normalize(ContentStore.cid(new ByteArrayInputStream(manifest), Profile.DEFAULT).cid().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CID text as the chain commitment displays it, so both sides compare in one spelling. */
  private static String normalize(String cid) {
    return cid == null ? null : ContentCommitment.ofCidText(cid).display();
  }

  private static Set<String> uploads(Table records) {
    Set<String> out = new TreeSet<>();
    records.refresh();
    if (records.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(records).select("content_cid").build()) {
      rows.forEach(r -> out.add(str(r, "content_cid")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private List<Record> readAll(io.ledgerlake.lakehouse.tables.TableDefinition def) {
    Table t = lakehouse.table(def);
    t.refresh();
    List<Record> out = new ArrayList<>();
    long snapshot = pinned.getOrDefault(def.qualifiedName(), t.currentSnapshot() == null ? -1L : t.currentSnapshot().snapshotId());
    if (snapshot < 0) {
      return out;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).useSnapshot(snapshot).build()) {
      rows.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void write(ReconcileReport report, OffsetDateTime started) {
    Table table = lakehouse.table(TableModel.OPS_RECONCILIATION);
    List<Record> rows = new ArrayList<>();
    for (ReconcileItem i : report.items()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("run_id", report.runId());
      v.put("checked_at", started);
      v.put("check_kind", i.check());
      v.put("subject", i.subject());
      v.put("asset_id", i.assetId());
      v.put("version_id", i.versionId());
      v.put("lakehouse_tag", i.tag());
      v.put("status", i.status().name());
      v.put("expected", i.expected());
      v.put("actual", i.actual());
      v.put("detail", i.detail());
      rows.add(Rows.of(table.schema(), v));
    }
    if (!rows.isEmpty()) {
      TableAppender.append(table, rows);
    }
  }

  private static String str(Record r, String field) {
    Object v = r.getField(field);
    return v == null ? null : v.toString();
  }
}
