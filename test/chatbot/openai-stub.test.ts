/**
 * The OpenAI stub is driven by OpenAI's own client (`openai` on npm, its retries off): whatever
 * the stub sends, the official client reads the same way the adapter must — every flavor's
 * stream, the usage chunk, the error classes, codes and headers, an error inside the stream.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FLAVORS,
  OPENAI_ERRORS,
  STUB_MODEL,
  completionChunks,
  completionReply,
  eventStream,
  startOpenAiStub,
  type OpenAiStub,
} from '../support/openai-stub.js';

const API_KEY = 'sk-test-Zq8Ww';
let stub: OpenAiStub;
let client: OpenAI;

beforeAll(async () => {
  stub = await startOpenAiStub({ apiKey: API_KEY });
  client = new OpenAI({ apiKey: API_KEY, baseURL: stub.baseUrl, maxRetries: 0, timeout: 5_000 });
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
});

const messages = [{ role: 'user' as const, content: 'hei' }];

/** The content of every chunk of a stream, and the chunks themselves. */
async function readStream(options: { includeUsage?: boolean } = {}): Promise<{ text: string; chunks: OpenAI.ChatCompletionChunk[] }> {
  const stream = await client.chat.completions.create({
    model: STUB_MODEL,
    messages,
    stream: true,
    ...(options.includeUsage === true && { stream_options: { include_usage: true } }),
  });
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { text: chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), chunks };
}

/** The error the official client throws for the next request. */
async function clientError(): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await readStream();
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('the request did not fail');
}

describe('the OpenAI stub, read by the official openai client', () => {
  it('answers a streamed request with the echo, and the request is what the client sent', async () => {
    const { text, chunks } = await readStream();
    expect(text).toBe('Du skrev: hei');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const [request] = stub.completionRequests();
    expect(request).toMatchObject({ model: STUB_MODEL, messages, stream: true });
    expect(request!.raw.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it.each(FLAVORS)('reads a %s stream, with a usage chunk and keep-alives, to the same text', async (flavor) => {
    stub.vendor.script(completionReply(['Kort ', 'svar', '.'], { flavor, usage: true, keepAlive: true }));
    const { text, chunks } = await readStream({ includeUsage: true });
    expect(text).toBe('Kort svar.');
    expect(chunks.some((chunk) => chunk.usage?.total_tokens !== undefined)).toBe(true);
  });

  it('reads data lines without a space and CRLF line ends', async () => {
    stub.vendor.script(completionReply(['a', 'b'], { compact: true }));
    expect((await readStream()).text).toBe('ab');
  });

  it('answers a request without stream with one chat.completion', async () => {
    const completion = await client.chat.completions.create({ model: STUB_MODEL, messages });
    expect(completion.choices[0]?.message.content).toBe('Du skrev: hei');
  });

  it('refuses a wrong key with 401 invalid_api_key, as OpenAI does', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: stub.baseUrl, maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: STUB_MODEL, messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key');
  });

  it('refuses an unknown model with 404 model_not_found', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-nonexistent', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found');
  });

  it('sends each scripted error as the error class, status, code and headers OpenAI uses', async () => {
    const cases = [
      [OPENAI_ERRORS.rateLimited({ 'retry-after': '2', 'retry-after-ms': '1500' }), OpenAI.RateLimitError, 429, 'rate_limit_exceeded'],
      [OPENAI_ERRORS.quota(), OpenAI.RateLimitError, 429, 'insufficient_quota'],
      [OPENAI_ERRORS.contextLength(), OpenAI.BadRequestError, 400, 'context_length_exceeded'],
      [OPENAI_ERRORS.server(), OpenAI.InternalServerError, 500, null],
      [OPENAI_ERRORS.overloaded(), OpenAI.InternalServerError, 503, null],
    ] as const;
    for (const [reply, errorClass, status, code] of cases) {
      stub.vendor.script(reply);
      const error = await clientError();
      expect(error).toBeInstanceOf(errorClass);
      expect([error.status, error.code ?? null]).toEqual([status, code]);
      expect(error.requestID).toMatch(/^req_/);
    }
    stub.vendor.script(OPENAI_ERRORS.rateLimited({ 'retry-after-ms': '1500' }));
    expect((await clientError()).headers?.get('retry-after-ms')).toBe('1500');
  });

  it('fails the stream on an error event in the middle, as vLLM and LiteLLM send it', async () => {
    const chunks = [...completionChunks(['Halv'], { flavor: 'vllm', finishReason: null }).slice(0, 2)];
    chunks.push({ error: { object: 'error', message: 'The engine died.', type: 'InternalServerError', param: null, code: 500 } });
    stub.vendor.script({ kind: 'sse', chunks: [eventStream(chunks)] });
    const error = await clientError();
    expect(error.message).toContain('The engine died.');
  });
});
