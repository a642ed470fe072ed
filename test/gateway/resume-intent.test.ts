/**
 * The resume intent of a chat's upgrade URL, and how long the chat waits for its first frame.
 */
import { describe, expect, it } from 'vitest';
import { RESUME_WAIT_MS, START_GRACE_MS, readResumeIntent, waitForFirstFrameMs } from '../../src/gateway/resume-intent.js';

describe('readResumeIntent', () => {
  it('reads resume=1 and resume=0 and nothing else', () => {
    expect(readResumeIntent('/chat?resume=1')).toBe('resume');
    expect(readResumeIntent('/chat?token=abc&resume=0')).toBe('new');
    expect(readResumeIntent('/chat')).toBe('unknown');
    expect(readResumeIntent('/chat?resume=yes')).toBe('unknown');
    expect(readResumeIntent('/chat?resume=')).toBe('unknown');
    expect(readResumeIntent(undefined)).toBe('unknown');
  });
});

describe('waitForFirstFrameMs', () => {
  it('waits 30 s for a token that was announced, not at all when none is coming, the grace otherwise', () => {
    expect([RESUME_WAIT_MS, START_GRACE_MS]).toEqual([30_000, 1_000]);
    expect(waitForFirstFrameMs('resume', 250)).toBe(30_000);
    expect(waitForFirstFrameMs('new', 250)).toBe(0);
    expect(waitForFirstFrameMs('unknown', 250)).toBe(250);
    expect(waitForFirstFrameMs('unknown')).toBe(1_000);
  });
});
