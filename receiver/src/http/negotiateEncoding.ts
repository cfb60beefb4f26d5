/** Smaller first: on equal q-values the client gets the smaller body. */
const preference = ["br", "gzip"] as const;

/** The content codings the receiver serves its browser files in. */
export type ContentCoding = CompressedCoding | "identity";
export type CompressedCoding = "br" | "gzip";

/**
 * The coding to send for a request's `Accept-Encoding` (RFC 9110 §12.5.3), among the compressed ones `available` has:
 * the highest q-value wins, ties go to the smaller (br before gzip), `*` stands for any coding not named, `q=0` refuses
 * one. Without the header, or when nothing offered is accepted, the file goes out as it is (identity): every client
 * can read that, and a 406 for a script tag would only break the page. Identity the client did not name is the last
 * choice; named with a higher q than any compression, it wins.
 *
 * @example
 * negotiateEncoding("gzip, deflate, br;q=0.9", { br: brotliBytes, gzip: gzipBytes }); // "gzip"
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  available: Partial<Record<CompressedCoding, unknown>>,
): ContentCoding {
  if (!acceptEncoding) return "identity";
  const weights = new Map<string, number>();
  for (const entry of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = entry.split(";").map((part) => part.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^q\s*=\s*([0-9.]+)$/.exec(parameter);
      if (match) q = Number(match[1]);
    }
    // A q-value that does not parse says nothing we can trust: skip the entry rather than guess.
    if (!Number.isFinite(q) || q < 0 || q > 1) continue;
    // RFC 9110: x-gzip is an alias of gzip.
    weights.set(name === "x-gzip" ? "gzip" : name, q);
  }
  const wildcard = weights.get("*");
  let best: ContentCoding = "identity";
  let bestQ = 0;
  for (const coding of preference) {
    if (available[coding] === undefined) continue;
    const q = weights.get(coding) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  const identityQ = weights.get("identity");
  if (identityQ !== undefined && identityQ > bestQ) return "identity";
  return best;
}
