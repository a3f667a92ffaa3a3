// What each request of a path must carry, as the fake server received it: its route, the app key, and the
// credentials, token and body of the state that sent it; remembered from what the path typed and was answered.
import { FAKE_ETNA_ROUTES, type RecordedRequest } from '../fake/index.js';
import type { ModelEndpoint } from '../model/answers.js';
import { MODEL_INTERIM_TOKENS, MODEL_SESSION_TOKEN } from '../model/login.js';
import { MODEL_PASSWORD_CHANGE_TOKEN } from '../model/password-change.js';
import { MODEL_RESET_TOKEN } from '../model/password-reset.js';
import { MODEL_PIN_SETUP_TOKENS } from '../model/pin-setup.js';
import { MODEL_USER, type ModelUserEvent } from '../model/user.js';

type Of<T extends ModelUserEvent['type']> = Extract<ModelUserEvent, { type: T }>;

/** The method and route (relative to the API root) a model endpoint is sent to. */
export function routeOf(endpoint: ModelEndpoint): string {
  const { method, path } = FAKE_ETNA_ROUTES[endpoint];
  return `${method} ${path}`;
}

const same = (actual: unknown, wanted: unknown) => JSON.stringify(actual) === JSON.stringify(wanted);

/** What a path has sent and been answered so far, which its next requests must carry. */
export class PathRequests {
  /** The password of a first-step `/token` post: the model's, or the new one once the server saved it. */
  #password: string = MODEL_USER.password;
  /** The interim token of the latest 202. */
  #interim: string | undefined;
  #newPin: Of<'SUBMIT_NEW_PIN'> | undefined;
  #newPassword: Of<'SUBMIT_NEW_PASSWORD'> | undefined;
  #answer: string | undefined;
  #resetCode: string | undefined;

  /** Remembers what a user event that starts a request sends (now, or again on a RETRY). */
  sent(event: ModelUserEvent): void {
    if (event.type === 'SUBMIT_CREDENTIALS' || event.type === 'FORGOT_PASSWORD') {
      this.#password = MODEL_USER.password;
      this.#answer = undefined;
    } else if (event.type === 'SUBMIT_NEW_PIN') this.#newPin = event;
    else if (event.type === 'SUBMIT_NEW_PASSWORD') this.#newPassword = event;
    else if (event.type === 'SUBMIT_SECRET_ANSWER') this.#answer = event.answer;
    else if (event.type === 'SUBMIT_RESET_CODE') this.#resetCode = event.code;
  }

  /** Remembers what a server answer (by its model name) gives the next requests. */
  answered(outcome: string): void {
    if (outcome === 'expecting securityPin') this.#interim = MODEL_INTERIM_TOKENS.securityPin;
    if (outcome === 'expecting verificationCode') this.#interim = MODEL_INTERIM_TOKENS.verificationCode;
    // The login after a password change or reset carries the new password.
    if (outcome === 'password saved') this.#password = this.#newPassword?.password ?? '';
  }

  /**
   * What is wrong with `request`, sent to `endpoint` from the busy `state`, started by `trigger` (a user event)
   * or by the machine itself (undefined); `query` is its query string as sent.
   */
  check(
    request: RecordedRequest,
    endpoint: ModelEndpoint,
    state: string,
    trigger: ModelUserEvent | undefined,
    appKey: string,
    query: URLSearchParams,
  ): string[] {
    const wrong: string[] = [];
    const expect = (what: string, actual: unknown, wanted: unknown) => {
      // Values are never printed: they may be secrets.
      if (!same(actual, wanted)) wrong.push(`the ${routeOf(endpoint)} request carries the wrong ${what}`);
    };
    expect('app key (Et-App-Key)', request.header('et-app-key'), appKey);
    const authorization = request.header('authorization');
    switch (endpoint) {
      case 'logout':
        expect('session token', authorization, `Bearer ${MODEL_SESSION_TOKEN}`);
        break;
      case 'token': {
        expect('username', request.header('username'), MODEL_USER.username);
        expect('password', request.header('password'), this.#password);
        // A PIN or code answers the pending step; anything else (a login, a resend, the login after a journey)
        // is a first step again.
        const pin = trigger?.type === 'SUBMIT_PIN' ? trigger.pin : undefined;
        const code = trigger?.type === 'SUBMIT_VERIFICATION_CODE' ? trigger.code : undefined;
        expect('PIN', request.header('pincode'), pin);
        expect('verification code', request.header('verificationcode'), code);
        expect('interim token', authorization, pin || code ? `Bearer ${this.#interim}` : undefined);
        break;
      }
      case 'securityImages':
        expect('PIN set-up token', authorization, `Bearer ${MODEL_PIN_SETUP_TOKENS.token}`);
        break;
      case 'pinChange':
        expect('PIN set-up token', authorization, `Bearer ${MODEL_PIN_SETUP_TOKENS.token}`);
        expect('body', request.json(), {
          Token: MODEL_PIN_SETUP_TOKENS.confirmation,
          Pin: Number(this.#newPin?.pin),
          ImageName: this.#newPin?.imageName,
          PersonalPhrase: this.#newPin?.personalPhrase,
        });
        break;
      case 'passwordChange':
        expect('authorization (none)', authorization, undefined);
        expect('body', request.json(), {
          Token: state === 'passwordChange.saving' ? MODEL_PASSWORD_CHANGE_TOKEN : MODEL_RESET_TOKEN,
          Password: this.#newPassword?.password,
          PasswordConfirmation: this.#newPassword?.confirmation,
        });
        break;
      case 'secretQuestion':
        expect('authorization (none)', authorization, undefined);
        expect('username', query.get('username'), MODEL_USER.username);
        break;
      case 'resetRequest':
        expect('body', request.json(), {
          User: MODEL_USER.username,
          ...(this.#answer === undefined ? {} : { SecretQuestionAnswer: this.#answer }),
        });
        break;
      case 'resetCode':
        expect('body', request.json(), { Code: this.#resetCode });
        break;
    }
    return wrong;
  }
}
