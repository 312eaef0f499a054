/** Delay before reconnect attempt n (0-based): 1 s, 2 s, 4 s, 8 s, then 15 s, with ±20% jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.min(attempt, 4));
  return Math.round(base * (0.8 + 0.4 * random()));
}
