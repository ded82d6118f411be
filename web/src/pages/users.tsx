/** Users: who may sign in and with which role (admins only; the server enforces it). */
import { useState, type FormEvent } from "react";
import type { PostingChoice, PostingList, UserList } from "../../../src/contract/console-api.ts";
import { patch, post, type Role, type User } from "../api.ts";
import { useNotify } from "../notices.tsx";
import { useFetch } from "../use-fetch.ts";

const ROLES: Role[] = ["admin", "recruiter", "hiring_manager", "auditor"];

export function UsersPage({ me }: { me: User }) {
  const notify = useNotify();
  const users = useFetch("/console/api/users", (r: UserList) => r.users);
  const postingList = useFetch("/console/api/postings", (r: PostingList) => r.postings);
  const titles = new Map(postingList.data?.map((p) => [p.id, p.title]));
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("recruiter");
  const [password, setPassword] = useState("");
  const [postings, setPostings] = useState("");

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const postingIds = postingList.data
        ? [...picked]
        : postings
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      await post("/console/api/users", { email, role, password, postingIds: role === "hiring_manager" ? postingIds : [] });
      notify(`Account created for ${email}.`);
      setEmail("");
      setPassword("");
      setPostings("");
      setPicked(new Set());
      users.reload();
    } catch (err) {
      notify(`Not created: ${(err as Error).message}`, "error");
    }
  };

  const setDisabled = async (u: User, disabled: boolean) => {
    try {
      await patch(`/console/api/users/${encodeURIComponent(u.id)}`, { disabled });
      users.reload();
    } catch (err) {
      notify((err as Error).message, "error");
    }
  };

  return (
    <>
      <h1>Users</h1>
      {users.error && <p className="error">{users.error}</p>}
      {users.data && (
        <table className="stacked">
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Postings</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td data-label="E-mail">{u.email}</td>
                <td data-label="Role">{u.role.replace("_", " ")}</td>
                <td className="small" data-label="Postings">
                  {u.postingIds.map((id) => titles.get(id) ?? id).join(", ") || "—"}
                </td>
                <td data-label="Last sign-in">{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : "never"}</td>
                <td data-label="State">
                  {u.id === me.id ? (
                    "you"
                  ) : (
                    <button type="button" onClick={() => void setDisabled(u, !u.disabled)}>
                      {u.disabled ? "Enable" : "Disable"} <span className="sr-only">{u.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} className="card stack" aria-labelledby="add-user-h">
        <h2 id="add-user-h">Add a person</h2>
        <label htmlFor="new-email">E-mail</label>
        <input id="new-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r.replace("_", " ")}
            </option>
          ))}
        </select>
        {role === "hiring_manager" &&
          (postingList.data ? (
            <fieldset className="posting-picker">
              <legend>Postings this hiring manager sees</legend>
              {postingList.data.length === 0 && <p className="muted small">Lever has no postings yet.</p>}
              {postingList.data.map((p) => (
                <label key={`${p.connectionId}/${p.id}`} className="radio">
                  <input
                    type="checkbox"
                    checked={picked.has(p.id)}
                    onChange={(e) => {
                      const n = new Set(picked);
                      if (e.target.checked) n.add(p.id);
                      else n.delete(p.id);
                      setPicked(n);
                    }}
                  />{" "}
                  {p.title}
                  {p.state && p.state !== "published" && <span className="muted"> ({p.state})</span>}
                </label>
              ))}
            </fieldset>
          ) : (
            <>
              <label htmlFor="new-postings">Lever posting ids (comma-separated; each is checked against Lever)</label>
              <input id="new-postings" value={postings} onChange={(e) => setPostings(e.target.value)} />
              {postingList.error && <p className="muted small">The list of postings could not be loaded: {postingList.error}</p>}
            </>
          ))}
        <label htmlFor="new-password">First password (12 characters or more, not easy to guess; share it privately)</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary">
          Create account
        </button>
      </form>
    </>
  );
}
