import { useState, type FormEvent } from "react";
import type { Session } from "../../../src/contract/console-api.ts";
import { post, type Status, type User } from "../api.ts";

export function LoginPage({ sso, onSignedIn }: { sso: Status["sso"]; onSignedIn: (user: User, csrfToken: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await post<Session>("/console/api/login", { email, password });
      onSignedIn(r.user, r.csrfToken);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <h1>Sign in to Fulcrum</h1>
      <form onSubmit={submit} aria-describedby={error ? "login-error" : undefined}>
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p id="login-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso && (
        <p>
          <a className="button" href={sso.start}>
            Sign in with {sso.name}
          </a>
        </p>
      )}
      <p className="muted">
        First start? The first admin's password was printed once on the server's output. Lost it? Run <code>fulcrum users reset-password --email …</code>.
      </p>
    </main>
  );
}
