// The PIN set-up region on the fake server: the `/token` answer of an account without a PIN (its set-up tokens),
// `GET v1.0/assets/security-images` and `POST v1.0/users/pincode/change`.
import { type Answer, bearerOf, DENIED, newToken, ok, type Refusal, refuse } from './answers.js';
import {
  type JourneyHandlers,
  type JourneyRequest,
  jsonObject,
  numberField,
  stringField,
} from './journey-request.js';
import { type FakeSecurityImage, SECURITY_IMAGES } from './png.js';
import type { UserRecord } from './users.js';

export type { FakeSecurityImage };

/**
 * The security images `GET v1.0/assets/security-images` lists: 16×16 solid-colour PNGs (base64), each a
 * different colour, named apple.png, heron.png, sailboat.png, mountain.png, lighthouse.png, cactus.png.
 * @example const apple = FAKE_SECURITY_IMAGES.find((image) => image.FileName === 'apple.png');
 */
export const FAKE_SECURITY_IMAGES: readonly FakeSecurityImage[] = SECURITY_IMAGES;

export const PIN_NOT_INIT_REASON = 'PIN code is not init';

const REFUSALS = {
  confirmationToken: ['The confirmation token is invalid or has expired.', 'ErrorInvalidToken'],
  pin: ['The PIN must be a positive whole number.', 'ErrorInvalidPin'],
  image: ['Unknown security image.', 'ErrorUnknownImage'],
  phrase: ['The personal phrase is required.', 'ErrorEmptyPersonalPhrase'],
} as const satisfies Record<string, Refusal>;

/** A first PIN set-up in progress: the bearer token's user, and the confirmation token the body must carry. */
interface PinSetup {
  readonly user: UserRecord;
  readonly confirmationToken: string;
  used: boolean;
}

/** The first PIN set-ups of one server. */
export class FakePinSetup {
  readonly #pinStepName: string;
  /** Bearer token (the `Token`, or the confirmation token with 'confirmationOnly') → PIN set-up. */
  readonly #setups = new Map<string, PinSetup>();

  /** The calls of this region, by their names in `JOURNEY_CALLS`; both need the set-up's bearer token. */
  readonly routes: JourneyHandlers<'securityImages' | 'pinChange'> = {
    /** → `Model: [{ FileName, Content }]`. */
    securityImages: (request) => (this.#setupOf(request) ? ok(SECURITY_IMAGES) : [401, DENIED]),
    /** `{ Token, Pin, ImageName, PersonalPhrase }`: the user's PIN, image and phrase from now on. */
    pinChange: (request) => this.#pinChange(request),
  };

  constructor(pinStepName: string) {
    this.#pinStepName = pinStepName;
  }

  /** `/token`'s answer for a user who has no PIN yet (after the right password), by the user's row. */
  openingAnswer(user: UserRecord): Answer {
    const { status = 202, tokens = 'both' } = user.pinNotInitializedAnswer ?? {};
    const body: Record<string, string> = {
      State: status === 202 ? 'Expecting' : 'Failed',
      Step: this.#pinStepName,
      Reason: PIN_NOT_INIT_REASON,
    };
    if (tokens !== 'none') {
      const confirmationToken = newToken();
      const bearer = tokens === 'both' ? newToken() : confirmationToken;
      this.#setups.set(bearer, { user, confirmationToken, used: false });
      if (tokens === 'both') body.Token = bearer;
      body.ConfirmationToken = confirmationToken;
    }
    return [status, body];
  }

  #setupOf(request: JourneyRequest): PinSetup | undefined {
    const bearer = bearerOf(request.authorization);
    return bearer === undefined ? undefined : this.#setups.get(bearer);
  }

  #pinChange(request: JourneyRequest): Answer {
    const setup = this.#setupOf(request);
    if (setup === undefined) return [401, DENIED];
    const body = jsonObject(request);
    const token = stringField(body, 'Token');
    const pin = numberField(body, 'Pin');
    const imageName = stringField(body, 'ImageName');
    const phrase = stringField(body, 'PersonalPhrase');
    if (setup.used || token !== setup.confirmationToken) return refuse(REFUSALS.confirmationToken);
    if (!Number.isSafeInteger(pin) || pin <= 0) return refuse(REFUSALS.pin);
    if (!SECURITY_IMAGES.some((image) => image.FileName === imageName)) return refuse(REFUSALS.image);
    if (phrase.trim() === '') return refuse(REFUSALS.phrase);
    setup.used = true;
    const { user } = setup;
    user.pin = String(pin);
    user.pinNotInitialized = false;
    user.personalPhrase = phrase;
    user.securityImage = imageName;
    return ok(null);
  }
}
