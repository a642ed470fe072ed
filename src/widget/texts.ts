/**
 * Everything the widget says, in English and Norwegian (bokmål and nynorsk), with one wording
 * of the rule in each ("sju eller flere sifre": with a countable noun, "flere"); which of them is
 * said is chosen in `chat-frame/languages.ts`.
 *
 * @module
 */
import type { Language } from '../chat-frame/languages.js';
import type { AttachmentKind } from '../client/frames.js';

/** The texts of one language. */
export interface Texts {
  readonly title: string;
  readonly subtitle: string;
  readonly conversation: string;
  readonly privacyNotice: string;
  readonly inputLabel: string;
  readonly placeholder: string;
  readonly send: string;
  readonly keyboardHint: string;
  readonly close: string;
  readonly you: string;
  readonly assistant: string;
  /** A human agent's messages: a person, never the assistant. */
  readonly agent: string;
  readonly suggestions: string;
  readonly opensInNewTab: string;
  /** A link to an image or file that has no name of its own. */
  readonly attachments: Readonly<Record<AttachmentKind, string>>;
  readonly status: { readonly connecting: string; readonly resuming: string; readonly open: string; readonly closed: string };
  readonly reconnecting: (seconds: number, refused: boolean) => string;
  /** While typing: how many numbers will be removed when the message is sent. */
  readonly willRemove: (count: number) => string;
  readonly nothingLeft: string;
  /** While typing: the message's first digits would complete the number the last message ended in. */
  readonly willCompleteNumber: string;
  /** Under a sent message: how many numbers were removed before it was sent. */
  readonly removed: (count: number) => string;
  readonly sending: string;
  readonly sent: string;
  readonly waitingToResend: string;
  readonly notSent: string;
  readonly restarted: string;
  readonly errors: Readonly<Record<string, string>>;
  readonly fallbackError: string;
}

const EN: Texts = {
  title: 'Customer service',
  subtitle: 'Numbers of seven digits or more are removed before your message leaves this device.',
  conversation: 'Conversation',
  privacyNotice: 'Privacy notice',
  inputLabel: 'Your message',
  placeholder: 'Write a message…',
  send: 'Send',
  keyboardHint: 'Enter sends, Shift+Enter adds a line.',
  close: 'Close chat',
  you: 'You:',
  assistant: 'Assistant:',
  agent: 'Customer service agent:',
  suggestions: 'Suggested replies',
  opensInNewTab: '(opens in a new tab)',
  attachments: { image: 'Image', file: 'File' },
  status: { connecting: 'Connecting…', resuming: 'Reconnecting to your conversation…', open: 'Connected', closed: 'Disconnected' },
  reconnecting: (seconds, refused) => `${refused ? 'Connection refused' : 'Disconnected'}. Reconnecting in ${seconds} s…`,
  willRemove: (count) =>
    count === 1
      ? 'A number of seven or more digits will be removed before sending.'
      : `${count} numbers of seven or more digits will be removed before sending.`,
  nothingLeft: 'Nothing is left to send once the number is removed.',
  willCompleteNumber: 'The digits at the start would complete the number your last message ended in, so they will be removed.',
  removed: (count) => (count === 1 ? '1 number was removed before sending.' : `${count} numbers were removed before sending.`),
  sending: 'Sending…',
  sent: 'Sent',
  waitingToResend: 'Will be sent again when the connection is back.',
  notSent: 'Not sent',
  restarted: 'The earlier conversation could not be resumed, so a new one has begun.',
  errors: {
    invalid_message: 'The message could not be read; please try again.',
    message_too_large: 'The message is too long; please shorten it.',
    rate_limited: 'You are sending messages quickly; please wait a moment.',
    unknown_action: 'That button is no longer available; please type your question instead.',
    vendor_unavailable: 'The assistant is unavailable right now; please try again shortly.',
    vendor_timeout: 'The assistant took too long to answer; please try again.',
    vendor_error: 'The assistant could not answer this message.',
    internal: 'Something went wrong on our side; nothing was sent.',
  },
  fallbackError: 'Something went wrong; please try again.',
};

