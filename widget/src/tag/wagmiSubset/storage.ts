// wagmi's marks in localStorage, under wagmi's own keys and in its format (JSON), so the script tag and a React app
// of the same origin agree on them: the wallet connected last, whether the generic injected wallet was connected, and
// a wallet the reader disconnected in the app (not reconnected on the next page).

const prefix = "wagmi.";

/** wagmi's default storage (localStorage, prefix "wagmi."); a browser that refuses storage keeps no marks. */
export const storage = {
  getItem(key: string): unknown {
    try {
      const value = localStorage.getItem(`${prefix}${key}`);
      return value ? JSON.parse(value) : null;
    } catch {
      return null;
    }
  },
  setItem(key: string, value: unknown): void {
    try {
      localStorage.setItem(`${prefix}${key}`, JSON.stringify(value));
    } catch {}
  },
  removeItem(key: string): void {
    try {
      localStorage.removeItem(`${prefix}${key}`);
    } catch {}
  },
};
