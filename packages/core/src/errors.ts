import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/**
 * An error caused by the user's input (a bad file, flag or recipe), as opposed to a bug.
 * CLIs print its message as one line and exit 1; `file` names the offending input.
 */
export class InputError extends Error {
  readonly file: string | undefined;
  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'InputError';
    this.file = options.file;
  }
}

/** The message of any thrown value, for logs and per-file failure reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unreadable(path: string, what: string, error: unknown): InputError {
  return new InputError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
    file: path,
    cause: error,
  });
}

/** Reads an input file; a missing or unreadable file is an InputError naming it and what it is. */
export function readInputFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw unreadable(path, what, error);
  }
}

/** Opens an input file for streaming reads, with the same error as readInputFile. */
export async function openInputFile(path: string, what: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw unreadable(path, what, error);
  }
}

/** readInputFile as UTF-8 text. */
export function readInputText(path: string, what: string): string {
  return readInputFile(path, what).toString('utf8');
}
