import { lazy, Suspense, useEffect, useState } from "react";
import { api, can, get, setCsrfToken, setSandbox, whenSignedOut, type Status, type User } from "./api.ts";
import { Icon, type IconName } from "./components/icons.tsx";
import { connectLive } from "./live.ts";
import { NoticeProvider } from "./notices.tsx";
import { LoginPage } from "./pages/login.tsx";
import { ProposalsPage } from "./pages/proposals.tsx";
import { WelcomePage } from "./pages/welcome.tsx";

// The pages people open less often load on first visit, keeping the first download small.
const AuditPage = lazy(() => import("./pages/audit.tsx").then((m) => ({ default: m.AuditPage })));
const FairnessPage = lazy(() => import("./pages/fairness.tsx").then((m) => ({ default: m.FairnessPage })));
const RunsPage = lazy(() => import("./pages/runs.tsx").then((m) => ({ default: m.RunsPage })));
const SchedulingPage = lazy(() => import("./pages/scheduling.tsx").then((m) => ({ default: m.SchedulingPage })));
const SettingsPage = lazy(() => import("./pages/settings.tsx").then((m) => ({ default: m.SettingsPage })));
const UsersPage = lazy(() => import("./pages/users.tsx").then((m) => ({ default: m.UsersPage })));
const WorkflowsPage = lazy(() => import("./pages/workflows.tsx").then((m) => ({ default: m.WorkflowsPage })));
import { navigate, onLinkClick, usePath } from "./router.ts";

interface NavItem {
  href: string;
  label: string;
  icon: IconName;
  show: (u: User) => boolean;
  /** Who may use the page, said to someone whose role may not. */
  who?: string;
}

const NAV: NavItem[] = [
  { href: "/", label: "Start", icon: "start", show: () => true },
  { href: "/proposals", label: "Proposals", icon: "inbox", show: () => true },
  { href: "/scheduling", label: "Scheduling", icon: "calendar", show: () => true },
  { href: "/runs", label: "Events and runs", icon: "activity", show: (u) => can(u, "runs"), who: "admins, recruiters and auditors" },
  { href: "/workflows", label: "Workflows", icon: "flow", show: (u) => can(u, "workflows"), who: "admins, recruiters and auditors" },
  { href: "/audit", label: "Audit", icon: "list", show: (u) => can(u, "audit"), who: "admins and auditors" },
  { href: "/fairness", label: "Fairness", icon: "scale", show: (u) => can(u, "audit"), who: "admins and auditors" },
  { href: "/settings", label: "Connections and settings", icon: "sliders", show: (u) => can(u, "admin"), who: "admins" },
  { href: "/users", label: "Users", icon: "users", show: (u) => can(u, "admin"), who: "admins" },
];

function section(path: string): string {
  return "/" + (path.split("/")[1] ?? "");
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [sso, setSso] = useState<Status["sso"]>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const { path, query } = usePath();

  useEffect(() => {
    whenSignedOut(() => setUser(null));
    // One request that answers 200 signed in or not: the sign-in page logs no errors.
    get<Status>("/console/api/status").then(
      (s) => {
        setSandbox(s.sandbox);
        setSso(s.sso);
        setCsrfToken(s.csrfToken);
        setUser(s.signedIn ? s.user : null);
      },
      () => setUser(null),
    );
  }, []);

  useEffect(() => (user ? connectLive() : undefined), [user]);

  // A phone's menu closes once a page is picked.
  useEffect(() => setMenuOpen(false), [path]);

  useEffect(() => {
    const current = NAV.find((n) => n.href === section(path));
    document.title = `${current?.label ?? "Fulcrum"} · Fulcrum`;
  }, [path]);

  useEffect(() => {
    // The first screen a person can use is on the page: `npm run bench:console` reads this mark.
    if (user !== undefined && performance.getEntriesByName("console-ready").length === 0) performance.mark("console-ready");
  }, [user]);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) {
    return (
      <NoticeProvider>
        <LoginPage
          sso={sso}
          onSignedIn={(u, token) => {
            setCsrfToken(token);
            setUser(u);
          }}
        />
      </NoticeProvider>
    );
  }

  const signOut = async () => {
    await api("POST", "/console/api/logout", {}).catch(() => undefined);
    setCsrfToken(undefined);
    setUser(null);
    navigate("/");
  };

  const here = section(path);
  const closed = NAV.find((n) => n.href === here && !n.show(user));
  let page;
  switch (closed ? "closed" : here) {
    case "closed":
      // A page the role may not use shows no form that would only be refused: it says who can.
      page = (
        <section className="card" aria-labelledby="closed-h">
          <h1 id="closed-h">{closed!.label}</h1>
          <p>
            {closed!.label} is for {closed!.who}. Your role ({user.role.replace("_", " ")}) cannot use it; ask an admin if you need something done here.
          </p>
          <p>
            <a href="/" onClick={onLinkClick}>
              Back to Start
            </a>
          </p>
        </section>
      );
      break;
    case "/proposals":
      page = <ProposalsPage user={user} selectedId={path.split("/")[2]} query={query} />;
      break;
    case "/scheduling":
      page = <SchedulingPage />;
      break;
    case "/runs":
      page = <RunsPage user={user} runId={path.split("/")[2]} />;
      break;
    case "/workflows":
      page = <WorkflowsPage user={user} workflowId={path.split("/")[2]} />;
      break;
    case "/audit":
      page = <AuditPage user={user} query={query} />;
      break;
    case "/fairness":
      page = <FairnessPage />;
      break;
    case "/settings":
      page = <SettingsPage />;
      break;
    case "/users":
      page = <UsersPage me={user} />;
      break;
    default:
      page = <WelcomePage user={user} />;
  }

  return (
    <NoticeProvider>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a href="/" onClick={onLinkClick} className="brand">
          Fulcrum
        </a>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          <Icon name="menu" />
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? "open" : undefined}>
          <ul>
            {NAV.filter((n) => n.show(user)).map((n) => (
              <li key={n.href}>
                <a href={n.href} onClick={onLinkClick} aria-current={here === n.href ? "page" : undefined}>
                  <Icon name={n.icon} />
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="me">
          <span>
            {user.name ?? user.email} <span className="role">({user.role.replace("_", " ")})</span>
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading…</p>}>{page}</Suspense>
      </main>
    </NoticeProvider>
  );
}
