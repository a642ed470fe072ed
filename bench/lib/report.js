/**
 * Result rows, and the three ways they are shown: a Markdown file, a JSON file, a console table.
 *
 * A row is one figure of one variant. A compared row carries its baseline's figure from the same
 * run and the ratio between them; a baseline row carries neither.
 *
 * @module
 */
import { isUnderLoad } from './machine.js';

/**
 * @typedef {object} Target
 * @property {'>=' | '>' | '<=' | '<' | '=='} op applied as `ratio op value` (or `value op value`
 *   when the row has no baseline)
 * @property {number} value
 */

/**
 * @typedef {object} Row
 * @property {string} benchmark
 * @property {string} variant
 * @property {number} value
 * @property {string} unit
 * @property {string[]} details further figures, already formatted
 * @property {number | null} cpuValue the figure on CPU time instead of wall time, where it applies
 * @property {{ variant: string, value: number, cpuValue?: number | null } | null} baseline
 * @property {number | null} ratio `value / baseline.value`: the ratio the target applies to
 * @property {number | null} cpuRatio `cpuValue / baseline.cpuValue`: steadier on a busy machine
 * @property {Target | null} target
 * @property {boolean | null} met
 * @property {boolean} isBaseline other rows are compared with this one
 * @property {number[]} samples the figure from each fresh process (or run)
 * @property {string | undefined} note
 */

/**
 * @typedef {object} SuiteResult
 * @property {string} id
 * @property {string} title
 * @property {string[]} description what was measured, on what input
 * @property {Row[]} rows
 * @property {string[]} notes
 * @property {{ otherCores: number | null, loadAverage: number[] }} load while it ran
 * @property {number} seconds how long it ran
 * @property {{ version: string, v8: string }} [node] the Node it ran on
 */

/** @type {Record<Target['op'], (a: number, b: number) => boolean>} */
const COMPARE = {
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '==': (a, b) => a === b,
};

/**
 * @param {object} figure
 * @param {string} figure.benchmark
 * @param {string} figure.variant
 * @param {number} figure.value
 * @param {string} figure.unit
 * @param {string[]} [figure.details]
 * @param {number | null} [figure.cpuValue]
 * @param {number[]} [figure.samples]
 * @param {{ variant: string, value: number, cpuValue?: number | null }} [figure.baseline]
 * @param {Target} [figure.target]
 * @param {boolean} [figure.isBaseline]
 * @param {string} [figure.note]
 * @returns {Row}
 */
export function makeRow({
  benchmark,
  variant,
  value,
  unit,
  details = [],
  cpuValue = null,
  samples = [value],
  baseline,
  target,
  isBaseline = false,
  note,
}) {
  const ratio = baseline === undefined ? null : value / baseline.value;
  const cpuRatio = cpuValue === null || !baseline?.cpuValue ? null : cpuValue / baseline.cpuValue;
  const compared = ratio ?? value;
  const met = target === undefined || !Number.isFinite(compared) ? null : COMPARE[target.op](compared, target.value);
  return {
    benchmark,
    variant,
    value,
    unit,
    details,
    cpuValue,
    baseline: baseline === undefined ? null : { variant: baseline.variant, value: baseline.value, cpuValue: baseline.cpuValue ?? null },
    ratio,
    cpuRatio,
    target: target ?? null,
    met,
    isBaseline,
    samples,
    note,
  };
}

/** @param {number} value @returns {string} three significant figures, or a whole number */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** @param {Target} target @param {boolean} isRatio */
const formatTarget = (target, isRatio) =>
  `${target.op.replace('>=', '≥').replace('<=', '≤')} ${formatNumber(target.value)}${isRatio ? '×' : ''}`;

/** @param {Row} row @returns {string[]} the cells of the row */
function cells(row) {
  const result = [`${formatNumber(row.value)} ${row.unit}`, ...row.details].join(' · ');
  const ratio =
    row.ratio !== null
      ? `${formatNumber(row.ratio)}× ${row.baseline?.variant} (${formatNumber(row.baseline?.value ?? 0)} ${row.unit})` +
        (row.cpuRatio === null ? '' : `; ${formatNumber(row.cpuRatio)}× on CPU time`)
      : row.isBaseline
        ? 'baseline'
        : '—';
  const target = row.target === null ? '—' : formatTarget(row.target, row.ratio !== null);
  const met = row.met === null ? '—' : row.met ? 'yes' : '**no**';
  return [row.benchmark, row.variant, result, ratio, target, met];
}

const HEADER = ['Benchmark', 'Variant', 'Result', 'Ratio vs baseline', 'Target', 'Met?'];

/**
 * @typedef {import('./machine.js').Machine & {
 *   nodes?: { version: string, v8: string, source: string }[],
 *   missingNodes?: { spec: string, reason: string }[],
 * }} RunMachine the machine, and the Nodes a run measured on
 */

