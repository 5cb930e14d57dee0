/**
 * One copy of each short string the models keep (label keys and values, names, namespaces, port
 * names). A value read from a file is a slice of the file's text, and in V8 a slice can keep the
 * whole text alive: the copy kept here is a string of its own.
 */
const table = new Map<string, string>();
const LIMIT = 200_000;

export function intern(value: string): string {
  const known = table.get(value);
  if (known !== undefined) return known;
  // Edits add strings for good: start again rather than grow without end.
  if (table.size >= LIMIT) table.clear();
  const own = (value + ' ').slice(0, -1);
  table.set(own, own);
  return own;
}
