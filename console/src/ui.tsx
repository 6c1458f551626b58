import { useEffect, useId, useState, type ReactNode } from 'react';

// Small pieces every page uses: a status line, an empty state that says what to do,
// a copy button, time left.

export function ErrorNote({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? `Copied ${label}` : `Copy ${label}`}
    </button>
  );
}

/** A line of secret-ish or long text that can be copied, with a visible label. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={value} label={label.toLowerCase()} />
      </div>
    </div>
  );
}

export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function formatLeft(ms: number): string {
  if (ms <= 0) return 'ended';
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
  return minutes > 0 ? `${minutes} min ${seconds} s left` : `${seconds} s left`;
}

export function TimeLeft({ until }: { until: string }) {
  const now = useNow();
  return <span className="time-left">{formatLeft(Date.parse(until) - now)}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** What every view shows of a request beside its status: opened under break-glass (and whether reviewed), its ticket. */
export function RequestMarks({ breakGlass, ticket }: { breakGlass?: { review?: { outcome: string; reviewerId: string } } | true; ticket?: string }) {
  const review = breakGlass === true ? undefined : breakGlass?.review;
  return (
    <>
      {breakGlass ? <span className="badge badge-break-glass">{review ? `break-glass, ${review.outcome} by ${review.reviewerId}` : breakGlass === true ? 'break-glass' : 'break-glass, not yet reviewed'}</span> : null}
      {ticket ? <span className="badge badge-ticket">ticket {ticket}</span> : null}
    </>
  );
}

export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A wide table that scrolls on its own at narrow widths; focusable so the keyboard can scroll it. */
export function TableWrap({ children, label = 'Table' }: { children: ReactNode; label?: string }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
