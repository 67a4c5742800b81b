package io.ledgerlake.training;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training rows of a pinned dataset version: record CID, contributor, text (the PII-redacted copy where labeling
 * made one) and label, with the record's curation state, all read at pinned snapshots. The curated view is the rows
 * whose newest curation decision is {@code included}; records not labeled yet have none and are not in it.
 */
final class CuratedView {
  private CuratedView() {}

  /** Every record of the version with its curation state ({@code included}, {@code excluded} or null). */
  static Dataset<Row> rows(SparkSession spark, TrainParams p, long recordsSnapshot, long labelsSnapshot,
      long consensusSnapshot) {
    return rows(spark, p, "ingest.records version as of " + recordsSnapshot, labelsSnapshot, consensusSnapshot);
  }

  /**
   * As above over {@code recordsRelation}: a table expression, e.g. a temporary view of Iceberg's incremental read
   * between two snapshots (only the records appended in between).
   */
  static Dataset<Row> rows(SparkSession spark, TrainParams p, String recordsRelation, long labelsSnapshot,
      long consensusSnapshot) {
    // Identifiers were validated (LabelSource.NAME): safe to place in SQL and JSON paths.
    String labels = labelsSnapshot >= 0 ? "label.labels version as of " + labelsSnapshot : null;
    StringBuilder sql = new StringBuilder();
    sql.append("with recs as (select record_cid, contributor, record_json from ").append(recordsRelation)
        .append(" where dataset_id = '").append(p.datasetId()).append("')");
    if (labels != null) {
      sql.append(", cur as (select record_cid, value, row_number() over (partition by record_cid"
          + " order by labeled_at desc, labeler_version desc) as rn from ").append(labels)
          .append(" where dataset_id = '").append(p.datasetId()).append("' and labeler = 'curation' and label_key = 'curation')")
          .append(", red as (select record_cid, max_by(value, labeled_at) as redacted from ").append(labels)
          .append(" where dataset_id = '").append(p.datasetId())
          .append("' and labeler = 'pii' and label_key = 'pii.redacted_text' group by record_cid)");
    }
    if (p.label().kind() == LabelSource.Kind.CONSENSUS && consensusSnapshot >= 0) {
      // Dawid-Skene where it exists, else the majority vote; the newest computation of either.
      sql.append(", cons as (select record_cid, value, row_number() over (partition by record_cid order by"
          + " case method when 'dawid-skene' then 0 else 1 end, computed_at desc) as rn from label.consensus version as of ")
          .append(consensusSnapshot).append(" where dataset_id = '").append(p.datasetId())
          .append("' and label_key = '").append(p.label().name()).append("')");
    }
    String text = "get_json_object(r.record_json, '$." + p.textField() + "')";
    sql.append(" select r.record_cid, r.contributor, ")
        .append(labels != null ? "coalesce(red.redacted, " + text + ")" : text).append(" as text, ");
    if (p.label().kind() == LabelSource.Kind.FIELD) {
      sql.append("get_json_object(r.record_json, '$.").append(p.label().name()).append("') as label, ");
    } else {
      sql.append(consensusSnapshot >= 0 ? "cons.value" : "cast(null as string)").append(" as label, ");
    }
    sql.append(labels != null ? "cur.value" : "cast(null as string)").append(" as curation from recs r");
    if (labels != null) {
      sql.append(" left join cur on cur.record_cid = r.record_cid and cur.rn = 1")
          .append(" left join red on red.record_cid = r.record_cid");
    }
    if (p.label().kind() == LabelSource.Kind.CONSENSUS && consensusSnapshot >= 0) {
      sql.append(" left join cons on cons.record_cid = r.record_cid and cons.rn = 1");
    }
    return spark.sql(sql.toString());
  }
}
