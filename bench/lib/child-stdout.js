/**
 * A child Node process's whole stdout, for micro-benchmarks that run each build in a fresh
 * process (`micro/engine-processes.js`, `micro/stream-chunks.js`).
 *
 * @module
 */
import { spawn } from 'node:child_process';

/**
 * Run `node` with `args` (stderr passed through) and resolve with its stdout, trimmed, once it
 * exits with 0.
 * @param {string} node
 * @param {readonly string[]} args
 * @returns {Promise<string>}
 */
export function readChildStdout(node, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text.trim()) : reject(new Error(`child exit ${code}`))));
  });
}
