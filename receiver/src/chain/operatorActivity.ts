/** One line of what the operator's commands did: a transaction sent or mined. */
export type OperatorActivity = { at: number; message: string };

/** Lines kept: enough for the transactions of a few commands (a batch withdraw sends one per 100 channels). */
const keptLines = 50;

/**
 * The latest lines the operator's commands logged, newest last, kept in memory for the dashboard to follow a
 * command's transactions while it runs (they are logged as they happen; the command answers when all are mined).
 */
export function createOperatorActivity(now: () => number = Date.now) {
  const lines: OperatorActivity[] = [];
  return {
    record(message: string): void {
      lines.push({ at: now(), message });
      if (lines.length > keptLines) lines.splice(0, lines.length - keptLines);
    },
    recent: (): OperatorActivity[] => [...lines],
  };
}
