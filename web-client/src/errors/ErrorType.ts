/**
 * The catch-all that ends every action's error union, as in viem: any other error, by its `name` ("Error" unless
 * given). Narrowing on `error.name` stays exact with it, where a bare `Error` (whose `name` is any string) would
 * match every name. The same type as viem's own `ErrorType`, which viem does not export.
 *
 * @example
 * import type { ErrorType } from "../errors/ErrorType.ts";
 * import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
 * export type GetChannelsErrorType = NotConnectedErrorType | ErrorType;
 */
export type ErrorType<name extends string = "Error"> = Error & { name: name };
