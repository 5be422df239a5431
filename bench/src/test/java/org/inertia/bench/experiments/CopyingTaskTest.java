package org.inertia.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CopyingTaskTest {
    @Test
    void lstmTrainedWithTheOptimLibraryLearnsToCopy() {
        double[] loss = CopyingTask.train(4, 3, 5, 24, 32, 400, 42);
        double chance = Math.log(4);
        double tail = 0;
        for (int i = loss.length - 20; i < loss.length; i++) {
            tail += loss[i] / 20;
        }
        assertTrue(tail < 0.3 * chance, "mean loss over the last 20 iterations " + tail + " vs chance " + chance);
    }
}
