/**
 * Turns of the event loop during long synchronous work (formatting, fitting and drawing a
 * chart, writing many rows), so that a signal handler runs promptly. Its own module: the
 * formatters, the chart code and the output sink all use it, and none imports the others.
 */

/** Synchronous work holds the event loop for at most about this long between turns. */
const TURN_MS = 20;

/**
 * A monotonic clock in milliseconds. (Not `performance.now()`: its first use loads Node's
 * performance modules, 4 million instructions, a twentieth of a bare start.)
 */
export const now = (): number => process.uptime() * 1000;

/** The first turn comes TURN_MS after start-up: a short command never waits for one. */
let lastTurn = now();

/**
 * Lets the event loop run (a signal handler, pending I/O) when synchronous work has held it for
 * a while: long formatting and computing stop promptly on Ctrl-C. Cheap when called often.
 */
export async function breathe(): Promise<void> {
  if (now() - lastTurn < TURN_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastTurn = now();
}