/** @param {RunMachine} machine */
export function describeMachineLine(machine) {
  const nodes = machine.nodes ?? [{ version: machine.node, v8: machine.v8, source: '' }];
  const described = nodes.map((node) => `Node ${node.version} (V8 ${node.v8}${node.source === '' ? '' : `; ${node.source}`})`).join(' and ');
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, ${described}, locale ${machine.locale}`;
}

/** @param {SuiteResult['load']} load */
function describeLoad(load) {
  const others = load.otherCores === null ? 'unknown' : `${load.otherCores} of the cores on average`;
  const warning = isUnderLoad(load.otherCores) ? ' — **measured under load: timings are noisy**' : '';
  return `Other processes kept busy: ${others}; load average at the end ${load.loadAverage.join(' / ')}${warning}.`;
}

/**
 * @typedef {object} Report
 * @property {number} schema
 * @property {string} date ISO 8601
 * @property {RunMachine} machine
 * @property {Record<string, unknown> & { summary: string }} method
 * @property {SuiteResult[]} suites
 */

/** @param {Report} report @returns {string} */
export function renderMarkdown(report) {
  const lines = [
    '# chat-redact benchmarks',
    '',
    `Measured ${report.date} on ${describeMachineLine(report.machine)}.`,
    `Load average when the run began: ${report.machine.loadAverage.join(' / ')}.`,
    '',
    `Method: ${report.method.summary}`,
    '',
  ];
  for (const { spec, reason } of report.machine.missingNodes ?? []) lines.push(`**Not measured on Node "${spec}"**: ${reason}.`, '');
  if ((report.machine.nodes?.length ?? 0) > 0) lines.push('## Targets', '', renderTargetsTable(report), '');
  for (const suite of report.suites) {
    lines.push(`## ${suite.title}${suite.node === undefined ? '' : ` · Node ${suite.node.version}`}`, '', ...suite.description.map((d) => `${d}  `), '');
    lines.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`);
    for (const row of suite.rows) lines.push(`| ${cells(row).join(' | ')} |`);
    lines.push('');
    const notes = [...suite.notes, describeLoad(suite.load), `Took ${Math.round(suite.seconds)} s.`];
    for (const note of [...suite.rows.filter((r) => r.note).map((r) => `${r.variant}: ${r.note}`), ...notes]) {
      lines.push(`- ${note}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** @param {SuiteResult} suite @returns {string} a compact plain-text table */
export function renderConsoleTable(suite) {
  const rows = [HEADER, ...suite.rows.map((row) => cells(row).map((c) => c.replaceAll('**', '')))];
  const widths = HEADER.map((_, k) => Math.max(...rows.map((r) => [...(r[k] ?? '')].length)));
  /** @param {string} text @param {number} k */
  const pad = (text, k) => text + ' '.repeat((widths[k] ?? 0) - [...text].length);
  const out = [`\n${suite.title}`];
  rows.forEach((r, i) => {
    out.push(r.map(pad).join('  '));
    if (i === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  out.push(describeLoad(suite.load).replaceAll('**', ''));
  return out.join('\n');
}

/**
 * Every row with a target, one line each, its ratio (or figure) on every Node of the run side by
 * side: the table a closing note quotes.
 * @param {Report} report
 * @returns {string} a Markdown table
 */
export function renderTargetsTable(report) {
  const versions = [...new Set(report.suites.map((suite) => suite.node?.version ?? report.machine.node))];
  /** @type {Map<string, { label: string, target: string, byNode: Map<string, string> }>} */
  const lines = new Map();
  for (const suite of report.suites) {
    for (const row of suite.rows) {
      if (row.target === null) continue;
      const label = `${suite.id}: ${row.benchmark} — ${row.variant}${row.baseline === null ? '' : ` vs ${row.baseline.variant}`}`;
      const line = lines.get(label) ?? { label, target: formatTarget(row.target, row.ratio !== null), byNode: new Map() };
      const figure = row.ratio === null ? `${formatNumber(row.value)} ${row.unit}` : `${formatNumber(row.ratio)}×${row.cpuRatio === null ? '' : ` (CPU ${formatNumber(row.cpuRatio)}×)`}`;
      line.byNode.set(suite.node?.version ?? report.machine.node, `${figure} ${row.met === null ? '' : row.met ? 'yes' : '**no**'}`.trim());
      lines.set(label, line);
    }
  }
  const header = ['Figure', ...versions.map((version) => `Node ${version}`), 'Target'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...[...lines.values()].map((line) => `| ${[line.label, ...versions.map((version) => line.byNode.get(version) ?? '—'), line.target].join(' | ')} |`),
  ].join('\n');
}
