import { useId, useState, type FormEvent } from 'react';
import { describeError, type Target } from '../api.ts';
import { useSession } from '../session.tsx';
import { Empty, ErrorNote, Notice } from '../ui.tsx';

// The admin's databases: register one, edit its policy (who requests, who approves, how
// many, how long, reason required), change its database users — with what the customer
// must re-install when the permission policy changes.

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

export function TargetsPage() {
  const session = useSession();
  const targets = [...session.targets.values()];
  return (
    <>
      <section aria-labelledby="registered">
        <h2 id="registered">Registered databases</h2>
        {targets.length === 0 ? <Empty>No database is registered yet. Link the customer's account under Integrations, then register its databases below.</Empty> : (
          <ul className="cards">{targets.map((t) => <TargetCard key={`${t.targetId}/${t.version}`} target={t} />)}</ul>
        )}
      </section>
      <RegisterTarget />
    </>
  );
}

function TargetCard({ target }: { target: Target }) {
  const [editing, setEditing] = useState<'policy' | 'users'>();
  const p = target.policy;
  const who = (x: { groups: string[]; principals: string[] }) => [...x.groups.map((g) => `group ${g}`), ...x.principals].join(', ') || 'anyone in the tenant';
  return (
    <li className="card" aria-label={target.name}>
      <div className="card-head"><strong>{target.name}</strong> <span className="meta">{target.engine}{target.aurora ? ' (Aurora)' : ''} · {target.endpoint}:{target.port} · {target.region} · v{target.version}</span></div>
      <p className="meta">
        Users: {target.databaseUsers.join(', ')} · requesters: {who(p.requesters)} · approvers: {who(p.approvers)} · {p.approvalsRequired} approval(s) · up to {p.maxDurationMinutes} min · reason {p.reasonRequired ? 'required' : 'optional'}
        {target.bastionInstanceId ? ` · bastion ${target.bastionInstanceId}` : ''}{target.integrationId ? '' : ' · not linked to an integration: it issues nothing'}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setEditing('policy')} aria-label={`Edit policy: ${target.name}`}>Edit policy</button>
        <button type="button" className="secondary" onClick={() => setEditing('users')} aria-label={`Change users: ${target.name}`}>Change users</button>
      </div>
      {editing === 'policy' ? <PolicyForm target={target} onDone={() => setEditing(undefined)} /> : null}
      {editing === 'users' ? <UsersForm target={target} onDone={() => setEditing(undefined)} /> : null}
    </li>
  );
}

function PolicyForm({ target, onDone }: { target: Target; onDone: () => void }) {
  const session = useSession();
  const p = target.policy;
  const ids = { groups: useId(), principals: useId(), reqGroups: useId(), count: useId(), max: useId(), reason: useId() };
  const [groups, setGroups] = useState(p.approvers.groups.join(', '));
  const [principals, setPrincipals] = useState(p.approvers.principals.join(', '));
  const [reqGroups, setReqGroups] = useState(p.requesters.groups.join(', '));
  const [count, setCount] = useState(String(p.approvalsRequired));
  const [max, setMax] = useState(String(p.maxDurationMinutes));
  const [reason, setReason] = useState(p.reasonRequired);
  const [problem, setProblem] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error, response } = await session.client.PUT('/targets/{targetId}/policy', {
      params: { path: { targetId: target.targetId } },
      body: {
        approvers: { groups: list(groups), principals: list(principals) },
        requesters: { groups: list(reqGroups), principals: p.requesters.principals },
        approvalsRequired: Number(count), maxDurationMinutes: Number(max), reasonRequired: reason,
        pendingTimeoutMinutes: p.pendingTimeoutMinutes, autoApprove: p.autoApprove,
      },
    });
    if (!data) return setProblem(`The policy was not saved: ${describeError(error, response)}`);
    await session.reloadTargets();
    onDone();
  };
  return (
    <form className="grid-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={ids.groups}>Approver groups</label><input id={ids.groups} value={groups} onChange={(e) => setGroups(e.target.value)} />
      <label htmlFor={ids.principals}>Approver users</label><input id={ids.principals} value={principals} onChange={(e) => setPrincipals(e.target.value)} />
      <label htmlFor={ids.reqGroups}>Requester groups (empty: anyone)</label><input id={ids.reqGroups} value={reqGroups} onChange={(e) => setReqGroups(e.target.value)} />
      <label htmlFor={ids.count}>Approvals required</label><input id={ids.count} type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} />
      <label htmlFor={ids.max}>Longest grant (minutes)</label><input id={ids.max} type="number" min={1} value={max} onChange={(e) => setMax(e.target.value)} />
      <label htmlFor={ids.reason}>Reason required</label><input id={ids.reason} type="checkbox" checked={reason} onChange={(e) => setReason(e.target.checked)} />
      <div className="actions"><button type="submit">Save policy</button><button type="button" className="secondary" onClick={onDone}>Cancel</button></div>
      <p className="meta">Saving restarts the quorum of pending requests: approvals under the old policy stop counting.</p>
      <ErrorNote>{problem}</ErrorNote>
    </form>
  );
}

