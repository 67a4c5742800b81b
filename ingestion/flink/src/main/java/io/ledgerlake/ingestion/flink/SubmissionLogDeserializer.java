package io.ledgerlake.ingestion.flink;

import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads submission log records as key (dataset id) and event bytes. The event itself is decoded
 * in the ingest operator, where a bad event can be reported with its submission.
 */
final class SubmissionLogDeserializer implements KafkaRecordDeserializationSchema<SubmissionBytes> {
  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SubmissionBytes> out) {
    String datasetId =
        record.key() != null
            ? new String(record.key(), StandardCharsets.UTF_8)
            // Producers key by dataset id; tolerate a missing key by reading the event.
            : SubmissionEventSerializer.deserialize(record.value()).datasetId();
    out.collect(new SubmissionBytes(datasetId, record.value()));
  }

  @Override
  public TypeInformation<SubmissionBytes> getProducedType() {
    return TypeInformation.of(SubmissionBytes.class);
  }
}
