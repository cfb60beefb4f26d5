// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title µRaiden channel manager interface
/// @notice Unidirectional payment channels from many senders to many receivers over one ERC-20 token.
/// A channel is identified by (sender, receiver, openBlock). The sender deposits tokens once and then pays
/// off-chain by signing EIP-712 balance proofs: cumulative amounts the receiver may take from the deposit.
/// @dev Errors and events are declared here once; the implementation only uses them.
interface IChannelManager {
    // ---------------------------------------------------------------- errors

    /// @notice A deposit or top-up of zero tokens.
    error ZeroDeposit();
    /// @notice The channel's total deposit would not fit the contract's amount range (2^96 - 1 base units).
    /// `deposit` is the total the deposit would reach, or 2^256 - 1 when even that does not fit a uint256.
    error DepositOverflow(uint256 deposit, uint256 max);
    /// @notice A channel with this (sender, receiver, openBlock) already exists.
    error ChannelExists(address sender, address receiver, uint64 openBlock);
    /// @notice No channel exists for (sender, receiver, openBlock): never opened, or already settled.
    error ChannelNotFound(address sender, address receiver, uint64 openBlock);
    /// @notice The receiver is the zero address or the sender itself.
    error InvalidReceiver(address receiver);
    /// @notice The delegated signer is the receiver, which would let the receiver sign its own payments.
    error InvalidSigner(address signer);
    /// @notice The channel is in its challenge period (an uncooperative close was requested).
    error ChannelClosing(address sender, address receiver, uint64 openBlock, uint64 settleBlock);
    /// @notice `settle` was called on a channel without a pending uncooperative close.
    error ChannelNotClosing(address sender, address receiver, uint64 openBlock);
    /// @notice `settle` was called before the challenge period ended.
    error ChallengePeriodNotOver(uint64 settleBlock, uint256 currentBlock);
    /// @notice The challenge period is over: only `settle` can end the channel now.
    error ChallengePeriodOver(uint64 settleBlock, uint256 currentBlock);
    /// @notice A channel cannot be closed in the block it was opened (its identity could otherwise be reused).
    error ClosedInOpeningBlock(uint64 openBlock);
    /// @notice The signed balance exceeds the channel's deposit.
    error BalanceExceedsDeposit(uint256 balance, uint256 deposit);
    /// @notice `withdraw` with a balance not above what the receiver already withdrew.
    error NothingToWithdraw(uint256 balance, uint256 withdrawn);
    /// @notice The balance proof was not signed by the channel's sender or its delegated signer.
    error InvalidBalanceProofSigner(address recovered, address sender, address delegatedSigner);
    /// @notice A delegated balance signature (150 bytes) whose `SignerDelegation` was not signed by the channel's
    /// sender (or names another channel, manager or chain, which recovers to another address).
    error InvalidSignerDelegation(address recovered, address sender);
    /// @notice The closing signature was not signed by the channel's receiver.
    error InvalidClosingSigner(address recovered, address receiver);
    /// @notice `onTransferReceived` called by a contract other than the channel token.
    error UnexpectedToken(address token);
    /// @notice ERC-1363 payload of an unknown length (20 or 40 bytes open a channel, 28 bytes top one up).
    error InvalidTransferData(uint256 length);
    /// @notice The challenge period given at deployment is below the minimum.
    error ChallengePeriodTooShort(uint64 challengePeriod, uint64 minimum);
    /// @notice The challenge period given at deployment is above the maximum.
    error ChallengePeriodTooLong(uint64 challengePeriod, uint64 maximum);
    /// @notice `claim` by an account that has no credit.
    error NothingToClaim(address account);
    /// @notice {openOnBehalf} after the authorization's deadline, or {openByReceiveAuthorization} at or after its
    /// `validBefore` (unix seconds).
    error OpenAuthorizationExpired(uint256 deadline, uint256 timestamp);
    /// @notice {openOnBehalf} with an authorization not signed by the sender's own key.
    error InvalidOpenAuthorizationSigner(address recovered, address sender);
    /// @notice {openOnBehalf} with a nonce that is not the sender's next one (used already, or skipping ahead).
    error InvalidOpeningNonce(address sender, uint256 nonce, uint256 expected);

