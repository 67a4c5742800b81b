package io.ledgerlake.ingestion.record;

/**
 * Receives the records and rejections of one upload in file order. Push style, so archive parsers can nest
 * format parsers without buffering, and a Flink operator can forward straight into its collector.
 */
public interface RecordVisitor {
  /** @return false to stop parsing early (e.g. schema inference has seen enough) */
  boolean onRecord(ParsedRecord record);

  /** @return false to stop parsing early */
  boolean onRejection(Rejection rejection);
}
