// Sesame's explanation of a simulation: each EvaluationResult of SimulateCustomPolicy /
// SimulatePrincipalPolicy carries `SesameExplanation`, an element AWS's SDK skips. The simulator
// keeps the raw answer of its own call (a middleware below the SDK's deserializer reads it and hands
// the same bytes on) and reads the element from it.
import type {
  IAMClient,
  SimulateCustomPolicyCommand,
  SimulateCustomPolicyCommandInput,
  SimulateCustomPolicyCommandOutput,
  SimulatePrincipalPolicyCommand,
  SimulatePolicyResponse,
} from '@aws-sdk/client-iam';
import type { DeserializeHandler, DeserializeHandlerArguments } from '@smithy/types';

export interface ExplainedStatement {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StatementIndex: number;
  Sid?: string;
  Effect: string;
}

export interface FailedCondition extends ExplainedStatement {
  Operator: string;
  Key: string;
  PolicyValues: string[];
  RequestValues?: string[];
  RequestValueMissing: boolean;
}

export interface Explanation {
  DecidedBy?: string;
  DecidingStatements: ExplainedStatement[];
  FailedConditions: FailedCondition[];
  Error?: string;
}

const child = (el: Element, name: string) => [...el.children].find((c) => c.localName === name);
const text = (el: Element, name: string) => child(el, name)?.textContent ?? undefined;
const list = (el: Element | undefined) => [...(el?.children ?? [])].map((m) => m.textContent ?? '');

function statement(el: Element): ExplainedStatement {
  const s: ExplainedStatement = {
    SourcePolicyId: text(el, 'SourcePolicyId') ?? '',
    SourcePolicyType: text(el, 'SourcePolicyType') ?? '',
    StatementIndex: Number(text(el, 'StatementIndex') ?? 0),
    Effect: text(el, 'Effect') ?? '',
  };
  const sid = text(el, 'Sid');
  if (sid !== undefined) s.Sid = sid;
  return s;
}

/** The explanations of the answer's EvaluationResults, in their order (undefined where absent). */
export function explanationsOf(xml: string): (Explanation | undefined)[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const results = doc.getElementsByTagName('EvaluationResults')[0];
  return [...(results?.children ?? [])].map((member) => {
    const e = child(member, 'SesameExplanation');
    if (!e) return undefined;
    const out: Explanation = {
      DecidingStatements: [...(child(e, 'DecidingStatements')?.children ?? [])].map(statement),
      FailedConditions: [...(child(e, 'FailedConditions')?.children ?? [])].map((m) => {
        const c: FailedCondition = {
          ...statement(m),
          Operator: text(m, 'Operator') ?? '',
          Key: text(m, 'Key') ?? '',
          PolicyValues: list(child(m, 'PolicyValues')),
          RequestValueMissing: text(m, 'RequestValueMissing') === 'true',
        };
        if (child(m, 'RequestValues')) c.RequestValues = list(child(m, 'RequestValues'));
        return c;
      }),
    };
    const by = text(e, 'DecidedBy');
    if (by !== undefined) out.DecidedBy = by;
    const err = text(e, 'Error');
    if (err !== undefined) out.Error = err;
    return out;
  });
}

/** Sends a simulate command; its output, and the explanation of each result. */
export async function simulateExplained(
  iam: IAMClient,
  command: SimulateCustomPolicyCommand | SimulatePrincipalPolicyCommand,
): Promise<{ output: SimulatePolicyResponse; explanations: (Explanation | undefined)[] }> {
  let raw = '';
  // Both commands share the output type; their stacks differ only in the input type.
  (command as SimulateCustomPolicyCommand).middlewareStack.add(
    (next: DeserializeHandler<SimulateCustomPolicyCommandInput, SimulateCustomPolicyCommandOutput>) =>
      async (args: DeserializeHandlerArguments<SimulateCustomPolicyCommandInput>) => {
        const out = await next(args);
        const res = out.response as { body: unknown };
        const bytes = new Uint8Array(await new Response(res.body as BodyInit).arrayBuffer());
        raw = new TextDecoder().decode(bytes);
        res.body = bytes;
        return out;
      },
    { step: 'deserialize', priority: 'low', name: 'sesameRawAnswer' },
  );
  const output = (await iam.send(command as SimulateCustomPolicyCommand)) as SimulatePolicyResponse;
  return { output, explanations: explanationsOf(raw) };
}
