/**
 * The benchmark corpus: customer-service chat messages generated from a seeded PRNG, so every run
 * on every machine scans the very same text.
 *
 * Mix (by message): ~5% carry a sensitive number in one of the formats the policy exists for,
 * ~10% a harmless short number (amount, time, postcode, short reference), ~5% emoji, ~5% curly
 * quotes, ~2% a non-Latin script; Norwegian and English, averaging ~70 characters.
 *
 * Every number is synthetic: digits come from the PRNG, national ids are given a wrong check
 * digit on purpose (so none can be a real person's), cards use the issuers' test ranges.
 *
 * @module
 */
/** The default seed: the corpus is part of the benchmark's definition, change it and say so. */
export const CORPUS_SEED = 0x5eed_c4a7;

/**
 * mulberry32: a tiny, fast, well-mixed 32-bit PRNG; quality is ample for picking templates.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @template T @param {() => number} random @param {readonly T[]} items @returns {T} */
const pick = (random, items) => /** @type {T} */ (items[Math.floor(random() * items.length)]);
/** @param {() => number} random @param {number} min @param {number} max inclusive */
const between = (random, min, max) => min + Math.floor(random() * (max - min + 1));

// ---------------------------------------------------------------------------------------------
// Text

const SHORT = [
  'hei', 'Hei!', 'takk', 'Takk!', 'ok', 'ja', 'nei', 'Hallo?', 'thanks!', 'ok, great', 'yes please',
  'Tusen takk!', 'Er du der?', 'hello?', 'Supert', 'no', 'Flott, takk for hjelpen', 'ok 👍',
];

const NORWEGIAN = [
  'Hei, jeg lurer på når fakturaen min forfaller?',
  'Kan jeg få utsettelse på betalingen denne måneden?',
  'Hvordan endrer jeg adressen min i appen?',
  'Jeg har ikke fått den nye kodebrikken ennå.',
  'Hvorfor er regningen høyere enn vanlig denne gangen?',
  'Jeg vil si opp abonnementet mitt fra neste måned.',
  'Kortet mitt er sperret, hva gjør jeg nå?',
  'Når åpner kundeservice i morgen?',
  'Kan dere ringe meg tilbake så snart som mulig?',
  'Jeg fikk en purring, men jeg har allerede betalt.',
  'Hvordan laster jeg ned kontoutskriften som PDF?',
  'Pakken min har stått stille i flere dager, hvor er den?',
  'Jeg får ikke logget inn, det står at noe gikk galt.',
  'Kan jeg bytte til et billigere abonnement uten bindingstid?',
  'Hei! Jeg har fått et inkassokrav og lurer på om jeg kan få utsettelse.',
  'Hvor lang tid tar det før pengene er tilbake på konto?',
  'Jeg har flyttet og trenger å oppdatere folkeregistrert adresse hos dere.',
  'Det står at betalingen er avvist, men pengene er trukket fra kontoen min.',
  'Er det mulig å dele opp regningen i flere avdrag?',
  'Jeg trenger en bekreftelse på at lånet er innfridd.',
];

const ENGLISH = [
  'Hi, I was charged twice for the same order.',
  'How do I reset my password?',
  'When will my refund arrive?',
  'Can I change the delivery address for my order?',
  'Thanks, that worked!',
  'My card was declined but the money is gone from my account.',
  'I would like to cancel my subscription, please.',
  'Is there a fee for paying the invoice late?',
  'The app keeps crashing when I try to log in.',
  'Could someone call me back this afternoon?',
  'I moved recently and need to update my address.',
  'Why is my bill so much higher this month?',
  'Where can I find my latest statement?',
  'I never received the confirmation email.',
];

const FOLLOW_UPS = [
  'Takk på forhånd.', 'Håper dere kan hjelpe.', 'Det haster litt.', 'Mvh Kari', 'Hilsen Ola',
  'Thanks in advance.', 'Please help.', 'Kind regards, Sam', 'Beklager skrivefeil.', 'Ha en fin dag!',
  'I have tried twice already.', 'Jeg har prøvd å ringe, men ingen svarer.',
];

const NON_LATIN = [
  'مرحبا، أريد إلغاء اشتراكي من فضلك',
  'Здравствуйте, не могу войти в приложение',
  'Добрий день, коли прийде повернення коштів?',
  '你好，我的账单有问题',
  'ሰላም፣ ክፍያዬ አልተሳካም',
  'Dzień dobry, mam pytanie o fakturę',
  'سلام، کارت من مسدود شده است',
  'สวัสดีครับ ผมลืมรหัสผ่าน',
];

