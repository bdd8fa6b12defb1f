// Sesame's additions to AWS's models: output members that AWS's shapes lack. Each is an element
// the SDKs skip (they read only the members of their own model: checked with the JS SDK v3,
// boto3 and the aws CLI), so a client sees AWS's answer and a raw reader sees Sesame's extra.
import type { ServiceModelDocument, Shape, ShapeRef } from './model.js';

interface Extension {
  /** New shapes, each named `Sesame…` so they never meet one of AWS's. */
  shapes: Record<string, Shape>;
  /** Members added to AWS's structures. */
  members: Record<string, Record<string, ShapeRef>>;
}

const str: Shape = { type: 'string' };
/** Which statement: a deciding one, or the one a failed condition belongs to. */
const STATEMENT: Record<string, ShapeRef> = {
  SourcePolicyId: { shape: 'SesameString' },
  SourcePolicyType: { shape: 'SesameString' },
  StatementIndex: { shape: 'SesameInteger' },
  Sid: { shape: 'SesameString' },
  Effect: { shape: 'SesameString' },
};
const strings: Shape = { type: 'list', member: { shape: 'SesameString' } };

/**
 * IAM's EvaluationResult says which statements matched and which keys were missing, never why a
 * condition failed: `SesameExplanation` adds the deciding statements (with Sid and index) and every
 * failed condition with the values compared (src/simulator/explanation.ts).
 */
const IAM: Extension = {
  shapes: {
    SesameString: str,
    SesameStringList: strings,
    SesameBoolean: { type: 'boolean' },
    SesameInteger: { type: 'integer' },
    SesameExplainedStatement: { type: 'structure', members: STATEMENT },
    SesameExplainedStatementList: { type: 'list', member: { shape: 'SesameExplainedStatement' } },
    SesameFailedCondition: {
      type: 'structure',
      members: {
        ...STATEMENT,
        Operator: { shape: 'SesameString' },
        Key: { shape: 'SesameString' },
        PolicyValues: { shape: 'SesameStringList' },
        RequestValues: { shape: 'SesameStringList' },
        RequestValueMissing: { shape: 'SesameBoolean' },
      },
    },
    SesameFailedConditionList: { type: 'list', member: { shape: 'SesameFailedCondition' } },
    SesameExplanation: {
      type: 'structure',
      members: {
        DecidedBy: { shape: 'SesameString' },
        DecidingStatements: { shape: 'SesameExplainedStatementList' },
        FailedConditions: { shape: 'SesameFailedConditionList' },
        Error: { shape: 'SesameString' },
      },
    },
  },
  members: { EvaluationResult: { SesameExplanation: { shape: 'SesameExplanation' } } },
};

const EXTENSIONS: Partial<Record<string, Extension>> = { iam: IAM };

/** The model with Sesame's additions (a no-op for services without any). */
export function extendModel(name: string, doc: ServiceModelDocument): ServiceModelDocument {
  const ext = EXTENSIONS[name];
  if (!ext) return doc;
  const shapes = { ...doc.shapes, ...ext.shapes };
  for (const [shapeName, members] of Object.entries(ext.members)) {
    const base = shapes[shapeName];
    if (!base) throw new Error(`${name}: no shape ${shapeName} to extend`);
    shapes[shapeName] = { ...base, members: { ...base.members, ...members } };
  }
  return { ...doc, shapes };
}
