import type { EIP1193Provider } from "viem";
import type { WalletDetail } from "./WalletDetail.ts";

/** Anything with an EIP-1193 `request` method: what wallets inject. */
export function isProvider(value: unknown): value is EIP1193Provider {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "request") === "function";
}

/** Whether an EIP-6963 announcement's detail is well-formed (any page script can dispatch one). */
export function isWalletDetail(value: unknown): value is WalletDetail {
  if (typeof value !== "object" || value === null) return false;
  const info: unknown = Reflect.get(value, "info");
  return (
    typeof info === "object" &&
    info !== null &&
    typeof Reflect.get(info, "uuid") === "string" &&
    typeof Reflect.get(info, "rdns") === "string" &&
    typeof Reflect.get(info, "name") === "string" &&
    isProvider(Reflect.get(value, "provider"))
  );
}
