import { describe, expect, it } from 'vitest';
import { problemsOf } from './config-problems.js';
import { loadConfig } from '../../src/config/load-config.js';

const VENDOR = { VENDOR_URL: 'https://bot.example.no/chat' };


describe('the egress proxy variables', () => {
  it('hand the vendor its proxy; the lower-case name wins, as in curl and undici', () => {
    const vendor = loadConfig({ ...VENDOR, HTTPS_PROXY: 'http://upper.proxy:3128', https_proxy: 'http://lower.proxy:3128', NO_PROXY: '.bank.no' }).vendor;
    expect(vendor).toMatchObject({ proxy: { httpsProxy: 'http://lower.proxy:3128', httpProxy: undefined, noProxy: '.bank.no' } });
    expect(loadConfig({ ...VENDOR, HTTP_PROXY: 'http://p:1', no_proxy: 'a.example', NO_PROXY: 'b.example' }).vendor).toMatchObject({ proxy: { noProxy: 'a.example' } });
  });

  it('an empty proxy is none, and NO_PROXY alone changes nothing', () => {
    expect(loadConfig({ ...VENDOR, HTTPS_PROXY: '', HTTP_PROXY: '' }).vendor).not.toHaveProperty('proxy');
    expect(loadConfig({ ...VENDOR, NO_PROXY: '*' }).vendor).not.toHaveProperty('proxy');
  });

  it('a bad proxy URL is one line that never shows its credentials', () => {
    const problems = problemsOf({ ...VENDOR, HTTPS_PROXY: 'socks5://agent:hunter-two@proxy.bank.no:1080' });
    expect(problems).toEqual(['HTTPS_PROXY: must be an http:// or https:// URL (got "socks5://…@proxy.bank.no:1080")']);
  });

  it('NO_PROXY takes hosts, domains, addresses and ports, and names anything else', () => {
    expect(() => loadConfig({ ...VENDOR, NO_PROXY: 'localhost, 127.0.0.1,.bank.no *.svc.cluster.local,[::1]:8080,rasa:5005' })).not.toThrow();
    expect(problemsOf({ ...VENDOR, NO_PROXY: 'https://bank.no/' })[0]).toMatch(/^NO_PROXY: must be comma-separated host names/);
  });
});