    // ---------------------------------------------------------------- types

    /// @notice One channel's entry in {batchWithdraw}: the arguments of {withdraw}, with the balance proof in its
    /// ERC-2098 compact form (`r`, and `vs` = yParity << 255 | s), which saves calldata. A high-s signature is
    /// refused as everywhere else.
    struct Withdrawal {
        address sender;
        uint64 openBlock;
        uint256 balance;
        bytes32 r;
        bytes32 vs;
    }

    // ---------------------------------------------------------------- events

    /// @notice A channel was opened with `deposit` tokens; `signer` may sign balance proofs besides the sender
    /// (zero when only the sender signs).
    event ChannelCreated(
        address indexed sender, address indexed receiver, uint64 openBlock, uint256 deposit, address signer
    );
    /// @notice `added` tokens were deposited into an open channel, whose deposit is now `deposit`.
    event ChannelToppedUp(
        address indexed sender, address indexed receiver, uint64 openBlock, uint256 added, uint256 deposit
    );
    /// @notice The receiver took `amount` tokens from an open channel; `withdrawn` is its running total.
    event ChannelWithdrawn(
        address indexed sender, address indexed receiver, uint64 openBlock, uint256 amount, uint256 withdrawn
    );
    /// @notice The sender requested an uncooperative close at `balance`; the channel settles after `settleBlock`.
    event ChannelCloseRequested(
        address indexed sender, address indexed receiver, uint64 openBlock, uint256 balance, uint64 settleBlock
    );
    /// @notice The channel ended at `balance`: the receiver was paid `receiverPayout` (on top of what it had
    /// withdrawn) and the sender got `senderRefund` back. A payout the token refused is not lost: it became a
    /// credit, reported by {PayoutDeferred} in the same transaction.
    event ChannelSettled(
        address indexed sender,
        address indexed receiver,
        uint64 openBlock,
        uint256 balance,
        uint256 receiverPayout,
        uint256 senderRefund
    );
    /// @notice {batchWithdraw} skipped its entry number `index`, the channel (sender, receiver, openBlock), without
    /// paying anything for it. `reason` is the selector of the error {withdraw} reverts with for that entry:
    /// `ChannelNotFound`, `ChallengePeriodOver`, `BalanceExceedsDeposit`, `NothingToWithdraw`,
    /// `InvalidBalanceProofSigner`, `ECDSAInvalidSignature` or `ECDSAInvalidSignatureS`.
    event WithdrawalSkipped(
        address indexed sender, address indexed receiver, uint64 openBlock, uint256 index, bytes4 reason
    );
    /// @notice Paying `amount` tokens to `account` failed (the token reverted or returned false, e.g. a blocklist or
    /// a receive hook that reverts), so they were added to the account's claimable credit, now `credit` in total.
    event PayoutDeferred(address indexed account, uint256 amount, uint256 credit);
    /// @notice `account` claimed its whole credit and was paid `amount` tokens.
    event CreditClaimed(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- opening and topping up

    /// @notice Opens a channel from the caller to `receiver`, pulling `deposit` tokens with `transferFrom`
    /// (approve the manager first).
    /// @param signer A delegated key that may sign balance proofs for this channel only; zero for none.
    /// @return openBlock The block the channel was opened in: its identity together with sender and receiver. A
    /// transaction's return value is visible only to a calling contract or a simulation: an externally sent
    /// transaction reads it from the receipt's {ChannelCreated} event (equal to the receipt's block number).
    function createChannel(address receiver, uint256 deposit, address signer) external returns (uint64 openBlock);

    /// @notice Opens a channel in one transaction with an EIP-2612 permit for `deposit` tokens.
    /// @dev A permit that was already used (for instance front-run from the mempool) is ignored as long as the
    /// allowance it granted is still there; so is the permit of a token that has no `permit` (the open then needs
    /// a prior approval, like {createChannel}).
    function createChannelWithPermit(
        address receiver,
        uint256 deposit,
        address signer,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint64 openBlock);

    /// @notice Opens a channel in `sender`'s name from its signatures alone, so that someone else (in practice the
    /// receiver, sponsoring the open) pays the gas. The sender signs an EIP-712 `OpenAuthorization(address sender,
    /// address receiver,uint256 deposit,address signer,uint256 nonce,uint256 deadline)` in this contract's domain, and
    /// an EIP-2612 permit for `deposit` tokens to this contract with the same `deadline` (`v`, `r`, `s`).
    /// @dev The authorization opens exactly one channel to exactly `receiver` with exactly `deposit` and `signer`:
    /// `nonce` must be the sender's next one ({openingNonces}, consumed here: a per-sender counter like EIP-2612's, so a
    /// repeat sponsored open writes no new storage slot), and the block's timestamp must not be past `deadline`. The
    /// signature must be the sender's own ECDSA signature (low s); contract accounts cannot authorize. The permit is
    /// tried and its failure ignored, as in {createChannelWithPermit}: a permit front-run from the mempool leaves the
    /// allowance that the transfer then uses.
    /// @return openBlock The block the channel was opened in (see {createChannel}).
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
    ) external returns (uint64 openBlock);

