// What the test receiver is configured with, for tests that show or rely on it.
/** Blocks the test receiver waits for before a channel counts: more than one, so the progress shows. */
export const testConfirmations = 2;

/** The smallest deposit the test receiver sponsors an open for (0.5 TKN). */
export const testSponsorMinDeposit = 5n * 10n ** 17n;
