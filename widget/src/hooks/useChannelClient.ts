import type { ChannelClient } from "@micro-raiden/web-client";
import { useWidgetContext } from "../provider/WidgetContext.ts";

/**
 * The web-client's channel client over the connected wallet (IndexedDB storage, Web Locks), or undefined while no
 * wallet is connected. Pass it to any web-client action.
 *
 * @example
 * import { useChannelClient } from "@micro-raiden/widget";
 * const client = useChannelClient();
 */
export function useChannelClient(): ChannelClient | undefined {
  return useWidgetContext().client;
}
