// The password change region: the server said the password expired. The user types a new one twice, it is
// saved with the answer's token, and the login starts again with it (further steps follow as the server asks).
import { machineSetup, sideCall, submitted } from '../setup.js';

export const passwordChange = () =>
  machineSetup.createStateConfig({
    meta: { region: 'passwordChange' },
    initial: 'editing',
    on: {
      CANCEL: { target: 'idle', actions: 'abandonAttempt' },
    },
    states: {
      editing: {
        on: {
          SUBMIT_NEW_PASSWORD: submitted('saving', 'sendNewPassword'),
        },
      },
      saving: {
        tags: ['busy'],
        invoke: sideCall('passwordChange', 'editing', {
          target: '#etnaAuth.authenticating',
          actions: 'loginWithNewPassword',
        }),
      },
    },
  });
