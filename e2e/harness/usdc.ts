// The journeys' token is USDC's own (Circle's FiatToken V2.2 behind its proxy), as on a real site: 6 decimals.
import { parseUnits } from "viem";

export const usdcDecimals = 6;

/** An amount of USDC in base units: `usdc("0.001")` is 1,000. */
export const usdc = (amount: string): bigint => parseUnits(amount, usdcDecimals);
