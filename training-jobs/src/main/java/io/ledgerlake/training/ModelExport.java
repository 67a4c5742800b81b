package io.ledgerlake.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * The canonical form of a trained model, which is what its CID names. MLlib's own {@code save()} output is not
 * byte-deterministic (a timestamp in its metadata, random part-file names), so the model's identity is this export:
 * a directory with {@code model.json} (format version, task, algorithm, parameters, feature spec, class labels, trainer
 * version; members in a fixed order) and the numeric arrays as little-endian IEEE-754 float64 files
 * ({@code idf.f64}, {@code weights.f64}, {@code intercepts.f64}) whose SHA-256 the JSON records. Trees are JSON
 * ({@code trees.json}). The same fitted weights give the same bytes, hence the same CID.
 */
final class ModelExport {
  static final String FORMAT = "ledgerlake-model";
  static final int FORMAT_VERSION = 1;
  /** Bumped when training code changes what a given input produces: part of the model's identity. */
  static final String TRAINER = "ledgerlake-training/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelExport() {}

  /** Writes the export of the fitted stages into {@code dir} (created, must be empty). */
  static void write(Path dir, TrainParams params, IDFModel idf, StringIndexerModel labels, Object classifier,
      String parentModelCid) throws IOException {
    Files.createDirectories(dir);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("trainer", TRAINER);
    root.put("task", "classify");
    root.put("algorithm", params.algorithm().id());
    if (parentModelCid != null) {
      root.put("parent_model", parentModelCid); // a fine-tune: same weights from another base are another model
    }
    ObjectNode features = root.putObject("features");
    features.put("text_field", params.textField());
    features.put("tokenizer", "lowercase, split on \\W+ (Spark RegexTokenizer)");
    features.put("hashing", "Spark HashingTF (MurmurHash3_x86_32, seed 42), term frequencies");
    features.put("num_features", params.numFeatures());
    features.set("idf", array(dir, "idf.f64", idf.idf().toArray()));
    ArrayNode classes = root.putArray("classes");
    for (String label : labels.labelsArray()[0]) {
      classes.add(label);
    }
    ObjectNode weights = root.putObject("weights");
    ObjectNode hyper = root.putObject("params");
    hyper.put("seed", params.seed());
    hyper.put("max_iter", params.maxIter());
    if (classifier instanceof LogisticRegressionModel lr) {
      Matrix m = lr.coefficientMatrix();
      weights.put("rows", m.numRows());
      weights.put("cols", m.numCols());
      weights.set("coefficients", array(dir, "weights.f64", m.toArray())); // column-major
      weights.set("intercepts", array(dir, "intercepts.f64", lr.interceptVector().toArray()));
      hyper.put("reg_param", lr.getRegParam());
      hyper.put("elastic_net", lr.getElasticNetParam());
    } else if (classifier instanceof MultilayerPerceptronClassificationModel mlp) {
      ArrayNode layers = hyper.putArray("layers");
      for (int size : mlp.getLayers()) {
        layers.add(size);
      }
      weights.set("weights", array(dir, "weights.f64", mlp.weights().toArray()));
    } else if (classifier instanceof RandomForestClassificationModel forest) {
      hyper.put("num_trees", forest.getNumTrees());
      hyper.put("max_depth", forest.getMaxDepth());
      ArrayNode trees = JSON.createArrayNode();
      for (DecisionTreeClassificationModel tree : forest.trees()) {
        trees.add(node(tree.rootNode()));
      }
      byte[] bytes = JSON.writeValueAsBytes(trees);
      Files.write(dir.resolve("trees.json"), bytes);
      weights.put("trees_file", "trees.json");
      weights.put("trees_sha256", sha256(bytes));
      ArrayNode treeWeights = weights.putArray("tree_weights");
      for (double w : forest.treeWeights()) {
        treeWeights.add(w);
      }
    } else {
      throw new IllegalStateException("no export for " + classifier.getClass().getName());
    }
    Files.write(dir.resolve("model.json"), JSON.writeValueAsBytes(root));
  }

  private static ObjectNode node(Node n) {
    ObjectNode out = JSON.createObjectNode();
    if (n instanceof InternalNode internal) {
      Split split = internal.split();
      out.put("feature", split.featureIndex());
      if (split instanceof ContinuousSplit c) {
        out.put("threshold", c.threshold());
      } else if (split instanceof CategoricalSplit c) {
        ArrayNode left = out.putArray("left_categories");
        for (double v : c.leftCategories()) {
          left.add(v);
        }
      }
      out.set("left", node(internal.leftChild()));
      out.set("right", node(internal.rightChild()));
    } else {
      out.put("prediction", n.prediction());
    }
    return out;
  }

  /** Writes {@code values} as float64 little-endian to {@code name}; returns {file, count, sha256}. */
  private static ObjectNode array(Path dir, String name, double[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putDouble(v == 0.0 ? 0.0 : v); // one zero: -0.0 and 0.0 are the same weight
    }
    byte[] bytes = buffer.array();
    Files.write(dir.resolve(name), bytes);
    ObjectNode ref = JSON.createObjectNode();
    ref.put("file", name);
    ref.put("count", values.length);
    ref.put("sha256", sha256(bytes));
    return ref;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
