/** Blocks the test receiver waits for before a channel counts: more than one, so the progress shows. */
export const testConfirmations = 2;
