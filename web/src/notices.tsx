/** Short status messages, announced to screen readers through a polite live region. */
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

interface Notice {
  id: number;
  text: string;
  kind: "info" | "error";
}

const NoticeContext = createContext<(text: string, kind?: "info" | "error") => void>(() => {});

export function useNotify() {
  return useContext(NoticeContext);
}

let nextId = 1;

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const notify = useCallback((text: string, kind: "info" | "error" = "info") => {
    const id = nextId++;
    setNotices((n) => [...n.slice(-3), { id, text, kind }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 6000);
  }, []);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <p key={n.id} className={`notice ${n.kind}`}>
            {n.text}
          </p>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}
