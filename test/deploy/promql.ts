/**
 * Reads PromQL with the Prometheus project's own grammar (`@prometheus-io/lezer-promql`, the
 * parser of Prometheus' web UI), for the tests that check the dashboard's queries and the alert
 * rules' expressions: whether an expression parses, and which metrics it reads.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/** One metric an expression reads. */
export interface MetricUse {
  name: string;
  /** Read through rate(), irate() or increase(): the way to read a counter. */
  rated: boolean;
}

/** What an expression reads, and where it does not parse. */
export interface ParsedQuery {
  uses: MetricUse[];
  /** One line per place the grammar rejects, with the text around it. */
  errors: string[];
}

/** Functions that turn a counter's range into a per-second rate or an increase. */
const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);
const ERROR_CONTEXT_CHARS = 12;

/** What a Grafana dashboard's variables stand for when a query runs outside Grafana. */
export interface DashboardVariables {
  /** `$namespace`, `${namespace}`: a regular expression, as Grafana writes a multi-value pick. */
  namespace: string;
  pod: string;
  /** `$__rate_interval`: a PromQL duration. */
  rateInterval: string;
}

/** Values that make any dashboard query a valid PromQL expression, for parsing alone. */
export const PARSE_VARIABLES: DashboardVariables = { namespace: '.*', pod: '.*', rateInterval: '5m' };

/** A dashboard query with Grafana's variables replaced by `values`, ready for Prometheus. */
export function substituteVariables(expr: string, values: DashboardVariables): string {
  return expr
    .replace(/\$__rate_interval\b|\$\{__rate_interval\}/g, values.rateInterval)
    .replace(/\$namespace\b|\$\{namespace\}/g, values.namespace)
    .replace(/\$pod\b|\$\{pod\}/g, values.pod);
}

/** The FunctionCall a matrix selector is the argument of, if any (through `offset`). */
function enclosingFunction(selector: SyntaxNode): string | undefined {
  let node: SyntaxNode | null = selector.parent;
  while (node !== null && node.type.name === 'OffsetExpr') node = node.parent;
  if (node?.type.name !== 'MatrixSelector') return undefined;
  node = node.parent;
  while (node !== null && (node.type.name === 'OffsetExpr' || node.type.name === 'ParenExpr')) node = node.parent;
  if (node?.type.name !== 'FunctionCallBody') return undefined;
  const identifier = node.parent?.getChild('FunctionIdentifier');
  return identifier === null || identifier === undefined ? undefined : identifier.firstChild?.type.name.toLowerCase();
}

/**
 * Parse `expr` and list the metrics its selectors name. A selector without a metric name
 * (`{__name__=~"…"}`) is reported as an error: a test cannot tell what it reads.
 *
 * @example
 * parsePromql('sum(rate(a_total[5m])) / b').uses; // [{ name: 'a_total', rated: true }, { name: 'b', rated: false }]
 */
export function parsePromql(expr: string): ParsedQuery {
  const uses: MetricUse[] = [];
  const errors: string[] = [];
  const around = (from: number): string =>
    JSON.stringify(expr.slice(Math.max(0, from - ERROR_CONTEXT_CHARS), from + ERROR_CONTEXT_CHARS));
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`does not parse at ${node.from}: ${around(node.from)}`);
      if (node.type.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (identifier === null) {
        errors.push(`a selector without a metric name at ${node.from}: ${around(node.from)}`);
        return;
      }
      const name = expr.slice(identifier.from, identifier.to);
      uses.push({ name, rated: RATE_FUNCTIONS.has(enclosingFunction(node.node) ?? '') });
    },
  });
  return { uses, errors };
}
