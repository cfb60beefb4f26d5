// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IChannelManager} from "./IChannelManager.sol";
import {IERC3009Receive} from "./IERC3009Receive.sol";

/// @title µRaiden channel manager
/// @notice Holds senders' deposits and pays receivers from EIP-712 balance proofs. See {IChannelManager}.
/// @dev Storage is two slots per channel. Slot 0 (deposit, signer) is written at open, so opening a channel with
/// a session key costs one new slot, and rewritten only by a top-up. Slot 1 (withdrawn, closingBalance,
/// settleBlock) stays empty until the receiver withdraws or the sender closes uncooperatively. Amounts are uint96
/// in storage (up to 7.9e28 base units, 79 billion tokens of 18 decimals, per channel) and uint256 in the ABI and
/// in the signed messages.
/// The token must move exact amounts: fee-on-transfer and rebasing tokens are not supported.
///
/// Payouts never depend on the other party: every outgoing transfer goes through {_pay}, which turns a transfer
/// the token refuses (a blocklist, a receive hook that reverts) into a credit the refused account can {claim}.
contract ChannelManager is IChannelManager, IERC1363Receiver, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The shortest challenge period a deployment accepts, in blocks.
    uint64 public constant MIN_CHALLENGE_PERIOD = 500;

    /// @notice The longest challenge period a deployment accepts, in blocks: room for a week-long period even at
    /// 1-second blocks (1,000,000 blocks are 11.6 days there, 139 days at 12 seconds). A longer one would lock a
    /// sender's deposit for months after an uncooperative close, and near 2^64 `uncooperativeClose` would overflow.
    uint64 public constant MAX_CHALLENGE_PERIOD = 1_000_000;

    /// @notice The largest deposit a channel can hold, in token base units.
    uint256 public constant MAX_DEPOSIT = type(uint96).max;

    /// @notice EIP-712 type of the sender's balance proof. Mirrors `web-client/src/protocol/typedData.ts`.
    bytes32 public constant BALANCE_PROOF_TYPEHASH =
        keccak256("BalanceProof(address sender,address receiver,uint64 openBlock,uint256 balance)");

    /// @notice EIP-712 type of a sender's off-chain delegation: `signer` may sign balance proofs for the channel
    /// (sender, receiver, openBlock), as a key registered at open may. Mirrors
    /// `web-client/src/protocol/signerDelegationTypedData.ts`.
    bytes32 public constant SIGNER_DELEGATION_TYPEHASH =
        keccak256("SignerDelegation(address sender,address receiver,uint64 openBlock,address signer)");

    /// @dev Length of a delegated balance signature: proof (65 bytes) ‖ signer (20) ‖ the sender's delegation (65).
    uint256 private constant DELEGATED_SIGNATURE_LENGTH = 150;

    /// @notice EIP-712 type of the receiver's closing signature. Mirrors `web-client/src/protocol/typedData.ts`.
    bytes32 public constant CLOSING_AGREEMENT_TYPEHASH =
        keccak256("ClosingAgreement(address sender,address receiver,uint64 openBlock,uint256 balance)");

    /// @dev EIP-712 type of the sender's authorization to open a channel in its name ({openOnBehalf}). Mirrors
    /// `web-client/src/protocol/openAuthorizationTypedData.ts`; a test signs with that definition and opens with it.
    bytes32 private constant OPEN_AUTHORIZATION_TYPEHASH = keccak256(
        "OpenAuthorization(address sender,address receiver,uint256 deposit,address signer,uint256 nonce,uint256 deadline)"
    );

    /// @dev EIP-712 struct type whose hash is the EIP-3009 nonce of {openByReceiveAuthorization}. Mirrors
    /// `web-client/src/protocol/receiveWithAuthorizationTypedData.ts`; a test compares the two hashes.
    bytes32 private constant OPEN_TERMS_TYPEHASH = keccak256(
        "OpenTerms(uint256 chainId,address manager,address sender,address receiver,uint256 deposit,address signer,uint256 validBefore)"
    );

    /// @notice The token every channel of this manager is denominated in.
    IERC20 public immutable token;

    /// @notice Blocks the receiver has, after an uncooperative close, to settle at its latest balance proof.
    uint64 public immutable challengePeriod;

    struct Channel {
        // slot 0
        uint96 deposit;
        address signer;
        // slot 1
        uint96 withdrawn;
        uint96 closingBalance;
        uint64 settleBlock;
    }

    mapping(bytes32 key => Channel) private _channels;

    mapping(address account => uint256) private _credits;

    /// @inheritdoc IChannelManager
    mapping(address sender => uint256) public openingNonces;

    /// @param token_ The ERC-20 token channels hold (EIP-2612 and ERC-1363 are used when it supports them).
    /// @param challengePeriod_ Challenge period in blocks, from {MIN_CHALLENGE_PERIOD} to {MAX_CHALLENGE_PERIOD}.
    constructor(IERC20 token_, uint64 challengePeriod_) EIP712("MicroRaiden", "1") {
        if (challengePeriod_ < MIN_CHALLENGE_PERIOD) {
            revert ChallengePeriodTooShort(challengePeriod_, MIN_CHALLENGE_PERIOD);
        }
        if (challengePeriod_ > MAX_CHALLENGE_PERIOD) {
            revert ChallengePeriodTooLong(challengePeriod_, MAX_CHALLENGE_PERIOD);
        }
        token = token_;
        challengePeriod = challengePeriod_;
    }

    // ---------------------------------------------------------------- opening and topping up

    /// @inheritdoc IChannelManager
    function createChannel(address receiver, uint256 deposit, address signer)
        external
        nonReentrant
        returns (uint64 openBlock)
    {
        openBlock = _create(msg.sender, receiver, deposit, signer);
        token.safeTransferFrom(msg.sender, address(this), deposit);
    }

    /// @inheritdoc IChannelManager
    function createChannelWithPermit(
        address receiver,
        uint256 deposit,
        address signer,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint64 openBlock) {
        _tryPermit(msg.sender, deposit, deadline, v, r, s);
        openBlock = _create(msg.sender, receiver, deposit, signer);
        token.safeTransferFrom(msg.sender, address(this), deposit);
    }

    /// @inheritdoc IChannelManager
    function openOnBehalf(
        address sender,
        address receiver,
        uint256 deposit,
        address signer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata authorization,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint64 openBlock) {
        if (block.timestamp > deadline) revert OpenAuthorizationExpired(deadline, block.timestamp);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(OPEN_AUTHORIZATION_TYPEHASH, sender, receiver, deposit, signer, nonce, deadline))
        );
        // Plain ECDSA only: the sender's own key must have signed. A contract account (ERC-1271) is refused, so no
        // call into a sender-chosen contract runs at the sponsor's expense.
        address recovered = ECDSA.recoverCalldata(digest, authorization);
        if (recovered != sender) revert InvalidOpenAuthorizationSigner(recovered, sender);
        uint256 expected = openingNonces[sender];
        if (nonce != expected) revert InvalidOpeningNonce(sender, nonce, expected);
        // Counts opens, far below 2^256.
        unchecked {
            openingNonces[sender] = expected + 1;
        }
        _tryPermit(sender, deposit, deadline, v, r, s);
        openBlock = _create(sender, receiver, deposit, signer);
        token.safeTransferFrom(sender, address(this), deposit);
    }

    /// @inheritdoc IChannelManager
    function openByReceiveAuthorization(
        address sender,
        address receiver,
        uint256 deposit,
        address signer,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint64 openBlock) {
        // The token checks it too, with a string; this says which deadline and which time.
        if (block.timestamp >= validBefore) revert OpenAuthorizationExpired(validBefore, block.timestamp);
        openBlock = _create(sender, receiver, deposit, signer);
        // The nonce is computed here, never taken from the caller: a signature over other terms does not verify.
        IERC3009Receive(address(token)).receiveWithAuthorization(
            sender,
            address(this),
            deposit,
            0,
            validBefore,
            keccak256(
                abi.encode(
                    OPEN_TERMS_TYPEHASH, block.chainid, address(this), sender, receiver, deposit, signer, validBefore
                )
            ),
            v,
            r,
            s
        );
    }

    /// @inheritdoc IChannelManager
    function topUp(address receiver, uint64 openBlock, uint256 amount) external nonReentrant {
        _topUp(msg.sender, receiver, openBlock, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IChannelManager
    function topUpWithPermit(
        address receiver,
        uint64 openBlock,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        _tryPermit(msg.sender, amount, deadline, v, r, s);
        _topUp(msg.sender, receiver, openBlock, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice ERC-1363 hook: opens or tops up a channel in the same transaction as the token transfer.
    /// @dev `data` is `abi.encodePacked(receiver)` or `abi.encodePacked(receiver, signer)` to open a channel, and
    /// `abi.encodePacked(receiver, uint64 openBlock)` to top one up. The tokens' owner `from` is the sender.
    function onTransferReceived(address, address from, uint256 value, bytes calldata data)
        external
        nonReentrant
        returns (bytes4)
    {
        if (msg.sender != address(token)) revert UnexpectedToken(msg.sender);
        uint256 length = data.length;
        if (length == 20) {
            _create(from, address(bytes20(data)), value, address(0));
        } else if (length == 40) {
            _create(from, address(bytes20(data[:20])), value, address(bytes20(data[20:])));
        } else if (length == 28) {
            _topUp(from, address(bytes20(data[:20])), uint64(bytes8(data[20:])), value);
        } else {
            revert InvalidTransferData(length);
        }
        return IERC1363Receiver.onTransferReceived.selector;
    }

    // ---------------------------------------------------------------- paying out and closing

    /// @inheritdoc IChannelManager
    function withdraw(address sender, uint64 openBlock, uint256 balance, bytes calldata balanceSignature)
        external
        nonReentrant
    {
        address receiver = msg.sender;
        bytes32 key = getKey(sender, receiver, openBlock);
        Channel storage channel = _channels[key];
        uint256 deposit = channel.deposit;
        if (deposit == 0) revert ChannelNotFound(sender, receiver, openBlock);
        _requireInChallengeWindow(channel.settleBlock);
        if (balance > deposit) revert BalanceExceedsDeposit(balance, deposit);
        uint256 withdrawn = channel.withdrawn;
        if (balance <= withdrawn) revert NothingToWithdraw(balance, withdrawn);
        _checkBalanceProof(sender, receiver, openBlock, balance, channel.signer, balanceSignature);

        // balance <= deposit <= MAX_DEPOSIT, so the cast is exact.
        channel.withdrawn = uint96(balance);
        uint256 amount = balance - withdrawn;
        emit ChannelWithdrawn(sender, receiver, openBlock, amount, balance);
        _pay(receiver, amount);
    }

    /// @inheritdoc IChannelManager
    function batchWithdraw(Withdrawal[] calldata withdrawals) external nonReentrant returns (uint256 amount) {
        address receiver = msg.sender;
        bytes32 domainSeparator = _domainSeparatorV4();
        uint256 count = withdrawals.length;
        for (uint256 i; i < count; ++i) {
            Withdrawal calldata w = withdrawals[i];
            (uint256 taken, bytes4 skipped) = _tryWithdraw(domainSeparator, receiver, w);
            if (skipped != bytes4(0)) emit WithdrawalSkipped(w.sender, receiver, w.openBlock, i, skipped);
            // Each amount is below 2^96 and a calldata array has far fewer than 2^160 entries.
            unchecked {
                amount += taken;
            }
        }
        if (amount != 0) _pay(receiver, amount);
    }

    /// @inheritdoc IChannelManager
    function cooperativeClose(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata balanceSignature,
        bytes calldata closingSignature
    ) external nonReentrant {
        // A channel closed in its opening block could be reopened under the same key in that block, and the old
        // channel's proofs would then be valid on the new one. Closing later makes every key single-use.
        if (openBlock == block.number) revert ClosedInOpeningBlock(openBlock);
        bytes32 key = getKey(sender, receiver, openBlock);
        Channel storage channel = _channels[key];
        uint256 deposit = channel.deposit;
        if (deposit == 0) revert ChannelNotFound(sender, receiver, openBlock);
        _requireInChallengeWindow(channel.settleBlock);
        if (balance > deposit) revert BalanceExceedsDeposit(balance, deposit);

        if (balanceSignature.length != 0 || msg.sender != sender) {
            _checkBalanceProof(sender, receiver, openBlock, balance, channel.signer, balanceSignature);
        }
        if (closingSignature.length != 0 || msg.sender != receiver) {
            address recovered = ECDSA.recoverCalldata(
                _closingAgreementDigest(sender, receiver, openBlock, balance), closingSignature
            );
            if (recovered != receiver) revert InvalidClosingSigner(recovered, receiver);
        }
        _settle(key, sender, receiver, openBlock, balance, deposit, channel.withdrawn);
    }

    /// @inheritdoc IChannelManager
    function uncooperativeClose(address receiver, uint64 openBlock, uint256 balance) external nonReentrant {
        address sender = msg.sender;
        Channel storage channel = _channels[getKey(sender, receiver, openBlock)];
        uint256 deposit = channel.deposit;
        if (deposit == 0) revert ChannelNotFound(sender, receiver, openBlock);
        uint64 pending = channel.settleBlock;
        if (pending != 0) revert ChannelClosing(sender, receiver, openBlock, pending);
        if (balance > deposit) revert BalanceExceedsDeposit(balance, deposit);

        uint64 settleBlock = uint64(block.number) + challengePeriod;
        channel.closingBalance = uint96(balance);
        channel.settleBlock = settleBlock;
        emit ChannelCloseRequested(sender, receiver, openBlock, balance, settleBlock);
    }

    /// @inheritdoc IChannelManager
    function settle(address sender, address receiver, uint64 openBlock) external nonReentrant {
        bytes32 key = getKey(sender, receiver, openBlock);
        Channel storage channel = _channels[key];
        uint256 deposit = channel.deposit;
        if (deposit == 0) revert ChannelNotFound(sender, receiver, openBlock);
        uint64 settleBlock = channel.settleBlock;
        if (settleBlock == 0) revert ChannelNotClosing(sender, receiver, openBlock);
        if (block.number <= settleBlock) revert ChallengePeriodNotOver(settleBlock, block.number);
        _settle(key, sender, receiver, openBlock, channel.closingBalance, deposit, channel.withdrawn);
    }

    /// @inheritdoc IChannelManager
    function claim() external nonReentrant returns (uint256 amount) {
        amount = _credits[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        delete _credits[msg.sender];
        emit CreditClaimed(msg.sender, amount);
        // Unlike a payout, a refusal reverts here: the credit stays for a later claim.
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IChannelManager
    function getChannelInfo(address sender, address receiver, uint64 openBlock)
        external
        view
        returns (
            bytes32 key,
            uint256 deposit,
            uint256 withdrawn,
            uint64 settleBlock,
            uint256 closingBalance,
            address signer
        )
    {
        key = getKey(sender, receiver, openBlock);
        Channel storage channel = _channels[key];
        return (key, channel.deposit, channel.withdrawn, channel.settleBlock, channel.closingBalance, channel.signer);
    }

    /// @inheritdoc IChannelManager
    function claimable(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @notice The storage key of a channel: keccak256(abi.encodePacked(sender, receiver, openBlock)).
    function getKey(address sender, address receiver, uint64 openBlock) public pure returns (bytes32 key) {
        // Hashed in scratch memory rather than with abi.encodePacked, which would grow memory on each call of a batch.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(96, sender))
            mstore(add(ptr, 0x14), shl(96, receiver))
            mstore(add(ptr, 0x28), shl(192, openBlock))
            key := keccak256(ptr, 0x30)
        }
    }

    /// @inheritdoc IChannelManager
    function balanceProofHash(address sender, address receiver, uint64 openBlock, uint256 balance)
        external
        view
        returns (bytes32)
    {
        return _balanceProofDigest(sender, receiver, openBlock, balance);
    }

    /// @inheritdoc IChannelManager
    function closingAgreementHash(address sender, address receiver, uint64 openBlock, uint256 balance)
        external
        view
        returns (bytes32)
    {
        return _closingAgreementDigest(sender, receiver, openBlock, balance);
    }

    /// @inheritdoc IChannelManager
    function extractBalanceProofSignature(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata balanceSignature
    ) external view returns (address) {
        if (balanceSignature.length == DELEGATED_SIGNATURE_LENGTH) {
            _checkDelegatedProof(sender, receiver, openBlock, balance, balanceSignature);
            return sender;
        }
        return ECDSA.recoverCalldata(_balanceProofDigest(sender, receiver, openBlock, balance), balanceSignature);
    }

    /// @inheritdoc IChannelManager
    function extractClosingSignature(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata closingSignature
    ) external view returns (address) {
        return ECDSA.recoverCalldata(_closingAgreementDigest(sender, receiver, openBlock, balance), closingSignature);
    }

    // ---------------------------------------------------------------- internals

    function _create(address sender, address receiver, uint256 deposit, address signer)
        private
        returns (uint64 openBlock)
    {
        if (receiver == address(0) || receiver == sender) revert InvalidReceiver(receiver);
        if (signer == receiver) revert InvalidSigner(signer);
        if (deposit == 0) revert ZeroDeposit();
        if (deposit > MAX_DEPOSIT) revert DepositOverflow(deposit, MAX_DEPOSIT);
        // The sender may always sign; storing it as its own delegate would only cost gas.
        if (signer == sender) signer = address(0);

        openBlock = uint64(block.number);
        Channel storage channel = _channels[getKey(sender, receiver, openBlock)];
        if (channel.deposit != 0) revert ChannelExists(sender, receiver, openBlock);
        channel.deposit = uint96(deposit);
        channel.signer = signer;
        emit ChannelCreated(sender, receiver, openBlock, deposit, signer);
    }

    function _topUp(address sender, address receiver, uint64 openBlock, uint256 amount) private {
        if (amount == 0) revert ZeroDeposit();
        Channel storage channel = _channels[getKey(sender, receiver, openBlock)];
        uint256 deposit = channel.deposit;
        if (deposit == 0) revert ChannelNotFound(sender, receiver, openBlock);
        uint64 settleBlock = channel.settleBlock;
        if (settleBlock != 0) revert ChannelClosing(sender, receiver, openBlock, settleBlock);
        // deposit <= MAX_DEPOSIT, so the subtraction cannot underflow and the check cannot overflow.
        if (amount > MAX_DEPOSIT - deposit) {
            uint256 wouldBe = amount > type(uint256).max - deposit ? type(uint256).max : deposit + amount;
            revert DepositOverflow(wouldBe, MAX_DEPOSIT);
        }
        uint256 newDeposit = deposit + amount;
        channel.deposit = uint96(newDeposit);
        emit ChannelToppedUp(sender, receiver, openBlock, amount, newDeposit);
    }

    /// @dev Pays out and deletes a channel. The receiver's total is never below what it already withdrew, so a
    /// close at a balance under the withdrawn amount still settles (µRaiden's could revert forever).
    function _settle(
        bytes32 key,
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        uint256 deposit,
        uint256 withdrawn
    ) private {
        uint256 receiverTotal = balance > withdrawn ? balance : withdrawn;
        uint256 receiverPayout = receiverTotal - withdrawn;
        uint256 senderRefund = deposit - receiverTotal;
        delete _channels[key];
        emit ChannelSettled(sender, receiver, openBlock, receiverTotal, receiverPayout, senderRefund);
        if (receiverPayout != 0) _pay(receiver, receiverPayout);
        if (senderRefund != 0) _pay(sender, senderRefund);
    }

    /// @dev Transfers `amount` to `to`, or credits it to `to` when the token refuses (reverts, returns false, or a
    /// receive hook of `to` reverts or runs out of gas), so one party's refusal never blocks the other's payout.
    /// A caller cannot starve the transfer of gas to turn an ordinary payout into a credit: the call gets 63/64 of
    /// the gas left, so when the 1/64 kept back still suffices to write the credit (over 22,000 gas) the transfer had
    /// over 1.4 million, far more than any plain ERC-20 transfer uses. Runs last, under the reentrancy guard.
    function _pay(address to, uint256 amount) private {
        if (!token.trySafeTransfer(to, amount)) {
            uint256 credit = _credits[to] + amount;
            _credits[to] = credit;
            emit PayoutDeferred(to, amount, credit);
        }
    }

    /// @dev {withdraw} for one entry of a batch: applies it and returns the amount, or returns the selector of the
    /// error {withdraw} would revert with and changes nothing. The checks are those of {withdraw}, in the same order.
    function _tryWithdraw(bytes32 domainSeparator, address receiver, Withdrawal calldata w)
        private
        returns (uint256 amount, bytes4 skipped)
    {
        address sender = w.sender;
        uint64 openBlock = w.openBlock;
        uint256 balance = w.balance;
        Channel storage channel = _channels[getKey(sender, receiver, openBlock)];
        uint256 deposit = channel.deposit;
        if (deposit == 0) return (0, ChannelNotFound.selector);
        uint64 settleBlock = channel.settleBlock;
        if (settleBlock != 0 && block.number > settleBlock) return (0, ChallengePeriodOver.selector);
        if (balance > deposit) return (0, BalanceExceedsDeposit.selector);
        uint256 withdrawn = channel.withdrawn;
        if (balance <= withdrawn) return (0, NothingToWithdraw.selector);
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            domainSeparator, _balanceProofStructHash(sender, receiver, openBlock, balance)
        );
        (address recovered, ECDSA.RecoverError recoverError,) = ECDSA.tryRecover(digest, w.r, w.vs);
        if (recoverError != ECDSA.RecoverError.NoError) {
            if (recoverError == ECDSA.RecoverError.InvalidSignatureS) return (0, ECDSA.ECDSAInvalidSignatureS.selector);
            return (0, ECDSA.ECDSAInvalidSignature.selector);
        }
        if (recovered != sender && recovered != channel.signer) return (0, InvalidBalanceProofSigner.selector);

        // balance <= deposit <= MAX_DEPOSIT, so the cast is exact.
        channel.withdrawn = uint96(balance);
        amount = balance - withdrawn;
        emit ChannelWithdrawn(sender, receiver, openBlock, amount, balance);
    }

    function _checkBalanceProof(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        address signer,
        bytes calldata signature
    ) private view {
        if (signature.length == DELEGATED_SIGNATURE_LENGTH) {
            _checkDelegatedProof(sender, receiver, openBlock, balance, signature);
            return;
        }
        address recovered =
            ECDSA.recoverCalldata(_balanceProofDigest(sender, receiver, openBlock, balance), signature);
        // ECDSA never returns the zero address, so an unset signer (zero) can never match.
        if (recovered != sender && recovered != signer) {
            revert InvalidBalanceProofSigner(recovered, sender, signer);
        }
    }

    /// @dev A balance proof signed by a key the sender delegated off-chain: `signature` is proof (65 bytes) ‖ signer
    /// (20) ‖ delegation (65), the sender's EIP-712 `SignerDelegation` over this channel and `signer`. The delegation
    /// names the channel and sits in this manager's domain, so it is worthless on any other channel, manager or chain.
    /// As at open, the receiver can never be the delegate: it would sign its own payments.
    function _checkDelegatedProof(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata signature
    ) private view {
        address signer = address(bytes20(signature[65:85]));
        if (signer == receiver) revert InvalidSigner(signer);
        address delegator = ECDSA.recoverCalldata(
            _hashTypedDataV4(keccak256(abi.encode(SIGNER_DELEGATION_TYPEHASH, sender, receiver, openBlock, signer))),
            signature[85:]
        );
        if (delegator != sender) revert InvalidSignerDelegation(delegator, sender);
        address recovered =
            ECDSA.recoverCalldata(_balanceProofDigest(sender, receiver, openBlock, balance), signature[:65]);
        if (recovered != signer) revert InvalidBalanceProofSigner(recovered, sender, signer);
    }

    /// @dev During a challenge period the receiver may still withdraw or close at a higher balance; after it,
    /// only `settle` may end the channel.
    function _requireInChallengeWindow(uint64 settleBlock) private view {
        if (settleBlock != 0 && block.number > settleBlock) revert ChallengePeriodOver(settleBlock, block.number);
    }

    /// @dev Permit failures are ignored on purpose: a permit copied from the mempool and submitted first has
    /// already granted the allowance, and `transferFrom` fails clearly when no allowance exists.
    function _tryPermit(address owner, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        try IERC20Permit(address(token)).permit(owner, address(this), value, deadline, v, r, s) {} catch {}
    }

    function _balanceProofDigest(address sender, address receiver, uint64 openBlock, uint256 balance)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(_balanceProofStructHash(sender, receiver, openBlock, balance));
    }

    /// @dev keccak256(abi.encode(BALANCE_PROOF_TYPEHASH, sender, receiver, openBlock, balance)), hashed in scratch
    /// memory: a batch computes one per entry and would otherwise grow memory on each.
    function _balanceProofStructHash(address sender, address receiver, uint64 openBlock, uint256 amount)
        private
        pure
        returns (bytes32 structHash)
    {
        bytes32 typehash = BALANCE_PROOF_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            mstore(add(ptr, 0x20), and(sender, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x40), and(receiver, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x60), and(openBlock, 0xffffffffffffffff))
            mstore(add(ptr, 0x80), amount)
            structHash := keccak256(ptr, 0xa0)
        }
    }

    function _closingAgreementDigest(address sender, address receiver, uint64 openBlock, uint256 balance)
        private
        view
        returns (bytes32)
    {
        return
            _hashTypedDataV4(keccak256(abi.encode(CLOSING_AGREEMENT_TYPEHASH, sender, receiver, openBlock, balance)));
    }
}
