package org.inertia.nn.autograd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.junit.jupiter.api.Test;

/** The numerics guard names the first op that makes a NaN or Inf, in forward and in backward. */
class AnomalyModeTest {

    @Test
    void forwardNamesTheOpThatTurnsFiniteInputsIntoNaN() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {1, -2, 3}, 3));
             TensorScope s = TensorScope.open(); var guard = AnomalyMode.on()) {
            Tensor y = x.mul(x).neg(); // finite
            long live = Storage.liveCount();
            NumericAnomalyException e = assertThrows(NumericAnomalyException.class, () -> y.log());
            assertTrue(e.getMessage().contains("forward of 'log'") && e.getMessage().contains("element 0")
                    && e.getMessage().contains("[3]"), e.getMessage());
            assertEquals(live, Storage.liveCount(), "the rejected result is freed");
        }
    }

    @Test
    void backwardNamesTheOpWhoseGradientOverflows() {
        // log(x) at a subnormal x is finite (−736), its derivative 1/x overflows to +Inf.
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {1e-320, 2}, 2));
             TensorScope s = TensorScope.open(); var guard = AnomalyMode.on()) {
            Tensor loss = x.log().sum();
            NumericAnomalyException e = assertThrows(NumericAnomalyException.class, loss::backward);
            assertTrue(e.getMessage().contains("backward of 'log'") && e.getMessage().contains("Infinity")
                    && e.getMessage().contains("input 0"), e.getMessage());
        }
    }

    @Test
    void aNonFiniteLeafIsNamedAsComingFromOutsideTheGraph() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {1, Double.NaN}, 2));
             Tensor c = Tensor.constant(NdArray.ofDoubles(new double[] {2, 2}, 2));
             TensorScope s = TensorScope.open(); var guard = AnomalyMode.on()) {
            NumericAnomalyException e = assertThrows(NumericAnomalyException.class, () -> x.mul(c));
            assertTrue(e.getMessage().contains("non-finite input 0") && e.getMessage().contains("leaf"), e.getMessage());
        }
    }

    @Test
    void offByDefaultAndRestoredOnClose() {
        assertFalse(AnomalyMode.isEnabled());
        try (var guard = AnomalyMode.on()) {
            assertTrue(AnomalyMode.isEnabled());
        }
        assertFalse(AnomalyMode.isEnabled());
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {-1}, 1)); TensorScope s = TensorScope.open()) {
            Tensor y = assertDoesNotThrow(() -> x.log()); // NaN flows, as in PyTorch without detect_anomaly
            assertTrue(Double.isNaN(y.data().get(0)));
        }
    }
}
