import type { z } from 'zod';

/**
 * A refused payload's first problem, as plain params the window translates
 * (`errors.validation.*`, `errors.fields.*` in the locale files): the zod
 * issue code, the field it is about, and its bounds. zod's own English text
 * stays in the log message only.
 */
export interface IssueParams {
  /** zod's issue code: too_small, too_big, invalid_type, invalid_format, custom… */
  issue: string;
  /** The last named part of the issue's path (`key`, `styleRepaintCny`); '' for the payload itself. */
  field: string;
  /** What kind of value: `string`, `number`, `int`, `array`… ('' when zod does not say). */
  kind: string;
  minimum?: number;
  maximum?: number;
}

export function issueParams(error: z.ZodError): IssueParams {
  const [first] = error.issues;
  if (!first) return { issue: 'other', field: '', kind: '' };
  const field = [...first.path].reverse().find((part) => typeof part === 'string') ?? '';
  const params: IssueParams = { issue: first.code, field, kind: '' };
  if (first.code === 'too_small' || first.code === 'too_big') params.kind = first.origin;
  if (first.code === 'invalid_type') params.kind = first.expected;
  if (first.code === 'too_small') params.minimum = Number(first.minimum);
  if (first.code === 'too_big') params.maximum = Number(first.maximum);
  return params;
}
