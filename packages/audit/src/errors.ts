import { ValidationError, type ValidationIssue } from '@plinth/errors';

/** Collects problems of event or query *data* and throws one ValidationError listing them all. */
export class Issues {
  readonly list: ValidationIssue[] = [];

  add(path: string, message: string, code = 'invalid_format'): void {
    this.list.push({ path, message, code });
  }

  throwIfAny(what: string, code = 'AUDIT_EVENT_INVALID'): void {
    if (this.list.length === 0) return;
    const first = this.list[0]!;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    throw new ValidationError(`Invalid ${what}: ${first.path} ${first.message}${more}`, {
      code,
      errors: this.list,
    });
  }
}
