package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.ops.Reduce;
import org.inertia.optim.Adam;
import org.inertia.optim.Params;
import org.junit.jupiter.api.Test;

/**
 * {@link Module#receivedGradient()}: an optimizer given it skips the parameters no backward pass reached since
 * the last zeroGrad(), as PyTorch's skip {@code p.grad is None} after {@code zero_grad()}: no update, no step
 * count, so such a parameter's bias correction starts at its first real gradient.
 */
class ReceivedGradientTest {
    @Test
    void anOptimizerSkipsTheParametersNoBackwardPassReached() {
        try (Linear used = new Linear(3, 2, true, Dtype.F64, new SplitMix64(1));
             Linear unused = new Linear(3, 2, true, Dtype.F64, new SplitMix64(2));
             Adam adam = new Adam()) {
            adam.addGroup(Adam.hyper().lr(0.1).build(), used);
            adam.addGroup(Adam.hyper().lr(0.1).build(), unused);
            Predicate<Params> has = used.receivedGradient().and(unused.receivedGradient());
            double[] unusedBefore = unused.parameters().getFirst().data().toDoubleArray();
            double[] usedBefore = used.parameters().getFirst().data().toDoubleArray();
            for (int s = 0; s < 3; s++) {
                used.zeroGrad();
                unused.zeroGrad();
                try (TensorScope scope = TensorScope.open()) {
                    Tensor x = Tensor.constant(NdArray.full(Dtype.F64, 0.5, 4, 3));
                    Reduce.sum(Reduce.sum(used.forward(x), 1), 0).backward();
                }
                assertTrue(used.parameters().getFirst().gradReceived());
                assertFalse(unused.parameters().getFirst().gradReceived());
                adam.step(null, has);
            }
            assertEquals(3, adam.groups().get(0).steps(0), "the used weight stepped every time");
            assertEquals(0, adam.groups().get(1).steps(0), "the unused weight never stepped");
            assertEquals(0, adam.groups().get(1).steps(1), "nor its bias");
            assertArrayEquals(unusedBefore, unused.parameters().getFirst().data().toDoubleArray());
            assertNotEquals(usedBefore[0], used.parameters().getFirst().data().toDoubleArray()[0]);
            used.zeroGrad();
            assertFalse(used.parameters().getFirst().gradReceived(), "zeroGrad() forgets the gradient");

            adam.step(); // without the predicate every pair counts as having a gradient (all zero here)
            assertEquals(1, adam.groups().get(1).steps(0));
        }
    }
}
