/**
 * The usernames mentioned as `@name` in a text. An `@` inside a word (an e-mail address) is
 * not a mention; a trailing full stop or comma ends the name.
 */
export function mentionedUsernames(text: string): string[] {
  const names = [...text.matchAll(/(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]*)/g)].map((m) =>
    m[1]!.replace(/[._-]+$/, '').toLowerCase(),
  );
  return [...new Set(names)];
}
