// A minimal headless-Chromium driver over the DevTools protocol on a pipe (--remote-debugging-pipe:
// commands on fd 3, replies on fd 4, NUL-delimited JSON), so the browser test needs no npm package.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = (): string | false =>
  existsSync(CHROMIUM)
    ? false
    : `chromium not found at ${CHROMIUM} (Debian package "chromium"; or set CHROMIUM_PATH)`;

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface PageReport {
  /** Console errors, uncaught exceptions and failed loads. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  evaluate<T>(expression: string): Promise<T>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens `url` in headless Chromium and collects errors and requests until the load event. */
export async function openPage(url: string, viewport = { width: 1280, height: 900 }): Promise<PageReport> {
  const profile = mkdtempSync(join(tmpdir(), 'ct-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-extensions',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = '';
  let nextId = 0;
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
      if (waiter && message.id !== undefined) {
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message);
      } else for (const l of listeners) l(message);
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });

  const errors: string[] = [];
  const requests: string[] = [];
  const target = await send('Target.createTarget', { url: 'about:blank' });
  const attached = await send('Target.attachToTarget', { targetId: target.result?.targetId, flatten: true });
  const session = attached.result?.sessionId as string;
  let loaded: () => void = () => {};
  const loadEvent = new Promise<void>((resolve) => (loaded = resolve));
  listeners.push((m) => {
    if (m.sessionId !== session || !m.params) return;
    const p = m.params as Record<string, Record<string, unknown>>;
    if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'assert'))
      errors.push(`console.${m.params.type}: ${JSON.stringify(m.params.args)}`);
    if (m.method === 'Runtime.exceptionThrown')
      errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
    if (m.method === 'Log.entryAdded' && p.entry.level === 'error')
      errors.push(`log: ${String(p.entry.text)} ${String(p.entry.url ?? '')}`);
    if (m.method === 'Network.requestWillBeSent') requests.push(String(p.request.url));
    if (m.method === 'Page.loadEventFired') loaded();
  });
  for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await send(`${domain}.enable`, {}, session);
  await send(
    'Emulation.setDeviceMetricsOverride',
    { ...viewport, deviceScaleFactor: 1, mobile: false },
    session,
  );
  await send('Page.navigate', { url }, session);
  await loadEvent;
  return {
    errors,
    requests,
    async evaluate<T>(expression: string): Promise<T> {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true }, session);
      return (r.result?.result as { value: T }).value;
    },
    async screenshot(): Promise<Buffer> {
      const r = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, session);
      return Buffer.from(r.result?.data as string, 'base64');
    },
    async close(): Promise<void> {
      await send('Browser.close').catch(() => undefined);
      await new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
