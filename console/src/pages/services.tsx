import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { describeError, type Schemas } from '../api.ts';
import { targetName, useSession } from '../session.tsx';
import { Empty, ErrorNote, Notice, TableWrap, when } from '../ui.tsx';

// Third-party services: IAM roles whose SigV4-signed calls act as a requester, limited to
// the databases and users registered for them.

export function ServicesPage() {
  const session = useSession();
  const [services, setServices] = useState<Schemas['Service'][]>();
  const [problem, setProblem] = useState<string>();
  const load = useCallback(async () => {
    const { data, error, response } = await session.client.GET('/services', { params: { query: { limit: 100 } } });
    if (data) setServices(data.items);
    else setProblem(`Services could not be loaded: ${describeError(error, response)}`);
  }, [session.client]);
  useEffect(() => void load(), [load]);
  return (
    <>
      <section aria-labelledby="registered-services">
        <h2 id="registered-services">Registered services</h2>
        <ErrorNote>{problem}</ErrorNote>
        {services === undefined ? <p>Loading…</p> : services.length === 0 ? <Empty>No service is registered. Register the IAM role a pipeline signs its calls with, below.</Empty> : (
          <TableWrap label="Services">
            <table>
              <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">May request</th><th scope="col">Auto-approved</th><th scope="col">Since</th></tr></thead>
              <tbody>
                {services.map((s) => (
                  <tr key={s.roleArn}>
                    <td>{s.name}</td><td><code>{s.roleArn}</code></td>
                    <td>{s.access.map((a) => `${targetName(session, a.targetId)}: ${a.databaseUsers.join(', ')}`).join('; ')}</td>
                    <td>{s.autoApprove ? 'yes' : 'no'}</td><td>{when(s.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <RegisterService onRegistered={load} />
    </>
  );
}

function RegisterService({ onRegistered }: { onRegistered: () => Promise<void> }) {
  const session = useSession();
  const ids = { name: useId(), role: useId(), target: useId(), users: useId(), auto: useId() };
  const targets = [...session.targets.values()];
  const [name, setName] = useState('');
  const [roleArn, setRoleArn] = useState('');
  const [targetId, setTargetId] = useState('');
  const [users, setUsers] = useState('');
  const [autoApprove, setAutoApprove] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const target = targetId || targets[0]?.targetId;
    if (!target) return setProblem('Register a database first: a service is allowed specific databases.');
    const { data, error, response } = await session.client.POST('/services', {
      body: { name: name.trim(), roleArn: roleArn.trim(), autoApprove, access: [{ targetId: target, databaseUsers: users.split(',').map((u) => u.trim()).filter(Boolean) }] },
    });
    if (!data) return setProblem(`The service was not registered: ${describeError(error, response)}`);
    setDone(`Registered ${data.name}.`);
    await onRegistered();
  };
  return (
    <section aria-labelledby="register-service">
      <h2 id="register-service">Register a service</h2>
      <form className="grid-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.name}>Name</label><input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={ids.role}>IAM role ARN</label><input id={ids.role} value={roleArn} onChange={(e) => setRoleArn(e.target.value)} />
        <label htmlFor={ids.target}>Database</label>
        <select id={ids.target} value={targetId} onChange={(e) => setTargetId(e.target.value)}>
          {targets.map((t) => <option key={t.targetId} value={t.targetId}>{t.name}</option>)}
        </select>
        <label htmlFor={ids.users}>Database users (comma-separated)</label><input id={ids.users} value={users} onChange={(e) => setUsers(e.target.value)} />
        <label htmlFor={ids.auto}>Auto-approve its requests</label><input id={ids.auto} type="checkbox" checked={autoApprove} onChange={(e) => setAutoApprove(e.target.checked)} />
        <div className="actions"><button type="submit">Register service</button></div>
      </form>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
    </section>
  );
}
