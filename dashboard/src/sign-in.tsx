import { useState } from 'preact/hooks';

/** The sign-in form: a bearer token (the one `npm start` printed, or an identity provider's). */
export function SignIn({ onToken, error }: { onToken(token: string): void; error: string }) {
  const [token, setToken] = useState('');
  return (
    <section class="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onToken(token.trim());
        }}
      >
        <label>
          Bearer token{' '}
          <input
            type="password"
            autocomplete="off"
            required
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p class="error" role="alert">
        {error}
      </p>
    </section>
  );
}
