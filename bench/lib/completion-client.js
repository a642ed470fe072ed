/**
 * The client side of one streamed Chat Completions request, as the native suite's client and
 * `micro/native-turn.js` make it: `POST` over a keep-alive undici pool, the answer's events read
 * as they come, timed to the first event with content (time to first token) and to the end.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';

const DONE = 'data: [DONE]';

/**
 * One streamed completion: ms to the first event with content, ms to `[DONE]`, and the text.
 * @param {import('undici').Dispatcher} agent
 * @param {string} url the completions URL
 * @param {Record<string, string>} headers
 * @param {string} question
 * @returns {Promise<{ firstMs: number, wholeMs: number, text: string }>}
 */
export async function complete(agent, url, headers, question) {
  const started = performance.now();
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'bench', stream: true, messages: [{ role: 'user', content: question }] }),
  });
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  let firstMs = NaN;
  let text = '';
  let rest = '';
  for await (const chunk of response.body) {
    rest += String(chunk);
    const events = rest.split('\n\n');
    rest = events.pop() ?? '';
    for (const event of events) {
      if (event.startsWith(DONE)) continue;
      const content = JSON.parse(event.slice('data: '.length)).choices?.[0]?.delta?.content ?? '';
      if (content !== '' && Number.isNaN(firstMs)) firstMs = performance.now() - started;
      text += content;
    }
  }
  return { firstMs, wholeMs: performance.now() - started, text };
}

