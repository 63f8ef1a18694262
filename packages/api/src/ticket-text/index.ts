export * from './facts.js';
export type { TextLine, TextPart } from './messages.js';
export {
  FIELD_UNITS,
  fieldLabel,
  measurementLine,
  plainText,
  ticketTextLines,
  ticketTextSubject,
  type TextStyle,
} from './render.js';
