/**
 * One account of the fake ETNA server's user table.
 * @example await startFakeEtnaServer({ users: [{ username: 'zoe', password: 'zoe-password', pin: '2580' }] })
 */
export interface FakeEtnaUser {
  readonly username: string;
  readonly password: string;
  /** Also finds the account by e-mail (any case) in the forgotten-password routes. */
  readonly email?: string;
  /** Asks for a security PIN after the password. */
  readonly pin?: string;
  /** Asks for an e-mail/SMS verification code after the password: this fixed code (also put in the mailbox). */
  readonly verificationCode?: string;
  /**
   * Asks for a verification code after the password, a fresh random 6-digit one at each first-step post, found
   * only in the server's mailbox; a new one makes the previous one stop working.
   */
  readonly rotatingCodes?: boolean;
  /** Order of steps when both are set; default ['verificationCode', 'securityPin']. */
  readonly stepOrder?: readonly ('verificationCode' | 'securityPin')[];
  /**
   * After the right password, answers 'Your Password has expired and must be changed' (Step
   * BaseAuthentication) with a token for `PUT v1.0/users/passwords/reset/`; see `passwordExpiredAnswer`.
   */
  readonly passwordExpired?: boolean;
  /**
   * How the expired password is told: 202 Expecting (default) or 401 Failed, with the change token as
   * `ConfirmationToken` (default), as `Token`, or not at all ('none': a client cannot finish).
   */
  readonly passwordExpiredAnswer?: {
    readonly status?: 202 | 401;
    readonly tokenField?: 'Token' | 'ConfirmationToken' | 'none';
  };
  /**
   * After the right password, answers 'PIN code is not init' (Step 'SecutityPin') with the tokens of the PIN
   * set-up (security images, `pincode/change`); see `pinNotInitializedAnswer`.
   */
  readonly pinNotInitialized?: boolean;
  /**
   * How the missing PIN is told: 202 Expecting (default) or 401 Failed, with `Token` and `ConfirmationToken`
   * (default 'both'), the confirmation token only (it then also authorizes the set-up calls), or none.
   */
  readonly pinNotInitializedAnswer?: {
    readonly status?: 202 | 401;
    readonly tokens?: 'both' | 'confirmationOnly' | 'none';
  };
  /** Anti-phishing: shown (as `PersonalPhrase`) with the PIN prompt. */
  readonly personalPhrase?: string;
  /** Anti-phishing: the `FileName` of a security image, sent (as `Image`, base64) with the PIN prompt. */
  readonly securityImage?: string;
  /** Asked before a password reset; answers compare case-insensitively after trimming. */
  readonly secretQuestion?: { readonly question: string; readonly answer: string };
}

/**
 * The application key the fake server accepts unless told otherwise.
 * @example createEtnaAuthMachine({ baseUrl: server.url, appKey: DEMO_APP_KEY })
 */
export const DEMO_APP_KEY = 'demo-app-key';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * One user per kind of login journey the protocol knows. Frozen: each fake server works on its own copy (it
 * changes passwords, PINs and phrases), so this table never changes.
 * @example const bob = DEMO_USERS.find((user) => user.username === 'bob')!;
 */
export const DEMO_USERS: readonly FakeEtnaUser[] = deepFreeze([
  { username: 'alice', password: 'alice-password' },
  {
    username: 'bob',
    password: 'bob-password',
    pin: '1234',
    personalPhrase: 'Blue heron at dawn',
    securityImage: 'heron.png',
  },
  { username: 'carol', password: 'carol-password', verificationCode: '123456' },
  { username: 'dave', password: 'dave-password', pin: '4321', verificationCode: '654321' },
  { username: 'erin', password: 'erin-password', passwordExpired: true },
  { username: 'frank', password: 'frank-password', pinNotInitialized: true },
  {
    username: 'grace',
    password: 'grace-password',
    email: 'grace@example.com',
    secretQuestion: { question: 'What was the name of your first pet?', answer: 'Rex' },
  },
  { username: 'henry', password: 'henry-password', email: 'henry@example.com' },
  { username: 'ivy', password: 'ivy-password', rotatingCodes: true },
]);

/**
 * What a user's journey is, in words: `code 654321, PIN 4321`, `codes by mail`, `PIN 1234, phrase + image`,
 * `password expired`, `PIN not set up`, `secret question: Rex`, `single factor, reset without a question`.
 * @example describeDemoUserSteps(bob) // 'PIN 1234, phrase + image'
 */
export function describeDemoUserSteps(user: FakeEtnaUser): string {
  const anti = [user.personalPhrase && 'phrase', user.securityImage && 'image'].filter(Boolean).join(' + ');
  const steps = [
    user.rotatingCodes ? 'codes by mail' : user.verificationCode && `code ${user.verificationCode}`,
    user.pin && `PIN ${user.pin}`,
    anti,
    user.passwordExpired && 'password expired',
    user.pinNotInitialized && 'PIN not set up',
    user.secretQuestion && `secret question: ${user.secretQuestion.answer}`,
  ].filter(Boolean);
  return steps.join(', ') || 'single factor, reset without a question';
}

/**
 * One row of the demo-user table the terminal demos print.
 * @example console.log(DEMO_USERS.map(describeDemoUser).join('\n'));
 */
export function describeDemoUser(user: FakeEtnaUser): string {
  return `  ${user.username.padEnd(6)} ${user.password.padEnd(15)} ${describeDemoUserSteps(user)}`;
}