const EMOJI = ['😀', '🙏', '👍', '📞', '😅', '❤️', '🤔', '😡', '👋🏽', '🇳🇴'];

/** @param {() => number} random @returns {string} */
function plainSentence(random) {
  return random() < 0.75 ? pick(random, NORWEGIAN) : pick(random, ENGLISH);
}

/** @param {() => number} random @param {string} text @returns {string} */
function quoteSomething(random, text) {
  const words = text.split(' ');
  const at = between(random, 0, words.length - 1);
  const word = words[at] ?? '';
  // A quote inside a number would split it: the number must stay what the template made it.
  if (/\p{Nd}/u.test(word)) return text;
  words[at] = random() < 0.5 ? `“${word}”` : `‘${word}’`;
  return words.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Zero digit of each script a sensitive number may be written in, weighted by repetition. */
const ZEROS = [
  0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, // ASCII
  0xff10, // full-width
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic
  0x0966, // Devanagari
  0x1d7ce, // mathematical bold (astral: surrogate pairs)
];

/** Separators between groups, weighted: mostly the plain ones people type. */
const SEPARATORS = [
  ' ', ' ', ' ', ' ', ' ', ' ', '.', '.', '-', '-',
  '\u00a0', // no-break space
  '\u2009', // thin space
  '\u202f', // narrow no-break space
  '\u200b', // zero-width space
  '\u2013', // en dash
  ' \u200b', // a space with an invisible character pasted beside it
];

/** @param {string} ascii @param {number} zero @returns {string} */
function toScript(ascii, zero) {
  if (zero === 0x30) return ascii;
  let out = '';
  for (const ch of ascii) out += ch >= '0' && ch <= '9' ? String.fromCodePoint(zero + ch.charCodeAt(0) - 0x30) : ch;
  return out;
}

/** @param {() => number} random @param {number} count @returns {string} */
function randomDigits(random, count) {
  let out = '';
  for (let k = 0; k < count; k++) out += String(Math.floor(random() * 10));
  return out;
}

/** @param {string} digits @returns {number} Luhn check digit for `digits` */
function luhnCheck(digits) {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = digits.charCodeAt(digits.length - 1 - k) - 0x30;
    if (k % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** @param {string} digits @param {readonly number[]} groups @param {string} sep */
function group(digits, groups, sep) {
  const parts = [];
  let at = 0;
  for (const size of groups) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(sep);
}

const NATIONAL_ID_K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];

/**
 * A fødselsnummer-shaped number whose first check digit is deliberately wrong: no real person has
 * it. @param {() => number} random
 */
function nationalIdDigits(random) {
  const birth = `${String(between(random, 1, 28)).padStart(2, '0')}${String(between(random, 1, 12)).padStart(2, '0')}${randomDigits(random, 2)}`;
  const base = birth + randomDigits(random, 3);
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += (base.charCodeAt(k) - 0x30) * (NATIONAL_ID_K1_WEIGHTS[k] ?? 0);
  const valid = (11 - (sum % 11)) % 11;
  const wrong = (valid + 1 + Math.floor(random() * 8)) % 10;
  return base + String(wrong) + randomDigits(random, 1);
}

/** Test ranges of the card issuers: Visa 4111…, Mastercard 5500…, Amex 3400… */
const CARD_PREFIXES = ['411111', '555555', '400000', '340000'];

/** @param {() => number} random */
function cardDigits(random) {
  const prefix = pick(random, CARD_PREFIXES);
  const length = prefix.startsWith('34') ? 15 : 16;
  const body = prefix + randomDigits(random, length - prefix.length - 1);
  return body + String(luhnCheck(body));
}

/**
 * One sensitive number, formatted the way people write it.
 * @param {() => number} random
 * @returns {string}
 */
export function sensitiveNumber(random) {
  const sep = pick(random, SEPARATORS);
  const zero = pick(random, ZEROS);
  let ascii;
  switch (between(random, 0, 5)) {
    case 0: // fødselsnummer 010190 12345
      ascii = group(nationalIdDigits(random), [6, 5], random() < 0.7 ? sep : '');
      break;
    case 1: // phone 98 76 54 32
      ascii = group(`${pick(random, ['9', '4'])}${randomDigits(random, 7)}`, [2, 2, 2, 2], sep);
      break;
    case 2: // phone +47 987 65 432
      ascii = `+47 ${group(`${pick(random, ['9', '4'])}${randomDigits(random, 7)}`, [3, 2, 3], sep)}`;
      break;
    case 3: // account 7694.05.20300
      ascii = group(randomDigits(random, 11), [4, 2, 5], random() < 0.6 ? '.' : sep);
      break;
    case 4: {
      // card 4111 1111 1111 1111
      const digits = cardDigits(random);
      ascii = group(digits, digits.length === 15 ? [4, 6, 5] : [4, 4, 4, 4], sep);
      break;
    }
    default: // order or customer number written together
      ascii = randomDigits(random, between(random, 7, 12));
  }
  return toScript(ascii, zero);
}

/** @type {ReadonlyArray<(n: string) => string>} */
const SENSITIVE_TEMPLATES = [
  (n) => `Fødselsnummeret mitt er ${n} hvis dere trenger det.`,
  (n) => `ring meg på ${n}`,
  (n) => `Kan dere ringe meg på ${n} etter kl 16?`,
  (n) => `Kontonummer ${n}, pengene skulle vært overført i går.`,
  (n) => `Kortet som slutter på … nei vent, hele nummeret er ${n}`,
  (n) => `My card number is ${n}, can you check the payment?`,
  (n) => `call me at ${n} please`,
  (n) => `kundenummer: ${n}`,
  (n) => `Hei, jeg har ordrenummer ${n} og lurer på når den kommer.`,
  (n) => `personnr ${n}`,
];

/** @param {() => number} random @returns {string} */
const amount = (random) => `${between(random, 1, 9)} ${String(between(random, 0, 999)).padStart(3, '0')} kr`;

/** Sentences with harmless numbers of at most six digits, none near another number. */
/** @type {ReadonlyArray<(random: () => number) => string>} */
const HARMLESS = [
  (random) => `Jeg betalte ${amount(random)}, men det står fortsatt at jeg skylder penger.`,
  (random) => `Regningen er på ${between(random, 49, 999)} kr, er ikke det litt mye?`,
  (random) => `Har dere åpent til kl ${between(random, 16, 21)}.${pick(random, ['00', '30'])} i dag?`,
  (random) => `Kan noen ringe meg i morgen mellom ${between(random, 8, 11)}.00 og ${between(random, 12, 15)}.00?`,
  (random) => `Adressen er Storgata 12 B, ${pick(random, ['0614 Oslo', '5003 Bergen', '7010 Trondheim', '9008 Tromsø', '4006 Stavanger'])}`,
  (random) => `I paid €${between(random, 5, 400)}.${pick(random, ['00', '50', '99'])} last week but the order is still pending.`,
  (random) => `Det gjelder sak ${between(random, 1000, 99999)} som jeg sendte inn ${between(random, 2, 6)}. mars.`,
  (random) => `Forfallsdato er ${between(random, 1, 28)}.${between(random, 1, 12)}, kan jeg betale ${between(random, 2, 14)} dager senere?`,
  (random) => `Jeg har vært kunde i ${between(random, 2, 25)} år og vil gjerne ha en bedre pris.`,
  (random) => `Can I get a refund for the ${between(random, 2, 12)} months I was charged?`,
];

// ---------------------------------------------------------------------------------------------
// Messages

/**
 * One chat message (no line breaks).
 * @param {() => number} random
 * @param {Record<string, number>} [tally] counts messages by category (and emoji, quotes)
 * @returns {string}
 */
export function generateMessage(random, tally) {
  const roll = random();
  let text;
  let category;
  if (roll < 0.05) {
    category = 'sensitive';
    text = pick(random, SENSITIVE_TEMPLATES)(sensitiveNumber(random));
    if (random() < 0.4) text = `${plainSentence(random)} ${text}`;
  } else if (roll < 0.15) {
    category = 'harmless number';
    text = pick(random, HARMLESS)(random);
  } else if (roll < 0.17) {
    category = 'non-Latin';
    text = pick(random, NON_LATIN);
  } else if (roll < 0.27) {
    category = 'short';
    text = pick(random, SHORT);
  } else if (roll < 0.52) {
    category = 'sentence';
    text = plainSentence(random);
  } else if (roll < 0.85) {
    category = 'two sentences';
    text = `${plainSentence(random)} ${random() < 0.5 ? pick(random, FOLLOW_UPS) : plainSentence(random)}`;
  } else {
    category = 'three sentences';
    text = `${plainSentence(random)} ${plainSentence(random)} ${pick(random, FOLLOW_UPS)}`;
  }
  const flavour = random();
  if (flavour < 0.05) {
    text = `${text} ${pick(random, EMOJI)}`;
    if (tally) tally.emoji = (tally.emoji ?? 0) + 1;
  } else if (flavour < 0.1) {
    const quoted = quoteSomething(random, text);
    if (tally && quoted !== text) tally['curly quotes'] = (tally['curly quotes'] ?? 0) + 1;
    text = quoted;
  }
  if (tally) tally[category] = (tally[category] ?? 0) + 1;
  return text;
}

/**
 * Messages until their UTF-8 size reaches `bytes`.
 * @param {{ bytes: number, seed?: number, tally?: Record<string, number> }} options
 * @returns {{ messages: string[], bytes: number }}
 */
export function generateCorpus({ bytes, seed = CORPUS_SEED, tally }) {
  const random = createRandom(seed);
  const messages = [];
  let total = 0;
  while (total < bytes) {
    const message = generateMessage(random, tally);
    messages.push(message);
    total += Buffer.byteLength(message, 'utf8');
  }
  return { messages, bytes: total };
}

// ---------------------------------------------------------------------------------------------
// Leak set

const LEAK_NUMBERS = [
  // national id
  '010190 12345', '01019012345', '010190-12345', '010190\u00a012345', '010190\u200912345',
  '010190\u200b12345', '010190\u201312345', '０１０１９０ １２３４５', '٠١٠١٩٠ ١٢٣٤٥', '01 01 90 123 45',
  // phone
  '98 76 54 32', '+47 987 65 432', '98765432', '+47 98 76 54 32', '987 65 432', '98\u00a076\u00a054\u00a032',
  '98\u200976\u200954\u200932', '98-76-54-32', '98.76.54.32', '98\u201376\u201354\u201332', '9\u200b8\u200b7\u200b6\u200b5\u200b4\u200b3\u200b2',
  '９８ ７６ ５４ ３２', '٩٨ ٧٦ ٥٤ ٣٢', '۹۸۷۶۵۴۳۲', '९८ ७६ ५४ ३२', '0047 98 76 54 32', '(+47) 98765432',
  // bank account
  '7694.05.20300', '7694 05 20300', '76940520300', '7694-05-20300', '7694\u00a005\u00a020300',
  '7694\u200905\u200920300', '7694\u201305\u201320300', '７６９４.０５.２０３００', '٧٦٩٤.٠٥.٢٠٣٠٠',
  // payment card
  '4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '4111\u00a01111\u00a01111\u00a01111',
  '4111\u20091111\u20091111\u20091111', '4111\u200b1111\u200b1111\u200b1111', '4111\u20131111\u20131111\u20131111',
  '４１１１ １１１１ １１１１ １１１１', '٤١١١ ١١١١ ١١١١ ١١١١', '5555 5555 5555 4444', '3400 000000 00009',
  '𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏', '4111 1111\u00a0\u200b1111 1111',
];

/**
 * About fifty synthetic sensitive numbers in every format, each in a sentence with no other digit,
 * for the leak count: a variant leaks a number when a combination of 7 or more digits survives.
 * @type {ReadonlyArray<{ number: string, message: string }>}
 */
export const LEAK_SET = Object.freeze(
  LEAK_NUMBERS.map((number, k) => ({
    number,
    message: k % 2 === 0 ? `Hei, nummeret mitt er ${number}, takk.` : `My number is ${number} — please update it.`,
  })),
);

/** A digit of any script. */
const ANY_DIGIT = /\p{Nd}/gu;

/** @param {string} text @returns {number} digits of any script in `text` */
function countDigits(text) {
  return text.match(ANY_DIGIT)?.length ?? 0;
}

/**
 * Run `redactText` over the leak set: a message leaked when its output still holds a sensitive
 * combination, as the reference judge (`lib/judge.js`) reads the default policy. The judge is
 * loaded here, after the timed rounds, so it costs the measured process nothing before them.
 * @param {(text: string) => string} redactText
 * @returns {Promise<{ total: number, leaked: number, digitsLeft: number }>}
 */
export async function measureLeaks(redactText) {
  const { countLeaks } = await import('./lib/judge.js');
  let leaked = 0;
  let digitsLeft = 0;
  for (const { message } of LEAK_SET) {
    const output = redactText(message);
    digitsLeft += countDigits(output);
    if (countLeaks(output) > 0) leaked += 1;
  }
  return { total: LEAK_SET.length, leaked, digitsLeft };
}
