export * from './facts.js';
export type { TextLine, TextPart } from './messages.js';
export {
  FIELD_UNITS,
  measurementLine,
  plainText,
  ticketTextLines,
  ticketTextSubject,
  type TextStyle,
} from './render.js';
