import { describe, expect, it } from 'vitest';
import { BOOST_CONFIG } from '../../src/chatbot/boost.js';
import { DIRECT_LINE_CONFIG } from '../../src/chatbot/directline-api.js';
import { OPENAI_CONFIG } from '../../src/chatbot/openai.js';
import { RASA_CONFIG } from '../../src/chatbot/rasa.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

describe('the vendor section', () => {
  it('takes each kind’s default address and hints from its adapter', () => {
    expect(loadConfig({ VENDOR_KIND: 'openai', VENDOR_MODEL: 'm' }).vendor).toMatchObject({ url: OPENAI_CONFIG.defaultUrl });
    expect(loadConfig({ VENDOR_KIND: 'directline', VENDOR_TOKEN: 's' }).vendor).toMatchObject({ url: DIRECT_LINE_CONFIG.defaultUrl });
    expect(problemsOf({ VENDOR_KIND: 'boost' })).toEqual([`VENDOR_URL: must be set when VENDOR_KIND is boost (${BOOST_CONFIG.urlHint})`]);
    expect(problemsOf({ VENDOR_KIND: 'rasa' })).toEqual([`VENDOR_URL: must be set when VENDOR_KIND is rasa (${RASA_CONFIG.urlHint})`]);
    expect(problemsOf({ VENDOR_KIND: 'openai' })).toEqual([`VENDOR_MODEL: must be set when VENDOR_KIND is openai (${OPENAI_CONFIG.modelHint})`]);
    expect(problemsOf({ VENDOR_KIND: 'directline' })).toEqual([`VENDOR_TOKEN: must be set when VENDOR_KIND is directline (${DIRECT_LINE_CONFIG.tokenHint})`]);
  });

  it('hands each kind what it needs and nothing else', () => {
    const env = { VENDOR_URL: 'http://rasa:5005', VENDOR_TOKEN: 't', VENDOR_MODEL: 'unused', VENDOR_TIMEOUT_MS: '500' };
    expect(loadConfig({ ...env, VENDOR_KIND: 'rasa' }).vendor).toEqual({ kind: 'rasa', url: 'http://rasa:5005', token: 't', timeoutMs: 500 });
    expect(loadConfig({ ...env, VENDOR_KIND: 'openai' }).vendor).toEqual({
      kind: 'openai',
      url: 'http://rasa:5005',
      token: 't',
      timeoutMs: 500,
      model: 'unused',
      systemPrompt: undefined,
      historyMessages: 20,
    });
  });

  it('checks a bad value of a variable the kind does not use all the same', () => {
    expect(problemsOf({ VENDOR_KIND: 'rasa', VENDOR_URL: 'http://rasa:5005', VENDOR_MODEL: 'has space' })).toEqual([
      'VENDOR_MODEL: must be a model name: printable ASCII without spaces (got "has space")',
    ]);
  });
});
