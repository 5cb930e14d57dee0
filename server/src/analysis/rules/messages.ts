/** How long a message's leading sentence may grow when an optional part is added (docs/rules.md "Writing a message"). */
export const LEAD_LENGTH = 120;

/**
 * The leading sentence: `point`, with `extra` after a semicolon when the whole still fits in
 * LEAD_LENGTH characters; then `rest`, the reasoning.
 */
export function message(point: string, extra: string | undefined, rest: string): string {
  const end = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);
  const lead = extra && point.length + extra.length + 3 <= LEAD_LENGTH ? end(`${point}; ${extra}`) : end(point);
  return rest ? `${lead} ${rest}` : lead;
}

/** `Service a/b`, or `Service a/b and 2 more`. */
export function firstAndMore(noun: string, names: string[]): string {
  return names.length <= 1 ? `${noun} ${names[0] ?? ''}` : `${noun}s ${names[0]} and ${names.length - 1} more`;
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
