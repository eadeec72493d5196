/** Injected logger, so library code stays quiet in tests and plain in CI logs. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

/** Collects messages; for tests that assert on what was reported. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) };
}
