package io.ledgerlake.jobs.attribution;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.TransactionNotMinedException;
import io.ledgerlake.provenance.chain.ApiSettlement;
import io.ledgerlake.provenance.chain.PendingTransaction;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.LicenseKind;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ledgerlake attribution settle [--epoch E]}: charges the metered API calls of every closed epoch (or of
 * {@code E}) on chain — one {@code Licensing.settleApiUsage(asset, licensee, calls)} per (epoch, licence asset,
 * licensee) — and splits what each settlement credited to the asset among the contributors of the records its calls
 * retrieved ({@link UsageShares}, attribution.revenue_shares, provisional).
 *
 * <p>Once per settlement, even across crashes: the signed transaction is written to attribution.settlements
 * ({@code sending}) before the node sees it; a later run finds that row without a final one and finishes exactly
 * that transaction (waits for it, or rebroadcasts its identical bytes, which can execute only once) instead of
 * sending another. The on-chain balance bounds what is charged: floor(balance / price) calls at most, the rest is
 * recorded as unpaid. The platform account must be the asset's meter ({@code Licensing.setMeter}).
 * docs/decisions/attribution-usage-settlement.md.
 */
public final class SettleJob implements Job<SettleJob.Params, SettleJob.Result> {
  public static final String NAME = "attribution-settle";
  static final String OPERATION = "Licensing.settleApiUsage";

