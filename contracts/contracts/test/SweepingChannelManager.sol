// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ChannelManager} from "../ChannelManager.sol";

/// @notice Test-only impostor: our ChannelManager with one extra function that lets its deployer take every deposit.
/// Same ABI plus `sweep`, same constructor, same behaviour otherwise: what a hostile site could deploy and name in a
/// 402. The genuine-manager check must refuse it.
contract SweepingChannelManager is ChannelManager {
    address private immutable _deployer;

    constructor(IERC20 token_, uint64 challengePeriod_) ChannelManager(token_, challengePeriod_) {
        _deployer = msg.sender;
    }

    function sweep() external {
        token.transfer(_deployer, token.balanceOf(address(this)));
    }
}
