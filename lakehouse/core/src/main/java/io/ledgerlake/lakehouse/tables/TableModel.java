package io.ledgerlake.lakehouse.tables;

import java.util.List;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Types;

/**
 * The platform's tables as code. {@code ledgerlake init} creates them; docs/architecture.md
 * explains why each is partitioned the way it is.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Every row that describes content carries that content's CID ({@code *_cid}, CIDv1 base32
 *       unless the profile says otherwise).
 *   <li>Contributors, annotators and payers are lower-case 0x EVM addresses.
 *   <li>Token amounts are wei in {@code decimal(38,0)}: uint256 does not fit any Iceberg type, and
 *       38 digits hold 10^38 wei, far above any real supply.
 *   <li>Timestamps are UTC ({@code timestamptz}).
 *   <li>Columns are only ever added; bump {@code schemaVersion} when you add one (optional only).
 * </ul>
 */
public final class TableModel {
  private TableModel() {}

  private static final Types.DecimalType WEI = Types.DecimalType.of(38, 0);
  private static final Types.TimestampType TS = Types.TimestampType.withZone();
  private static final Types.StringType STR = Types.StringType.get();
  private static final Types.LongType LONG = Types.LongType.get();
  private static final Types.IntegerType INT = Types.IntegerType.get();

  /** One row per upload; updated as ingestion progresses (status is the latest row per id). */
  public static final TableDefinition INGEST_SUBMISSIONS =
      TableDefinition.of(
          "ingest",
          "submissions",
          1,
          Columns.builder()
              .required("submission_id", STR, "submission id assigned by the upload API")
              .required("dataset_id", STR, "dataset the upload belongs to")
              .required("contributor", STR, "EVM address of the uploader")
              .required("content_cid", STR, "CID of the uploaded bytes")
              .required("byte_count", LONG, "size of the upload in bytes")
              .optional("format", STR, "jsonl | csv | parquet | text | tar | zip")
              .required("status", STR, "received | ingesting | ingested | rejected | failed")
              .required("received_at", TS, "when the API acknowledged the upload")
              .required("updated_at", TS, "when this status row was written")
              .optional("accepted_records", LONG, "records written to ingest.records")
              .optional("rejected_records", LONG, "records written to ingest.rejections")
              .optional("duplicate_records", LONG, "records dropped as exact duplicates")
              .optional("error", STR, "why the submission failed, if it did")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("received_at").build(),
          "Uploads and their ingestion status.");

  /** Accepted records: canonical JSON named by CID. */
  public static final TableDefinition INGEST_RECORDS =
      TableDefinition.of(
          "ingest",
          "records",
          1,
          Columns.builder()
              .required("record_cid", STR, "CID of the canonical JSON bytes of the record")
              .required("dataset_id", STR, "dataset the record belongs to")
              .required("submission_id", STR, "submission that brought the record")
              .required("contributor", STR, "EVM address of the data provider")
              .required("content_cid", STR, "CID of the uploaded file the record came from")
              .optional("position", STR, "where in the upload: line N, row N, entry/line")
              .required("record_json", STR, "canonical (sorted-key) JSON of the record")
              .required("byte_size", INT, "size of record_json in UTF-8 bytes")
              .required("ingested_at", TS, "commit time of the ingestion")
              .build(),
          schema -> PartitionSpec.builderFor(schema).bucket("dataset_id", 16).build(),
          "Accepted records of every dataset.");

  public static final TableDefinition INGEST_REJECTIONS =
      TableDefinition.of(
          "ingest",
          "rejections",
          2,
          Columns.builder()
              .required("submission_id", STR, "submission the rejected input came from")
              .required("dataset_id", STR, "dataset")
              .required("contributor", STR, "EVM address of the uploader")
              .required("content_cid", STR, "CID of the uploaded file")
              .optional("position", STR, "line/row/offset/entry of the rejected input, as text for people")
              .required("reason_code", STR, "machine-readable reason, e.g. MALFORMED_JSON")
              .required("reason", STR, "human-readable reason")
              .optional("sample", STR, "first bytes of the rejected input (truncated)")
              .required("rejected_at", TS, "when it was rejected")
              // v2: the position as values. Null in rows written before v2 (their text is parsed instead) and in
              // rejections of a whole upload, which have no position.
              .optional("entry", STR, "archive entry path; empty for a plain upload")
              .optional("record_ordinal", LONG, "1-based index of the record in its entry (Parquet: the row)")
              .optional("line_number", LONG, "1-based line where the record starts; 0 when the format has no lines")
              .optional("byte_offset", LONG, "offset of the record's first byte in its entry; -1 when unknown")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("rejected_at").build(),
          "Input that was not accepted, with reason and position.");

