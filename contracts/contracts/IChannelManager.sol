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
    /// @notice The closing signature was not signed by the channel's receiver.
    error InvalidClosingSigner(address recovered, address receiver);
    /// @notice The caller may not perform this operation on the channel.
    error UnauthorizedCaller(address caller);
    /// @notice `onTransferReceived` called by a contract other than the channel token.
    error UnexpectedToken(address token);
    /// @notice ERC-1363 payload of an unknown length (20 or 40 bytes open a channel, 28 bytes top one up).
    error InvalidTransferData(uint256 length);
    /// @notice The challenge period given at deployment is below the minimum.
    error ChallengePeriodTooShort(uint64 challengePeriod, uint64 minimum);

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
    /// withdrawn) and the sender got `senderRefund` back.
    event ChannelSettled(
        address indexed sender,
        address indexed receiver,
        uint64 openBlock,
        uint256 balance,
        uint256 receiverPayout,
        uint256 senderRefund
    );

    // ---------------------------------------------------------------- opening and topping up

    /// @notice Opens a channel from the caller to `receiver`, pulling `deposit` tokens with `transferFrom`
    /// (approve the manager first).
    /// @param signer A delegated key that may sign balance proofs for this channel only; zero for none.
    /// @return openBlock The block the channel was opened in: its identity together with sender and receiver.
    function createChannel(address receiver, uint256 deposit, address signer) external returns (uint64 openBlock);

    /// @notice Opens a channel in one transaction with an EIP-2612 permit for `deposit` tokens.
    /// @dev A permit that was already used (for instance front-run from the mempool) is ignored as long as the
    /// allowance it granted is still there.
    function createChannelWithPermit(
        address receiver,
        uint256 deposit,
        address signer,
        uint256 deadline,
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
    /// withdrew, without closing the channel.
    function withdraw(address sender, uint64 openBlock, uint256 balance, bytes calldata balanceSignature) external;

    /// @notice Closes and settles a channel at once at `balance`, agreed by both sides. Anyone may submit it.
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

    /// @notice Pays out a channel whose challenge period is over. Anyone may call it.
    function settle(address sender, address receiver, uint64 openBlock) external;

    // ---------------------------------------------------------------- views

    /// @notice The channel's state; all zero when it does not exist.
    /// @return key The storage key, keccak256(sender, receiver, openBlock).
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

    /// @notice Recovers who signed a balance proof (reverts on a malformed or high-s signature).
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
