import { createHash, timingSafeEqual } from "node:crypto";

/** Whether an Authorization header carries the operator's bearer token (compared in constant time). */
export function isOperator(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(authorization.slice("Bearer ".length)), digest(token));
}
