import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { describeError, type Integration, type Schemas } from '../api.ts';
import { useSession } from '../session.tsx';
import { CopyField, Empty, ErrorNote, Notice, StatusBadge, TableWrap, when } from '../ui.tsx';

// The admin's onboarding wizard for a customer AWS account, in the order the customer
// works (docs/connect-a-customer-account.md): link the account (Latchkey generates the
// external ID), hand over the setup (quick-create link, CloudFormation, Terraform, SQL),
// register the role ARN the customer hands back, verify — each failure with its fix.

type Reason = NonNullable<Schemas['Verification']['reason']>;

/** What to tell the customer for each refusal (the same table as the customer guide). */
export const FIXES: Record<Reason, (i: { externalId: string; accountId: string }) => string> = {
  external_id_not_enforced: (i) => `Send the customer the trust policy of step 2 again: every statement trusting Latchkey must carry the condition sts:ExternalId = ${i.externalId}, and no statement may trust it without. Then verify again.`,
  trust_too_broad: () => "Send the customer the trust policy of step 2 again: a principal other than Latchkey's broker role could assume the role with its external ID (a Principal of \"*\" or a whole account). The Principal of every statement that allows sts:AssumeRole, sts:TagSession or sts:SetSourceIdentity must be exactly the broker role ARN of step 2; then verify again.",
  not_assumable: (i) => `Check with the customer that the role exists in ${i.accountId}, trusts exactly the broker role of step 2's setup, and requires external ID ${i.externalId}; then register its exact ARN and verify again.`,
  missing_tag_session: () => 'Ask the customer to add sts:TagSession next to sts:AssumeRole in the trust policy (step 2 has it), then verify again.',
  missing_set_source_identity: () => 'Ask the customer to add sts:SetSourceIdentity next to sts:AssumeRole in the trust policy (step 2 has it), then verify again.',
  wrong_account: (i) => `Register a role in the integration's account ${i.accountId}; a role in another account cannot be used here.`,
  sts_error: () => 'Nothing was concluded (STS throttled or failed): verify again in a minute.',
};

