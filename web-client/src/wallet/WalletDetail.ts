import type { EIP1193Provider } from "viem";

/** A wallet announced through EIP-6963 (or the legacy `window.ethereum`). */
export type WalletDetail = {
  info: { uuid: string; name: string; icon: string; rdns: string };
  provider: EIP1193Provider;
};
