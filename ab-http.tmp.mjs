// scratch: autocannon alternately on two ports of one server process; server CPU per request from /proc
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const autocannon = createRequire('/work/wt-perf-service/package.json')('autocannon');
const [pid, portA, portB, rounds = '3', seconds = '4'] = process.argv.slice(2);
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
const body = JSON.stringify({ text: 'Hei, jeg lurer på fakturaen min fra mars, kan jeg få utsettelse?' });
const run = (port, d) => new Promise((res) => autocannon({ url: `http://127.0.0.1:${port}`, requests: [{ method: 'POST', path: '/v1/redact', headers: { 'content-type': 'application/json' }, body }], connections: 20, duration: d }, (e, r) => res(r)));
await run(portA, 1); await run(portB, 1);
const out = { A: [], B: [] };
for (let r = 0; r < Number(rounds); r++) for (const [k, port] of r % 2 ? [['B', portB], ['A', portA]] : [['A', portA], ['B', portB]]) {
  const c0 = cpu(); const res = await run(port, Number(seconds)); const c1 = cpu();
  out[k].push(((c1 - c0) * 1000) / res['2xx']);
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`A ${med(out.A).toFixed(0)} µs/request, B ${med(out.B).toFixed(0)} µs/request, B/A = ${(med(out.B) / med(out.A)).toFixed(2)} (A=${out.A.map((x) => x.toFixed(0))}, B=${out.B.map((x) => x.toFixed(0))})`);
