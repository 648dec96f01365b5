// What every fleetstat command shares: command-line errors as one line (a CliFailure), every failure
// left to main.ts to print once, JSON written safe for a terminal.
import { Command, type Interfaces } from '@oclif/core';
import { jsonForTerminal } from '../report/escape.js';
import { writeStdout } from './output.js';
import { parseErrorFailure } from './usage.js';

export abstract class FleetstatCommand extends Command {
  protected override async parse<F extends Interfaces.OutputFlags<any>, B extends Interfaces.OutputFlags<any>, A extends Interfaces.OutputArgs<any>>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv);
    } catch (err) {
      throw parseErrorFailure(err, this.id ?? this.ctor.id);
    }
  }

  /** oclif would print the error here (with --json, its whole configuration); main.ts prints it instead. */
  protected override async catch(err: Error): Promise<never> {
    throw err;
  }

  protected override logJson(json: unknown): void {
    writeStdout(jsonForTerminal(json));
  }
}
