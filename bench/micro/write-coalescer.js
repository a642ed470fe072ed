/**
 * The frames of one turn (a final reply and a fresh session token, as an answer that changed the
 * chat's state ends) in a socket write each, against one write for the turn
 * (`src/gateway/write-coalescer.ts`). A `ws`
 * server here, a `ws` client in a child process that answers the third frame of each turn with
 * the next message; CPU time is this process's alone, the server's.
 *
 * `npm run build && node --expose-gc bench/micro/write-coalescer.js`
 *
 * @module
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const FRAMES = [
  JSON.stringify({ type: 'reply', id: 'qhzkwmpbtrea', text: 'Dette er det jeg fikk: «Hvorfor er regningen høyere enn vanlig denne gangen?». '.repeat(3), final: true }),
  JSON.stringify({ type: 'session', token: 'x'.repeat(600), resumed: false }),
];

if (process.argv[2] === 'client') {
  const ws = new WebSocket(process.argv[3] ?? '', { perMessageDeflate: false });
  let frames = 0;
  ws.on('message', () => {
    frames += 1;
    if (frames % FRAMES.length === 0) ws.send('next');
  });
  ws.on('close', () => process.exit(0));
} else {
  const { WriteCoalescer } = await loadDistModule('gateway/write-coalescer.js');
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const connected = new Promise((resolve) => wss.once('connection', resolve));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const client = fork(new URL(import.meta.url), ['client', `ws://127.0.0.1:${port}`], { stdio: 'inherit' });
  const ws = /** @type {WebSocket} */ (await connected);
  /** @type {(() => void) | undefined} */
  let answered;
  ws.on('message', () => answered?.());
  const writeCoalescer = new WriteCoalescer();
  /** @param {boolean} hold */
  const turn = (hold) =>
    new Promise((resolve) => {
      answered = () => resolve(1);
      if (hold) writeCoalescer.hold(ws, () => {});
      for (const frame of FRAMES) ws.send(frame);
    });
  await raceInProcess('a reply and a session token in one turn to a ws client in another process, answered', {
    'a write per frame': () => turn(false),
    'one write for the turn': () => turn(true),
  }, { iterations: 5_000 });
  ws.close();
  client.on('exit', () => server.close());
}