export function IntegrationsPage() {
  const session = useSession();
  const [integrations, setIntegrations] = useState<Integration[]>();
  const [current, setCurrent] = useState<string>();
  const [problem, setProblem] = useState<string>();

  const load = useCallback(async () => {
    const { data, error, response } = await session.client.GET('/integrations', { params: { query: { limit: 100 } } });
    if (data) setIntegrations(data.items);
    else setProblem(`Integrations could not be loaded: ${describeError(error, response)}`);
  }, [session.client]);
  useEffect(() => void load(), [load]);

  const integration = integrations?.find((i) => i.integrationId === current);
  return (
    <>
      <section aria-labelledby="linked">
        <h2 id="linked">Linked accounts</h2>
        <ErrorNote>{problem}</ErrorNote>
        {integrations === undefined ? <p>Loading…</p> : integrations.length === 0 ? (
          <Empty>No customer account is linked yet. Start with step 1 below.</Empty>
        ) : (
          <TableWrap label="Linked accounts">
            <table>
              <thead><tr><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Status</th><th scope="col">Role</th><th scope="col"><span className="meta">Action</span></th></tr></thead>
              <tbody>
                {integrations.map((i) => (
                  <tr key={i.integrationId}>
                    <td>{i.name}</td><td>{i.accountId}</td><td><StatusBadge status={i.status} /></td><td><code>{i.roleArn ?? '—'}</code></td>
                    <td><button type="button" className="secondary" onClick={() => setCurrent(i.integrationId)} aria-label={`Continue onboarding ${i.name}`}>Continue</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <Wizard integration={integration} onChanged={async (id) => { setCurrent(id); await load(); }} />
    </>
  );
}

function Wizard({ integration, onChanged }: { integration: Integration | undefined; onChanged: (id: string) => Promise<void> }) {
  const step = !integration ? 1 : integration.status === 'verified' ? 5 : integration.roleArn ? 4 : 2;
  const state = (n: number) => (n < step ? 'done' : n === step ? 'current' : '');
  return (
    <section aria-labelledby="wizard">
      <h2 id="wizard">Onboard a customer account{integration ? `: ${integration.name}` : ''}</h2>
      <ol className="steps">
        <li className={state(1)}>
          <h3>1. Link the account</h3>
          {integration ? <p>Linked {integration.accountId} on {when(integration.createdAt)}.</p> : <LinkAccount onLinked={onChanged} />}
        </li>
        <li className={state(2)}>
          <h3>2. Hand the customer the setup</h3>
          {integration ? <Setup integration={integration} /> : <p className="meta">After step 1.</p>}
        </li>
        <li className={state(3)}>
          <h3>3. Register the role the customer created</h3>
          {integration ? <RegisterRole integration={integration} onRegistered={onChanged} /> : <p className="meta">After step 2.</p>}
        </li>
        <li className={state(4)}>
          <h3>4. Verify</h3>
          {integration?.roleArn ? <VerifyRole integration={integration} onVerified={onChanged} /> : <p className="meta">After step 3.</p>}
        </li>
      </ol>
    </section>
  );
}

function LinkAccount({ onLinked }: { onLinked: (id: string) => Promise<void> }) {
  const session = useSession();
  const ids = { name: useId(), account: useId() };
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{12}$/.test(accountId.trim())) return setProblem('The AWS account ID is 12 digits.');
    if (name.trim() === '') return setProblem('Give the link a name, e.g. the customer and environment (acme-prod).');
    const { data, error, response } = await session.client.POST('/integrations', { body: { name: name.trim(), accountId: accountId.trim() } });
    if (!data) return setProblem(`The account could not be linked: ${describeError(error, response)}`);
    await onLinked(data.integrationId);
  };
  return (
    <form className="grid-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={ids.name}>Name</label>
      <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={ids.account}>AWS account ID</label>
      <input id={ids.account} inputMode="numeric" value={accountId} onChange={(e) => setAccountId(e.target.value)} />
      <div className="actions"><button type="submit">Link account</button></div>
      <ErrorNote>{problem}</ErrorNote>
    </form>
  );
}

const FILES = [
  { format: 'cloudformation', label: 'CloudFormation template', name: (id: string) => `latchkey-${id}.cfn.json`, type: 'application/json' },
  { format: 'terraform', label: 'Terraform', name: (id: string) => `latchkey-${id}.tf`, type: 'text/plain' },
  { format: 'sql', label: 'SQL for the database users', name: (id: string) => `latchkey-${id}.sql`, type: 'text/plain' },
] as const;

function Setup({ integration }: { integration: Integration }) {
  const session = useSession();
  const [setup, setSetup] = useState<Schemas['IntegrationSetup']>();
  const [problem, setProblem] = useState<string>();
  const path = { integrationId: integration.integrationId };
  useEffect(() => {
    void (async () => {
      const { data, error, response } = await session.client.GET('/integrations/{integrationId}/setup', { params: { path: { integrationId: integration.integrationId }, query: { format: 'json' } } });
      if (data) setSetup(data as Schemas['IntegrationSetup']);
      else setProblem(`The setup could not be produced: ${describeError(error, response)}`);
    })();
  }, [session.client, integration.integrationId, integration.version]);

  const save = async (file: (typeof FILES)[number]) => {
    const { data, error, response } = await session.client.GET('/integrations/{integrationId}/setup', { params: { path, query: { format: file.format } }, parseAs: 'text' });
    if (data === undefined) return setProblem(`The ${file.label} could not be downloaded: ${describeError(error, response)}`);
    const url = URL.createObjectURL(new Blob([data], { type: file.type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name(integration.integrationId);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div>
      <CopyField label="External ID" value={integration.externalId} />
      <p className="meta">Latchkey generated it; it never changes. The role's trust policy must require it.</p>
      <ErrorNote>{problem}</ErrorNote>
      {setup ? (
        <>
          <p>
            The customer enables IAM database authentication on each database ({setup.databases.length === 0 ? 'none registered yet: register them under Databases with this integration' : setup.databases.map((d) => d.name).join(', ')}), creates the database users with the SQL, and installs the role <code>{setup.roleName}</code>:
          </p>
          {'reason' in setup.cloudFormation.quickCreate ? (
            <p className="meta">No quick-create link: {setup.cloudFormation.quickCreate.reason}</p>
          ) : (
            <p><a href={setup.cloudFormation.quickCreate.url} target="_blank" rel="noreferrer noopener">Quick-create the stack in the customer's AWS console</a></p>
          )}
          <div className="actions">
            {FILES.map((f) => <button key={f.format} type="button" className="secondary" onClick={() => void save(f)}>Download {f.label}</button>)}
          </div>
          {setup.changes.added.length + setup.changes.removed.length > 0 ? (
            <div className="card">
              <p><strong>Changed since the setup of {setup.changes.since ? when(setup.changes.since) : 'before'}: the customer must install this one.</strong></p>
              {setup.changes.added.length ? <p>Added: {setup.changes.added.map((a) => <code key={a}>{a} </code>)}</p> : null}
              {setup.changes.removed.length ? <p>Removed: {setup.changes.removed.map((a) => <code key={a}>{a} </code>)}</p> : null}
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function RegisterRole({ integration, onRegistered }: { integration: Integration; onRegistered: (id: string) => Promise<void> }) {
  const session = useSession();
  const id = useId();
  const [roleArn, setRoleArn] = useState(integration.roleArn ?? '');
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (!roleArn.trim().startsWith(`arn:aws:iam::${integration.accountId}:role/`)) return setProblem(`The role ARN must be in account ${integration.accountId}: arn:aws:iam::${integration.accountId}:role/…`);
    const { data, error, response } = await session.client.PUT('/integrations/{integrationId}/role', { params: { path: { integrationId: integration.integrationId } }, body: { roleArn: roleArn.trim() } });
    if (!data) return setProblem(`The role was not registered: ${describeError(error, response)}`);
    setDone('Registered. The integration stays pending until it is verified.');
    await onRegistered(integration.integrationId);
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={id}>Role ARN</label>
      <input id={id} className="wide" value={roleArn} spellCheck={false} placeholder={`arn:aws:iam::${integration.accountId}:role/…`} onChange={(e) => setRoleArn(e.target.value)} />
      <button type="submit">Register role</button>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
    </form>
  );
}

function VerifyRole({ integration, onVerified }: { integration: Integration; onVerified: (id: string) => Promise<void> }) {
  const session = useSession();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const verification = integration.verification;
  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await session.client.POST('/integrations/{integrationId}/verify', { params: { path: { integrationId: integration.integrationId } } });
    setBusy(false);
    if (!data) return setProblem(`Verification could not run: ${describeError(error, response)}`);
    await onVerified(integration.integrationId);
  };
  return (
    <div>
      <p>Latchkey assumes the role with the external ID (must succeed), and without it and with a wrong one (both must fail).</p>
      <button type="button" disabled={busy} onClick={() => void run()}>Verify role</button>
      <ErrorNote>{problem}</ErrorNote>
      {verification ? (
        <div className={verification.outcome === 'verified' ? 'notice' : 'error'} role={verification.outcome === 'verified' ? 'status' : 'alert'}>
          {verification.outcome === 'verified' ? (
            <p>Verified on {when(verification.at)}: {integration.name} is <StatusBadge status="verified" /> and can issue credentials.</p>
          ) : (
            <>
              <p><strong>Verification failed ({verification.reason}).</strong> {verification.message}</p>
              {verification.reason ? <p><strong>What to do:</strong> {FIXES[verification.reason]({ externalId: integration.externalId, accountId: integration.accountId })}</p> : null}
            </>
          )}
          <TableWrap label="Verification probes">
            <table>
              <thead><tr><th scope="col">Probe</th><th scope="col">Expected</th><th scope="col">Observed</th></tr></thead>
              <tbody>{verification.checks.map((c) => <tr key={c.probe}><td>{c.probe}</td><td>{c.expected}</td><td>{c.observed}{c.detail ? ` (${c.detail})` : ''}</td></tr>)}</tbody>
            </table>
          </TableWrap>
        </div>
      ) : null}
    </div>
  );
}
