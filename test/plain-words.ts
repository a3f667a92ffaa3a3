// What a person must never read on a login screen (the demo, the examples, the CLI): the server's or the
// machine's internal names, a developer's message, a sentence that starts in lower case. The screens' tests pass
// each block of text a person reads (a heading, an alert, a status line, a prompt, a countdown) through it.

/** Internal names: the server's Steps, the machine's codes and fields, and the snapshot's own words. */
const INTERNAL =
  /\b(?:SecutityPin|SecurityPin|BaseAuthentication|VerificationCode|rateLimited|appKey|personalPhrase|imageName|retryAfterMs|pinNotInitialized|passwordExpired|unsupportedStep|resetRefused|endedElsewhere|loggedOut|error\.kind|context\.\w+)\b/;

/** How the machine's messages for developers and logs talk, which no catalog sentence does. */
const DEVELOPER = /\b(?:is required|HTTP headers?|Latin-1|fileName|JSON object|control character)\b/i;

/** The problems of the blocks of text a screen shows, in words; empty when every block reads as a person's. */
export function plainWordsProblems(blocks: readonly (string | null | undefined)[]): string[] {
  const problems: string[] = [];
  for (const block of blocks) {
    const text = block?.trim() ?? '';
    if (text === '') continue;
    if (INTERNAL.test(text)) problems.push(`an internal name in "${text}"`);
    if (DEVELOPER.test(text)) problems.push(`a developer's message in "${text}"`);
    if (/^[a-z]/.test(text)) problems.push(`a sentence in lower case: "${text}"`);
  }
  return problems;
}
