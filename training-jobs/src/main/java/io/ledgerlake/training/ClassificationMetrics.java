package io.ledgerlake.training;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Test-set metrics of a classifier: accuracy, macro-F1 (the unweighted mean of per-class F1, so a rare class counts as
 * much as a common one), AUC for two classes, and per-class support and predictions. Immutable.
 */
record ClassificationMetrics(long total, double accuracy, double macroF1, Double auc, List<String> classes,
    long[] support, long[] predicted, long[] correct) {

  /** From (true class index, predicted class index) pairs. */
  static ClassificationMetrics of(List<String> classes, int[] truth, int[] predictions, Double auc) {
    int k = classes.size();
    long[] support = new long[k];
    long[] predicted = new long[k];
    long[] correct = new long[k];
    long right = 0;
    for (int i = 0; i < truth.length; i++) {
      support[truth[i]]++;
      predicted[predictions[i]]++;
      if (truth[i] == predictions[i]) {
        correct[truth[i]]++;
        right++;
      }
    }
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      double precision = predicted[c] == 0 ? 0 : (double) correct[c] / predicted[c];
      double recall = support[c] == 0 ? 0 : (double) correct[c] / support[c];
      f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
    double accuracy = truth.length == 0 ? 0 : (double) right / truth.length;
    return new ClassificationMetrics(truth.length, accuracy, k == 0 ? 0 : f1Sum / k, auc, List.copyOf(classes),
        support, predicted, correct);
  }

  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("test_records", total);
    n.put("accuracy", accuracy);
    n.put("macro_f1", macroF1);
    if (auc != null) {
      n.put("auc", auc);
    }
    ObjectNode perClass = n.putObject("classes");
    for (int c = 0; c < classes.size(); c++) {
      perClass.putObject(classes.get(c)).put("support", support[c]).put("predicted", predicted[c]).put("correct", correct[c]);
    }
    return n;
  }
}