const NB: Texts = {
  title: 'Kundeservice',
  subtitle: 'Tall med sju eller flere sifre fjernes før meldingen forlater denne enheten.',
  conversation: 'Samtale',
  privacyNotice: 'Personvern',
  inputLabel: 'Din melding',
  placeholder: 'Skriv en melding…',
  send: 'Send',
  keyboardHint: 'Enter sender, Shift+Enter gir ny linje.',
  close: 'Lukk chatten',
  you: 'Du:',
  assistant: 'Assistent:',
  agent: 'Kundebehandler:',
  suggestions: 'Forslag til svar',
  opensInNewTab: '(åpnes i en ny fane)',
  attachments: { image: 'Bilde', file: 'Fil' },
  status: { connecting: 'Kobler til…', resuming: 'Kobler til samtalen din igjen…', open: 'Tilkoblet', closed: 'Frakoblet' },
  reconnecting: (seconds, refused) => `${refused ? 'Tilkoblingen ble avvist' : 'Frakoblet'}. Kobler til igjen om ${seconds} s…`,
  willRemove: (count) =>
    count === 1
      ? 'Et tall med sju eller flere sifre blir fjernet før sending.'
      : `${count} tall med sju eller flere sifre blir fjernet før sending.`,
  nothingLeft: 'Det er ingenting igjen å sende når tallet er fjernet.',
  willCompleteNumber: 'Sifrene først i meldingen ville fullføre tallet forrige melding sluttet med, så de blir fjernet.',
  removed: (count) => (count === 1 ? '1 tall ble fjernet før sending.' : `${count} tall ble fjernet før sending.`),
  sending: 'Sender…',
  sent: 'Sendt',
  waitingToResend: 'Sendes på nytt når forbindelsen er tilbake.',
  notSent: 'Ikke sendt',
  restarted: 'Den forrige samtalen kunne ikke gjenopptas, så en ny har begynt.',
  errors: {
    invalid_message: 'Meldingen kunne ikke leses; prøv igjen.',
    message_too_large: 'Meldingen er for lang; gjør den kortere.',
    rate_limited: 'Du sender mange meldinger; vent litt.',
    unknown_action: 'Den knappen er ikke lenger tilgjengelig; skriv spørsmålet ditt i stedet.',
    vendor_unavailable: 'Assistenten er ikke tilgjengelig nå; prøv igjen om litt.',
    vendor_timeout: 'Assistenten brukte for lang tid; prøv igjen.',
    vendor_error: 'Assistenten kunne ikke svare på denne meldingen.',
    internal: 'Noe gikk galt hos oss; ingenting ble sendt.',
  },
  fallbackError: 'Noe gikk galt; prøv igjen.',
};

const NN: Texts = {
  title: 'Kundeservice',
  subtitle: 'Tal med sju eller fleire siffer blir fjerna før meldinga forlèt denne eininga.',
  conversation: 'Samtale',
  privacyNotice: 'Personvern',
  inputLabel: 'Meldinga di',
  placeholder: 'Skriv ei melding…',
  send: 'Send',
  keyboardHint: 'Enter sender, Shift+Enter gir ny linje.',
  close: 'Lukk chatten',
  you: 'Du:',
  assistant: 'Assistent:',
  agent: 'Kundebehandlar:',
  suggestions: 'Forslag til svar',
  opensInNewTab: '(blir opna i ei ny fane)',
  attachments: { image: 'Bilete', file: 'Fil' },
  status: { connecting: 'Koplar til…', resuming: 'Koplar til samtalen din igjen…', open: 'Tilkopla', closed: 'Fråkopla' },
  reconnecting: (seconds, refused) => `${refused ? 'Tilkoplinga vart avvist' : 'Fråkopla'}. Koplar til igjen om ${seconds} s…`,
  willRemove: (count) =>
    count === 1
      ? 'Eit tal med sju eller fleire siffer blir fjerna før sending.'
      : `${count} tal med sju eller fleire siffer blir fjerna før sending.`,
  nothingLeft: 'Det er ingenting att å sende når talet er fjerna.',
  willCompleteNumber: 'Sifra først i meldinga ville fullføre talet førre melding slutta med, så dei blir fjerna.',
  removed: (count) => (count === 1 ? '1 tal vart fjerna før sending.' : `${count} tal vart fjerna før sending.`),
  sending: 'Sender…',
  sent: 'Sendt',
  waitingToResend: 'Blir sendt på nytt når sambandet er tilbake.',
  notSent: 'Ikkje sendt',
  restarted: 'Den førre samtalen kunne ikkje takast opp att, så ein ny har byrja.',
  errors: {
    invalid_message: 'Meldinga kunne ikkje lesast; prøv igjen.',
    message_too_large: 'Meldinga er for lang; gjer henne kortare.',
    rate_limited: 'Du sender mange meldingar; vent litt.',
    unknown_action: 'Den knappen er ikkje lenger tilgjengeleg; skriv spørsmålet ditt i staden.',
    vendor_unavailable: 'Assistenten er ikkje tilgjengeleg no; prøv igjen om litt.',
    vendor_timeout: 'Assistenten brukte for lang tid; prøv igjen.',
    vendor_error: 'Assistenten kunne ikkje svare på denne meldinga.',
    internal: 'Noko gjekk gale hos oss; ingenting vart sendt.',
  },
  fallbackError: 'Noko gjekk gale; prøv igjen.',
};

const BY_LANGUAGE: Readonly<Record<Language, Texts>> = { en: EN, nb: NB, nn: NN };

/** The texts of `language`. */
export function textsFor(language: Language): Texts {
  return BY_LANGUAGE[language];
}
