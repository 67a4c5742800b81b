package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.ChainUnavailableException;
import io.ledgerlake.provenance.ProvenanceConfigException;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.contracts.AssetRegistry;
import io.ledgerlake.provenance.contracts.Licensing;
import io.ledgerlake.provenance.contracts.Receipts;
import io.ledgerlake.provenance.contracts.Revenue;
import io.ledgerlake.provenance.merkle.MerkleReceipt;
import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import io.ledgerlake.provenance.model.Addresses;
import io.ledgerlake.provenance.model.Asset;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.AssetVersion;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseStatus;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.provenance.model.PartnershipState;
import io.ledgerlake.provenance.model.Receipt;
import io.ledgerlake.provenance.model.ReceiptMode;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.model.TxInfo;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The Java API of LedgerLake's on-chain provenance: assets, versions, contribution receipts, licenses, revenue
 * claims. One client signs with one account. Every write waits for {@code confirmations} and either returns a
 * confirmed {@link TxInfo} or throws one of: {@code ContractRevertedException} (the contract refused; decoded
 * reason), {@code TransactionOutcomeUnknownException} (sent, outcome unknown: use {@link #checkTransaction} /
 * {@link #resume}, never resend), {@code TransactionNotMinedException} (dropped or replaced),
 * {@code TransactionRejectedException} (the node refused it), {@code ChainUnavailableException} (nothing sent).
 * Not thread-safe for concurrent writes from several threads beyond what {@link TransactionSender} serialises.
 */
public final class ProvenanceClient implements AutoCloseable {
  private static final String TRANSFER_TOPIC =
      EventEncoder.encode(Receipts.TRANSFER_EVENT);
  private static final String ZERO_TOPIC = "0x" + "0".repeat(64);

  private final Web3j web3j;
  private final ProvenanceOptions options;
  private final Deployment deployment;
  private final TransactionSender sender;
  private final AssetRegistry registry;
  private final Receipts receipts;
  private final Revenue revenue;
  private final Licensing licensing;

  private ProvenanceClient(Web3j web3j, ProvenanceOptions options, Deployment deployment, Credentials credentials) {
    this.web3j = web3j;
    this.options = options;
    this.deployment = deployment;
    this.sender = new TransactionSender(web3j, credentials, options, RevertDecoder.forProvenanceContracts(),
        PendingTransactionJournal.forAccount(options.journalDir(), options.chainId(), credentials.getAddress()));
    // The wrappers are used only to encode calls and decode results; sending goes through the TransactionSender.
    ReadonlyTransactionManager ro = new ReadonlyTransactionManager(web3j, sender.from());
    DefaultGasProvider gas = new DefaultGasProvider();
    this.registry = AssetRegistry.load(deployment.assetRegistry(), web3j, ro, gas);
    this.receipts = Receipts.load(deployment.receipts(), web3j, ro, gas);
    this.revenue = Revenue.load(deployment.revenue(), web3j, ro, gas);
    this.licensing = Licensing.load(deployment.licensing(), web3j, ro, gas);
  }

  // ---- connecting and deploying ----------------------------------------------------------------------------

  /** Connects with the key file and deployment file named in the options. */
  public static ProvenanceClient connect(ProvenanceOptions options) {
    Path keyFile = options.keyFile().orElseThrow(() -> new ProvenanceConfigException(
        "No signing key: set " + ProvenanceOptions.KEY_FILE + " to a file holding the account's 0x-hex private key"));
    return connect(options, Deployment.read(options.deploymentFile()), readKeyFile(keyFile));
  }

  /** Connects to a known deployment, signing with {@code privateKeyHex}. Checks the node's chain id. */
  public static ProvenanceClient connect(ProvenanceOptions options, Deployment deployment, String privateKeyHex) {
    if (deployment.chainId() != options.chainId()) {
      throw new ProvenanceConfigException("The deployment is for chain " + deployment.chainId()
          + " but " + ProvenanceOptions.CHAIN_ID + " is " + options.chainId());
    }
    Web3j web3j = openRpc(options);
    checkChainId(web3j, options);
    return new ProvenanceClient(web3j, options, deployment, credentials(privateKeyHex));
  }

  /**
   * Deploys the four contracts from the given account (which becomes their administrator) and returns their
   * addresses. Does not write the deployment file.
   */
  public static Deployment deploy(ProvenanceOptions options, String privateKeyHex) {
    Web3j web3j = openRpc(options);
    try {
      checkChainId(web3j, options);
      Credentials deployer = credentials(privateKeyHex);
      TransactionSender s = new TransactionSender(web3j, deployer, options, RevertDecoder.forProvenanceContracts(),
          PendingTransactionJournal.forAccount(options.journalDir(), options.chainId(), deployer.getAddress()));
      TransactionSender.Mined first = deployContract(s, "AssetRegistry", AssetRegistry.BINARY, List.of());
      String registryAddr = first.receipt().getContractAddress();
      String receiptsAddr = deployContract(s, "Receipts", Receipts.BINARY, List.of(new Address(registryAddr)))
          .receipt().getContractAddress();
      String revenueAddr = deployContract(s, "Revenue", Revenue.BINARY,
          List.of(new Address(registryAddr), new Address(receiptsAddr))).receipt().getContractAddress();
      String licensingAddr = deployContract(s, "Licensing", Licensing.BINARY,
          List.of(new Address(registryAddr), new Address(revenueAddr))).receipt().getContractAddress();
      return new Deployment(options.chainId(), registryAddr, receiptsAddr, revenueAddr, licensingAddr, s.from(),
          first.info().blockNumber());
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * Deploys with the key file of the options and records the addresses in the deployment file (for any EVM chain:
   * {@code ledgerlake chain deploy}). Refuses to overwrite an existing deployment file.
   */
  public static Deployment deployAndRecord(ProvenanceOptions options) {
    Path file = options.deploymentFile();
    if (Files.exists(file)) {
      throw new ProvenanceConfigException("Deployment file " + file + " exists already; move it away to deploy anew");
    }
    Path keyFile = options.keyFile().orElseThrow(() -> new ProvenanceConfigException(
        "No signing key: set " + ProvenanceOptions.KEY_FILE + " to a file holding the deployer's 0x-hex private key"));
    Deployment d = deploy(options, readKeyFile(keyFile));
    d.write(file);
    return d;
  }

  private static TransactionSender.Mined deployContract(
      TransactionSender s, String name, String binary, List<Type> args) {
    String data = "0x" + binary + (args.isEmpty() ? "" : FunctionEncoder.encodeConstructor(args));
    return s.send(name, "deploy", null, data, BigInteger.ZERO);
  }

  /** Reads a key file: one line with the 0x-hex private key. */
  public static String readKeyFile(Path keyFile) {
    try {
      String key = Files.readString(keyFile).trim();
      credentials(key); // validates
      return key;
    } catch (IOException e) {
      throw new ProvenanceConfigException("Cannot read key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static Credentials credentials(String privateKeyHex) {
    String k = privateKeyHex.trim();
    if (!k.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new ProvenanceConfigException("A private key must be 64 hex digits (optionally 0x-prefixed)");
    }
    return Credentials.create(k);
  }

  static Web3j openRpc(ProvenanceOptions options) {
    long timeout = options.rpcTimeout().toMillis();
    OkHttpClient http = new OkHttpClient.Builder()
        // OkHttp would silently re-send a POST on some connection failures; a transaction send must never be
        // repeated behind our back (the outcome would be misreported), so retries are ours alone.
        .retryOnConnectionFailure(false)
        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
        .readTimeout(timeout, TimeUnit.MILLISECONDS)
        .writeTimeout(timeout, TimeUnit.MILLISECONDS)
        .build();
    return Web3j.build(new HttpService(options.rpcUrl().toString(), http));
  }

  private static void checkChainId(Web3j web3j, ProvenanceOptions options) {
    long actual;
    try {
      actual = TransactionSender.rpc(web3j.ethChainId()).getChainId().longValueExact();
    } catch (IOException e) {
      web3j.shutdown();
      throw new ChainUnavailableException("Cannot reach the chain at " + options.rpcUrl() + ": " + e.getMessage()
          + ". Start it (ledgerlake chain up) or fix " + ProvenanceOptions.RPC_URL, e);
    }
    if (actual != options.chainId()) {
      web3j.shutdown();
      throw new ProvenanceConfigException("The node at " + options.rpcUrl() + " serves chain " + actual
          + " but " + ProvenanceOptions.CHAIN_ID + " is " + options.chainId());
    }
  }

  public String account() {
    return sender.from();
  }

  public Deployment deployment() {
    return deployment;
  }

  public ProvenanceOptions options() {
    return options;
  }

  // ---- assets and versions -----------------------------------------------------------------------------------

  /** Registers an asset owned by this account; {@code royaltyBps} is what derived assets pay it (fixed). */
  public Submitted<Long> registerAsset(AssetKind kind, int royaltyBps, String metadataCid) {
    TransactionSender.Mined m = send("AssetRegistry", "registerAsset", deployment.assetRegistry(),
        registry.registerAsset(big(kind.code()), big(royaltyBps), metadataCid), BigInteger.ZERO);
    long id = registry.getAssetRegisteredEvents(m.receipt()).get(0).assetId.longValueExact();
    return new Submitted<>(id, m.info());
  }

  /** Registers a version of one of this account's assets, derived from {@code parentVersionIds}. */
  public Submitted<Long> registerVersion(long assetId, ContentCommitment commitment, List<Long> parentVersionIds) {
    TransactionSender.Mined m = send("AssetRegistry", "registerVersion", deployment.assetRegistry(),
        registry.registerVersion(big(assetId), commitment.bytes(), bigs(parentVersionIds)), BigInteger.ZERO);
    long id = registry.getVersionRegisteredEvents(m.receipt()).get(0).versionId.longValueExact();
    return new Submitted<>(id, m.info());
  }

  public Asset asset(long assetId) {
    List<Type> r = view("AssetRegistry", "getAsset", deployment.assetRegistry(), registry.getAsset(big(assetId)));
    return new Asset(assetId, str(r.get(0)).toLowerCase(), AssetKind.fromCode(num(r.get(1)).intValueExact()),
        num(r.get(2)).intValueExact(), num(r.get(3)).longValueExact(), num(r.get(4)).intValueExact(),
        str(r.get(5)));
  }

  public AssetVersion version(long versionId) {
    List<Type> r = view("AssetRegistry", "getVersion", deployment.assetRegistry(),
        registry.getVersion(big(versionId)));
    return new AssetVersion(versionId, num(r.get(0)).longValueExact(),
        ContentCommitment.ofBytes((byte[]) r.get(4).getValue()), longs(r.get(5)), longs(r.get(6)),
        num(r.get(1)).intValueExact(), num(r.get(2)).intValueExact(),
        Instant.ofEpochSecond(num(r.get(3)).longValueExact()));
  }

  // ---- receipts ----------------------------------------------------------------------------------------------

  /** Mints one soulbound receipt per share; the contract rejects shares that do not sum to 10,000 bps. */
  public Submitted<List<Long>> recordReceipts(long versionId, List<ReceiptShare> shares) {
    List<String> who = new ArrayList<>();
    List<BigInteger> roles = new ArrayList<>();
    List<BigInteger> bps = new ArrayList<>();
    for (ReceiptShare s : shares) {
      who.add(s.contributor());
      roles.add(big(s.role().code()));
      bps.add(big(s.shareBps()));
    }
    TransactionSender.Mined m = send("Receipts", "recordReceipts", deployment.receipts(),
        receipts.recordReceipts(big(versionId), who, roles, bps), BigInteger.ZERO);
    Receipts.DirectReceiptsRecordedEventResponse e = receipts.getDirectReceiptsRecordedEvents(m.receipt()).get(0);
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < e.count.longValueExact(); i++) {
      ids.add(e.firstTokenId.longValueExact() + i);
    }
    return new Submitted<>(List.copyOf(ids), m.info());
  }

  /** Builds the Merkle tree of the shares (checked to sum to 10,000 bps) and records its root. */
  public Submitted<MerkleReceiptTree> recordMerkleReceipts(long versionId, List<ReceiptShare> shares) {
    MerkleReceiptTree tree = MerkleReceiptTree.build(versionId, shares);
    TransactionSender.Mined m = send("Receipts", "recordMerkleRoot", deployment.receipts(),
        receipts.recordMerkleRoot(big(versionId), tree.root(), big(tree.size())), BigInteger.ZERO);
    return new Submitted<>(tree, m.info());
  }

  /**
   * Registers a version and its receipts: one token per contributor up to {@code merkle-threshold} contributors,
   * a Merkle root above it. Two transactions; if the second fails the version exists without receipts and
   * {@link #recordReceipts}/{@link #recordMerkleReceipts} can be called again for it.
   */
  public PublishedVersion publishVersion(
      long assetId, ContentCommitment commitment, List<Long> parentVersionIds, List<ReceiptShare> shares) {
    Submitted<Long> v = registerVersion(assetId, commitment, parentVersionIds);
    if (shares.size() <= options.merkleThreshold()) {
      Submitted<List<Long>> r = recordReceipts(v.value(), shares);
      return new PublishedVersion(v.value(), ReceiptMode.DIRECT, r.value(), Optional.empty(), v.tx(), r.tx());
    }
    Submitted<MerkleReceiptTree> r = recordMerkleReceipts(v.value(), shares);
    return new PublishedVersion(v.value(), ReceiptMode.MERKLE, List.of(), Optional.of(r.value()), v.tx(), r.tx());
  }

  public Receipt receipt(long tokenId) {
    List<Type> r = view("Receipts", "receiptOf", deployment.receipts(), receipts.receiptOf(big(tokenId)));
    return new Receipt(tokenId, num(r.get(0)).longValueExact(), num(r.get(1)).intValueExact(), str(r.get(2)),
        ContributorRole.fromCode(num(r.get(3)).intValueExact()), num(r.get(4)).intValueExact(),
        num(r.get(5)).intValueExact());
  }

  /** Receipt mode, count and Merkle root (0x-hex, zero for direct receipts) of a version. */
  public ReceiptMode receiptMode(long versionId) {
    List<Type> r = view("Receipts", "versionReceipts", deployment.receipts(),
        receipts.versionReceipts(big(versionId)));
    return ReceiptMode.fromCode(num(r.get(0)).intValueExact());
  }

  /** Whether the contract accepts a Merkle receipt's proof (a view call: free). */
  public boolean verifyMerkleReceipt(MerkleReceipt r) {
    List<Type> out = view("Receipts", "verifyMerkleReceipt", deployment.receipts(),
        receipts.verifyMerkleReceipt(big(r.versionId()), big(r.index()), r.account(), big(r.role().code()),
            big(r.shareBps()), big(r.offsetBps()), proofBytes(r)));
    return (Boolean) out.get(0).getValue();
  }

  /** Mints the soulbound token of a Merkle receipt to its contributor. */
  public Submitted<Long> mintReceiptFromProof(MerkleReceipt r) {
    TransactionSender.Mined m = send("Receipts", "mintFromProof", deployment.receipts(),
        receipts.mintFromProof(big(r.versionId()), big(r.index()), r.account(), big(r.role().code()),
            big(r.shareBps()), big(r.offsetBps()), proofBytes(r)), BigInteger.ZERO);
    return new Submitted<>(receipts.getTransferEvents(m.receipt()).get(0).tokenId.longValueExact(), m.info());
  }

  /** Every receipt token held by an account, found through the mint events since deployment. */
  public List<Receipt> receiptsOf(String account) {
    String topic = "0x" + "0".repeat(24) + Addresses.normalize(account).substring(2);
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.deployedAtBlock())),
        DefaultBlockParameterName.LATEST, deployment.receipts());
    filter.addSingleTopic(TRANSFER_TOPIC).addSingleTopic(ZERO_TOPIC).addSingleTopic(topic);
    EthLog logs;
    try {
      logs = TransactionSender.rpc(web3j.ethGetLogs(filter));
    } catch (IOException e) {
      throw new ChainUnavailableException("Cannot read receipt events at " + options.rpcUrl() + ": " + e.getMessage(), e);
    }
    List<Receipt> out = new ArrayList<>();
    for (EthLog.LogResult<?> lr : logs.getLogs()) {
      Log log = (Log) lr.get();
      out.add(receipt(new BigInteger(log.getTopics().get(3).substring(2), 16).longValueExact()));
    }
    return List.copyOf(out);
  }

  // ---- licensing ---------------------------------------------------------------------------------------------

  /** Asset owner: offers (or withdraws) one license kind. */
  public TxInfo setLicenseTerms(long assetId, LicenseTerms terms) {
    return send("Licensing", "setTerms", deployment.licensing(),
        licensing.setTerms(big(assetId), big(terms.kind().code()), terms.enabled(), terms.priceWei(),
            big(terms.duration().toSeconds()), terms.termsCid()), BigInteger.ZERO).info();
  }

  public LicenseTerms licenseTerms(long assetId, LicenseKind kind) {
    List<Type> r = view("Licensing", "termsOf", deployment.licensing(),
        licensing.termsOf(big(assetId), big(kind.code())));
    return new LicenseTerms(kind, (Boolean) r.get(0).getValue(), num(r.get(1)),
        Duration.ofSeconds(num(r.get(2)).longValueExact()), str(r.get(3)));
  }

  /** Asset owner: the address allowed to settle API usage. */
  public TxInfo setMeter(long assetId, String meter) {
    return send("Licensing", "setMeter", deployment.licensing(),
        licensing.setMeter(big(assetId), Addresses.normalize(meter)), BigInteger.ZERO).info();
  }

  /**
   * Buys a license for this account at the price in the asset's terms: full access, long-term (extends a current
   * one), partnership (a request; the fee is escrowed until the owner approves), or API (a prepaid deposit of
   * {@code apiDepositWei}).
   *
   * @param apiDepositWei only for {@link LicenseKind#API}
   * @param proposalCid only for {@link LicenseKind#PARTNERSHIP}: the requester's proposal
   */
  public TxInfo buyLicense(long assetId, LicenseKind kind, BigInteger apiDepositWei, String proposalCid) {
    BigInteger id = big(assetId);
    return switch (kind) {
      case FULL_ACCESS -> send("Licensing", "buyFullAccess", deployment.licensing(),
          licensing.buyFullAccess(id), licenseTerms(assetId, kind).priceWei()).info();
      case LONG_TERM -> send("Licensing", "buyLongTerm", deployment.licensing(),
          licensing.buyLongTerm(id), licenseTerms(assetId, kind).priceWei()).info();
      case PARTNERSHIP -> send("Licensing", "requestPartnership", deployment.licensing(),
          licensing.requestPartnership(id, proposalCid == null ? "" : proposalCid),
          licenseTerms(assetId, kind).priceWei()).info();
      case API -> {
        if (apiDepositWei == null || apiDepositWei.signum() <= 0) {
          throw new IllegalArgumentException("An API license needs a positive prepaid deposit (apiDepositWei)");
        }
        yield send("Licensing", "depositApi", deployment.licensing(),
            licensing.depositApi(id), apiDepositWei).info();
      }
    };
  }

  /** Asset owner: approves a pending partnership request; its escrowed fee is paid out as revenue. */
  public TxInfo approvePartnership(long assetId, String partner) {
    return send("Licensing", "approvePartnership", deployment.licensing(),
        licensing.approvePartnership(big(assetId), Addresses.normalize(partner)), BigInteger.ZERO).info();
  }

  /** Closes a pending partnership request (requester: cancel; asset owner: reject); the fee becomes refundable. */
  public TxInfo closePartnershipRequest(long assetId, String requester) {
    return send("Licensing", "closePartnershipRequest", deployment.licensing(),
        licensing.closePartnershipRequest(big(assetId), Addresses.normalize(requester)), BigInteger.ZERO).info();
  }

  /** Metering address: charges {@code calls} API calls to a licensee's prepaid balance; returns the cost in wei. */
  public Submitted<BigInteger> settleApiUsage(long assetId, String licensee, long calls) {
    TransactionSender.Mined m = send("Licensing", "settleApiUsage", deployment.licensing(),
        licensing.settleApiUsage(big(assetId), Addresses.normalize(licensee), big(calls)), BigInteger.ZERO);
    return new Submitted<>(licensing.getApiUsageSettledEvents(m.receipt()).get(0).cost, m.info());
  }

  /**
   * As {@link #settleApiUsage(long, String, long)}, with the signed transaction handed to {@code beforeBroadcast}
   * before the node sees it (to record its hash durably; see {@link TransactionSender#send(String, String, String,
   * String, BigInteger, java.util.function.Consumer)}), and the Revenue credit decoded.
   */
  public ApiSettlement settleApiUsage(long assetId, String licensee, long calls,
      java.util.function.Consumer<PendingTransaction> beforeBroadcast) {
    TransactionSender.Mined m = sender.send("Licensing", "settleApiUsage", deployment.licensing(),
        licensing.settleApiUsage(big(assetId), Addresses.normalize(licensee), big(calls)).encodeFunctionCall(),
        BigInteger.ZERO, beforeBroadcast);
    return apiSettlement(m);
  }

  /**
   * Finishes a {@code settleApiUsage} whose outcome is not known to the caller (recorded before broadcast, then the
   * process died): waits for it, or rebroadcasts its identical bytes if the node never got it, and decodes it.
   * Throws {@code TransactionNotMinedException} if it was replaced (it can never execute) and
   * {@code ContractRevertedException} if it reverted.
   */
  public ApiSettlement resumeApiUsageSettlement(PendingTransaction pending) {
    if (!pending.operation().equals("Licensing.settleApiUsage")) {
      throw new IllegalArgumentException("not a settleApiUsage transaction: " + pending);
    }
    return apiSettlement(sender.resume(pending));
  }

  private ApiSettlement apiSettlement(TransactionSender.Mined m) {
    var settled = licensing.getApiUsageSettledEvents(m.receipt()).get(0);
    BigInteger net = BigInteger.ZERO;
    long versionId = 0;
    List<ApiSettlement.Royalty> royalties = new java.util.ArrayList<>();
    if (settled.cost.signum() > 0) {
      var credited = revenue.getVersionCreditedEvents(m.receipt()).get(0);
      net = credited.amount;
      versionId = credited.versionId.longValueExact();
      for (var r : revenue.getRoyaltyPaidEvents(m.receipt())) {
        royalties.add(new ApiSettlement.Royalty(r.toVersionId.longValueExact(), r.amount));
      }
    }
    return new ApiSettlement(settled.assetId.longValueExact(), Addresses.normalize(settled.licensee),
        settled.calls.longValueExact(), settled.cost, versionId, net, royalties, m.info());
  }

  /** A licensee's prepaid API balance on an asset, at the latest block. */
  public BigInteger apiBalance(long assetId, String licensee) {
    return num(view("Licensing", "apiBalance", deployment.licensing(),
        licensing.apiBalance(big(assetId), Addresses.normalize(licensee))).get(0));
  }

  /** The address allowed to settle an asset's API usage (the zero address if none). */
  public String meterOf(long assetId) {
    return Addresses.normalize((String) view("Licensing", "meterOf", deployment.licensing(),
        licensing.meterOf(big(assetId))).get(0).getValue());
  }

  public TxInfo withdrawApiBalance(long assetId, BigInteger amountWei) {
    return send("Licensing", "withdrawApiBalance", deployment.licensing(),
        licensing.withdrawApiBalance(big(assetId), amountWei), BigInteger.ZERO).info();
  }

  /** Records (emits) the expiry of a lapsed long-term license or partnership. */
  public TxInfo recordExpiry(long assetId, String licensee, LicenseKind kind) {
    return send("Licensing", "recordExpiry", deployment.licensing(),
        licensing.recordExpiry(big(assetId), Addresses.normalize(licensee), big(kind.code())), BigInteger.ZERO)
        .info();
  }

  public boolean hasValidLicense(long assetId, String account, LicenseKind kind) {
    List<Type> r = view("Licensing", "hasValidLicense", deployment.licensing(),
        licensing.hasValidLicense(big(assetId), Addresses.normalize(account), big(kind.code())));
    return (Boolean) r.get(0).getValue();
  }

  public LicenseStatus licenseStatus(long assetId, String account) {
    String who = Addresses.normalize(account);
    Set<LicenseKind> valid = EnumSet.noneOf(LicenseKind.class);
    for (LicenseKind k : LicenseKind.values()) {
      if (hasValidLicense(assetId, who, k)) {
        valid.add(k);
      }
    }
    boolean full = (Boolean) view("Licensing", "fullAccess", deployment.licensing(),
        licensing.fullAccess(big(assetId), who)).get(0).getValue();
    long expiry = num(view("Licensing", "longTermExpiry", deployment.licensing(),
        licensing.longTermExpiry(big(assetId), who)).get(0)).longValueExact();
    BigInteger api = num(view("Licensing", "apiBalance", deployment.licensing(),
        licensing.apiBalance(big(assetId), who)).get(0));
    int partnership = num(view("Licensing", "partnershipOf", deployment.licensing(),
        licensing.partnershipOf(big(assetId), who)).get(0)).intValueExact();
    return new LicenseStatus(assetId, who, valid, full,
        expiry == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expiry)), api,
        PartnershipState.fromCode(partnership));
  }

  // ---- revenue -----------------------------------------------------------------------------------------------

  /** Cumulative revenue credited to a version's pool (its own share plus royalties from derived versions). */
  public BigInteger versionRevenue(long versionId) {
    return num(view("Revenue", "versionRevenue", deployment.revenue(), revenue.versionRevenue(big(versionId)))
        .get(0));
  }

  /** What a receipt token's holder can claim now. */
  public BigInteger owedToToken(long tokenId) {
    return num(view("Revenue", "owedToToken", deployment.revenue(), revenue.owedToToken(big(tokenId))).get(0));
  }

  /** What a Merkle receipt's contributor can claim now. */
  public BigInteger owed(MerkleReceipt r) {
    return num(view("Revenue", "owed", deployment.revenue(),
        revenue.owed(big(r.versionId()), big(r.index()), big(r.shareBps()), big(r.offsetBps()))).get(0));
  }

  /** Sum of what this account's receipt tokens can claim now. */
  public BigInteger claimable() {
    BigInteger total = BigInteger.ZERO;
    for (Receipt r : receiptsOf(account())) {
      total = total.add(owedToToken(r.tokenId()));
    }
    return total;
  }

  /**
   * Claims everything this account's receipt tokens are owed, in one transaction; returns the wei paid
   * (zero, and no transaction, when nothing is owed).
   */
  public Optional<Submitted<BigInteger>> claim() {
    List<BigInteger> ids = new ArrayList<>();
    for (Receipt r : receiptsOf(account())) {
      if (owedToToken(r.tokenId()).signum() > 0) {
        ids.add(big(r.tokenId()));
      }
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(claimTokens(ids));
  }

  /** Claims for the given receipt tokens of this account. */
  public Submitted<BigInteger> claimTokens(List<BigInteger> tokenIds) {
    TransactionSender.Mined m = send("Revenue", "claimReceipts", deployment.revenue(),
        revenue.claimReceipts(tokenIds), BigInteger.ZERO);
    BigInteger total = BigInteger.ZERO;
    for (Revenue.ClaimedEventResponse e : revenue.getClaimedEvents(m.receipt())) {
      total = total.add(e.amount);
    }
    return new Submitted<>(total, m.info());
  }

  /** Claims for a Merkle receipt; the money goes to the receipt's account whoever sends this. */
  public Submitted<BigInteger> claimMerkle(MerkleReceipt r) {
    TransactionSender.Mined m = send("Revenue", "claimMerkle", deployment.revenue(),
        revenue.claimMerkle(big(r.versionId()), big(r.index()), r.account(), big(r.role().code()),
            big(r.shareBps()), big(r.offsetBps()), proofBytes(r)), BigInteger.ZERO);
    return new Submitted<>(revenue.getClaimedEvents(m.receipt()).get(0).amount, m.info());
  }

  /** Pays for an asset directly (outside a license), e.g. a tip or an off-chain deal settled on chain. */
  public TxInfo pay(long assetId, BigInteger amountWei) {
    return send("Revenue", "pay", deployment.revenue(), revenue.pay(big(assetId)), amountWei)
        .info();
  }

  // ---- usage payouts (Revenue: one Merkle root per settlement epoch) -------------------------------------------

  /**
   * Commits {@code tree} as its epoch's usage payout, funded with exactly its total from this account (the
   * Revenue owner); the signed transaction goes to {@code beforeBroadcast} before the node sees it, so the caller
   * can record it durably and finish it after a crash ({@link #resumeUsagePayoutCommit}). The contract refuses a
   * second root for an epoch ({@code PayoutAlreadyCommitted}).
   */
  public TxInfo commitUsagePayout(UsagePayoutTree tree, java.util.function.Consumer<PendingTransaction> beforeBroadcast) {
    return sender.send("Revenue", "commitUsagePayout", deployment.revenue(),
        revenue.commitUsagePayout(big(tree.epoch()), tree.root(), tree.total(), big(tree.size()))
            .encodeFunctionCall(), tree.total(), beforeBroadcast).info();
  }

  /** Finishes a {@code commitUsagePayout} recorded before broadcast (waits for it or rebroadcasts its bytes). */
  public TxInfo resumeUsagePayoutCommit(PendingTransaction pending) {
    if (!pending.operation().equals("Revenue.commitUsagePayout")) {
      throw new IllegalArgumentException("not a commitUsagePayout transaction: " + pending);
    }
    return sender.resume(pending).info();
  }

  /**
   * Whether the deployed Revenue has usage payouts (leaf format {@link UsagePayoutTree#LEAF_VERSION}): false for a
   * Revenue deployed by a LedgerLake that predates them (a chain kept from an earlier version), which has no such
   * function — the call reverts without data.
   */
  public boolean usagePayoutsSupported() {
    try {
      String out = sender.call("Revenue", "PAYOUT_LEAF_VERSION", deployment.revenue(),
          revenue.PAYOUT_LEAF_VERSION().encodeFunctionCall());
      return out != null && out.length() > 2
          && new BigInteger(out.substring(2), 16).equals(BigInteger.valueOf(UsagePayoutTree.LEAF_VERSION));
    } catch (io.ledgerlake.provenance.ContractRevertedException e) {
      return false;
    }
  }

  /** The usage payout of epoch {@code epoch} (start, Unix seconds) at the latest block. */
  public UsagePayoutState usagePayout(long epoch) {
    List<Type> r = view("Revenue", "usagePayouts", deployment.revenue(), revenue.usagePayouts(big(epoch)));
    return new UsagePayoutState(epoch, "0x" + HexFormat.of().formatHex((byte[]) r.get(0).getValue()), num(r.get(1)),
        num(r.get(2)), num(r.get(3)).longValueExact());
  }

  /** Whether the leaf is in its epoch's committed root (an eth_call of the contract's own check). */
  public boolean verifyUsagePayout(UsagePayoutTree.Leaf leaf) {
    return (Boolean) view("Revenue", "verifyUsagePayout", deployment.revenue(),
        revenue.verifyUsagePayout(big(leaf.epoch()), leaf.account(), leaf.amountWei(), proofBytes(leaf.proof())))
        .get(0).getValue();
  }

  public boolean usagePayoutClaimed(long epoch, String account) {
    return (Boolean) view("Revenue", "usagePayoutClaimed", deployment.revenue(),
        revenue.usagePayoutClaimed(big(epoch), Addresses.normalize(account))).get(0).getValue();
  }

  /** Claims a leaf of an epoch's usage payout; the money goes to the leaf's account whoever sends this. */
  public Submitted<BigInteger> claimUsagePayout(UsagePayoutTree.Leaf leaf) {
    TransactionSender.Mined m = send("Revenue", "claimUsagePayout", deployment.revenue(),
        revenue.claimUsagePayout(big(leaf.epoch()), leaf.account(), leaf.amountWei(), proofBytes(leaf.proof())),
        BigInteger.ZERO);
    return new Submitted<>(revenue.getUsagePayoutClaimedEvents(m.receipt()).get(0).amount, m.info());
  }

  // ---- administration (contract owner only) --------------------------------------------------------------------

  public TxInfo pause(ProvenanceContract contract) {
    // pause()/unpause() come from the shared base contract: the registry wrapper's encoding fits all four.
    return send(contract.contractName(), "pause", contract.address(deployment), registry.pause(), BigInteger.ZERO)
        .info();
  }

  public TxInfo unpause(ProvenanceContract contract) {
    return send(contract.contractName(), "unpause", contract.address(deployment), registry.unpause(),
        BigInteger.ZERO).info();
  }

  public TxInfo setRoyaltyLimits(int maxStackBps, int maxDepth, int maxAncestors) {
    return send("AssetRegistry", "setRoyaltyLimits", deployment.assetRegistry(),
        registry.setRoyaltyLimits(big(maxStackBps), big(maxDepth), big(maxAncestors)), BigInteger.ZERO).info();
  }

  // ---- chain and transactions --------------------------------------------------------------------------------

  /** Node, deployment and pause state. */
  public ChainStatus status() {
    return status(web3j, options, Optional.of(deployment));
  }

  /** Node, deployment and pause state, without a signing key (for {@code chain status}). */
  public static ChainStatus status(ProvenanceOptions options, Optional<Deployment> deployment) {
    Web3j web3j = openRpc(options);
    try {
      return status(web3j, options, deployment);
    } finally {
      web3j.shutdown();
    }
  }

  private static ChainStatus status(Web3j web3j, ProvenanceOptions options, Optional<Deployment> deployment) {
    try {
      long chainId = TransactionSender.rpc(web3j.ethChainId()).getChainId().longValueExact();
      long block = TransactionSender.rpc(web3j.ethBlockNumber()).getBlockNumber().longValueExact();
      boolean present = false;
      Map<ProvenanceContract, Boolean> paused = new EnumMap<>(ProvenanceContract.class);
      if (deployment.isPresent()) {
        present = true;
        for (ProvenanceContract c : ProvenanceContract.values()) {
          String addr = c.address(deployment.get());
          String code = TransactionSender.rpc(web3j.ethGetCode(addr, DefaultBlockParameterName.LATEST)).getCode();
          if (code == null || code.length() <= 2) {
            present = false;
            continue;
          }
          // paused() is at the same selector on every contract (shared base)
          String out = TransactionSender.rpc(web3j.ethCall(
              org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null, addr,
                  FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("paused", List.of(), List.of()))),
              DefaultBlockParameterName.LATEST)).getValue();
          paused.put(c, out != null && out.length() > 2 && new BigInteger(out.substring(2), 16).signum() != 0);
        }
      }
      return new ChainStatus(options.rpcUrl().toString(), chainId, block, deployment, present, paused);
    } catch (IOException e) {
      throw new ChainUnavailableException("Cannot reach the chain at " + options.rpcUrl() + ": " + e.getMessage()
          + ". Start it (ledgerlake chain up) or fix " + ProvenanceOptions.RPC_URL, e);
    }
  }

  /** Wei balance of an account. */
  public BigInteger balanceOf(String account) {
    return sender.balanceOf(Addresses.normalize(account));
  }

  /** What became of a transaction whose outcome was unknown (by hash and nonce). */
  public TransactionState checkTransaction(PendingTransaction pending) {
    return sender.check(pending);
  }

  /** Waits for, or rebroadcasts the identical bytes of, a transaction whose outcome was unknown. */
  public TxInfo resume(PendingTransaction pending) {
    return sender.resume(pending).info();
  }

  /** A transaction of this client whose outcome is still unknown (blocks new sends until settled). */
  public Optional<PendingTransaction> unsettledTransaction() {
    return sender.inDoubt();
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private TransactionSender.Mined send(
      String contract, String operation, String to, RemoteFunctionCall<?> fn, BigInteger value) {
    return sender.send(contract, operation, to, fn.encodeFunctionCall(), value);
  }

  private List<Type> view(String contract, String operation, String to, RemoteFunctionCall<?> fn) {
    return fn.decodeFunctionResponse(sender.call(contract, operation, to, fn.encodeFunctionCall()));
  }

  private static List<byte[]> proofBytes(MerkleReceipt r) {
    return proofBytes(r.proof());
  }

  private static List<byte[]> proofBytes(List<String> proof) {
    List<byte[]> out = new ArrayList<>();
    for (String p : proof) {
      out.add(HexFormat.of().parseHex(p.substring(2)));
    }
    return out;
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  private static List<BigInteger> bigs(List<Long> values) {
    List<BigInteger> out = new ArrayList<>();
    for (Long v : values) {
      out.add(BigInteger.valueOf(v));
    }
    return out;
  }

  private static BigInteger num(Type<?> t) {
    return (BigInteger) t.getValue();
  }

  private static String str(Type<?> t) {
    return (String) t.getValue();
  }

  private static List<Long> longs(Type<?> t) {
    List<Long> out = new ArrayList<>();
    for (Object o : (List<?>) t.getValue()) {
      out.add(((BigInteger) ((Type<?>) o).getValue()).longValueExact());
    }
    return out;
  }
}
