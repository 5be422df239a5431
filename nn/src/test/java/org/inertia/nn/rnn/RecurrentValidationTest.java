package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradNormClip;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the recurrent cells and ops are refused with a message that names the argument. */
class RecurrentValidationTest {
    private static final Random R = new Random(1);
    private static final Dtype F = Dtype.F32;

    private static void refused(Executable e, String... words) {
        RuntimeException x = assertThrows(RuntimeException.class, e);
        assertTrue(x instanceof IllegalArgumentException || x instanceof NullPointerException, x.toString());
        for (String w : words) {
            assertTrue(String.valueOf(x.getMessage()).contains(w), "'" + w + "' missing from: " + x.getMessage());
        }
    }

    @Test
    void hyperparameters() {
        refused(() -> new MomentumLstmCell(1, 2, 2.0, 0.6, RecurrentInit.PYTORCH, F, R), "mu", "2.0");
        refused(() -> new MomentumLstmCell(1, 2, 0.6, Double.NaN, RecurrentInit.PYTORCH, F, R), "s", "NaN");
        refused(() -> new MomentumRnnCell(1, 2, -0.1, 0.6, RecurrentInit.PYTORCH, F, R), "mu", "-0.1");
        refused(() -> new AdamLstmCell(1, 2, 0.6, 0.6, 1.0, RecurrentInit.PYTORCH, F, R), "beta", "1.0");
        refused(() -> new RmsPropLstmCell(1, 2, 0.6, -1, RecurrentInit.PYTORCH, F, R), "beta", "-1");
        refused(() -> new SrLstmCell(1, 2, 0, 2, RecurrentInit.PYTORCH, F, R), "s", "0.0");
        refused(() -> new SrLstmCell(1, 2, 1, -3, RecurrentInit.PYTORCH, F, R), "restart", "-3");
        refused(() -> new LstmCell(1, 2, RecurrentInit.PYTORCH, Dtype.I32, R), "dtype", "I32");
        refused(() -> new LstmCell(1, 2, null, F, R), "init");
        refused(() -> new LstmCell(1, 2, RecurrentInit.PYTORCH, F, null), "rnd");
        refused(() -> new LstmCell(0, 2, RecurrentInit.PYTORCH, F, R), "sizes", "0");
        refused(() -> RecurrentOps.stackSteps(List.of()), "at least one step");
        refused(() -> GradNormClip.clipGradNorm(null, 1), "parameters");
    }

    @Test
    void inputsNameTheirProblem() {
        try (Lstm lstm = new Lstm(2, 3, 1, RecurrentInit.PYTORCH, F, R); LstmCell cell = new LstmCell(2, 3, RecurrentInit.PYTORCH, F, R);
             TensorScope s = TensorScope.open()) {
            refused(() -> lstm.forward(null), "x");
            Tensor x64 = Tensor.constant(NdArray.zeros(Dtype.F64, 2, 4, 2));
            refused(() -> lstm.forward(x64), "x is F64", "F32");
            refused(() -> cell.forward(Tensor.constant(NdArray.zeros(Dtype.F64, 2, 2)), cell.initialState(2)), "x is F64");
            refused(() -> cell.sequence(Tensor.constant(NdArray.zeros(F, 2, 4, 3)), cell.initialState(2)),
                    "input size 2", "[2, 4, 3]");
            Tensor v = Tensor.constant(NdArray.zeros(F, 2, 3));
            refused(() -> RecurrentOps.rmsScale(v, v, -1e-8), "eps", "-1.0E-8");
            x64.close();
            v.close();
        }
    }

    @Test
    void opsCheckRanksBeforeReadingDimensions() {
        try (TensorScope s = TensorScope.open()) {
            Tensor scalar = Tensor.constant(NdArray.zeros(F, new int[0]));
            Tensor w = Tensor.constant(NdArray.zeros(F, 4, 3));
            Tensor x = Tensor.constant(NdArray.zeros(F, 2, 3));
            // a rank-0 x or W used to fail on reading dimension 0, before the shape message
            refused(() -> RecurrentOps.affine(null, scalar, w, null), "affine needs", "got x []");
            refused(() -> RecurrentOps.affine(null, x, scalar, null), "affine needs", "W []");
            refused(() -> RecurrentOps.affine(scalar, x, w, null), "affine needs", "base []");
        }
    }

    @Test
    void lstmPointwiseChecksTheRankOfCPrev() {
        try (TensorScope s = TensorScope.open()) {
            Tensor gates = Tensor.constant(NdArray.zeros(F, 2, 12));
            // cPrev of rank 3 whose first two dimensions fit the gates used to be accepted
            refused(() -> RecurrentOps.lstmPointwise(gates, Tensor.constant(NdArray.zeros(F, 2, 3, 1))),
                    "cPrev", "[2, 3, 1]");
            refused(() -> RecurrentOps.lstmPointwise(gates, Tensor.constant(NdArray.zeros(F, 3))), "cPrev", "[3]");
        }
    }

    @Test
    void stackStepsNeedsStepsOfOneShapeAndDtype() {
        try (TensorScope s = TensorScope.open()) {
            Tensor a = Tensor.constant(NdArray.zeros(F, 2, 3));
            refused(() -> RecurrentOps.stackSteps(List.of(a, Tensor.constant(NdArray.zeros(F, 2, 4)))),
                    "stackSteps", "step 1", "[2, 4]", "[2, 3]");
            refused(() -> RecurrentOps.stackSteps(List.of(a, a, Tensor.constant(NdArray.zeros(F, 1, 3)))),
                    "step 2", "[1, 3]");
            refused(() -> RecurrentOps.stackSteps(List.of(a, Tensor.constant(NdArray.zeros(Dtype.F64, 2, 3)))),
                    "step 1", "F64");
            refused(() -> RecurrentOps.stackSteps(List.of(Tensor.constant(NdArray.zeros(F, 6)))), "step 0", "[6]");
        }
    }
}
