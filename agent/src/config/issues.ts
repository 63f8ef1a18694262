import { formatPath, issuesOf } from '@branchwatch/contract';
import type { Document, LineCounter } from 'yaml';

/** One problem in a config file: where it is and what is wrong, for a person to fix. */
export interface ConfigIssue {
  /** Field path such as `checks[1].options.count`; empty for the file as a whole. */
  path: string;
  message: string;
  /** 1-based line of the field, or of its nearest parent that exists in the file. */
  line?: number;
}

/** A config file that cannot be used. The message lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `agent.yaml:7: hub.pasword: unknown key`, like a compiler's diagnostics. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

type Path = readonly PropertyKey[];

/** Turns zod issues into config issues, one per unknown key, with zod's wording made shorter. */
export const fromZodIssues = issuesOf;

/** An issue whose path is still a list of keys, before the line is looked up. */
export interface RawIssue {
  path: Path;
  message: string;
}

/** Adds the line of each issue's field (or of the nearest parent present in the file). */
export function locate(
  issues: readonly RawIssue[],
  doc: Document,
  lines: LineCounter,
): ConfigIssue[] {
  return issues.map(({ path, message }) => {
    const located: ConfigIssue = { path: formatPath(path), message };
    for (let depth = path.length; depth > 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) {
        located.line = lines.linePos(node.range[0]).line;
        break;
      }
    }
    return located;
  });
}
