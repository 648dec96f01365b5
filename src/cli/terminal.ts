// How the table meets the terminal: its width and its colour, decided from the stream and the
// environment (pure: the caller passes them).

export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Columns the table may take; undefined: no limit. --wide (netstat's -W): no limit. Else COLUMNS when
 * it is a positive number (as ls and ps read it, also into a pipe), else the terminal's width when
 * stdout is one. Piped or redirected output is never cut: grep and awk get every character.
 */
export function tableWidth(stdout: OutputStream, env: NodeJS.ProcessEnv, wide: boolean): number | undefined {
  if (wide) return undefined;
  const columns = env.COLUMNS?.trim() ?? '';
  if (/^[0-9]{1,5}$/.test(columns) && Number(columns) > 0) return Number(columns);
  return stdout.isTTY === true && stdout.columns !== undefined && stdout.columns > 0 ? stdout.columns : undefined;
}

/**
 * Colour only on a terminal, never when NO_COLOR is set to anything non-empty (no-color.org);
 * --color / --no-color decide over both (no-color.org: a command-line flag overrides NO_COLOR).
 */
export function colorWanted(flag: boolean | undefined, stdout: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  if ((env.NO_COLOR ?? '') !== '') return false;
  return stdout.isTTY === true;
}
