import { createEtnaAuthMachine, Secret } from 'etna-auth';
import { createEtnaClient } from 'etna-auth/client';
import { startFakeEtnaServer } from 'etna-auth/testing';
import { createActor, waitFor } from 'xstate';

// A fake ETNA server on 127.0.0.1 with the demo users; for your broker, pass its API root and your app key.
const server = await startFakeEtnaServer();
const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey });
const actor = createActor(machine).start();
// Each request runs with the tag `busy`; the next step is whatever the machine shows once it is done.
const nextStep = () => waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 15_000 });

try {
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: new Secret('bob-password') });
  let snapshot = await nextStep();
  if (snapshot.matches({ expecting: 'securityPin' })) {
    // A real screen shows the phrase and picture, then asks the person for the PIN.
    console.log(`PIN asked, with the phrase "${snapshot.context.personalPhrase}"`);
    actor.send({ type: 'SUBMIT_PIN', pin: new Secret('1234') });
    snapshot = await nextStep();
  }
  if (!snapshot.matches('succeeded')) throw new Error(`not logged in: ${JSON.stringify(snapshot.value)}`);
  console.log(`logged in as ${snapshot.context.username}`);

  const api = createEtnaClient(actor); // Bearer token and Et-App-Key on every call; a 401 ends the session
  const me = await api.get('v1.0/users/@me/info').json<{ Id: number; Login: string }>();
  console.log(`GET v1.0/users/@me/info: ${JSON.stringify(me)}`);

  actor.send({ type: 'LOGOUT' });
  snapshot = await nextStep();
  console.log(`logged out: ${JSON.stringify(snapshot.value)}, reason ${snapshot.context.reason}`);
} finally {
  actor.stop();
  await server.close();
}
