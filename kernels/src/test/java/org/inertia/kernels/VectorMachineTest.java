package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.inertia.kernels.simd.FloatSpecies;
import org.inertia.kernels.simd.GemmBlocking;
import org.inertia.kernels.simd.VectorMachine;
import org.junit.jupiter.api.Test;

/** What GEMM's blocking is chosen from, and the choice itself, on whatever machine runs the tests. */
class VectorMachineTest {
    @Test
    void parsesSysfsCacheSizes() {
        assertEquals(32 << 10, VectorMachine.parseSize("32K"));
        assertEquals(1 << 20, VectorMachine.parseSize("1024K"));
        assertEquals(2 << 20, VectorMachine.parseSize("2M"));
        assertEquals(4096, VectorMachine.parseSize("4096"));
        assertEquals(-1, VectorMachine.parseSize(null));
        assertEquals(-1, VectorMachine.parseSize(""));
        assertEquals(-1, VectorMachine.parseSize("lots"));
        assertEquals(-1, VectorMachine.parseSize("-3K"));
    }

    @Test
    void blockingFitsTheMachine() {
        VectorMachine m = VectorMachine.CURRENT;
        assertTrue(m.vectorRegisters() == 16 || m.vectorRegisters() == 32, m.describe());
        assertTrue(m.l1dBytes() > 0 && m.l2Bytes() > 0 && m.l3Bytes() > 0, m.describe());
        GemmBlocking b = GemmBlocking.CHOSEN;
        if (System.getProperty("inertia.gemm.tile") == null) {
            // The chosen tile keeps its k loop inside the register file, except the 8×3 kept for 32 registers.
            assertTrue(b.tile().registers() <= m.vectorRegisters() || m.vectorRegisters() == 32, b.describe());
        }
        assertEquals(0, b.nc() % b.tile().nr(), b.describe());
        assertEquals(0, b.mc() % b.tile().mr, b.describe());
        assertEquals(b.tile().nrVectors * FloatSpecies.LANES, b.tile().nr());
    }
}
