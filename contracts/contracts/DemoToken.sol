// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC1363} from "@openzeppelin/contracts/token/ERC20/extensions/ERC1363.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Demo token for µRaiden channels
/// @notice An 18-decimal ERC-20 with EIP-2612 permit (one-transaction channel opens) and ERC-1363
/// `transferAndCall` (open or top up with the transfer itself).
/// @dev Anyone may mint on local and public test networks, so a demo reader can fund itself; elsewhere only the
/// owner (the deployer) can.
contract DemoToken is ERC20, ERC20Permit, ERC1363, Ownable {
    /// @notice `caller` may not mint on chain `chainId`.
    error MintNotAllowed(address caller, uint256 chainId);

    constructor(string memory name_, string memory symbol_, address owner_)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
        Ownable(owner_)
    {}

    /// @notice Creates `amount` tokens for `to`. Open to anyone on test networks, owner-only elsewhere.
    function mint(address to, uint256 amount) external {
        if (!isTestNetwork() && msg.sender != owner()) revert MintNotAllowed(msg.sender, block.chainid);
        _mint(to, amount);
    }

    /// @notice Whether this chain is one where minting is open: Hardhat (31337), a dev node (1337), Sepolia,
    /// Holesky or Hoodi.
    function isTestNetwork() public view returns (bool) {
        uint256 id = block.chainid;
        return id == 31337 || id == 1337 || id == 11155111 || id == 17000 || id == 560048;
    }
}
