package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large array's {@code duplicate()} shares its memory until either side is written: every observable value must
 * be that of a copy made at once, whatever the order of writes, reads and closes among the holders.
 */
class CopyOnWriteDuplicateTest {
    private static final Engine ENGINE = Engine.getEngine("Inertia");
    private static final int N = 8192; // 32 KiB of float32: above the sharing threshold
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = ENGINE.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[] ramp(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    @Test
    void largeDuplicatesShareAndSmallOnesCopy() {
        InertiaNDArray big = (InertiaNDArray) manager.create(ramp(N, 0));
        InertiaNDArray small = (InertiaNDArray) manager.create(ramp(8, 0));
        assertTrue(((InertiaNDArray) big.duplicate()).sharesBlock());
        assertFalse(((InertiaNDArray) small.duplicate()).sharesBlock());
        NDArray p = manager.create(ramp(N, 0));
        p.setRequiresGradient(true);
        assertFalse(((InertiaNDArray) p.duplicate()).sharesBlock(), "an array with a gradient copies");
    }

    @Test
    void writesOnEitherSideStayOnThatSide() {
        NDArray a = manager.create(ramp(N, 0));
        NDArray d = a.duplicate();
        d.addi(1);
        assertArrayEquals(ramp(N, 0), a.toFloatArray());
        assertArrayEquals(ramp(N, 1), d.toFloatArray());
        NDArray e = a.duplicate();
        a.muli(2);
        assertArrayEquals(ramp(N, 0), e.toFloatArray());
        float[] twice = ramp(N, 0);
        for (int i = 0; i < N; i++) {
            twice[i] *= 2;
        }
        assertArrayEquals(twice, a.toFloatArray());
    }

    @Test
    void aDuplicateOutlivesItsSourceAndTheLastHolderOwnsTheMemory() {
        NDManager sub = manager.newSubManager();
        NDArray a = sub.create(ramp(N, 3));
        NDArray d = a.duplicate();
        d.attach(manager);
        NDArray dd = d.duplicate();
        sub.close();
        assertTrue(a.isReleased());
        assertArrayEquals(ramp(N, 3), d.toFloatArray());
        dd.close();
        d.addi(1); // the last holder writes its own memory
        assertArrayEquals(ramp(N, 4), d.toFloatArray());
        assertThrows(IllegalStateException.class, a::toFloatArray);
    }

    @Test
    void anOpReadsASharedInputWithoutCopyingAndAGradientUsesTheValuesOfTheForwardPass() {
        NDArray x = manager.create(ramp(N, 0), new Shape(64, 128));
        InertiaNDArray d = (InertiaNDArray) x.duplicate();
        NDArray w = manager.randomNormal(new Shape(4, 128));
        w.setRequiresGradient(true);
        try (GradientCollector gc = ENGINE.newGradientCollector()) {
            NDArray y = d.getNDArrayInternal().linear(d, w, null).singletonOrThrow();
            assertTrue(d.sharesBlock(), "linear read its input in place");
            x.muli(0); // the source changes after the forward pass; the duplicate is still what it was
            gc.backward(y.sum());
        }
        // ∂ sum(x·wᵀ) / ∂w[j][k] = Σ_i x[i][k]
        float[] want = new float[4 * 128];
        for (int k = 0; k < 128; k++) {
            float s = 0;
            for (int i = 0; i < 64; i++) {
                s += i * 128 + k;
            }
            for (int j = 0; j < 4; j++) {
                want[j * 128 + k] = s;
            }
        }
        assertArrayEquals(want, w.getGradient().toFloatArray(), 1e-2f);
        assertArrayEquals(ramp(N, 0), d.toFloatArray());
    }

    @Test
    void internTakesOverASharedArraysValues() {
        NDArray a = manager.create(ramp(N, 0));
        NDArray d = a.duplicate();
        NDArray target = manager.zeros(new Shape(N));
        target.intern(d);
        a.addi(5);
        assertArrayEquals(ramp(N, 0), target.toFloatArray());
    }

    /** Random sequences of duplicate, write, read and close over a few holders against plain copies. */
    @Property(tries = 60)
    void anyOrderOfOperationsSeesTheValuesOfCopies(@ForAll @IntRange(min = 1, max = 40) int steps,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (NDManager m = ENGINE.newBaseManager()) {
            List<NDArray> arrays = new ArrayList<>();
            List<float[]> model = new ArrayList<>();
            arrays.add(m.create(ramp(N, 0)));
            model.add(ramp(N, 0));
            for (int s = 0; s < steps; s++) {
                int i = r.nextInt(arrays.size());
                NDArray a = arrays.get(i);
                if (a.isReleased()) {
                    continue;
                }
                switch (r.nextInt(4)) {
                    case 0 -> {
                        arrays.add(a.duplicate());
                        model.add(model.get(i).clone());
                    }
                    case 1 -> {
                        float c = r.nextInt(5);
                        a.addi(c);
                        float[] v = model.get(i);
                        for (int k = 0; k < v.length; k++) {
                            v[k] += c;
                        }
                    }
                    case 2 -> assertArrayEquals(model.get(i), a.toFloatArray());
                    default -> {
                        if (arrays.stream().filter(x -> !x.isReleased()).count() > 1) {
                            a.close();
                        }
                    }
                }
            }
            for (int i = 0; i < arrays.size(); i++) {
                if (!arrays.get(i).isReleased()) {
                    assertArrayEquals(model.get(i), arrays.get(i).toFloatArray());
                }
            }
        }
    }
}
