/**
 * Imported first by every browser entry, before the engine's policy module parses its defaults:
 * zod otherwise probes for `new Function` to compile its parsers, which the page's Trusted Types
 * policy refuses and reports as a violation. Parsing without it is fast enough for the handful of
 * small objects the widget validates.
 *
 * @module
 */
import { z } from 'zod';

z.config({ jitless: true });
