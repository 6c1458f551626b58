// An offline check of the customer-role CloudFormation template, in place of a
// linter: AWS's cfn-lint is Python (PyPI is out of reach here), and the npm
// package of the same name (martysweet/cfn-lint, an unrelated project) carries a
// deprecation/retirement notice pointing to AWS's. It knows the few things the
// template uses — the template anatomy, parameter properties, AWS::IAM::Role's
// properties (CloudFormation user guide, AWS::IAM::Role) and the intrinsic
// functions Ref, Fn::If, Fn::Not, Fn::Equals, Fn::Or, Fn::Join, Fn::GetAtt,
// Condition — and it renders the template for given parameters, so a test can
// compare what CloudFormation would create with the policies the JSON setup shows.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const TOP_LEVEL = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs']);
const PARAMETER_PROPS = new Set(['Type', 'Description', 'Default', 'AllowedPattern', 'AllowedValues', 'MinLength', 'MaxLength', 'MinValue', 'MaxValue', 'NoEcho', 'ConstraintDescription']);
const PARAMETER_TYPES = new Set(['String', 'Number', 'CommaDelimitedList', 'List<Number>']);
const ROLE_PROPS = new Set(['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata']);
const ROLE_ATTRIBUTES = new Set(['Arn', 'RoleId']);
const PSEUDO = new Set(['AWS::AccountId', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::URLSuffix']);
const FUNCTIONS = new Set(['Ref', 'Fn::If', 'Fn::Not', 'Fn::Equals', 'Fn::Or', 'Fn::And', 'Fn::Join', 'Fn::GetAtt', 'Fn::Split', 'Fn::Select', 'Fn::Sub', 'Condition']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems found, as readable strings; an empty list means the template passed. */
export function validateTemplate(template: unknown): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (!isObj(template)) return ['template: not an object'];
  for (const key of Object.keys(template)) if (!TOP_LEVEL.has(key)) fail(key, 'is not a template section');
  if (template.AWSTemplateFormatVersion !== undefined && template.AWSTemplateFormatVersion !== '2010-09-09') fail('AWSTemplateFormatVersion', 'must be 2010-09-09');
  if (typeof template.Description === 'string' && template.Description.length > 1024) fail('Description', 'is longer than 1024 bytes');

  const parameters = isObj(template.Parameters) ? template.Parameters : {};
  const conditions = isObj(template.Conditions) ? template.Conditions : {};
  const resources = isObj(template.Resources) ? template.Resources : {};
  if (Object.keys(resources).length === 0) fail('Resources', 'must declare at least one resource');
  const logical = /^[A-Za-z0-9]{1,255}$/;

  for (const [name, p] of Object.entries(parameters)) {
    if (!logical.test(name)) fail(`Parameters.${name}`, 'is not an alphanumeric logical id');
    if (!isObj(p)) { fail(`Parameters.${name}`, 'is not an object'); continue; }
    for (const key of Object.keys(p)) if (!PARAMETER_PROPS.has(key)) fail(`Parameters.${name}.${key}`, 'is not a parameter property');
    if (!PARAMETER_TYPES.has(String(p.Type))) fail(`Parameters.${name}.Type`, `unknown type ${String(p.Type)}`);
    if (p.Default !== undefined && typeof p.Default !== 'string') fail(`Parameters.${name}.Default`, 'must be a string');
    if (typeof p.Default === 'string' && p.Default !== '' && typeof p.AllowedPattern === 'string' && p.Type === 'String') {
      // CloudFormation matches AllowedPattern against the whole value.
      if (!new RegExp(`^(?:${p.AllowedPattern})$`).test(p.Default)) fail(`Parameters.${name}.Default`, 'does not match AllowedPattern');
    }
    if (typeof p.Default === 'string' && typeof p.MaxLength === 'number' && p.Default.length > p.MaxLength) fail(`Parameters.${name}.Default`, 'is longer than MaxLength');
    if (typeof p.Default === 'string' && Buffer.byteLength(p.Default) > 4096) fail(`Parameters.${name}.Default`, 'exceeds 4096 bytes');
  }

  const refTargets = new Set([...Object.keys(parameters), ...Object.keys(resources), ...PSEUDO]);
  const walk = (value: Json, where: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (!isObj(value)) return;
    const keys = Object.keys(value);
    const fn = keys.find((k) => k === 'Ref' || k.startsWith('Fn::') || k === 'Condition');
    if (fn && keys.length === 1) {
      if (!FUNCTIONS.has(fn)) fail(where, `unknown intrinsic ${fn}`);
      const arg = value[fn]!;
      if (fn === 'Ref' && !refTargets.has(String(arg))) fail(where, `Ref to unknown ${String(arg)}`);
      if ((fn === 'Condition') && !(String(arg) in conditions)) fail(where, `unknown condition ${String(arg)}`);
      if (fn === 'Fn::If') {
        if (!Array.isArray(arg) || arg.length !== 3) fail(where, 'Fn::If takes [condition, then, else]');
        else if (!(String(arg[0]) in conditions)) fail(where, `Fn::If on unknown condition ${String(arg[0])}`);
      }
      if (fn === 'Fn::GetAtt') {
        const [resource, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        if (!resource || !isObj(resources[resource])) fail(where, `GetAtt of unknown resource ${resource}`);
        else if ((resources[resource] as Obj).Type === 'AWS::IAM::Role' && !ROLE_ATTRIBUTES.has(attribute ?? '')) fail(where, `AWS::IAM::Role has no attribute ${attribute}`);
      }
      if (fn === 'Fn::Join' && (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string')) fail(where, 'Fn::Join takes [delimiter, list]');
      if (fn === 'Fn::Equals' && (!Array.isArray(arg) || arg.length !== 2)) fail(where, 'Fn::Equals takes two values');
      if ((fn === 'Fn::Or' || fn === 'Fn::And') && (!Array.isArray(arg) || arg.length < 2 || arg.length > 10)) fail(where, `${fn} takes 2 to 10 conditions`);
      if (fn === 'Fn::Not' && (!Array.isArray(arg) || arg.length !== 1)) fail(where, 'Fn::Not takes one condition');
      return walk(arg, `${where}.${fn}`);
    }
    for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };

  for (const [name, c] of Object.entries(conditions)) walk(c, `Conditions.${name}`);
  for (const [name, r] of Object.entries(resources)) {
    if (!logical.test(name)) fail(`Resources.${name}`, 'is not an alphanumeric logical id');
    if (!isObj(r)) { fail(`Resources.${name}`, 'is not an object'); continue; }
    for (const key of Object.keys(r)) if (!RESOURCE_KEYS.has(key)) fail(`Resources.${name}.${key}`, 'is not a resource attribute');
    if (r.Type !== 'AWS::IAM::Role') { fail(`Resources.${name}.Type`, `this checker knows AWS::IAM::Role only, not ${String(r.Type)}`); continue; }
    const props = isObj(r.Properties) ? r.Properties : {};
    for (const key of Object.keys(props)) if (!ROLE_PROPS.has(key)) fail(`Resources.${name}.Properties.${key}`, 'is not a property of AWS::IAM::Role');
    if (props.AssumeRolePolicyDocument === undefined) fail(`Resources.${name}.Properties`, 'AssumeRolePolicyDocument is required');
    if (typeof props.Path === 'string' && !/^\/(?:[\x21-\x7E]+\/)?$/.test(props.Path)) fail(`Resources.${name}.Properties.Path`, 'must begin and end with /');
    if (typeof props.MaxSessionDuration === 'number' && (props.MaxSessionDuration < 3600 || props.MaxSessionDuration > 43_200)) fail(`Resources.${name}.Properties.MaxSessionDuration`, 'must be 3600–43200');
    if (props.Policies !== undefined && !Array.isArray(props.Policies)) fail(`Resources.${name}.Properties.Policies`, 'must be a list');
    for (const [i, p] of (Array.isArray(props.Policies) ? props.Policies : []).entries()) {
      const policy = isObj(p) && 'Fn::If' in p ? ((p['Fn::If'] as Json[])[1] as Json) : p;
      if (!isObj(policy) || typeof policy.PolicyName !== 'string' || policy.PolicyDocument === undefined) fail(`Resources.${name}.Properties.Policies[${i}]`, 'needs PolicyName and PolicyDocument');
      else for (const key of Object.keys(policy)) if (key !== 'PolicyName' && key !== 'PolicyDocument') fail(`Resources.${name}.Properties.Policies[${i}].${key}`, 'is not a Policy property');
    }
    walk(props, `Resources.${name}.Properties`);
  }
  for (const [name, o] of Object.entries(isObj(template.Outputs) ? template.Outputs : {})) {
    if (!isObj(o) || o.Value === undefined) fail(`Outputs.${name}`, 'needs a Value');
    else walk(o, `Outputs.${name}`);
  }
  return problems;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Renders the template's resources as CloudFormation would for these parameter values (defaults otherwise). */
export function renderTemplate(template: Obj, given: Record<string, string> = {}): Record<string, Obj> {
  const parameters = (template.Parameters ?? {}) as Record<string, Obj>;
  const value = (name: string): Json => {
    const p = parameters[name]!;
    const raw = given[name] ?? (p.Default as string | undefined);
    if (raw === undefined) throw new Error(`parameter ${name} has no value`);
    return p.Type === 'CommaDelimitedList' ? raw.split(',') : raw;
  };
  const conditions = (template.Conditions ?? {}) as Record<string, Json>;
  const condition = (name: string): boolean => Boolean(evaluate(conditions[name]!));
  function evaluate(node: Json): any {
    if (Array.isArray(node)) return node.map(evaluate).filter((v) => v !== NO_VALUE);
    if (!isObj(node)) return node;
    const [fn] = Object.keys(node);
    const arg = node[fn!]!;
    switch (fn) {
      case 'Ref':
        if (arg === 'AWS::NoValue') return NO_VALUE;
        return value(String(arg));
      case 'Condition':
        return condition(String(arg));
      case 'Fn::If': {
        const [c, then, otherwise] = arg as [string, Json, Json];
        return evaluate(condition(c) ? then : otherwise);
      }
      case 'Fn::Not':
        return !evaluate((arg as Json[])[0]!);
      case 'Fn::Equals': {
        const [a, b] = (arg as Json[]).map(evaluate);
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Or':
        return (arg as Json[]).some((c) => evaluate(c));
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, Json];
        return (evaluate(list) as string[]).join(delimiter);
      }
      case 'Fn::GetAtt':
        return `<${(arg as string[]).join('.')}>`;
      default:
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, evaluate(v)]).filter(([, v]) => v !== NO_VALUE));
    }
  }
  return Object.fromEntries(Object.entries(template.Resources as Obj).map(([id, r]) => [id, evaluate(r) as Obj]));
}
