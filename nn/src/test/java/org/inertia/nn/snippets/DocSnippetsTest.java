package org.inertia.nn.snippets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.NumericAnomalyException;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the Javadoc examples of {@link DocSnippets} on a tiny model. */
class DocSnippetsTest {
    private static Sequential model(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        return new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 3, rng));
    }

    private static NdArray inputs() {
        NdArray x = NdArray.zeros(Dtype.F32, 6, 4);
        SplitMix64 r = new SplitMix64(3);
        for (int i = 0; i < x.numel(); i++) {
            x.setAt(i, r.nextGaussian());
        }
        return x;
    }

    @Test
    void theScopeExampleTrainsWithoutLeavingATensorOpen() {
        int[] labels = {0, 1, 2, 0, 1, 2};
        try (Sequential m = model(1); Adam opt = new Adam(); NdArray x = inputs()) {
            opt.addGroup(Adam.hyper().lr(0.05).build(), m);
            long before = Storage.liveCount();
            double first = DocSnippets.scopeStep(m, opt, x, labels);
            assertEquals(before + 8, Storage.liveCount(), "what stays: Adam's two state buffers for each of the 4 parameters");
            double last = first;
            for (int i = 0; i < 30; i++) {
                last = DocSnippets.scopeStep(m, opt, x, labels);
            }
            assertTrue(last < first, first + " -> " + last);
        }
    }

    @Test
    void theAnomalyExampleNamesTheFirstBadOp() {
        try (Sequential m = model(2); NdArray x = inputs()) {
            DocSnippets.anomalyGuard(m, x, new int[] {0, 1, 2, 0, 1, 2}); // finite: passes
            x.setAt(5, Double.NaN);
            var e = assertThrows(NumericAnomalyException.class, () -> DocSnippets.anomalyGuard(m, x, new int[6]));
            assertTrue(e.getMessage().contains("non-finite input"), e.getMessage());
        }
    }

    @Test
    void theCheckpointExampleResumesTheSameWeights(@TempDir Path dir) throws Exception {
        try (NdArray images = NdArray.zeros(Dtype.F32, 8, 2, 2);
             Sequential a = model(4); Adam optA = new Adam(); DataLoader la = DataLoader.builder(images, new int[8]).build();
             Sequential b = model(5); Adam optB = new Adam(); DataLoader lb = DataLoader.builder(images, new int[8]).build()) {
            optA.addGroup(Adam.hyper().build(), a);
            optB.addGroup(Adam.hyper().build(), b);
            DocSnippets.checkpoint(a, optA, la, dir, false);
            DocSnippets.checkpoint(b, optB, lb, dir, true);
            assertArrayEquals(a.parameters().getFirst().data().toFloatArray(), b.parameters().getFirst().data().toFloatArray());
        }
    }
}
