/**
 * Turns of the event loop during long synchronous work (formatting, fitting and drawing a
 * chart), so that a signal handler runs promptly. Its own module: the formatters and the chart
 * code both use it, and neither imports the other.
 */

/** Synchronous work holds the event loop for at most about this long between turns. */
const TURN_MS = 20;
let lastTurn = 0;

/**
 * Lets the event loop run (a signal handler, pending I/O) when synchronous work has held it for
 * a while: long formatting and computing stop promptly on Ctrl-C. Cheap when called often.
 */
export async function breathe(): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < TURN_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
