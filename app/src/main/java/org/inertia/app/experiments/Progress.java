package org.inertia.app.experiments;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard error for loops that take more than a few seconds. Nothing is drawn during
 * the first {@value #QUIET_MS} ms, so short runs (and most tests) print nothing. On a terminal the bar
 * is redrawn in place ({@code \r}) at most ten times a second; when standard output is not a terminal
 * (CI, a pipe, a test) a plain line is printed at most every {@value #PLAIN_EVERY_MS} ms instead, so logs
 * stay short and free of control characters.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("logreg NAG", steps)) {
 *     for (...) { ...; p.step(String.format("loss %.3f", loss)); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
    static final long QUIET_MS = 2000;
    static final long PLAIN_EVERY_MS = 10_000;
    private static final int WIDTH = 30;

    private final String task;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final java.util.function.LongSupplier clock;
    private final long startNanos;
    private long done;
    private long lastDrawMs = -1;
    private boolean drawn;
    private String note = "";

    Progress(String task, long total, PrintStream err, boolean terminal) {
        this(task, total, err, terminal, System::nanoTime);
    }

    /** With a clock in nanoseconds (tests pass a fake one). */
    Progress(String task, long total, PrintStream err, boolean terminal, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.task = task;
        this.total = Math.max(1, total);
        this.err = err;
        this.terminal = terminal;
    }

    /** A bar for {@code total} units of work. */
    public static Progress start(String task, long total) {
        java.io.Console c = System.console();
        boolean tty = c != null && c.isTerminal() && !"plain".equals(System.getenv("INERTIA_PROGRESS"));
        return new Progress(task, total, System.err, tty);
    }

    /** One unit done. */
    public void step() {
        step(1, null);
    }

    /** One unit done, with a short status (e.g. the current loss) shown beside the bar. */
    public void step(String status) {
        step(1, status);
    }

    /** {@code units} done. */
    public void step(long units, String status) {
        done = Math.min(total, done + units);
        if (status != null) {
            note = status;
        }
        long ms = (clock.getAsLong() - startNanos) / 1_000_000;
        if (ms < QUIET_MS) {
            return;
        }
        long every = terminal ? 100 : PLAIN_EVERY_MS;
        if (lastDrawMs < 0 || ms - lastDrawMs >= every || done == total) {
            draw(ms);
        }
    }

    /** Units done so far. */
    public long done() {
        return done;
    }

    private void draw(long ms) {
        lastDrawMs = ms;
        drawn = true;
        double f = (double) done / total;
        String line;
        String eta = done == 0 ? "?" : clock((long) (ms * (1 - f) / f / 1000));
        if (terminal) {
            int fill = (int) Math.round(f * WIDTH);
            line = String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%% %d/%d %s eta %s %s", task, "=".repeat(fill),
                    " ".repeat(WIDTH - fill), 100 * f, done, total, clock(ms / 1000), eta, note);
            err.print(line + "\u001b[K"); // clear to the end of the line
        } else {
            line = String.format(Locale.ROOT, "%s: %3.0f%% (%d/%d) %s elapsed, eta %s %s", task, 100 * f, done, total,
                    clock(ms / 1000), eta, note);
            err.println(line.stripTrailing());
        }
        err.flush();
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** Ends the bar (a final newline on a terminal when something was drawn). */
    @Override
    public void close() {
        long ms = (clock.getAsLong() - startNanos) / 1_000_000;
        if (drawn && lastDrawMs != ms && (terminal || done != total)) {
            draw(ms);
        }
        if (drawn && terminal) {
            err.println();
        }
    }
}
