// The answers of a call beside /token that no region's model declares answers for: a new call is played by the
// model (and so covered by the paths) from its entry in contract/calls.ts alone, until its region says more.
import {
  JOURNEY_CALL_NAMES,
  JOURNEY_CALLS,
  type JourneyCall,
  type ModelKinds,
} from '../../contract/calls.js';
import { Secret } from '../../contract/secret.js';
import type { DeclaredOutcome } from './answers.js';
import { accepted, dataUrlOf, MODEL_PNGS, noAnswer, refusedBy } from './answers.js';

/** What each kind of Model looks like on the wire, and as the machine holds it once read. */
const EXAMPLES: {
  readonly [K in keyof ModelKinds]: { readonly wire: unknown; readonly read: ModelKinds[K] };
} = {
  none: { wire: null, read: null },
  text: { wire: 'An example', read: 'An example' },
  secretToken: { wire: 'example+call/token=', read: new Secret('example+call/token=') },
  images: {
    wire: [{ FileName: 'apple.png', Content: MODEL_PNGS.apple }],
    read: [{ fileName: 'apple.png', dataUrl: dataUrlOf(MODEL_PNGS.apple) }],
  },
};

/** A call's answers when no region declares any: accepted, refused with Errors, and no usable answer. */
function answersOf(call: JourneyCall): DeclaredOutcome[] {
  const example = EXAMPLES[JOURNEY_CALLS[call].model];
  return [
    accepted(call, `${call} accepted`, example.read, example.wire),
    refusedBy(call, `${call} refused`, ['The server refused the request.']),
    noAnswer(
      call,
      `${call}: http error`,
      { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
      { kind: 'serverError' },
    ),
  ];
}

/** The answers of every call of the list that `declared` has none for. */
export function undeclaredCallAnswers(declared: readonly DeclaredOutcome[]): DeclaredOutcome[] {
  const answered = new Set(declared.map((outcome) => outcome.endpoint));
  return JOURNEY_CALL_NAMES.filter((call) => !answered.has(call)).flatMap(answersOf);
}
