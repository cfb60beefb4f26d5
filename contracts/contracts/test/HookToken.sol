// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice What a {HookToken} calls on a recipient that registered for it.
interface ITokenRecipient {
    function tokensReceived(address from, uint256 amount) external;
}

/// @notice Test-only token that calls a receive hook on recipients that registered one, the way ERC-777 tokens (and
/// some ERC-20s with hooks) do: a recipient whose hook reverts cannot be paid.
contract HookToken is ERC20 {
    mapping(address account => bool) public hasHook;

    constructor() ERC20("Hook", "HK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The caller asks to be called on every receipt.
    function registerHook() external {
        hasHook[msg.sender] = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hasHook[to]) ITokenRecipient(to).tokensReceived(from, value);
    }
}

/// @notice Test-only contract account that refuses tokens from a {HookToken} on demand (reverting, or burning all
/// the gas it is given), and otherwise acts as a channel party through {execute}.
contract RefusingRecipient is ITokenRecipient {
    enum Mode {
        Accept,
        Revert,
        BurnGas
    }

    /// @notice The hook refused a payment.
    error PaymentRefused(address from, uint256 amount);

    Mode public mode;

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function register(HookToken token) external {
        token.registerHook();
    }

    /// @notice Calls `target` with `data` as this contract, bubbling a revert.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    function tokensReceived(address from, uint256 amount) external view {
        if (mode == Mode.Revert) revert PaymentRefused(from, amount);
        if (mode == Mode.BurnGas) {
            while (true) {}
        }
    }
}
