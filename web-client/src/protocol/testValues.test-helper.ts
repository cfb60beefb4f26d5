// Valid protocol values for the codec tests: Hardhat's well-known addresses and a real low-s signature.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { balanceProofTypedData } from "./typedData.ts";

export const sender = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" as const;
export const receiver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
export const contract = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as const;
export const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
export const signature = await privateKeyToAccount(generatePrivateKey()).signTypedData(
  balanceProofTypedData({ chainId: 31337, contract }, { sender, receiver, openBlock: 12n, balance: 5n }),
);

/** An assert.throws matcher: MalformedBodyError about `field`, with the 400 code a receiver answers with. */
export function malformedBody(field: string, reason?: RegExp) {
  return (error: unknown) => {
    if (!(error instanceof MalformedBodyError)) throw new Error(`expected MalformedBodyError, got ${String(error)}`);
    if (error.field !== field) throw new Error(`expected field ${field}, got ${error.field}: ${error.message}`);
    if (error.code !== "malformed_body") throw new Error(`unexpected code ${error.code}`);
    if (reason && !reason.test(error.message)) throw new Error(`unexpected message ${error.message}`);
    return true;
  };
}
