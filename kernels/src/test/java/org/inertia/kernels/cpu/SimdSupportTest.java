package org.inertia.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM without the vector module says so loudly, once; the explicit opt-out is silent. */
class SimdSupportTest {
    /** The child: decides, and prints the decision. */
    public static void main(String[] args) {
        System.out.println("enabled=" + SimdSupport.enabled() + " " + SimdSupport.describe());
        System.out.println("again=" + SimdSupport.enabled());
    }

    private record Run(String out, String err) {
    }

    private static Run child(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SimdSupportTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), err);
        return new Run(out, err);
    }

    @Test
    void aMissingVectorModuleGivesOneLoudWarningWithTheSlowdownAndTheFix() throws Exception {
        Run r = child();
        assertTrue(r.out().contains("enabled=false scalar"), r.out());
        assertEquals(1, r.err().split("jdk.incubator.vector module is not in this JVM", -1).length - 1,
                "exactly one warning: " + r.err());
        assertTrue(r.err().contains("100x slower") && r.err().contains("--add-modules jdk.incubator.vector")
                && r.err().contains("-Dinertia.simd=false"), r.err());
    }

    @Test
    void theExplicitOptOutIsSilentAndTheModuleTurnsSimdOn() throws Exception {
        Run off = child("-Dinertia.simd=false");
        assertTrue(off.out().contains("enabled=false"), off.out());
        assertFalse(off.err().contains("Inertia"), off.err());
        Run on = child("--add-modules", "jdk.incubator.vector");
        assertTrue(on.out().contains("enabled=true SIMD"), on.out());
        assertFalse(on.err().contains("Inertia"), on.err());
    }
}