  public static final TableDefinition LABEL_LABELS =
      TableDefinition.of(
          "label",
          "labels",
          1,
          Columns.builder()
              .required("record_cid", STR, "labeled record")
              .required("dataset_id", STR, "dataset of the record")
              .required("labeler", STR, "labeler name, e.g. lang")
              .required("labeler_version", STR, "labeler version")
              .required("label_key", STR, "what is labeled, e.g. language, pii.email")
              .optional("value", STR, "label value")
              .optional("score", Types.DoubleType.get(), "confidence or measure in [0,1] or raw")
              .required("labeled_at", TS, "when the label was computed")
              .build(),
          schema -> PartitionSpec.builderFor(schema).identity("labeler").bucket("dataset_id", 16).build(),
          "Automatic labels, one row per record, labeler and key.");

  public static final TableDefinition LABEL_ANNOTATIONS =
      TableDefinition.of(
          "label",
          "annotations",
          1,
          Columns.builder()
              .required("annotation_id", STR, "client-chosen id; replays are idempotent")
              .required("task_id", STR, "assignment the annotation answers")
              .required("record_cid", STR, "annotated record")
              .required("dataset_id", STR, "dataset")
              .required("annotator", STR, "EVM address of the annotator")
              .required("value_json", STR, "the answer, JSON per the dataset's label schema")
              .optional("time_spent_ms", LONG, "time the annotator spent")
              .required("created_at", TS, "when it was submitted")
              .optional("review_status", STR, "accepted | rejected | requeued")
              .optional("reviewer", STR, "EVM address of the reviewer")
              .optional("reviewed_at", TS, "when it was reviewed")
              .build(),
          schema -> PartitionSpec.builderFor(schema).bucket("dataset_id", 16).build(),
          "Human annotations and their reviews.");

  public static final TableDefinition LABEL_CONSENSUS =
      TableDefinition.of(
          "label",
          "consensus",
          1,
          Columns.builder()
              .required("record_cid", STR, "record")
              .required("dataset_id", STR, "dataset")
              .required("label_key", STR, "label schema field")
              .optional("value", STR, "consensus value")
              .required("method", STR, "majority | dawid-skene")
              .required("confidence", Types.DoubleType.get(), "posterior or vote share")
              .required("annotator_count", INT, "annotations that went into it")
              .required("run_id", STR, "consensus run (ops.job_runs)")
              .required("computed_at", TS, "when it was computed")
              .build(),
          schema -> PartitionSpec.builderFor(schema).bucket("dataset_id", 16).build(),
          "Consensus labels per record.");

  public static final TableDefinition LINEAGE_EVENTS =
      TableDefinition.of(
          "lineage",
          "events",
          1,
          Columns.builder()
              .required("event_id", STR, "unique id of the event (run id + type + time)")
              .required("event_time", TS, "OpenLineage eventTime")
              .required("event_type", STR, "START | COMPLETE | FAIL | ABORT | ...")
              .required("job_namespace", STR, "OpenLineage job namespace")
              .required("job_name", STR, "OpenLineage job name")
              .required("run_id", STR, "OpenLineage run id")
              .optionalStringList("input_cids", "CIDs of the inputs (submissions, manifests)")
              .optionalStringList("outputs", "output datasets, e.g. ingest.records@<snapshot>")
              .required("payload", STR, "the full OpenLineage JSON event")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("event_time").build(),
          "OpenLineage run events from every job.");

  public static final TableDefinition LINEAGE_EDGES =
      TableDefinition.of(
          "lineage",
          "edges",
          1,
          Columns.builder()
              .required("source_kind", STR, "submission | record | dataset_version | model | index | asset_version")
              .required("source_id", STR, "id of the source node")
              .optional("source_cid", STR, "CID of the source content")
              .required("target_kind", STR, "kind of the target node")
              .required("target_id", STR, "id of the target node")
              .optional("target_cid", STR, "CID of the target content")
              .required("relation", STR, "contains | derived_from | trained_on | indexed_from")
              .optional("run_id", STR, "run that created the edge")
              .required("recorded_at", TS, "when the edge was recorded")
              .build(),
          schema -> PartitionSpec.builderFor(schema).identity("relation").build(),
          "Lineage graph: one row per edge.");

