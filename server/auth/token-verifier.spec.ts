import { AuthError, signToken, tokenVerifier } from './jwt.ts';

const SECRET = 'token-verifier-spec-secret-0123456789abcdef';

it('remembers an accepted token: the next request with it gets the same principal', async () => {
  const verify = tokenVerifier(SECRET);
  const token = await signToken(SECRET, 'user-1');
  const first = await verify(token);
  expect(first.userId).toBe('user-1');
  expect(await verify(token)).toBe(first);
});

it('refuses a remembered token once its exp has passed', async () => {
  let now = Date.now();
  const verify = tokenVerifier(SECRET, {}, { now: () => now });
  const token = await signToken(SECRET, 'user-1', { expiresIn: '1h' });
  const { expiresAt } = await verify(token);
  now = expiresAt.getTime() - 1;
  await expect(verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  now = expiresAt.getTime();
  await expect(verify(token)).rejects.toThrow(new AuthError('The token has expired.'));
});

it('never remembers a refused token', async () => {
  const verify = tokenVerifier(SECRET);
  const forged = await signToken('another-secret-another-secret-0123456789', 'user-1');
  await expect(verify(forged)).rejects.toThrow(AuthError);
  await expect(verify(forged)).rejects.toThrow(AuthError);
});

it('checks the expected claims before remembering a token', async () => {
  const verify = tokenVerifier(SECRET, { issuer: 'https://issuer.example.com' });
  const token = await signToken(SECRET, 'user-1');
  await expect(verify(token)).rejects.toThrow('`iss`');
  await expect(verify(token)).rejects.toThrow('`iss`');
});

it('remembers at most `size` tokens, forgetting the oldest first', async () => {
  const verify = tokenVerifier(SECRET, {}, { size: 2 });
  const tokens = await Promise.all(['a', 'b', 'c'].map((user) => signToken(SECRET, user)));
  const principals = [];
  for (const token of tokens) principals.push(await verify(token));
  expect(await verify(tokens[2]!)).toBe(principals[2]);
  expect(await verify(tokens[0]!)).not.toBe(principals[0]);
  expect(await verify(tokens[0]!)).toEqual(principals[0]);
});
