// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Administered} from "./Administered.sol";
import {AssetRegistry} from "./AssetRegistry.sol";
import {Revenue} from "./Revenue.sol";

/// @title Licensing
/// @notice The four license kinds of an asset, with terms set by the asset owner:
///         0 Partnership - custom terms (CID); the requester escrows the fee, the asset owner approves;
///         1 API         - price per call; the licensee prepays a balance; an authorised metering address
///                         settles calls against it;
///         2 Full access - one-time price, perpetual;
///         3 Long-term   - one-time price, valid for a fixed duration (buying again extends it).
///         Every payment is forwarded to Revenue for the split. Refunds and unused API balance are pulled.
contract Licensing is Administered {
    uint8 public constant PARTNERSHIP = 0;
    uint8 public constant API = 1;
    uint8 public constant FULL_ACCESS = 2;
    uint8 public constant LONG_TERM = 3;

    uint8 public constant PARTNERSHIP_NONE = 0;
    uint8 public constant PARTNERSHIP_REQUESTED = 1;
    uint8 public constant PARTNERSHIP_APPROVED = 2;

    struct Terms {
        bool enabled;
        uint128 price;
        uint64 duration;
        string termsCid;
    }

    struct Partnership {
        uint8 state;
        uint64 expiresAt;
        uint128 escrow;
        string proposalCid;
    }

    AssetRegistry public immutable registry;
    Revenue public immutable revenue;

    mapping(uint256 => mapping(uint8 => Terms)) private _terms;
    mapping(uint256 => address) public meterOf;
    mapping(uint256 => mapping(address => bool)) public fullAccess;
    mapping(uint256 => mapping(address => uint64)) public longTermExpiry;
    mapping(uint256 => mapping(address => uint256)) public apiBalance;
    mapping(uint256 => mapping(address => Partnership)) private _partnerships;
    /// @notice Escrow of cancelled or rejected partnership requests, to be pulled with {withdrawRefund}.
    mapping(address => uint256) public refunds;

    event TermsSet(uint256 indexed assetId, uint8 indexed kind, bool enabled, uint256 price, uint64 duration, string termsCid);
    event MeterSet(uint256 indexed assetId, address indexed meter);
    event LicensePurchased(
        uint256 indexed assetId, address indexed licensee, uint8 indexed kind, uint256 amount, uint64 expiresAt
    );
    event PartnershipRequested(uint256 indexed assetId, address indexed requester, uint256 escrow, string proposalCid);
    event PartnershipApproved(uint256 indexed assetId, address indexed partner, uint64 expiresAt, uint256 amount);
    event PartnershipRequestClosed(uint256 indexed assetId, address indexed requester, bool rejectedByOwner);
    event ApiDeposited(uint256 indexed assetId, address indexed licensee, uint256 amount, uint256 balance);
    event ApiUsageSettled(uint256 indexed assetId, address indexed licensee, uint256 calls, uint256 cost, uint256 balance);
    event ApiBalanceWithdrawn(uint256 indexed assetId, address indexed licensee, uint256 amount);
    event LicenseExpired(uint256 indexed assetId, address indexed licensee, uint8 indexed kind, uint64 expiredAt);
    event RefundWithdrawn(address indexed account, uint256 amount);

    error NotAssetOwner(uint256 assetId, address caller);
    error InvalidLicenseKind(uint8 kind);
    error InvalidTerms(uint8 kind);
    error LicenseNotOffered(uint256 assetId, uint8 kind);
    error WrongPayment(uint256 expected, uint256 received);
    error NotMeter(uint256 assetId, address caller);
    error InsufficientApiBalance(uint256 assetId, address licensee, uint256 needed, uint256 available);
    error InvalidPartnershipState(uint256 assetId, address account, uint8 state);
    error NotExpired(uint256 assetId, address licensee, uint8 kind);
    error NothingToWithdraw(address account);
    error TransferFailed(address to, uint256 amount);

    constructor(AssetRegistry registry_, Revenue revenue_) {
        if (address(registry_) == address(0) || address(revenue_) == address(0)) revert ZeroAddress();
        registry = registry_;
        revenue = revenue_;
    }

    modifier onlyAssetOwner(uint256 assetId) {
        if (registry.assetOwnerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        _;
    }

    /// @notice Asset owner sets (or withdraws, with enabled=false) the offer of one license kind.
    ///         price: one-time price (Full access, Long-term), price per call (API), escrowed fee (Partnership).
    ///         duration: seconds of validity (Long-term, required) or of an approved partnership (0 = no expiry).
    function setTerms(uint256 assetId, uint8 kind, bool enabled, uint128 price, uint64 duration, string calldata termsCid)
        external
        whenNotPaused
        onlyAssetOwner(assetId)
    {
        if (kind > LONG_TERM) revert InvalidLicenseKind(kind);
        if (enabled && ((kind == LONG_TERM && duration == 0) || (kind == API && price == 0))) revert InvalidTerms(kind);
        _terms[assetId][kind] = Terms(enabled, price, duration, termsCid);
        emit TermsSet(assetId, kind, enabled, price, duration, termsCid);
    }

    function setMeter(uint256 assetId, address meter) external whenNotPaused onlyAssetOwner(assetId) {
        meterOf[assetId] = meter;
        emit MeterSet(assetId, meter);
    }

    function buyFullAccess(uint256 assetId) external payable whenNotPaused nonReentrant {
        Terms storage t = _offered(assetId, FULL_ACCESS);
        if (msg.value != t.price) revert WrongPayment(t.price, msg.value);
        fullAccess[assetId][msg.sender] = true;
        emit LicensePurchased(assetId, msg.sender, FULL_ACCESS, msg.value, 0);
        _forward(assetId, msg.value);
    }

    /// @notice Buys (or extends) a long-term license: valid until max(now, current expiry) + duration.
    function buyLongTerm(uint256 assetId) external payable whenNotPaused nonReentrant returns (uint64 expiresAt) {
        Terms storage t = _offered(assetId, LONG_TERM);
        if (msg.value != t.price) revert WrongPayment(t.price, msg.value);
        uint64 current = longTermExpiry[assetId][msg.sender];
        uint64 start = current > block.timestamp ? current : uint64(block.timestamp);
        expiresAt = start + t.duration;
        longTermExpiry[assetId][msg.sender] = expiresAt;
        emit LicensePurchased(assetId, msg.sender, LONG_TERM, msg.value, expiresAt);
        _forward(assetId, msg.value);
    }

    function requestPartnership(uint256 assetId, string calldata proposalCid) external payable whenNotPaused nonReentrant {
        Terms storage t = _offered(assetId, PARTNERSHIP);
        if (msg.value != t.price) revert WrongPayment(t.price, msg.value);
        Partnership storage p = _partnerships[assetId][msg.sender];
        if (p.state == PARTNERSHIP_REQUESTED) revert InvalidPartnershipState(assetId, msg.sender, p.state);
        if (p.state == PARTNERSHIP_APPROVED && (p.expiresAt == 0 || p.expiresAt > block.timestamp)) {
            revert InvalidPartnershipState(assetId, msg.sender, p.state);
        }
        _partnerships[assetId][msg.sender] = Partnership(PARTNERSHIP_REQUESTED, 0, uint128(msg.value), proposalCid);
        emit PartnershipRequested(assetId, msg.sender, msg.value, proposalCid);
    }

    /// @notice Asset owner approves a pending request; the escrowed fee goes to Revenue.
    function approvePartnership(uint256 assetId, address partner)
        external
        whenNotPaused
        nonReentrant
        onlyAssetOwner(assetId)
    {
        Partnership storage p = _partnerships[assetId][partner];
        if (p.state != PARTNERSHIP_REQUESTED) revert InvalidPartnershipState(assetId, partner, p.state);
        uint64 duration = _terms[assetId][PARTNERSHIP].duration;
        uint64 expiresAt = duration == 0 ? 0 : uint64(block.timestamp) + duration;
        uint256 amount = p.escrow;
        p.state = PARTNERSHIP_APPROVED;
        p.expiresAt = expiresAt;
        p.escrow = 0;
        emit PartnershipApproved(assetId, partner, expiresAt, amount);
        emit LicensePurchased(assetId, partner, PARTNERSHIP, amount, expiresAt);
        if (amount > 0) _forward(assetId, amount);
    }

    /// @notice Closes a pending request: by the requester (cancel) or the asset owner (reject). Escrow is refunded.
    function closePartnershipRequest(uint256 assetId, address requester) external whenNotPaused {
        bool byOwner = msg.sender != requester;
        if (byOwner && registry.assetOwnerOf(assetId) != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        Partnership storage p = _partnerships[assetId][requester];
        if (p.state != PARTNERSHIP_REQUESTED) revert InvalidPartnershipState(assetId, requester, p.state);
        refunds[requester] += p.escrow;
        delete _partnerships[assetId][requester];
        emit PartnershipRequestClosed(assetId, requester, byOwner);
    }

    function depositApi(uint256 assetId) external payable whenNotPaused {
        _offered(assetId, API);
        if (msg.value == 0) revert WrongPayment(1, 0);
        uint256 balance = apiBalance[assetId][msg.sender] + msg.value;
        apiBalance[assetId][msg.sender] = balance;
        emit ApiDeposited(assetId, msg.sender, msg.value, balance);
    }

    /// @notice Metering address of the asset charges `calls` API calls to a licensee's prepaid balance.
    function settleApiUsage(uint256 assetId, address licensee, uint256 calls)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 cost)
    {
        if (msg.sender != meterOf[assetId] || msg.sender == address(0)) revert NotMeter(assetId, msg.sender);
        cost = calls * _terms[assetId][API].price;
        uint256 balance = apiBalance[assetId][licensee];
        if (balance < cost) revert InsufficientApiBalance(assetId, licensee, cost, balance);
        balance -= cost;
        apiBalance[assetId][licensee] = balance;
        emit ApiUsageSettled(assetId, licensee, calls, cost, balance);
        if (cost > 0) _forward(assetId, cost);
    }

    function withdrawApiBalance(uint256 assetId, uint256 amount) external whenNotPaused nonReentrant {
        uint256 balance = apiBalance[assetId][msg.sender];
        if (amount == 0 || amount > balance) revert InsufficientApiBalance(assetId, msg.sender, amount, balance);
        apiBalance[assetId][msg.sender] = balance - amount;
        emit ApiBalanceWithdrawn(assetId, msg.sender, amount);
        _send(msg.sender, amount);
    }

    function withdrawRefund() external whenNotPaused nonReentrant {
        uint256 amount = refunds[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        refunds[msg.sender] = 0;
        emit RefundWithdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @notice Records the expiry of a lapsed long-term license or partnership (for indexers); anyone may call.
    function recordExpiry(uint256 assetId, address licensee, uint8 kind) external whenNotPaused {
        uint64 expiredAt;
        if (kind == LONG_TERM) {
            expiredAt = longTermExpiry[assetId][licensee];
            if (expiredAt == 0 || expiredAt > block.timestamp) revert NotExpired(assetId, licensee, kind);
            delete longTermExpiry[assetId][licensee];
        } else if (kind == PARTNERSHIP) {
            Partnership storage p = _partnerships[assetId][licensee];
            expiredAt = p.expiresAt;
            if (p.state != PARTNERSHIP_APPROVED || expiredAt == 0 || expiredAt > block.timestamp) {
                revert NotExpired(assetId, licensee, kind);
            }
            delete _partnerships[assetId][licensee];
        } else {
            revert NotExpired(assetId, licensee, kind);
        }
        emit LicenseExpired(assetId, licensee, kind, expiredAt);
    }

    function hasValidLicense(uint256 assetId, address account, uint8 kind) public view returns (bool) {
        if (kind == FULL_ACCESS) return fullAccess[assetId][account];
        if (kind == LONG_TERM) return longTermExpiry[assetId][account] > block.timestamp;
        if (kind == API) {
            Terms storage t = _terms[assetId][API];
            return t.enabled && apiBalance[assetId][account] >= t.price;
        }
        if (kind == PARTNERSHIP) {
            Partnership storage p = _partnerships[assetId][account];
            return p.state == PARTNERSHIP_APPROVED && (p.expiresAt == 0 || p.expiresAt > block.timestamp);
        }
        revert InvalidLicenseKind(kind);
    }

    function termsOf(uint256 assetId, uint8 kind)
        external
        view
        returns (bool enabled, uint256 price, uint64 duration, string memory termsCid)
    {
        if (kind > LONG_TERM) revert InvalidLicenseKind(kind);
        Terms storage t = _terms[assetId][kind];
        return (t.enabled, t.price, t.duration, t.termsCid);
    }

    function partnershipOf(uint256 assetId, address account)
        external
        view
        returns (uint8 state, uint64 expiresAt, uint256 escrow, string memory proposalCid)
    {
        Partnership storage p = _partnerships[assetId][account];
        return (p.state, p.expiresAt, p.escrow, p.proposalCid);
    }

    function _offered(uint256 assetId, uint8 kind) private view returns (Terms storage t) {
        t = _terms[assetId][kind];
        if (!t.enabled) revert LicenseNotOffered(assetId, kind);
    }

    function _forward(uint256 assetId, uint256 amount) private {
        revenue.pay{value: amount}(assetId);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
