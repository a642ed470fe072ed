import { describe, expect, it } from 'vitest';
import { PARSE_VARIABLES, parsePromql, substituteVariables } from './promql.js';

describe('parsePromql', () => {
  it('names the metrics of every selector, and which of them are taken as a rate', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, pod) (rate(a_seconds_bucket{job="x{y}", pod=~"b_total"}[5m]))) ' +
      '/ on (pod) group_left b_bytes offset 1h > 1e-3 or vector(0) and increase(c_total[1h] offset 10m) ' +
      'unless irate((d_total)[5m:1m]) and changes(e_seconds[30m]) and absent(up{job="x"} == 1)';
    expect(parsePromql(expr)).toEqual({
      uses: [
        { name: 'a_seconds_bucket', rated: true },
        { name: 'b_bytes', rated: false },
        { name: 'c_total', rated: true },
        { name: 'd_total', rated: false },
        { name: 'e_seconds', rated: false },
        { name: 'up', rated: false },
      ],
      errors: [],
    });
  });

  it('reports where an expression does not parse', () => {
    for (const expr of ['sum(rate(a_total[5m])', 'a_total >', 'rate(a_total[5 m])', 'sum by (le (a)', 'a_total{job="x}']) {
      expect(parsePromql(expr).errors, expr).not.toEqual([]);
    }
    expect(parsePromql('a_total{job="x"} > 2').errors).toEqual([]);
  });

  it('refuses a selector without a metric name, since no one can tell what it reads', () => {
    expect(parsePromql('{__name__=~"chat_.*"}').errors).toEqual(['a selector without a metric name at 0: "{__name__=~\\""']);
  });
});

describe('substituteVariables', () => {
  it("replaces Grafana's variables in both spellings, and nothing else", () => {
    const expr = 'rate(x{namespace=~"$namespace", pod=~"${pod}", podx="$podx"}[$__rate_interval]) offset ${__rate_interval}';
    expect(substituteVariables(expr, { namespace: 'shop', pod: '(a|b)', rateInterval: '10s' })).toBe(
      'rate(x{namespace=~"shop", pod=~"(a|b)", podx="$podx"}[10s]) offset 10s',
    );
  });

  it('turns a dashboard query into PromQL that parses', () => {
    const expr = 'sum(rate(x_total{namespace=~"$namespace", pod=~"$pod"}[$__rate_interval]))';
    expect(parsePromql(expr).errors).not.toEqual([]);
    expect(parsePromql(substituteVariables(expr, PARSE_VARIABLES)).errors).toEqual([]);
  });
});
