// An in-process fetch that answers the ETNA protocol at once: no network, so only the client's cost shows.
import type { BenchUser } from './flows.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function instantEtnaFetch(users: readonly BenchUser[]): typeof fetch {
  let counter = 0;
  const pending = new Map<string, { user: BenchUser; steps: ('pin' | 'code')[] }>();
  const next = (user: BenchUser, steps: ('pin' | 'code')[]) => {
    const [step, ...rest] = steps;
    const token = `T${counter++}+/=`;
    if (!step) return json(200, { State: 'Succeeded', Token: token });
    pending.set(token, { user, steps: rest });
    return json(202, {
      State: 'Expecting',
      Step: step === 'pin' ? 'SecutityPin' : 'VerificationCode',
      Reason: 'Expecting',
      Token: token,
    });
  };
  return async (input, init) => {
    const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
    const authorization = headers.get('authorization');
    if (!authorization) {
      const user = users.find((candidate) => candidate.username === headers.get('username'));
      if (!user || user.password !== headers.get('password')) {
        return json(401, { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' });
      }
      const steps: ('pin' | 'code')[] = [];
      if (user.verificationCode) steps.push('code');
      if (user.pin) steps.push('pin');
      return next(user, steps);
    }
    const ticket = pending.get(authorization.slice('Bearer '.length));
    if (!ticket)
      return json(401, { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Corrupted ticket' });
    pending.delete(authorization.slice('Bearer '.length));
    return next(ticket.user, ticket.steps);
  };
}
