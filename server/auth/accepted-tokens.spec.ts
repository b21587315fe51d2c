import { rememberAccepted } from './accepted-tokens.ts';
import { AuthError, type Principal } from './jwt.ts';

describe('rememberAccepted', () => {
  let clock = 0;
  let calls = 0;
  const expiresAt = new Date(100_000);
  const verify = async (token: string): Promise<Principal> => {
    calls += 1;
    if (token === 'bad') throw new AuthError('bad token');
    if (clock >= expiresAt.getTime()) throw new AuthError('The token has expired.');
    return { userId: token, expiresAt };
  };
  beforeEach(() => {
    clock = 0;
    calls = 0;
  });

  it('answers a token it accepted from memory, for at most maxAgeMs', async () => {
    const remembered = rememberAccepted(verify, { maxAgeMs: 1_000, now: () => clock });
    await remembered('alice');
    await remembered('alice');
    expect(calls).toBe(1);
    clock = 1_000;
    await remembered('alice');
    expect(calls).toBe(2);
  });

  it('refuses a remembered token once it has expired, and never remembers a refusal', async () => {
    const remembered = rememberAccepted(verify, { maxAgeMs: 1e9, now: () => clock });
    await remembered('bob');
    clock = expiresAt.getTime();
    await expect(remembered('bob')).rejects.toThrow('expired');
    await expect(remembered('bad')).rejects.toThrow(AuthError);
    await expect(remembered('bad')).rejects.toThrow(AuthError);
    expect(calls).toBe(3);
  });

  it('forgets the oldest token beyond size', async () => {
    const remembered = rememberAccepted(verify, { size: 2, now: () => clock });
    for (const token of ['a', 'b', 'c', 'a']) await remembered(token);
    expect(calls).toBe(4);
  });
});
