import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether an Authorization header carries the operator's bearer token (compared in constant time). The scheme's
 * name is case-insensitive (RFC 7235: `bearer`, `BEARER` and `Bearer` are the same).
 */
export function isOperator(authorization: string | undefined, token: string | undefined): boolean {
  const match = authorization && /^bearer (\S+)$/i.exec(authorization);
  if (!token || !match?.[1]) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