    /// @notice The nonce `sender`'s next {openOnBehalf} authorization must carry (the number of its sponsored opens).
    function openingNonces(address sender) external view returns (uint256);

    /// @notice Opens a channel in `sender`'s name from one EIP-3009 signature, for tokens that have
    /// `receiveWithAuthorization` (USDC): anyone may submit it — in practice the receiver, sponsoring the open — and
    /// the sender signs nothing else. The sender signs a `ReceiveWithAuthorization` in the token's domain that moves
    /// `deposit` tokens from `sender` to this contract, valid from 0 until `validBefore`, whose 32-byte nonce binds
    /// exactly this open's terms: the EIP-712 struct hash of `OpenTerms(uint256 chainId,address manager,address
    /// sender,address receiver,uint256 deposit,address signer,uint256 validBefore)` with this chain and this contract
    /// (`openTermsNonce` in the web-client's protocol). So the signature opens exactly that channel or nothing: other
    /// terms give another nonce, which the token refuses as an invalid signature; the token marks the nonce used, so
    /// it opens once; and only this contract, the payee, can submit it to the token, so a copy cannot be redirected.
    /// @dev The token's own checks apply and their reasons bubble up unchanged (USDC's are strings: a blocklisted
    /// sender, a paused token, a used nonce, an invalid signature). The sender must be an ECDSA key: the v/r/s form
    /// runs no contract of the sender's choosing at the submitter's expense.
    /// @return openBlock The block the channel was opened in (see {createChannel}).
    function openByReceiveAuthorization(
        address sender,
        address receiver,
        uint256 deposit,
        address signer,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint64 openBlock);

    /// @notice Adds `amount` tokens to the caller's open channel to `receiver`, pulled with `transferFrom`.
    function topUp(address receiver, uint64 openBlock, uint256 amount) external;

