import { afterEach, describe, expect, it } from 'vitest';
import { LineJudge, captureLogs, keepLogLines, takeLogLeaks } from './log-capture.js';

afterEach(() => {
  // What these tests write on purpose must not fail them in the shared check after each test.
  takeLogLeaks();
});

describe('log capture', () => {
  it('records a captured line with a number combination, judged whole however it was written', () => {
    const logs = captureLogs();
    logs.stream.write('{"level":30,"msg":"ok","durationMs":12}\n{"level":30,"msg":"tlf 98 76');
    logs.stream.write(' 54 32"}\n');
    expect(takeLogLeaks()).toEqual(['log: {"level":30,"msg":"tlf 98 76 54 32"}']);
    expect(logs.lines()).toHaveLength(2);
    expect(takeLogLeaks()).toEqual([]);
  });

  it("leaves pino's own time, pid and hostname out, as the judge does", () => {
    const logs = captureLogs();
    logs.stream.write('{"level":30,"time":1796111118864,"pid":4242424,"hostname":"h","msg":"ok"}\n');
    expect(takeLogLeaks()).toEqual([]);
    logs.stream.write('{"level":30,"ip":"203.0.113.0","msg":"ok"}\n');
    expect(takeLogLeaks()).toHaveLength(1);
  });

  it('judges the lines a pino destination keeps, and a process output line by line to its end', () => {
    const lines: string[] = [];
    keepLogLines(lines).write('{"msg":"kid 12345678901234"}\n');
    expect(lines).toEqual(['{"msg":"kid 12345678901234"}\n']);
    expect(takeLogLeaks()).toHaveLength(1);

    const output = new LineJudge('serve');
    output.write('{"msg":"a"}\n{"n":1234');
    expect(takeLogLeaks()).toEqual([]);
    output.write('567}\n{"msg":"98765');
    expect(takeLogLeaks()).toEqual(['serve: {"n":1234567}']);
    output.write('432"}');
    output.end();
    expect(takeLogLeaks()).toEqual(['serve: {"msg":"98765432"}']);
  });
});
