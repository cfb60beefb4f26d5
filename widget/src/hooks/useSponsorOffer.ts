import { decodeSponsorOfferHeader, type SponsorOffer } from "@micro-raiden/web-client/protocol";
import { useQuery } from "@tanstack/react-query";
import { useWidgetContext } from "../provider/WidgetContext.ts";

export type UseSponsorOfferReturnType = {
  /** The receiver's offer; undefined when there is none (or it is malformed). */
  offer: SponsorOffer | undefined;
  /** Still asking: until the answer is in, whether the reader needs a transaction is not known. */
  pending: boolean;
};

/**
 * Whether the receiver sponsors opening a channel to it (the `RDN-Sponsored-Open` header of the resource's 402):
 * the reader then signs only, and needs no ether. Asking costs nothing (an unpaid request is only a 402); a
 * malformed or absent offer is no offer.
 */
export function useSponsorOffer(url: string): UseSponsorOfferReturnType {
  const { client } = useWidgetContext();
  const offer = useQuery({
    queryKey: ["micro-raiden", "sponsor-offer", url],
    enabled: Boolean(client),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: async () => {
      const fetchPage = client?.fetch ?? globalThis.fetch;
      const response = await fetchPage(url, { headers: { accept: "application/json" }, cache: "no-store" });
      if (response.status !== 402) return null;
      try {
        return decodeSponsorOfferHeader(response.headers) ?? null;
      } catch {
        return null;
      }
    },
  });
  return { offer: offer.data ?? undefined, pending: offer.isPending };
}