    /// @notice Adds `amount` tokens to the caller's open channel in one transaction with an EIP-2612 permit.
    function topUpWithPermit(
        address receiver,
        uint64 openBlock,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    // ---------------------------------------------------------------- paying out and closing

    /// @notice The receiver (the caller) takes what `sender` owes it by `balance`, minus what it already
    /// withdrew, without closing the channel. Allowed until the end of a challenge period.
    /// @param balanceSignature Every function taking a balance signature accepts two forms. 65 bytes: a proof signed
    /// by the sender or the channel's signer registered at open. 150 bytes: a proof signed by a key the sender
    /// delegated off-chain, `proof (65) ‖ signer (20) ‖ delegation (65)`, where the delegation is the sender's EIP-712
    /// `SignerDelegation(address sender,address receiver,uint64 openBlock,address signer)` in this manager's domain
    /// ({InvalidSignerDelegation} when it is not the sender's). {batchWithdraw} takes 65-byte proofs only.
    /// @dev If the token refuses to pay the receiver, the amount is still recorded as withdrawn and becomes the
    /// receiver's credit ({PayoutDeferred}, {claim}).
    function withdraw(address sender, uint64 openBlock, uint256 balance, bytes calldata balanceSignature) external;

    /// @notice The receiver (the caller) withdraws from many of its channels and is paid the total in one token
    /// transfer. Each entry is checked exactly like {withdraw}; an entry {withdraw} would revert on (no such channel,
    /// challenge period over, balance above the deposit, nothing owed, bad signature) is skipped and reported with
    /// {WithdrawalSkipped}, so no sender can make the whole batch fail. Entries are applied in order: a channel listed
    /// twice pays at most its highest balance. Simulate the call first to drop bad entries and save their gas.
    /// @dev Emits {ChannelWithdrawn} for every channel paid, exactly as {withdraw} does. A refused transfer becomes
    /// the receiver's credit, as in {withdraw}. An empty or all-skipped batch succeeds and transfers nothing.
    /// @return amount The tokens withdrawn in total (paid, or credited if the token refused the transfer).
    function batchWithdraw(Withdrawal[] calldata withdrawals) external returns (uint256 amount);

    /// @notice Closes and settles a channel at once at `balance`, agreed by both sides. Anyone may submit it.
    /// Each party is paid independently: a payout the token refuses becomes that party's credit ({claim}) and the
    /// other party is paid all the same.
    /// @param balanceSignature The sender's (or delegated signer's) balance proof; may be empty when the caller
    /// is the sender.
    /// @param closingSignature The receiver's closing signature; may be empty when the caller is the receiver.
    function cooperativeClose(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata balanceSignature,
        bytes calldata closingSignature
    ) external;

    /// @notice The sender (the caller) starts closing its channel without the receiver, claiming `balance` as
    /// final. During the challenge period the receiver can still close cooperatively at a higher signed balance.
    function uncooperativeClose(address receiver, uint64 openBlock, uint256 balance) external;

    /// @notice Pays out a channel whose challenge period is over. Anyone may call it. As in {cooperativeClose}, a
    /// payout the token refuses becomes that party's credit and never blocks the other party's.
    function settle(address sender, address receiver, uint64 openBlock) external;

    /// @notice Pays the caller its whole credit: the payouts the token refused to make to it earlier.
    /// @dev Pays the caller only, never another address: a token's blocklist stays in force (a blocked account is
    /// paid once the token lets it receive again), so the manager is never a way around it, which could get the
    /// manager itself blocked. A transfer the token still refuses reverts and leaves the credit in place.
    /// @return amount The tokens paid.
    function claim() external returns (uint256 amount);

    // ---------------------------------------------------------------- views

    /// @notice The channel's state. When the channel does not exist (never opened, or settled) every field is zero
    /// except `key`, which is computed from the arguments.
    /// @return key The storage key, keccak256(abi.encodePacked(sender, receiver, openBlock)); always set.
    /// @return deposit Tokens deposited in total.
    /// @return withdrawn Tokens the receiver already withdrew.
    /// @return settleBlock Zero while open; after an uncooperative close, the last block of the challenge period.
    /// @return closingBalance The balance claimed by the uncooperative close.
    /// @return signer The delegated signer, or zero.
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
        );

    /// @notice Tokens `account` can {claim}: payouts the token refused to make to it.
    function claimable(address account) external view returns (uint256);

    /// @notice The EIP-712 digest a balance proof signs.
    function balanceProofHash(address sender, address receiver, uint64 openBlock, uint256 balance)
        external
        view
        returns (bytes32);

    /// @notice The EIP-712 digest a closing signature signs.
    function closingAgreementHash(address sender, address receiver, uint64 openBlock, uint256 balance)
        external
        view
        returns (bytes32);

    /// @notice Recovers who signed a balance proof (reverts on a malformed or high-s signature). For a delegated
    /// (150-byte) signature it returns the sender, on whose authority the proof is, after checking that the sender
    /// signed the delegation and the delegated signer the proof; it reverts otherwise.
    function extractBalanceProofSignature(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata balanceSignature
    ) external view returns (address);

    /// @notice Recovers who signed a closing signature (reverts on a malformed or high-s signature).
    function extractClosingSignature(
        address sender,
        address receiver,
        uint64 openBlock,
        uint256 balance,
        bytes calldata closingSignature
    ) external view returns (address);
}
