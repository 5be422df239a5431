package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.inertia.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** The one place that picks the backend: cpu by default, a clear error for a name no backend has. */
class BackendsTest {
    @Test
    void theDefaultIsTheCpuBackendAndItHandsOutOneFacadePerFamily() {
        if (System.getProperty(Backends.PROPERTY) == null) {
            assertSame(CpuBackend.get(), Backends.get());
        }
        Backend cpu = Backends.named("cpu");
        assertSame(CpuBackend.get(), cpu);
        assertEquals("cpu", cpu.name());
        // built once: the same facade on every call
        assertSame(cpu.elementwise(), cpu.elementwise());
        assertSame(cpu.gemm(), cpu.gemm());
    }

    @Test
    void anUnknownNameIsRejectedNamingThePropertyTheValueAndWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("cuda-nope"));
        assertTrue(e.getMessage().contains("inertia.backend=cuda-nope") && e.getMessage().contains("[cpu"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backends.named(""));
        assertTrue(e.getMessage().contains("inertia.backend"), e.getMessage());
    }
}
