package io.gangway.core.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h/--help} and {@code -V/--version}, as picocli's standard help mixin has them, added
 * without it: the mixin is an annotated class that picocli inspects by reflection for each
 * command that asks for it (~10 ms of start-up each, in the interpreter).
 */
final class HelpOptions {

    private HelpOptions() {
    }

    static CommandSpec addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }
}
