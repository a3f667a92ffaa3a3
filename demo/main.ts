// The web demo: the etna-auth machine driving a plain DOM login screen — the whole login journey, from the
// credentials to the PIN, the verification code, the first PIN set-up, an expired password and a forgotten
// one — a session panel that calls the API, a live statechart, an event log and the fake server's mailbox.
// The screens sit in screens/, one file per region of the chart, named like it; this file puts the page together.
// Query parameters (for tests and demos): ?timeout=<ms per request>&maxSteps=<Expecting answers in a row>
// &sessionLifetime=<ms a new session lasts>&resendCooldown=<ms before a new code may be asked for>
// &sessionWarning=<ms before the end at which the page offers to log in again>&slidingSession=1 (each successful
// API call moves the end on)&storage=session (keep the session in this tab's sessionStorage: tabs stay apart;
// by default it is kept in localStorage, which the site's tabs share)&storage=async (localStorage behind a storage
// that answers 300 ms later, as React Native's AsyncStorage would: the page starts in restoring).
import './page.css';
import './page-panels.css';
import { createActionButtons } from './action-buttons.js';
import { createDemoActor } from './demo-actor.js';
import { byId } from './dom.js';
import { createMailbox } from './mailbox.js';
import { setUpDemoControls } from './page-set-up.js';
import { createPrompts, type PromptViews } from './prompts.js';
import { createScreen } from './screen.js';
import { createLoginScreen, forgetTypedLogin, loginViews, typedUsername } from './screens/login.js';
import { createOutcomesScreen } from './screens/outcomes.js';
import { createPasswordChangeScreen, passwordChangeViews } from './screens/password-change.js';
import { createPasswordResetScreen, passwordResetViews } from './screens/password-reset.js';
import { createPinSetupScreen, pinSetupViews } from './screens/pin-setup.js';
import { createSessionScreen, sessionViews } from './screens/session.js';
import { createSessionKeeping } from './session-keeping.js';
import { createStatechartDiagram } from './statechart-diagram.js';
import './demo.css';

const params = new URLSearchParams(location.search);
const keeping = createSessionKeeping(params);
const actor = createDemoActor(params, keeping.persist);
const mailbox = createMailbox(actor, typedUsername);
const actions = createActionButtons(actor, forgetTypedLogin);
// Every element was looked up when the screens' modules loaded: from here on, some forms leave the document.
const views: PromptViews = {
  ...loginViews,
  ...pinSetupViews,
  ...passwordChangeViews,
  ...passwordResetViews,
  ...sessionViews,
};
const regions = [
  createLoginScreen(actor, keeping, mailbox),
  createPinSetupScreen(actor),
  createPasswordChangeScreen(actor),
  createPasswordResetScreen(actor, mailbox),
  createSessionScreen(actor, keeping, () => render()),
  createOutcomesScreen(actions),
];
setUpDemoControls();
// Before actor.start(): a transition taken at start (a restored session) is marked too.
const statechart = createStatechartDiagram(byId('chart'), actor);
const render = createScreen(actor, { prompts: createPrompts(views), regions, actions, statechart });

actor.subscribe(render);
// A storage that answers later (?storage=async) writes after the machine's step: the session panel says it then.
keeping.onKeptChange(render);
actor.start();
render();
document.body.dataset.ready = 'true';
