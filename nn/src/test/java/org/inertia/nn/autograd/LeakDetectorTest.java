package org.inertia.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;

/** The safety net for op results made outside any {@link TensorScope}. */
class LeakDetectorTest {
    private static final int BYTES = 256 * Float.BYTES; // one [16, 16] F32 result

    @Test
    void resultsOutsideAScopeAreChargedUntilClosedAndScopedOnesNever() {
        try (Tensor a = Tensor.parameter(NdArray.full(Dtype.F32, 1, 16, 16))) {
            long base = LeakDetector.openBytes();
            Tensor loose = a.add(a);
            assertEquals(base + BYTES, LeakDetector.openBytes());
            Tensor reshaped = loose.reshape(256); // ops copy: a second buffer
            assertEquals(base + 2 * BYTES, LeakDetector.openBytes());
            reshaped.close();
            loose.close();
            loose.close(); // idempotent
            assertEquals(base, LeakDetector.openBytes());
            Tensor kept;
            try (TensorScope outer = TensorScope.open()) {
                try (TensorScope inner = TensorScope.open()) {
                    inner.keep(a.mul(a)); // moves to the outer scope: still owned
                    assertEquals(base, LeakDetector.openBytes());
                    kept = outer.keep(inner.keep(a.sub(a))); // out of both: the caller's now
                }
                assertEquals(base + BYTES, LeakDetector.openBytes());
            }
            kept.close();
            assertEquals(base, LeakDetector.openBytes());
        }
    }

    @Test
    void passingTheThresholdLogsOneWarningNamingTheCreationSiteAndTheFix() {
        List<String> warnings = new ArrayList<>();
        var logger = LeakDetector.redirect(warnings::add);
        List<Tensor> leaked = new ArrayList<>();
        long previous = LeakDetector.resetWarning(LeakDetector.openBytes() + 150L * BYTES);
        try (Tensor a = Tensor.parameter(NdArray.full(Dtype.F32, 1, 16, 16))) {
            for (int i = 0; i < 149; i++) {
                leaked.add(a.add(a)); // forgetting the scope
            }
            assertEquals(List.of(), warnings, "below the threshold nothing is said");
            leaked.add(a.add(a));
            leaked.add(a.add(a));
            assertEquals(1, warnings.size(), "one warning at the threshold, not one per tensor: " + warnings);
            String w = warnings.getFirst();
            assertTrue(w.contains("outside any TensorScope") && w.contains("TensorScope.open()"), w);
            assertTrue(w.contains("LeakDetectorTest.passingTheThresholdLogsOneWarningNamingTheCreationSiteAndTheFix"), w);
            assertTrue(w.contains("inertia.leaks.threshold"), w);
        } finally {
            leaked.forEach(Tensor::close);
            LeakDetector.redirect(logger);
            LeakDetector.resetWarning(previous);
        }
    }
}
