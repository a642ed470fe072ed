/**
 * What the browser tests share: the WebSocket frames a page sends and receives, read from the
 * browser's side; axe-core run inside a page or frame; and a plain HTTP server on another port —
 * another origin — for a customer's page that embeds the chat.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from '../support/browser.js';

/** Starting a browser on a loaded 2-core machine can take long. */
const LAUNCH_TIMEOUT_MS = 90_000;

/** One browser for a test file, and contexts that are closed after each test. */
export interface BrowserUse {
  /** A fresh context (its own storage), with `actionTimeoutMs` for every wait. */
  newContext(options: BrowserContextOptions, actionTimeoutMs: number): Promise<BrowserContext>;
}

/** Launch Chromium before the file's tests, close each test's contexts after it, and the browser at the end. */
export function useBrowser(): BrowserUse {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  }, LAUNCH_TIMEOUT_MS);
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newContext(options, actionTimeoutMs) {
      if (browser === undefined) throw new Error('the browser is launched in beforeAll; use it inside a test');
      const context = await browser.newContext(options);
      context.setDefaultTimeout(actionTimeoutMs);
      contexts.push(context);
      return context;
    },
  };
}

/** Frames as the browser saw them, in order, across every socket the page (and its frames) opened. */
export interface BrowserFrames {
  readonly sent: string[];
  readonly received: string[];
  /** WebSockets opened so far. */
  readonly sockets: number;
}

/** Start recording the page's WebSocket frames (call before it loads). */
export function recordFrames(page: Page): BrowserFrames {
  const record = { sent: [] as string[], received: [] as string[], sockets: 0 };
  page.on('websocket', (socket) => {
    record.sockets += 1;
    socket.on('framesent', (frame) => record.sent.push(String(frame.payload)));
    socket.on('framereceived', (frame) => record.received.push(String(frame.payload)));
  });
  return record;
}

/** The sent frames, parsed, of one type. */
export function sentOfType(frames: BrowserFrames, type: string): Array<Record<string, unknown>> {
  return frames.sent.map((text) => JSON.parse(text) as Record<string, unknown>).filter((frame) => frame.type === type);
}

/** One axe-core finding, as much as a failure message needs. */
export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The findings that fail a test; minor and moderate ones are reported by axe but not judged here. */
const BLOCKING_IMPACTS = ['serious', 'critical'];

/**
 * Run axe-core (WCAG 2.x A and AA, best practices) in `target` and return its serious and
 * critical findings. It is evaluated through the DevTools protocol, which the page's CSP does
 * not govern, so the page is checked under its real policy.
 */
export async function findSeriousViolations(target: Page | Frame): Promise<AxeFinding[]> {
  await target.evaluate(AXE_SOURCE);
  const findings = await target.evaluate(async () => {
    type Result = { passes: unknown[]; violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return {
      passed: result.passes.length,
      violations: result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => JSON.stringify(node.target)),
      })),
    };
  });
  // A run that checked nothing would pass anything.
  if (findings.passed === 0) throw new Error('axe-core ran no check on the page');
  return findings.violations.filter((finding) => BLOCKING_IMPACTS.includes(finding.impact ?? ''));
}

/** A customer's page on its own origin. */
export interface HostPage {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Serve `html` at `/`. */
  setPage(html: string): void;
  close(): Promise<void>;
}

/** A plain HTTP server on a free loopback port: a page of another origin than the gateway's. */
export async function startHostPage(): Promise<HostPage> {
  let page = '<!doctype html><title>Host</title>';
  const server = http.createServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setPage(html) {
      page = html;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The page a web team would write: some content, and the one line that adds the chat. */
export function embeddingPage(gatewayUrl: string, attributes = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Example Bank</title></head>
<body>
  <header><h1>Example Bank</h1></header>
  <main><p>Questions about an invoice? Our assistant can help.</p><p id="secret-probe">page content</p></main>
  <script src="${gatewayUrl}/embed.js" defer ${attributes}></script>
</body>
</html>`;
}
