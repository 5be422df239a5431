package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private long now;

    @Test
    void quietForShortRunsThenPlainLinesWithoutControlCharactersOffATerminal() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = new Progress("task", 100, new PrintStream(buf, true), false, () -> now)) {
            for (int i = 0; i < 10; i++) {
                now += 100_000_000L; // 0.1 s per step: the first second stays quiet
                p.step();
            }
            assertEquals("", buf.toString());
            for (int i = 0; i < 90; i++) {
                now += 1_000_000_000L; // then 1 s per step: a line at most every 10 s
                p.step("loss 0.5");
            }
        }
        String out = buf.toString();
        assertFalse(out.contains("\r") || out.contains("\u001b"), out);
        long lines = out.lines().count();
        assertTrue(lines >= 5 && lines <= 12, lines + " lines:\n" + out);
        assertTrue(out.lines().reduce((a, b) -> b).orElseThrow().startsWith("task: 100% (100/100)"), out);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = new Progress("t", 4, new PrintStream(buf, true), true, () -> now)) {
            now += 3_000_000_000L;
            p.step();
            now += 1_000_000_000L;
            p.step(3, null);
        }
        String out = buf.toString();
        assertTrue(out.startsWith("\rt [") && out.contains("100%") && out.endsWith(System.lineSeparator()), out);
    }
}
