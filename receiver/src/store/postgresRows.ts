import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";
import { type ChainEvent, isChannelEventName, type ProofRecord } from "./records.ts";

// Rows come back from the database as whatever its columns hold; these turn them into our types and fail loudly on
// anything unexpected (a database edited by hand, or written by a newer version).

type Row = Record<string, unknown>;

function corrupt(column: string, what: string): Error {
  return new Error(`Corrupt proof store: ${column} is not ${what}.`);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw corrupt(column, "text");
  return value;
}

export function optionalText(row: Row, column: string): string | undefined {
  return row[column] === null || row[column] === undefined ? undefined : text(row, column);
}

export function hex(row: Row, column: string): Hex {
  const value = text(row, column);
  if (!isHex(value)) throw corrupt(column, "hex");
  return value;
}

export function address(row: Row, column: string): Address {
  const value = text(row, column);
  if (!isAddress(value, { strict: false })) throw corrupt(column, "an address");
  return getAddress(value);
}

export function flag(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value !== "boolean") throw corrupt(column, "a boolean");
  return value;
}

/** A BIGINT column (read as bigint: the store's connection parses int8 so). */
export function integer(row: Row, column: string): bigint {
  const value = row[column];
  if (typeof value !== "bigint") throw corrupt(column, "an integer");
  return value;
}

/** A NUMERIC(78) amount: PostgreSQL sends its exact decimal text, which never passes through a float. */
export function amount(row: Row, column: string): bigint {
  return decimal(row[column], column);
}

function decimal(value: unknown, column: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(value)) throw corrupt(column, "a whole amount");
  return BigInt(value);
}

export function proofFromRow(row: Row): ProofRecord {
  const committedAt = Number(integer(row, "committed_at"));
  if (!Number.isSafeInteger(committedAt)) throw corrupt("committed_at", "a time");
  return {
    sender: address(row, "sender"),
    openBlock: integer(row, "open_block"),
    balance: amount(row, "balance"),
    signature: hex(row, "signature"),
    request: text(row, "request"),
    committedAt,
  };
}

export function eventFromRow(row: Row): ChainEvent {
  const name = text(row, "name");
  if (!isChannelEventName(name)) throw corrupt("name", "a channel event");
  const stored = row.amounts;
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) throw corrupt("amounts", "an object");
  const amounts: Record<string, bigint> = {};
  for (const [key, value] of Object.entries(stored)) amounts[key] = decimal(value, `amounts.${key}`);
  const logIndex = row.log_index;
  if (typeof logIndex !== "number" || !Number.isSafeInteger(logIndex)) throw corrupt("log_index", "an integer");
  const signer = optionalText(row, "signer");
  if (signer !== undefined && !isAddress(signer, { strict: false })) throw corrupt("signer", "an address");
  return {
    blockNumber: integer(row, "block_number"),
    logIndex,
    blockHash: hex(row, "block_hash"),
    transactionHash: hex(row, "transaction_hash"),
    name,
    sender: address(row, "sender"),
    openBlock: integer(row, "open_block"),
    amounts,
    signer: signer === undefined ? undefined : getAddress(signer),
    settleBlock: row.settle_block === null ? undefined : integer(row, "settle_block"),
  };
}
