/**
 * The headers every answer carries, and the two exceptions that embedding needs: the chat frame
 * may be framed by `EMBED_ORIGINS`, the embed script and the policy may be loaded from any page.
 */
import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, frameDirectives } from '../../src/http/security-headers.js';
import { CHAT_FRAME_PATH, EMBED_SCRIPT_PATH } from '../../src/http/static-widget.js';
import { WIDGET_POLICY_PATH } from '../../src/http/widget-policy-route.js';
import { directivesOf } from './csp-directives.js';
import { requestRaw, useApp } from './start-app.js';

const EMBEDDERS = ['https://www.example.no', 'https://shop.example.no:8443'];

describe('with the defaults', () => {
  const app = useApp();

  it('sends a strict CSP and helmet headers, no x-powered-by and no cookie', async () => {
    const response = await fetch(`${app().baseUrl}/`);
    const csp = directivesOf(response.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('require-trusted-types-for')).toBe("'script'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-|\*|https?:|data:/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.has('x-powered-by')).toBe(false);
    expect(response.headers.has('set-cookie')).toBe(false);
  });

  it(`lets only the gateway's own pages frame ${CHAT_FRAME_PATH}; every other directive as strict as the page's but inline avatars`, async () => {
    const [page, frame] = await Promise.all([fetch(`${app().baseUrl}/`), fetch(`${app().baseUrl}${CHAT_FRAME_PATH}`)]);
    const pageCsp = directivesOf(page.headers.get('content-security-policy'));
    const frameCsp = directivesOf(frame.headers.get('content-security-policy'));
    expect(frameCsp.get('frame-ancestors')).toBe("'self'");
    expect(frameCsp.get('img-src')).toBe("'self' data:");
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    for (const csp of [pageCsp, frameCsp]) {
      csp.delete('frame-ancestors');
      csp.delete('img-src');
    }
    expect(frameCsp).toEqual(pageCsp);
  });

  it('reflects nothing from the request into the policy', async () => {
    const answer = await requestRaw(app().port, { path: CHAT_FRAME_PATH, headers: { host: 'evil.example', origin: 'https://evil.example' } });
    expect(directivesOf(String(answer.headers['content-security-policy'])).get('frame-ancestors')).toBe("'self'");
    expect(JSON.stringify(answer.headers)).not.toContain('evil.example');
  });

  it(`lets any page load ${EMBED_SCRIPT_PATH} and ${WIDGET_POLICY_PATH}, and nothing else`, async () => {
    for (const path of [EMBED_SCRIPT_PATH, WIDGET_POLICY_PATH]) {
      const answer = await requestRaw(app().port, { path });
      expect(answer.headers['cross-origin-resource-policy'], path).toBe('cross-origin');
      expect(answer.headers['x-frame-options'], path).toBe('DENY');
      expect(directivesOf(String(answer.headers['content-security-policy'])).get('frame-ancestors'), path).toBe("'none'");
    }
    for (const path of ['/', '/widget.js', '/widget.css', '/healthz', `${CHAT_FRAME_PATH}/x`, '/embed.js.map']) {
      const answer = await requestRaw(app().port, { path });
      expect(answer.headers['cross-origin-resource-policy'], path).toBe('same-origin');
    }
  });

  it('frames no path but the frame page itself: a trailing slash or another case gets the strict policy', async () => {
    for (const path of [`${CHAT_FRAME_PATH}/`, CHAT_FRAME_PATH.toUpperCase(), `${CHAT_FRAME_PATH}.html`, '/index.html']) {
      const answer = await requestRaw(app().port, { path });
      expect(directivesOf(String(answer.headers['content-security-policy'])).get('frame-ancestors'), path).toBe("'none'");
      expect(answer.headers['x-frame-options'], path).toBe('DENY');
    }
  });
});

describe('with EMBED_ORIGINS', () => {
  const app = useApp({ EMBED_ORIGINS: `${EMBEDDERS.join(', ')},https://www.example.no/` });

  it(`lets exactly those origins frame ${CHAT_FRAME_PATH}, and still nobody frame the rest`, async () => {
    const [page, frame] = await Promise.all([fetch(`${app().baseUrl}/`), fetch(`${app().baseUrl}${CHAT_FRAME_PATH}`)]);
    expect(directivesOf(frame.headers.get('content-security-policy')).get('frame-ancestors')).toBe(`'self' ${EMBEDDERS.join(' ')}`);
    expect(directivesOf(page.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('frameDirectives', () => {
  it('changes frame-ancestors and img-src (the host\'s avatar) and nothing else', () => {
    const directives = frameDirectives(EMBEDDERS);
    expect(directives['frame-ancestors']).toEqual(["'self'", ...EMBEDDERS]);
    expect(directives['img-src']).toEqual(["'self'", 'data:', ...EMBEDDERS]);
    expect(Object.keys(directives)).toEqual(Object.keys(CSP_DIRECTIVES));
    for (const [name, values] of Object.entries(CSP_DIRECTIVES)) {
      if (name !== 'frame-ancestors' && name !== 'img-src') expect(directives[name], name).toEqual(values);
    }
  });
});