  /**
   * Transitive closure of the lineage graph (lineage.edges plus on-chain parent links), so SQL can walk lineage
   * without recursion: one row per (ancestor, descendant) pair within the configured maximum depth. Rebuilt
   * whole by {@code LineageClosure.refresh}; each snapshot names the lineage.edges and chain.asset_versions
   * snapshots it reflects (docs/decisions/lakehouse-lineage-closure.md).
   */
  public static final TableDefinition LINEAGE_CLOSURE =
      TableDefinition.of(
          "lineage",
          "closure",
          1,
          Columns.builder()
              .required("ancestor_kind", STR, "kind of the upstream node")
              .required("ancestor_id", STR, "id of the upstream node")
              .required("descendant_kind", STR, "kind of the downstream node")
              .required("descendant_id", STR, "id of the downstream node")
              .required("depth", INT, "fewest hops from ancestor to descendant (a cycle's length when they are one node)")
              .required("via_kind", STR, "kind of the node the ancestor feeds on a shortest path (the descendant at depth 1)")
              .required("via_id", STR, "id of that node: follow (via, descendant) rows to spell the path")
              .required("relation", STR, "relation of the edge ancestor -> via")
              .required("origin", STR, "lineage.edges | chain (an on-chain parent link): where that edge comes from")
              .required("upstream_continues", Types.BooleanType.get(),
                  "the ancestor has inputs of its own: an upstream walk from the descendant cut at this depth is truncated")
              .required("downstream_continues", Types.BooleanType.get(),
                  "the descendant has outputs of its own: a downstream walk from the ancestor cut at this depth is truncated")
              .required("max_depth", INT,
                  "the closure's depth cut: pairs deeper than this are not stored, so walks deeper than it are truncated there")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Lineage closure: every ancestor/descendant pair with its shortest depth, for SQL walks.");

  public static final TableDefinition OPS_JOB_RUNS =
      TableDefinition.of(
          "ops",
          "job_runs",
          2,
          Columns.builder()
              .required("run_id", STR, "run id (also the OpenLineage run id)")
              .required("job_name", STR, "e.g. ingest, label, train, embed, publish, index")
              .required("status", STR, "running | succeeded | failed")
              .required("started_at", TS, "start time")
              .optional("finished_at", TS, "end time")
              .optional("input_ref", STR, "what it read: table@tag or CID")
              .optional("output_ref", STR, "what it wrote: table@snapshot or CID")
              .optional("records_in", LONG, "records read")
              .optional("records_out", LONG, "records written")
              .optional("params_json", STR, "parameters, JSON")
              .optional("error", STR, "error message if failed")
              // version 2: written by the Job runner (jobs/)
              .optionalStringList("inputs", "pinned inputs: <table>@<snapshot id>[#<tag>] or ipfs://<cid>")
              .optionalStringList("outputs", "what it wrote: <table>@<snapshot id> or ipfs://<cid>")
              .optional("error_category", STR, "USER_ERROR | EXTERNAL | INTERNAL when failed")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("started_at").build(),
          "Every job run, for operations and lineage: one row per run, written by the Job runner when it ends.");

  /**
   * Trained models: one row per distinct model (its CID is a canonical export of algorithm, parameters and weights, so
   * the same inputs and seed give the same row, written once). Written by the training jobs (training-jobs/).
   */
  public static final TableDefinition ML_MODELS =
      TableDefinition.of(
          "ml",
          "models",
          1,
          Columns.builder()
              .required("model_id", STR, "model id, derived from the CID (mdl-<last 16 characters>)")
              .required("model_cid", STR, "CID of the canonical model export (a UnixFS directory)")
              .required("task", STR, "classify | regress")
              .required("algorithm", STR, "logreg | mlp | forest")
              .required("dataset_id", STR, "dataset trained on")
              .required("version_tag", STR, "dataset version (tag) trained on")
              .required("records_snapshot_id", LONG, "ingest.records snapshot of that tag")
              .optional("labels_snapshot_id", LONG, "label.labels snapshot the curated view was read at")
              .required("label_source", STR, "field:<name> | consensus:<label key>")
              .required("include_excluded", Types.BooleanType.get(), "whether curation-excluded records were used")
              .required("record_count", LONG, "records used (train + test)")
              .required("train_count", LONG, "training records")
              .required("test_count", LONG, "test records")
              .required("seed", LONG, "random seed")
              .required("params_json", STR, "algorithm parameters and feature spec, JSON")
              .required("metrics_json", STR, "test metrics: accuracy, macro_f1, auc (binary), per-class counts")
              .optional("accuracy", Types.DoubleType.get(), "test accuracy")
              .optional("macro_f1", Types.DoubleType.get(), "test macro-F1")
              .optional("parent_model_id", STR, "base model of a fine-tune")
              .required("code_version", STR, "training code version")
              .required("run_id", STR, "run that first produced it (ops.job_runs)")
              .required("created_at", TS, "when it was first produced")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Trained models with their inputs, parameters and metrics.");

  /** Predictions of a model over a dataset version's curated view (ledgerlake predict), once per model and version. */
  public static final TableDefinition ML_PREDICTIONS =
      TableDefinition.of(
          "ml",
          "predictions",
          1,
          Columns.builder()
              .required("model_id", STR, "model that predicted")
              .required("dataset_id", STR, "dataset")
              .required("version_tag", STR, "dataset version")
              .required("record_cid", STR, "record")
              .required("prediction", STR, "predicted class")
              .optional("probability", Types.DoubleType.get(), "probability of the predicted class")
              .required("run_id", STR, "predict run (ops.job_runs)")
              .required("predicted_at", TS, "when")
              .build(),
          schema -> PartitionSpec.builderFor(schema).identity("model_id").build(),
          "Model predictions, by model.");

  /** Every training run (a rerun that produces an existing model is a run, not a new model). */
  public static final TableDefinition ML_RUNS =
      TableDefinition.of(
          "ml",
          "runs",
          1,
          Columns.builder()
              .required("run_id", STR, "run id (ops.job_runs)")
              .required("model_id", STR, "model produced")
              .required("model_cid", STR, "its CID")
              .required("dataset_id", STR, "dataset")
              .required("version_tag", STR, "dataset version")
              .required("new_model", Types.BooleanType.get(), "false when the model already existed (same inputs and seed)")
              .required("train_ms", LONG, "training wall time")
              .required("finished_at", TS, "end of the run")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("finished_at").build(),
          "Training runs.");

  public static final TableDefinition CHAIN_EVENTS =
      TableDefinition.of(
          "chain",
          "events",
          1,
          Columns.builder()
              .chainPosition()
              .required("contract", STR, "emitting contract address")
              .required("event_name", STR, "decoded event name")
              .required("args_json", STR, "decoded arguments, JSON")
              .required("indexed_at", TS, "when the indexer wrote it")
              .build(),
          schema -> PartitionSpec.builderFor(schema).truncate("block_number", 100_000).build(),
          "Every LedgerLake contract event, as indexed.");

  public static final TableDefinition CHAIN_ASSETS =
      TableDefinition.of(
          "chain",
          "assets",
          1,
          Columns.builder()
              .required("asset_id", STR, "on-chain asset id (uint256, decimal string)")
              .required("kind", STR, "dataset | model | rag-index | other")
              .required("owner", STR, "owner address")
              .optional("metadata_cid", STR, "CID of the asset metadata")
              .optional("dataset_id", STR, "lakehouse dataset id, for datasets")
              .optional("royalty_bps", INT, "upstream royalty in basis points")
              .chainPosition()
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Registered assets (current state).");

  public static final TableDefinition CHAIN_ASSET_VERSIONS =
      TableDefinition.of(
          "chain",
          "asset_versions",
          2,
          Columns.builder()
              .required("asset_id", STR, "asset")
              .required("version", INT, "version number, from 1")
              .required("manifest_cid", STR, "root CID of the version manifest (the commitment)")
              .optionalStringList("parents", "parent asset versions as asset_id@version")
              .optional("lakehouse_tag", STR, "Iceberg tag of the version in the lakehouse")
              .optional("record_count", LONG, "records in the version")
              .chainPosition()
              .optional("version_id", STR, "on-chain version id (global across assets, decimal string)")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Registered asset versions with their content commitment.");

  public static final TableDefinition CHAIN_RECEIPTS =
      TableDefinition.of(
          "chain",
          "receipts",
          2,
          Columns.builder()
              .required("receipt_id", STR, "soulbound token id, or merkle:<root>:<index>")
              .required("asset_id", STR, "asset")
              .required("version", INT, "asset version")
              .required("contributor", STR, "contributor address")
              .required("role", STR, "data_provider | annotator | reviewer | model_trainer | owner")
              .required("share_bps", INT, "share in basis points; a version sums to 10000")
              .optional("merkle_root", STR, "root when recorded through a Merkle commitment")
              .chainPosition()
              .optional("version_id", STR, "on-chain version id the receipt belongs to")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Contribution receipts per version.");

  public static final TableDefinition CHAIN_LICENSES =
      TableDefinition.of(
          "chain",
          "licenses",
          1,
          Columns.builder()
              .required("license_id", STR, "license id")
              .required("asset_id", STR, "licensed asset")
              .required("licensee", STR, "licensee address")
              .required("kind", STR, "partnership | api | full | longterm")
              .optional("terms_cid", STR, "CID of custom terms (partnership)")
              .optional("price_wei", WEI, "price paid or per-call price")
              .optional("expires_at", TS, "expiry (long-term)")
              .required("status", STR, "requested | active | expired")
              .chainPosition()
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Licenses (current state).");

  public static final TableDefinition CHAIN_PAYMENTS =
      TableDefinition.of(
          "chain",
          "payments",
          2,
          Columns.builder()
              .required("payment_id", STR, "tx_hash:log_index of the payment event")
              .optional("license_id", STR, "license paid for")
              .required("asset_id", STR, "asset")
              .optional("version", INT, "asset version the payment is split over")
              .required("payer", STR, "payer address")
              .required("kind", STR, "purchase | api_settlement | claim")
              .required("amount_wei", WEI, "amount in wei")
              .chainPosition()
              .optional("version_id", STR, "on-chain version id the payment was credited to")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Payments and claims.");

  public static final TableDefinition ATTRIBUTION_REVENUE_SHARES =
      TableDefinition.of(
          "attribution",
          "revenue_shares",
          2,
          Columns.builder()
              .required("payment_id", STR, "payment being split")
              .required("asset_id", STR, "asset whose receipts are paid")
              .required("version", INT, "asset version")
              .optional("version_cid", STR, "manifest CID of that version")
              .required("recipient", STR, "paid address")
              .required("role", STR, "role of the recipient's receipt")
              .required("share_bps", INT, "receipt share in basis points")
              .required("amount_wei", WEI, "amount credited")
              .required("reason", STR, "direct | upstream_royalty")
              .optional("via_asset_id", STR, "for royalties: the derived asset that was paid")
              .optional("depth", INT, "royalty depth, 0 for direct")
              .required("computed_at", TS, "when it was computed")
              // v2: usage-weighted shares of settled API calls (ledgerlake attribution settle); null on other rows
              .optional("epoch", STR, "usage shares: settlement epoch (UTC day by default, e.g. 2025-01-31)")
              .optional("basis", STR, "usage shares: formula id, e.g. usage-rank-v1 (docs/decisions/attribution-usage-settlement.md)")
              .optional("status", STR, "usage shares: provisional (not paid out yet) | final")
              .optional("settlement_id", STR, "usage shares: attribution.settlements row the amount came from")
              .optional("usage_weight", Types.DoubleType.get(), "usage shares: the recipient's weight, sum of 1/rank over its retrieved rows")
              .optional("usage_weight_total", Types.DoubleType.get(), "usage shares: the weight of every paid call's retrieved rows")
              .optional("retrieved_rows", LONG, "usage shares: the recipient's retrieved rows in the paid calls")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Who earned what from each payment, and why.");

  /**
   * One settlement of metered API calls per (epoch, licence asset, licensee) ({@code ledgerlake attribution settle}):
   * a {@code sending} row with the signed transaction is written before it is broadcast, then one final row
   * (settled | partial | unpaid | failed) after it is mined. The latest row per settlement_id is its state.
   */
  public static final TableDefinition ATTRIBUTION_SETTLEMENTS =
      TableDefinition.of(
          "attribution",
          "settlements",
          2,
          Columns.builder()
              .required("settlement_id", STR, "epoch/asset/licensee")
              .required("epoch", STR, "epoch id: its UTC start date (yyyy-MM-dd), or start instant for sub-day epochs")
              .required("epoch_start", TS, "first instant of the epoch (inclusive)")
              .required("epoch_end", TS, "end of the epoch (exclusive)")
              .required("asset_id", STR, "licence asset the calls are charged on (attribution.usage.license_asset_id)")
              .required("licensee", STR, "EVM address of the caller charged")
              .required("metered_calls", LONG, "API calls metered in the epoch (license_kind = 'api': RAG queries' rank-1 rows, model calls)")
              .optional("settled_calls", LONG, "calls charged on chain")
              .optional("unpaid_calls", LONG, "calls the on-chain balance did not cover")
              .optional("price_wei", WEI, "price per call in the asset's API terms when settled")
              .optional("cost_wei", WEI, "charged to the licensee's prepaid balance")
              .optional("net_wei", WEI, "credited by Revenue to the asset's latest version (cost minus royalties)")
              .optional("royalty_wei", WEI, "paid on chain as royalty to ancestor versions (e.g. the dataset's)")
              .optional("version_id", STR, "on-chain version credited")
              .optional("tx_hash", STR, "settleApiUsage transaction")
              .optional("tx_from", STR, "its sender: the platform account, the asset's meter")
              .optional("tx_nonce", LONG, "its nonce")
              .optional("signed_tx", STR, "sending rows: the signed transaction, to find or finish it after a crash")
              .optional("block_number", LONG, "block it was mined in")
              .required("usage_snapshot", LONG, "snapshot of the metered table (calls_table) the calls were counted in (pinned input)")
              .required("run_id", STR, "settle run (ops.job_runs)")
              .required("status", STR, "sending | settled | partial | unpaid | failed")
              .optional("message", STR, "why unpaid, partial or failed")
              .required("recorded_at", TS, "when this row was written")
              // v2: model calls are metered too (null: attribution.usage, as every v1 row)
              .optional("calls_table", STR, "metered table: attribution.usage (RAG queries) | attribution.model_calls")
              .optional("royalties", STR, "royalties paid on chain by the settlement: to_version_id=wei, comma-separated")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Settlements of metered API calls on chain, per epoch, asset and licensee.");

  /**
   * The on-chain usage payout of each settlement epoch ({@code ledgerlake attribution settle}): a {@code committing}
   * row with the signed {@code Revenue.commitUsagePayout} transaction before it is broadcast, then a {@code final}
   * row once its block is at the confirmation depth. The latest row per epoch is its state
   * (docs/decisions/attribution-merkle-payout.md).
   */
  public static final TableDefinition ATTRIBUTION_PAYOUTS =
      TableDefinition.of(
          "attribution",
          "payouts",
          1,
          Columns.builder()
              .required("epoch", STR, "epoch id (as attribution.settlements.epoch)")
              .required("epoch_start", TS, "epoch start; on chain the payout key is its Unix seconds")
              .required("leaf_version", INT, "payout leaf format (1: keccak256(keccak256(abi.encode(1, epoch, account, amount))))")
              .required("root", STR, "Merkle root, 0x-hex")
              .required("total_wei", WEI, "sum of the leaves: what the root was funded with")
              .required("leaves", INT, "accounts paid (one leaf each)")
              .required("settlement_ids", STR, "comma-separated settlements whose usage shares the leaves sum")
              .optional("tx_hash", STR, "commitUsagePayout transaction")
              .optional("tx_from", STR, "its sender: the platform account, Revenue's owner")
              .optional("tx_nonce", LONG, "its nonce")
              .optional("signed_tx", STR, "committing rows: the signed transaction, to find or finish it after a crash")
              .optional("block_number", LONG, "block it was mined in")
              .required("run_id", STR, "settle run (ops.job_runs)")
              .required("status", STR, "committing | final | failed")
              .optional("message", STR, "why it failed")
              .required("recorded_at", TS, "when this row was written")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Usage payouts committed on chain as one Merkle root per epoch.");

  /** One row per checked item of a {@code ledgerlake reconcile} run: does the chain tell the lakehouse's story? */
  public static final TableDefinition OPS_RECONCILIATION =
      TableDefinition.of(
          "ops",
          "reconciliation",
          1,
          Columns.builder()
              .required("run_id", STR, "reconcile run (one per invocation)")
              .required("checked_at", TS, "when the run started")
              .required("check_kind", STR, "version_root | receipts | registration | records | record | upload_content | manifest_content | usage_payout | usage_calls | model_calls (and the model/index checks)")
              .required("subject", STR, "what was checked: asset_id@version, tag, record or content CID")
              .optional("asset_id", STR, "on-chain asset, when known")
              .optional("version_id", STR, "on-chain version id, when known")
              .optional("lakehouse_tag", STR, "ingest.records tag of the version, when known")
              .required("status", STR, "MATCH | MISSING_ON_CHAIN | MISSING_IN_LAKEHOUSE | ROOT_MISMATCH | SHARES_MISMATCH | CONTENT_MISSING | CONTENT_CORRUPT")
              .optional("expected", STR, "value recomputed from the lakehouse / content store")
              .optional("actual", STR, "value found on chain (as indexed) or stored")
              .optional("detail", STR, "what differs and what to do")
              .build(),
          schema -> PartitionSpec.builderFor(schema).month("checked_at").build(),
          "Reconciliation results: lakehouse versus chain versus content store.");

  /**
   * Sentence embeddings of the curated, PII-redacted text of a dataset version (rag/ {@code EmbedJob}): one row per
   * chunk of a record and model. A record is embedded once per model: later versions reuse its rows (incremental).
   */
  public static final TableDefinition RAG_EMBEDDINGS =
      TableDefinition.of(
          "rag",
          "embeddings",
          1,
          Columns.builder()
              .required("record_cid", STR, "embedded record")
              .required("chunk", INT, "chunk index within the record's text, from 0")
              .required("dataset_id", STR, "dataset of the record")
              .required("version_tag", STR, "ingest.records tag of the version the record was first embedded for")
              .required("contributor", STR, "EVM address of the record's data provider")
              .required("model_id", STR, "embedding model, e.g. all-minilm-l6-v2@langchain4j-1.19.0-beta29")
              .required("model_sha256", STR, "SHA-256 of the model file the vector was computed with")
              .required("dimensions", INT, "vector length")
              .requiredFloatList("vector", "L2-normalised embedding")
              .required("text", STR, "the chunk's text (PII-redacted)")
              .required("run_id", STR, "embedding run (ops.job_runs)")
              .required("embedded_at", TS, "when it was embedded")
              .build(),
          schema -> PartitionSpec.builderFor(schema).identity("model_id").bucket("dataset_id", 16).build(),
          "Embeddings of curated record text, per chunk and model.");

  /** Vector indexes built by {@code ledgerlake rag build}: one row per build, the index itself in the content store. */
  public static final TableDefinition RAG_INDEXES =
      TableDefinition.of(
          "rag",
          "indexes",
          1,
          Columns.builder()
              .required("index_cid", STR, "CID of the index directory in the content store")
              .required("dataset_id", STR, "indexed dataset")
              .required("version_tag", STR, "indexed dataset version (ingest.records tag)")
              .required("records_snapshot", LONG, "ingest.records snapshot of the tag")
              .required("embeddings_snapshot", LONG, "rag.embeddings snapshot the index was built from")
              .required("model_id", STR, "embedding model of the vectors (queries must use the same)")
              .required("model_sha256", STR, "SHA-256 of that model file")
              .required("dimensions", INT, "vector length")
              .required("vectors", LONG, "vectors (chunks) in the index")
              .required("records", LONG, "records in the index")
              .required("settings_json", STR, "index format and settings: engine, similarity, M, beam width")
              .required("inputs_sha256", STR,
                  "SHA-256 over the indexed chunks (record CID, chunk, vector) and settings: equal inputs, equal index")
              .required("run_id", STR, "build run (ops.job_runs)")
              .required("built_at", TS, "when it was built")
              .build(),
          schema -> PartitionSpec.unpartitioned(),
          "Vector indexes of dataset versions (content-addressed).");

  /**
   * One row per record retrieved by an answered RAG query ({@code POST /v1/rag/query}, rag/ {@code UsageLog}): who
   * asked, under which licence, and which records (with their contributors) the answer used. Written exactly once per
   * query id (one commit per batch of whole queries); the input of usage-weighted attribution. A query under an API
   * licence is one metered call: its rank-1 row with {@code license_kind = 'api'}.
   */
  public static final TableDefinition ATTRIBUTION_USAGE =
      TableDefinition.of(
          "attribution",
          "usage",
          1,
          Columns.builder()
              .required("query_id", STR, "query id (client-chosen for safe retries, else server-assigned UUID)")
              .required("query_sha256", STR, "SHA-256 of the question text (a retry with another question is refused)")
              .required("caller", STR, "EVM address of the caller (bearer token)")
              .required("license_kind", STR, "licence that allowed the query: full | longterm | partnership | api")
              .required("license_asset_id", STR, "asset the licence is on (the index's or its parent dataset's)")
              .required("asset_id", STR, "asset the query named")
              .required("dataset_id", STR, "dataset of the index")
              .required("version_tag", STR, "dataset version of the index (ingest.records tag)")
              .required("index_cid", STR, "CID of the index searched")
              .required("record_cid", STR, "retrieved record")
              .required("chunk", INT, "retrieved chunk of that record")
              .required("contributor", STR, "EVM address of the record's data provider")
              .required("rank", INT, "rank in the answer, from 1")
              .required("score", Types.DoubleType.get(), "similarity (cosine)")
              .required("k", INT, "passages asked for")
              .required("queried_at", TS, "when the query was answered")
              .build(),
          schema -> PartitionSpec.builderFor(schema).day("queried_at").build(),
          "Records used by RAG answers: one row per retrieved record per query.");

  /**
   * One row per answered model call ({@code POST /v1/models/predict}, training-jobs {@code ModelCallService}): who
   * called which published model under which licence, on how many inputs; the API-licence calls are settled per epoch
   * by {@code ledgerlake attribution settle} as the RAG queries of attribution.usage are.
   */
  public static final TableDefinition ATTRIBUTION_MODEL_CALLS =
      TableDefinition.of(
          "attribution",
          "model_calls",
          1,
          Columns.builder()
              .required("call_id", STR, "call id (client-chosen for safe retries, else server-assigned UUID)")
              .required("input_sha256", STR, "SHA-256 of the inputs (a retry with other inputs is refused)")
              .required("caller", STR, "EVM address of the caller (bearer token)")
              .required("license_kind", STR, "licence that allowed the call: full | longterm | partnership | api")
              .required("license_asset_id", STR, "asset the licence is on (the model's)")
              .required("asset_id", STR, "model asset called")
              .required("model_cid", STR, "CID of the model export that answered")
              .required("model_id", STR, "ml.models id of that model")
              .required("dataset_id", STR, "dataset the model was trained on")
              .required("version_tag", STR, "dataset version (tag) it was trained on")
              .required("inputs", INT, "inputs predicted in this call")
              .required("called_at", TS, "when the call was answered")
              .build(),
          schema -> PartitionSpec.builderFor(schema).day("called_at").build(),
          "Calls of published models: one row per answered call.");

  /** Every table, in creation order. */
  public static final List<TableDefinition> ALL =
      List.of(
          INGEST_SUBMISSIONS,
          INGEST_RECORDS,
          INGEST_REJECTIONS,
          LABEL_LABELS,
          LABEL_ANNOTATIONS,
          LABEL_CONSENSUS,
          LINEAGE_EVENTS,
          LINEAGE_EDGES,
          LINEAGE_CLOSURE,
          OPS_JOB_RUNS,
          CHAIN_EVENTS,
          CHAIN_ASSETS,
          CHAIN_ASSET_VERSIONS,
          CHAIN_RECEIPTS,
          CHAIN_LICENSES,
          CHAIN_PAYMENTS,
          ATTRIBUTION_REVENUE_SHARES,
          OPS_RECONCILIATION,
          ML_MODELS,
          ML_RUNS,
          ML_PREDICTIONS,
          RAG_EMBEDDINGS,
          RAG_INDEXES,
          ATTRIBUTION_USAGE,
          ATTRIBUTION_SETTLEMENTS,
          ATTRIBUTION_MODEL_CALLS,
          ATTRIBUTION_PAYOUTS);

  /** The definition with qualified name {@code namespace.name}, if the model has it. */
  public static Optional<TableDefinition> find(String qualifiedName) {
    return ALL.stream().filter(t -> t.qualifiedName().equals(qualifiedName)).findFirst();
  }
}
