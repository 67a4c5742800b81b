package io.ledgerlake.labeling.consensus;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Votes as dense integer indexes: items and workers in first-seen order, classes sorted. Shared by the algorithms. */
final class VoteMatrix {
  final List<String> items = new ArrayList<>();
  final List<String> workers = new ArrayList<>();
  final List<String> classes;
  final int[] item;
  final int[] worker;
  final int[] label;

  VoteMatrix(List<Vote> votes, List<String> knownClasses) {
    InvalidLabelingInputException.check(!votes.isEmpty(), "no votes to aggregate");
    TreeSet<String> classSet = new TreeSet<>(knownClasses);
    for (Vote v : votes) {
      classSet.add(v.label());
    }
    classes = List.copyOf(classSet);
    Map<String, Integer> itemIdx = new HashMap<>();
    Map<String, Integer> workerIdx = new HashMap<>();
    Map<String, Integer> classIdx = new HashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      classIdx.put(classes.get(k), k);
    }
    item = new int[votes.size()];
    worker = new int[votes.size()];
    label = new int[votes.size()];
    java.util.Set<String> seenPairs = new java.util.HashSet<>();
    for (int n = 0; n < votes.size(); n++) {
      Vote v = votes.get(n);
      InvalidLabelingInputException.check(seenPairs.add(v.itemId() + "\u0000" + v.workerId()),
          "worker %s voted twice on item %s", v.workerId(), v.itemId());
      item[n] = itemIdx.computeIfAbsent(v.itemId(), k -> {
        items.add(k);
        return items.size() - 1;
      });
      worker[n] = workerIdx.computeIfAbsent(v.workerId(), k -> {
        workers.add(k);
        return workers.size() - 1;
      });
      label[n] = classIdx.get(v.label());
    }
  }

  int size() {
    return item.length;
  }
}
