/** One account of the fake ETNA server's user table. */
export interface FakeEtnaUser {
  readonly username: string;
  readonly password: string;
  /** Asks for a security PIN after the password. */
  readonly pin?: string;
  /** Asks for an e-mail/SMS verification code after the password. */
  readonly verificationCode?: string;
  /** Order of steps when both are set; default ['verificationCode', 'securityPin']. */
  readonly stepOrder?: readonly ('verificationCode' | 'securityPin')[];
  /** Answers 401 Failed, Step BaseAuthentication, Reason 'Your Password has expired and must be changed'. */
  readonly passwordExpired?: boolean;
  /** Answers 401 Failed, Step 'SecutityPin', Reason 'PIN code is not init' after the password. */
  readonly pinNotInitialized?: boolean;
}

/** The application key the fake server accepts unless told otherwise. */
export const DEMO_APP_KEY = 'demo-app-key';

/** One user per kind of login the protocol knows. */
export const DEMO_USERS: readonly FakeEtnaUser[] = [
  { username: 'alice', password: 'alice-password' },
  { username: 'bob', password: 'bob-password', pin: '1234' },
  { username: 'carol', password: 'carol-password', verificationCode: '123456' },
  { username: 'dave', password: 'dave-password', pin: '4321', verificationCode: '654321' },
  { username: 'erin', password: 'erin-password', passwordExpired: true },
  { username: 'frank', password: 'frank-password', pinNotInitialized: true },
];

/** What a user's login asks for, in words: `code 654321, PIN 4321`, `password expired`, `single factor`. */
export function describeDemoUserSteps(user: FakeEtnaUser): string {
  const steps = [
    user.verificationCode && `code ${user.verificationCode}`,
    user.pin && `PIN ${user.pin}`,
    user.passwordExpired && 'password expired',
    user.pinNotInitialized && 'PIN not set up',
  ].filter(Boolean);
  return steps.join(', ') || 'single factor';
}

/** One row of the demo-user table the terminal demos print. */
export function describeDemoUser(user: FakeEtnaUser): string {
  return `  ${user.username.padEnd(6)} ${user.password.padEnd(15)} ${describeDemoUserSteps(user)}`;
}
