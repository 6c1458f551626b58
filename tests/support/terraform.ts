// A small offline reading of the Terraform snippet (no terraform binary here):
// the top-level blocks it declares, its variables' defaults, and the policies
// inside jsonencode(…), evaluated the way Terraform would for those defaults.

export type TerraformReading = {
  blocks: string[];
  variables: Record<string, string>;
  policies: Record<string, unknown>;
};

/** The expression that starts at `open` (a `(`), up to its matching `)`, skipping strings. */
function balanced(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced parentheses');
}

export function readTerraform(hcl: string): TerraformReading {
  const blocks = [...hcl.matchAll(/^(variable|resource|output) ("[^"]+")(?: ("[^"]+"))? \{$/gm)].map((m) => [m[1], m[2], m[3]].filter(Boolean).join(' '));
  const opened = (hcl.match(/\{/g) ?? []).length - (hcl.match(/"[^"\n]*\{[^"\n]*"/g) ?? []).length;
  const closed = (hcl.match(/\}/g) ?? []).length - (hcl.match(/"[^"\n]*\}[^"\n]*"/g) ?? []).length;
  if (opened !== closed) throw new Error(`unbalanced braces: ${opened} { against ${closed} }`);
  const variables: Record<string, string> = {};
  for (const m of hcl.matchAll(/variable "(\w+)" \{[\s\S]*?default\s*=\s*("(?:[^"\\]|\\.)*")[\s\S]*?\n\}/g)) variables[m[1]!] = JSON.parse(m[2]!.replaceAll('$${', () => '${')) as string;
  const policies: Record<string, unknown> = {};
  for (const m of hcl.matchAll(/^\s*(assume_role_policy|policy)\s*=\s*jsonencode\(/gm)) {
    let body = balanced(hcl, m.index! + m[0].length - 1);
    for (const [name, value] of Object.entries(variables)) body = body.replaceAll(`var.${name}`, JSON.stringify(value));
    if (/\bvar\.\w+/.test(body)) throw new Error(`undeclared variable in ${m[1]}`);
    // In HCL strings `$${` is a literal `${`; JSON text otherwise reads the same.
    policies[m[1]!] = JSON.parse(body.replaceAll('$${', () => '${').replaceAll('%%{', '%{'));
  }
  return { blocks, variables, policies };
}
