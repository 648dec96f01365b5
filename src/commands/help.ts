// `fleetstat help [COMMAND]`: the same help as `fleetstat [COMMAND] --help`.
import { Args, loadHelpClass } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { unknownCommandFailure } from '../cli/usage.js';

export default class Help extends FleetstatCommand {
  static override summary = 'Show help for fleetstat, or for one of its commands.';
  static override examples = ['<%= config.bin %> help scan'];
  static override args = {
    command: Args.string({ description: 'the command to explain', required: false }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Help);
    if (args.command !== undefined && this.config.findCommand(args.command) === undefined) {
      throw unknownCommandFailure(args.command, this.config.commandIDs.slice().sort());
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, this.config.pjson.oclif.helpOptions ?? this.config.pjson.helpOptions).showHelp(args.command === undefined ? [] : [args.command]);
  }
}
