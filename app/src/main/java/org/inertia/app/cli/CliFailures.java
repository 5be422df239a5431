package org.inertia.app.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.inertia.nn.data.DatasetNotFoundException;
import org.inertia.nn.data.IdxFormatException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns a failure the user can act on into the one line {@link Main} prints: {@code <option> <path>:
 * <reason>} for input/output and data-format failures (which option's file it was: the {@link Path} option
 * whose value holds the file, else {@code --data} for data that cannot be read and {@code --out} for
 * results that cannot be written), the message itself for a {@link CliError} or a missing data set.
 * Anything else is a bug and keeps its stack trace.
 */
final class CliFailures {
    private static final Pattern FILE_NOT_FOUND = Pattern.compile("(.*) \\((.*)\\)");

    private CliFailures() {
    }

    /** The line to print for {@code ex} during the verb {@code spec}, or null if it is not the user's to fix. */
    static String oneLine(Throwable ex, CommandSpec spec) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (e instanceof CliError || e instanceof DatasetNotFoundException) {
            return e.getMessage();
        }
        if (e instanceof IdxFormatException idx) {
            String prefix = idx.file() + ": ";
            String msg = idx.getMessage();
            return located(spec, "--data", idx.file(), msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return located(spec, "--out", Path.of(fs.getFile()), reason(fs));
        }
        if (e instanceof FileNotFoundException fnf && fnf.getMessage() != null) {
            Matcher m = FILE_NOT_FOUND.matcher(fnf.getMessage());
            if (m.matches()) {
                return located(spec, "--out", Path.of(m.group(1)), m.group(2).toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (e instanceof IOException io) {
            Path out = optionValue(spec, "--out");
            String reason = io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
            return "--out " + (out == null ? "" : out + ": ") + reason;
        }
        return null;
    }

    /** {@code <option> <file>: <reason>}, the option being the Path option whose value holds {@code file}. */
    private static String located(CommandSpec spec, String fallback, Path file, String reason) {
        Path abs = file.toAbsolutePath().normalize();
        String option = fallback;
        int best = -1;
        if (spec != null) {
            for (OptionSpec o : spec.options()) {
                if (o.getValue() instanceof Path p) {
                    Path v = p.toAbsolutePath().normalize();
                    if (abs.startsWith(v) && v.getNameCount() > best) {
                        best = v.getNameCount();
                        option = o.longestName();
                    }
                }
            }
        }
        return option + " " + file + ": " + reason;
    }

    private static Path optionValue(CommandSpec spec, String name) {
        if (spec == null || spec.findOption(name) == null) {
            return null;
        }
        return spec.findOption(name).getValue() instanceof Path p ? p : null;
    }

    private static String reason(FileSystemException fs) {
        if (fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return switch (fs) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "not a directory";
            case FileAlreadyExistsException x -> "a file is in the way";
            default -> fs.getClass().getSimpleName();
        };
    }
}
