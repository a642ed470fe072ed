/**
 * How long a new chat waits for its first frame before it starts a conversation of its own: a
 * widget that holds a session token sends `resume` first, and says so in the upgrade URL
 * (`/chat?resume=1`); one that has none says `?resume=0` and is greeted at once.
 *
 * @module
 */

/**
 * A widget that holds a token sends `resume` as soon as the socket opens, one round trip after
 * the upgrade; one that sends nothing has no conversation to resume, and its greeting should not
 * wait for the user to type.
 */
export const START_GRACE_MS = 1_000;
/**
 * How long a client that said it will resume (`/chat?resume=1`) may take to send its token
 * before a new conversation begins anyway: a slow mobile network, not a lost conversation.
 */
export const RESUME_WAIT_MS = 30_000;

/**
 * What the upgrade said of the first frame: `resume` (`?resume=1`: a token is coming), `new`
 * (`?resume=0`: start at once, greeting and all), or `unknown` (wait {@link START_GRACE_MS}).
 */
export type ResumeIntent = 'resume' | 'new' | 'unknown';

/**
 * The intent a chat's upgrade URL declares.
 *
 * @example
 * ```ts
 * readResumeIntent('/chat?resume=1'); // 'resume'
 * readResumeIntent('/chat'); // 'unknown'
 * ```
 */
export function readResumeIntent(url: string | undefined): ResumeIntent {
  const value = new URL(url ?? '/', 'http://localhost').searchParams.get('resume');
  return value === '1' ? 'resume' : value === '0' ? 'new' : 'unknown';
}

/**
 * How long a chat of this intent waits for a `resume` frame before it begins a new conversation;
 * `graceMs` is the wait when the widget said nothing (`START_GRACE_MS` unless configured).
 *
 * @example
 * ```ts
 * waitForFirstFrameMs('new', START_GRACE_MS); // 0
 * ```
 */
export function waitForFirstFrameMs(intent: ResumeIntent, graceMs: number = START_GRACE_MS): number {
  return intent === 'resume' ? RESUME_WAIT_MS : intent === 'new' ? 0 : graceMs;
}