  /** Which epoch; null: every closed epoch with metered calls not settled yet. */
  public record Params(String epoch) implements JobParams {
    @Override
    public ObjectNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      if (epoch != null) {
        n.put("epoch", epoch);
      }
      return n;
    }
  }

  /** What became of one (epoch, asset, licensee). {@code recovered}: a transaction of an earlier run, finished now. */
  public record Outcome(String settlementId, String epoch, long assetId, String licensee, long meteredCalls,
      long settledCalls, long unpaidCalls, BigInteger costWei, BigInteger netWei, String txHash, long blockNumber,
      String status, String message, boolean recovered, int shares) {}

  /**
   * What became of one epoch's on-chain payout: {@code final} (root committed at the confirmation depth, shares
   * final), {@code failed} (retried by the next run) or {@code waiting} (a settlement of the epoch is not done).
   * {@code recovered}: an earlier run's transaction, finished now.
   */
  public record PayoutOutcome(String epoch, String root, BigInteger totalWei, int leaves, String txHash,
      long blockNumber, String status, String message, boolean recovered) {}

  /** The run: one outcome per settlement and per epoch payout it handled; work done before is not listed. */
  public record Result(List<Outcome> outcomes, List<PayoutOutcome> payouts, long usageSnapshot,
      long settlementsSnapshot, long sharesSnapshot, long payoutsSnapshot) implements JobResult {
    public Result {
      outcomes = List.copyOf(outcomes);
      payouts = List.copyOf(payouts);
    }

    public long failed() {
      return outcomes.stream().filter(o -> o.status().equals(Settlements.FAILED)).count();
    }

    @Override
    public List<JobOutput> outputs() {
      List<JobOutput> out = new ArrayList<>();
      if (settlementsSnapshot >= 0) {
        out.add(JobOutput.table(TableModel.ATTRIBUTION_SETTLEMENTS.qualifiedName(), settlementsSnapshot));
      }
      if (sharesSnapshot >= 0) {
        out.add(JobOutput.table(TableModel.ATTRIBUTION_REVENUE_SHARES.qualifiedName(), sharesSnapshot));
      }
      if (payoutsSnapshot >= 0) {
        out.add(JobOutput.table(TableModel.ATTRIBUTION_PAYOUTS.qualifiedName(), payoutsSnapshot));
      }
      return out;
    }

    @Override
    public long recordsOut() {
      return outcomes.size();
    }

    @Override
    public ObjectNode details() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("usage_snapshot", usageSnapshot);
      n.put("formula", UsageShares.FORMULA);
      var arr = n.putArray("settlements");
      for (Outcome o : outcomes) {
        ObjectNode x = arr.addObject().put("settlement_id", o.settlementId()).put("status", o.status())
            .put("metered_calls", o.meteredCalls()).put("settled_calls", o.settledCalls())
            .put("cost_wei", o.costWei().toString()).put("recovered", o.recovered());
        if (o.txHash() != null) {
          x.put("tx_hash", o.txHash());
        }
      }
      var pays = n.putArray("payouts");
      for (PayoutOutcome p : payouts) {
        ObjectNode x = pays.addObject().put("epoch", p.epoch()).put("status", p.status()).put("root", p.root())
            .put("total_wei", p.totalWei().toString()).put("leaves", p.leaves()).put("recovered", p.recovered());
        if (p.txHash() != null) {
          x.put("tx_hash", p.txHash());
        }
      }
      return n;
    }
  }

  /** Test seam for crashes: called at the two points where a process can die with a settlement half recorded. */
  public interface Hook {
    /** The {@code sending} row is committed; the transaction has not been broadcast. */
    default void afterIntentRecorded(String settlementId) {}

    /** The transaction is mined; nothing of it is recorded beyond the {@code sending} row. */
    default void afterMined(String settlementId) {}

    /** An epoch's {@code committing} payout row is committed; its root transaction has not been broadcast. */
    default void afterPayoutRecorded(String epoch) {}

    /** An epoch's root transaction is mined; nothing of it is recorded beyond the {@code committing} row. */
    default void afterPayoutMined(String epoch) {}
  }

  private final ProvenanceClient chain;
  private final AttributionOptions options;
  private final Hook hook;

  public SettleJob(ProvenanceClient chain, AttributionOptions options) {
    this(chain, options, new Hook() {});
  }

  public SettleJob(ProvenanceClient chain, AttributionOptions options, Hook hook) {
    this.chain = requireNonNull(chain, "chain");
    this.options = requireNonNull(options, "options");
    this.hook = requireNonNull(hook, "hook");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    context.lakehouse().init();
    return PinnedInputs.of(PinnedInput.currentSnapshot(context.lakehouse(), TableModel.ATTRIBUTION_USAGE),
        PinnedInput.currentSnapshot(context.lakehouse(), TableModel.ATTRIBUTION_MODEL_CALLS),
        PinnedInput.currentSnapshot(context.lakehouse(), TableModel.ATTRIBUTION_SETTLEMENTS));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    Lakehouse lakehouse = context.lakehouse();
    Instant now = context.clock().instant();
    Epoch only = null;
    if (params.epoch() != null) {
      only = Epoch.parse(params.epoch(), options.epochLength());
      if (only.end().isAfter(now)) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "epoch %s ends at %s: it can be settled once it has"
            + " ended (calls may still arrive until then)", only.id(), only.end());
      }
    }
    long usageSnapshot = inputs.snapshotOf(TableModel.ATTRIBUTION_USAGE.qualifiedName());
    long modelCallsSnapshot = inputs.snapshotOf(TableModel.ATTRIBUTION_MODEL_CALLS.qualifiedName());
    long settlementsSnapshot = inputs.snapshotOf(TableModel.ATTRIBUTION_SETTLEMENTS.qualifiedName());
    Settlements store = new Settlements(lakehouse, context.runId().toString(), context.clock());
    Map<String, Settlements.Row> latest = store.latest(settlementsSnapshot);
    Map<String, MeteredUsage> usageBySnapshot = new HashMap<>(); // by table and snapshot
    List<Outcome> outcomes = new ArrayList<>();
    java.util.Set<String> finished = new java.util.HashSet<>();

    // 1. Finish what an earlier run sent but did not record: never send a second transaction for those.
    for (Settlements.Row open : latest.values()) {
      if (!open.status().equals(Settlements.SENDING)) {
        continue;
      }
      MeteredUsage usage = usageBySnapshot.computeIfAbsent(open.callsTable() + "/" + open.usageSnapshot(),
          k -> MeteredUsage.read(lakehouse, open.callsTable(), open.usageSnapshot(), options.epochLength()));
      Optional<Outcome> done = recover(open, usage, store, context);
      done.ifPresent(o -> {
        outcomes.add(o);
        finished.add(o.settlementId()); // not settled again below
      });
    }

    // 2. Settle every closed epoch's calls not settled yet: RAG queries, then model calls.
    MeteredUsage usage = usageBySnapshot.computeIfAbsent(MeteredUsage.CallsTable.USAGE + "/" + usageSnapshot,
        k -> MeteredUsage.read(lakehouse, MeteredUsage.CallsTable.USAGE, usageSnapshot, options.epochLength()));
    MeteredUsage modelCalls = usageBySnapshot.computeIfAbsent(
        MeteredUsage.CallsTable.MODEL_CALLS + "/" + modelCallsSnapshot, k -> MeteredUsage.read(lakehouse,
            MeteredUsage.CallsTable.MODEL_CALLS, modelCallsSnapshot, options.epochLength()));
    int skipped = 0;
    for (MeteredUsage source : List.of(usage, modelCalls)) {
      long snapshot = source == usage ? usageSnapshot : modelCallsSnapshot;
      for (MeteredUsage.Metered m : source.metered().values()) {
        if (m.epoch().end().isAfter(now) || (only != null && !only.equals(m.epoch()))) {
          continue;
        }
        String id = m.settlementId();
        Settlements.Row row = latest.get(id);
        if (finished.contains(id) || (row != null && Settlements.DONE.contains(row.status()))) {
          skipped++;
          continue;
        }
        outcomes.add(settle(m, source, snapshot, store, context));
      }
    }
    // Model calls: their revenue follows the model's lineage through the receipts of the credited versions, which
    // the indexer may not have indexed yet for a version published moments ago; a later run writes those.
    int[] modelShares = ModelShares.writeMissing(lakehouse, store.now());
    if (modelShares[0] > 0 || modelShares[1] > 0) {
      context.progress().printf("Model calls: shares of %d settlement(s) written by the receipts of the model's"
          + " version and its ancestors%s%n", modelShares[0], modelShares[1] == 0 ? ""
              : "; " + modelShares[1] + " wait for their versions' receipts to be indexed (ledgerlake index),"
                  + " then the next settle run writes them");
    }
    if (outcomes.isEmpty()) {
      context.progress().printf("Nothing to settle%s (%d settlement(s) done before)%n",
          only == null ? "" : " in epoch " + only.id(), skipped);
    }

    // 3. Pay out every closed epoch whose settlements are all done: one funded Merkle root per epoch, once.
    Map<String, Settlements.Row> after = store.latest(store.snapshot(TableModel.ATTRIBUTION_SETTLEMENTS));
    Map<String, Epoch> epochs = new TreeMap<>();
    for (MeteredUsage.Metered m : usage.metered().values()) {
      if (!m.epoch().end().isAfter(now) && (only == null || only.equals(m.epoch()))) {
        epochs.put(m.epoch().id(), m.epoch());
      }
    }
    Payouts payouts = new Payouts(lakehouse, context.runId().toString(), context.clock());
    Map<String, Payouts.Row> payoutState = Payouts.latest(lakehouse);
    List<PayoutOutcome> paid = new ArrayList<>();
    if (!epochs.isEmpty() && !chain.usagePayoutsSupported()) {
      // A chain kept from an earlier LedgerLake: settlements work, payouts need a Revenue that has them.
      context.progress().printf("No on-chain usage payout: the Revenue contract at %s predates usage payouts"
          + " (deployed by an earlier LedgerLake); deploy the current contracts (ledgerlake chain deploy, on a new"
          + " chain or data directory) to pay epochs out. The usage shares stay provisional.%n",
          chain.deployment().revenue());
      epochs.clear();
    }
    for (Epoch e : epochs.values()) {
      List<String> ids = new ArrayList<>();
      List<String> open = new ArrayList<>();
      for (MeteredUsage.Metered m : usage.metered().values()) {
        if (m.epoch().equals(e)) {
          Settlements.Row row = after.get(m.settlementId());
          if (row == null || !Settlements.DONE.contains(row.status())) {
            open.add(m.settlementId());
          } else {
            ids.add(m.settlementId());
          }
        }
      }
      payout(e, ids, open, payoutState, payouts, context).ifPresent(paid::add);
    }
    return new Result(outcomes, paid, usageSnapshot, store.snapshot(TableModel.ATTRIBUTION_SETTLEMENTS),
        store.snapshot(TableModel.ATTRIBUTION_REVENUE_SHARES), store.snapshot(TableModel.ATTRIBUTION_PAYOUTS));
  }

  /**
   * The payout of one closed epoch. Idempotent: a final payout only has its shares marked final (if a crash came
   * between); an open {@code committing} row's transaction is finished, never replaced; the contract refuses a
   * second root for an epoch as a last guard. Empty: nothing to do.
   */
  private Optional<PayoutOutcome> payout(Epoch e, List<String> ids, List<String> open,
      Map<String, Payouts.Row> payoutState, Payouts payouts, JobContext context) {
    Payouts.Row state = payoutState.get(e.id());
    if (state != null && state.status().equals(Payouts.FINAL)) {
      int changed = payouts.finalizeShares(new java.util.TreeSet<>(state.settlementIds()));
      if (changed > 0) {
        context.progress().printf("Payout of epoch %s: %d share row(s) marked final%n", e.id(), changed);
      }
      return topUp(e, ids, state, payoutState, payouts, context);
    }
    if (state != null && state.status().equals(Payouts.COMMITTING)) {
      return Optional.of(resumePayout(e, state, payouts, context));
    }
    if (!open.isEmpty()) {
      String message = String.format("%d settlement(s) of the epoch are not done (%s): paid out once they are",
          open.size(), String.join(", ", open));
      context.progress().printf("Payout of epoch %s waits: %s%n", e.id(), message);
      return Optional.of(new PayoutOutcome(e.id(), null, BigInteger.ZERO, 0, null, -1, "waiting", message, false));
    }
    java.util.Collections.sort(ids);
    Map<String, BigInteger> owed = Payouts.owed(context.lakehouse(), e.id(), new java.util.TreeSet<>(ids));
    if (owed.values().stream().allMatch(a -> a.signum() == 0)) {
      return Optional.empty(); // nothing was paid for usage in this epoch (e.g. every call unpaid)
    }
    var tree = io.ledgerlake.provenance.merkle.UsagePayoutTree.build(e.start().getEpochSecond(), owed);
    var onChain = chain.usagePayout(e.start().getEpochSecond());
    if (onChain.committed()) {
      // Committed by a run whose rows were lost (or by hand): record it if it is this root, never fund it twice.
      if (onChain.rootHex().equals(tree.rootHex())) {
        payouts.committed(e, tree, ids, null, "root found on chain, committed earlier");
        payouts.finalizeShares(new java.util.TreeSet<>(ids));
        return Optional.of(new PayoutOutcome(e.id(), tree.rootHex(), tree.total(), tree.size(), null, -1,
            Payouts.FINAL, "found on chain", true));
      }
      String message = String.format("epoch %s already has root %s on chain, not this run's %s: check with"
          + " ledgerlake reconcile", e.id(), onChain.rootHex(), tree.rootHex());
      payouts.failed(e, tree, ids, null, message);
      context.progress().printf("Payout of epoch %s failed: %s%n", e.id(), message);
      return Optional.of(new PayoutOutcome(e.id(), tree.rootHex(), tree.total(), tree.size(), null, -1,
          Payouts.FAILED, message, false));
    }
    io.ledgerlake.provenance.model.TxInfo tx;
    try {
      tx = chain.commitUsagePayout(tree, pending -> {
        payouts.committing(e, tree, ids, pending);
        hook.afterPayoutRecorded(e.id());
      });
    } catch (ContractRevertedException | TransactionNotMinedException ex) {
      payouts.failed(e, tree, ids, null, ex.getMessage() + "; retried by the next run");
      context.progress().printf("Payout of epoch %s failed: %s%n", e.id(), ex.getMessage());
      return Optional.of(new PayoutOutcome(e.id(), tree.rootHex(), tree.total(), tree.size(), null, -1,
          Payouts.FAILED, ex.getMessage(), false));
    }
    hook.afterPayoutMined(e.id());
    return Optional.of(finishPayout(e, tree, ids, tx, payouts, false, context));
  }

  /**
   * Settlements of an epoch done after its root was committed (calls journaled late, a settlement retried after the
   * others): paid by a top-up root of their own, {@code E+1}, {@code E+2}, ... under the on-chain key
   * {@code start + n}, each committed once as an epoch's root is (resumed if open, redone if failed).
   */
  private Optional<PayoutOutcome> topUp(Epoch e, List<String> ids, Payouts.Row root,
      Map<String, Payouts.Row> payoutState, Payouts payouts, JobContext context) {
    java.util.Set<String> covered = new java.util.HashSet<>(root.settlementIds());
    int n = 1;
    Payouts.Row top = payoutState.get(Payouts.topUpId(e.id(), n));
    while (top != null && top.status().equals(Payouts.FINAL)) {
      covered.addAll(top.settlementIds());
      payouts.finalizeShares(new java.util.TreeSet<>(top.settlementIds()));
      n++;
      top = payoutState.get(Payouts.topUpId(e.id(), n));
    }
    if (n >= e.end().getEpochSecond() - e.start().getEpochSecond()) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "epoch %s has %d top-up payouts: their keys would reach"
          + " the next epoch's", e.id(), n - 1);
    }
    Epoch next = new Epoch(Payouts.topUpId(e.id(), n), e.start().plusSeconds(n), e.end());
    if (top != null && top.status().equals(Payouts.COMMITTING)) {
      return Optional.of(resumePayout(next, top, payouts, context));
    }
    List<String> late = ids.stream().filter(id -> !covered.contains(id)).toList();
    if (late.isEmpty()) {
      return Optional.empty();
    }
    context.progress().printf("Epoch %s: %d settlement(s) done after its payout root (%s): paid by top-up root %s%n",
        e.id(), late.size(), String.join(", ", late), next.id());
    return payout(next, new ArrayList<>(late), List.of(), payoutState, payouts, context);
  }

  private PayoutOutcome resumePayout(Epoch e, Payouts.Row open, Payouts payouts, JobContext context) {
    PendingTransaction pending = new PendingTransaction(open.txFrom(), BigInteger.valueOf(open.txNonce()),
        open.txHash(), open.signedTx(), "Revenue.commitUsagePayout");
    var tree = Payouts.tree(context.lakehouse(), open);
    context.progress().printf("Payout of epoch %s was sent by run %s but not recorded: finishing its transaction"
        + " %s%n", e.id(), open.runId(), open.txHash());
    try {
      io.ledgerlake.provenance.model.TxInfo tx = chain.resumeUsagePayoutCommit(pending);
      return finishPayout(e, tree, open.settlementIds(), tx, payouts, true, context);
    } catch (ContractRevertedException | TransactionNotMinedException ex) {
      // Replaced or reverted: it never funded anything; the next run commits anew (or finds the root on chain).
      payouts.failed(e, tree, open.settlementIds(), open.txHash(), ex.getMessage());
      return new PayoutOutcome(e.id(), tree.rootHex(), tree.total(), tree.size(), open.txHash(), -1,
          Payouts.FAILED, ex.getMessage(), true);
    }
  }

  private PayoutOutcome finishPayout(Epoch e, io.ledgerlake.provenance.merkle.UsagePayoutTree tree, List<String> ids,
      io.ledgerlake.provenance.model.TxInfo tx, Payouts payouts, boolean recovered, JobContext context) {
    // The sender returns once the block is at the configured confirmation depth: the root is final.
    payouts.committed(e, tree, ids, tx, null);
    int rows = payouts.finalizeShares(new java.util.TreeSet<>(ids));
    context.progress().printf("Paid out epoch %s: root %s, %d contributor(s), %s wei (tx %s, block %d); %d share"
        + " row(s) final%n", e.id(), tree.rootHex(), tree.size(), tree.total(), tx.hash(), tx.blockNumber(), rows);
    return new PayoutOutcome(e.id(), tree.rootHex(), tree.total(), tree.size(), tx.hash(), tx.blockNumber(),
        Payouts.FINAL, null, recovered);
  }

  private Outcome settle(MeteredUsage.Metered m, MeteredUsage usage, long usageSnapshot, Settlements store,
      JobContext context) {
    long calls = m.calls().size();
    String meter = chain.meterOf(m.assetId());
    if (!meter.equals(chain.account())) {
      return store.failed(m, calls, usageSnapshot, null, String.format("the platform account %s is not the meter of"
          + " asset %d (it is %s): the asset owner must run setMeter(%d, %s); nothing was sent", chain.account(),
          m.assetId(), meter, m.assetId(), chain.account()), context);
    }
    BigInteger price = chain.licenseTerms(m.assetId(), LicenseKind.API).priceWei();
    BigInteger balance = chain.apiBalance(m.assetId(), m.licensee());
    long payable = price.signum() == 0 ? calls
        : balance.divide(price).min(BigInteger.valueOf(calls)).longValueExact();
    if (payable == 0) {
      return store.unpaid(m, calls, price, usageSnapshot, String.format("the prepaid balance of %s on asset %d"
          + " (%s wei) covers none of its %d call(s) at %s wei; all unpaid", m.licensee(), m.assetId(), balance,
          calls, price), context);
    }
    String id = m.settlementId();
    ApiSettlement s;
    try {
      s = chain.settleApiUsage(m.assetId(), m.licensee(), payable, pending -> {
        store.sending(m, calls, payable, price, usageSnapshot, pending);
        hook.afterIntentRecorded(id);
      });
    } catch (ContractRevertedException | TransactionNotMinedException e) {
      return store.failed(m, calls, usageSnapshot, null, e.getMessage() + "; retried by the next run", context);
    }
    hook.afterMined(id);
    return finish(m, calls, payable, price, usageSnapshot, s, usage, store, false, context);
  }

  /** An open {@code sending} row: its transaction is finished, never replaced by a new one; empty: send anew. */
  private Optional<Outcome> recover(Settlements.Row open, MeteredUsage usage, Settlements store, JobContext context) {
    PendingTransaction pending = new PendingTransaction(open.txFrom(), BigInteger.valueOf(open.txNonce()),
        open.txHash(), open.signedTx(), OPERATION);
    MeteredUsage.Metered m = usage.metered().get(open.settlementId());
    if (m == null) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "settlement %s was sent with usage snapshot %d, which no longer"
          + " holds its calls; its transaction %s must be checked by hand", open.settlementId(), open.usageSnapshot(),
          open.txHash());
    }
    context.progress().printf("Settlement %s was sent by run %s but not recorded: finishing its transaction %s%n",
        open.settlementId(), open.runId(), open.txHash());
    ApiSettlement s;
    try {
      s = chain.resumeApiUsageSettlement(pending);
    } catch (TransactionNotMinedException e) {
      // Replaced: it can never execute, so settling anew cannot charge twice.
      store.failed(m, open.meteredCalls(), open.usageSnapshot(), open.txHash(), e.getMessage(), context);
      return Optional.empty();
    } catch (ContractRevertedException e) {
      store.failed(m, open.meteredCalls(), open.usageSnapshot(), open.txHash(), e.getMessage(), context);
      return Optional.empty();
    }
    return Optional.of(finish(m, open.meteredCalls(), open.settledCalls(), open.priceWei(), open.usageSnapshot(), s,
        usage, store, true, context));
  }

  private Outcome finish(MeteredUsage.Metered m, long calls, long settled, BigInteger price, long usageSnapshot,
      ApiSettlement s, MeteredUsage usage, Settlements store, boolean recovered, JobContext context) {
    if (s.calls() != settled) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "settlement %s: transaction %s charged %d calls, %d were sent",
          m.settlementId(), s.tx().hash(), s.calls(), settled);
    }
    // The calls paid are the first `settled` in time order; the shares come from what those calls retrieved. Model
    // calls retrieve nothing: their shares follow the model's lineage (ModelShares, after the final row).
    List<UsageShares.Share> shares = m.table() == MeteredUsage.CallsTable.USAGE
        ? UsageShares.split(s.netWei(), usage.retrievals(m.calls().subList(0, (int) settled))) : List.of();
    store.shares(m, s, shares);
    long unpaid = calls - settled;
    String message = unpaid == 0 ? null : String.format("the prepaid balance covered %d of %d call(s) at %s wei;"
        + " %d unpaid", settled, calls, price, unpaid);
    Outcome o = store.settled(m, calls, settled, price, usageSnapshot, s, message, recovered, shares.size());
    context.progress().printf("Settled %s: %d call(s), %s wei (tx %s, block %d)%s; %s%n",
        m.settlementId(), settled, s.costWei(), s.tx().hash(), s.tx().blockNumber(),
        message == null ? "" : " — " + message, m.table() == MeteredUsage.CallsTable.USAGE
            ? shares.size() + " contributor share(s)"
            : "model calls: " + s.royaltyWei() + " wei royalty to " + s.royalties().size() + " ancestor version(s)");
    return o;
  }
}