function UsersForm({ target, onDone }: { target: Target; onDone: () => void }) {
  const session = useSession();
  const id = useId();
  const [users, setUsers] = useState(target.databaseUsers.join(', '));
  const [problem, setProblem] = useState<string>();
  const [changed, setChanged] = useState<{ added: string[]; removed: string[] }>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = list(users);
    const { data, error, response } = await session.client.PUT('/targets/{targetId}', { params: { path: { targetId: target.targetId } }, body: { version: target.version, databaseUsers: next } });
    if (!data) return setProblem(`The users were not changed: ${describeError(error, response)}`);
    setChanged({ added: next.filter((u) => !target.databaseUsers.includes(u)), removed: target.databaseUsers.filter((u) => !next.includes(u)) });
  };
  if (changed) {
    const any = changed.added.length + changed.removed.length > 0;
    return (
      <div className="card" role="status">
        {any ? (
          <p>
            Saved. The customer must re-install the setup of this database's integration: its permission policy {changed.added.length ? `now also allows ${changed.added.join(', ')}` : ''}{changed.added.length && changed.removed.length ? ' and ' : ''}{changed.removed.length ? `no longer allows ${changed.removed.join(', ')}` : ''}
            {changed.added.length ? '; create the new users with the setup’s SQL' : ''}. Integrations → Continue → step 2 has the new files and lists the changes.
          </p>
        ) : <p>Nothing changed.</p>}
        <button type="button" className="secondary" onClick={() => { void session.reloadTargets(); onDone(); }}>Done</button>
      </div>
    );
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={id}>Database users (comma-separated)</label>
      <input id={id} value={users} onChange={(e) => setUsers(e.target.value)} />
      <button type="submit">Save users</button>
      <button type="button" className="secondary" onClick={onDone}>Cancel</button>
      <ErrorNote>{problem}</ErrorNote>
    </form>
  );
}

function RegisterTarget() {
  const session = useSession();
  const [form, setForm] = useState<Record<string, string>>({ engine: 'postgres', port: '5432', maxDurationMinutes: '60', approvalsRequired: '1', reasonRequired: '' });
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const idBase = useId();
  const field = (name: string, label: string, type = 'text') => (
    <>
      <label htmlFor={`${idBase}-${name}`}>{label}</label>
      <input id={`${idBase}-${name}`} type={type} value={form[name] ?? ''} onChange={(e) => setForm((f) => ({ ...f, [name]: e.target.value }))} />
    </>
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const v = (name: string) => (form[name] ?? '').trim();
    const { data, error, response } = await session.client.POST('/targets', {
      body: {
        name: v('name'), engine: v('engine') as Target['engine'], endpoint: v('endpoint'), port: Number(v('port')), region: v('region'), accountId: v('accountId'),
        resourceId: v('resourceId'), databaseUsers: list(v('databaseUsers')),
        ...(v('integrationId') ? { integrationId: v('integrationId') } : {}), ...(v('bastionInstanceId') ? { bastionInstanceId: v('bastionInstanceId') } : {}),
        policy: { approvers: { groups: list(v('approverGroups')) }, approvalsRequired: Number(v('approvalsRequired')), maxDurationMinutes: Number(v('maxDurationMinutes')), reasonRequired: v('reasonRequired') === 'yes' },
      },
    });
    if (!data) return setProblem(`The database was not registered: ${describeError(error, response)}`);
    setDone(`Registered ${data.name}. Its integration's setup now covers it: hand the customer the new setup.`);
    await session.reloadTargets();
  };
  return (
    <section aria-labelledby="register">
      <h2 id="register">Register a database</h2>
      <form className="grid-form" onSubmit={(e) => void submit(e)} noValidate>
        {field('name', 'Name')}
        <label htmlFor={`${idBase}-engine`}>Engine</label>
        <select id={`${idBase}-engine`} value={form.engine} onChange={(e) => setForm((f) => ({ ...f, engine: e.target.value }))}>
          <option value="postgres">PostgreSQL</option><option value="mysql">MySQL</option><option value="mariadb">MariaDB</option>
        </select>
        {field('endpoint', 'Endpoint')}
        {field('port', 'Port', 'number')}
        {field('region', 'Region')}
        {field('accountId', 'AWS account ID')}
        {field('resourceId', 'Resource ID (db-… or cluster-…)')}
        {field('databaseUsers', 'Database users (comma-separated)')}
        {field('integrationId', 'Integration ID')}
        {field('bastionInstanceId', 'SSM bastion instance (optional)')}
        {field('approverGroups', 'Approver groups (comma-separated)')}
        {field('approvalsRequired', 'Approvals required', 'number')}
        {field('maxDurationMinutes', 'Longest grant (minutes)', 'number')}
        <label htmlFor={`${idBase}-reason`}>Reason required</label>
        <select id={`${idBase}-reason`} value={form.reasonRequired} onChange={(e) => setForm((f) => ({ ...f, reasonRequired: e.target.value }))}>
          <option value="">no</option><option value="yes">yes</option>
        </select>
        <div className="actions"><button type="submit">Register database</button></div>
      </form>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
    </section>
  );
}
