package org.inertia.app.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that started a verb, for reports (so a run can be repeated). */
final class CommandLines {
    private CommandLines() {
    }

    /** {@code ./inertia <verb> <args…>} as parsed, or just the verb when it was not started from a command line. */
    static String of(CommandSpec spec) {
        if (spec == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("./inertia ").append(spec.name());
        var pr = spec.commandLine().getParseResult();
        List<String> args = pr == null ? List.of() : pr.originalArgs();
        boolean afterVerb = false;
        for (String a : args) {
            if (!afterVerb && a.equals(spec.name())) {
                afterVerb = true;
                continue;
            }
            if (afterVerb || pr.originalArgs().indexOf(spec.name()) < 0) {
                sb.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
            }
        }
        return sb.toString();
    }
}
