"""Baseline for TrainingBenchmark: the same features and model with scikit-learn, on the same JSON Lines file.

Hashed term frequencies (16,384 features, lower-case word tokens) -> IDF -> L-BFGS logistic regression with the same
L2 strength as the Spark job (Spark: mean loss + reg/2 |w|^2, so C = 1 / (reg * n)), 100 iterations, 80/20 split.
Prints one JSON line: fit and total seconds, test accuracy.
"""
import json
import sys
import time

start = time.perf_counter()
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

path, reg = sys.argv[1], float(sys.argv[2])
texts, labels = [], []
with open(path, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        texts.append(r["text"])
        labels.append(r["topic"])
x_train, x_test, y_train, y_test = train_test_split(texts, labels, test_size=0.2, random_state=7)
fit_start = time.perf_counter()
hashing = HashingVectorizer(n_features=16384, alternate_sign=False, norm=None, lowercase=True)
tfidf = TfidfTransformer()
features = tfidf.fit_transform(hashing.transform(x_train))
model = LogisticRegression(C=1.0 / (reg * len(x_train)), max_iter=100, solver="lbfgs")
model.fit(features, y_train)
fit_s = time.perf_counter() - fit_start
accuracy = model.score(tfidf.transform(hashing.transform(x_test)), y_test)
print(json.dumps({"fit_s": fit_s, "total_s": time.perf_counter() - start, "accuracy": accuracy}))
