package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * modReLU (Arjovsky, Shah, Bengio 2016, "Unitary evolution recurrent neural networks", ICML; the nonlinearity of
 * expRNN and DTRIV), for real inputs z [B, H] and a bias b [H] broadcast over the rows:
 * <pre>
 *   y = sign(z) · max(|z| + b, 0),
 *   ∂y/∂z = [|z| + b &gt; 0] (z ≠ 0; sign(z)² = 1),   ∂y/∂b = sign(z) · [|z| + b &gt; 0],
 * </pre>
 * both 0 at z = 0 (where sign(z) = 0, as in PyTorch's autograd of the reference code
 * {@code phase * relu(|z| + b)}). Computed element by element in double precision.
 */
public final class ModRelu {
    private ModRelu() {
    }

    /**
     * y = modReLU(z; b) as an autograd op, gradients to both z and b (class comment).
     *
     * @param z the pre-activation [B, H], F32 or F64
     * @param b the bias [H], {@code z}'s dtype; broadcast over the rows of {@code z}
     * @return y [B, H] in {@code z}'s dtype: a new tensor, owned by the current {@code TensorScope}
     *         (else by the caller)
     * @throws IllegalArgumentException if z is not [B, H], b not [H], z is not floating-point, or their dtypes differ
     * @throws IllegalStateException if {@code z} or {@code b} is closed
     * @throws NullPointerException if {@code z} or {@code b} is null
     */
    public static Tensor apply(Tensor z, Tensor b) {
        Checks.floating("modrelu", "z", Tensor.requireOpen("modrelu", "z", z).dtype());
        Checks.sameDtype("modrelu", "z", z.dtype(), "b", Tensor.requireOpen("modrelu", "b", b).dtype());
        if (z.shape().rank() != 2 || b.shape().rank() != 1 || b.shape().dim(0) != z.shape().dim(1)) {
            throw new IllegalArgumentException("modrelu needs z [B, H] and b [H], got z " + z.shape() + " and b "
                    + b.shape());
        }
        int rows = z.shape().dim(0);
        int cols = z.shape().dim(1);
        double[] zv = z.data().toDoubleArray();
        double[] bv = b.data().toDoubleArray();
        double[] y = new double[zv.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double mag = Math.abs(zv[i]) + bv[c];
                y[i] = mag > 0 ? Math.signum(zv[i]) * mag : 0;
            }
        }
        NdArray out = NdArray.zeros(z.dtype(), rows, cols);
        out.copyFrom(y);
        return Tensor.result(out, z.backend(), new Node(z, b) {
            @Override
            public String name() {
                return "modrelu";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                double[] gv = g.toDoubleArray();
                double[] gz = sink.wants(0) ? new double[gv.length] : null;
                double[] gb = sink.wants(1) ? new double[cols] : null;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int i = r * cols + c;
                        if (zv[i] != 0 && Math.abs(zv[i]) + bv[c] > 0) {
                            if (gz != null) {
                                gz[i] = gv[i];
                            }
                            if (gb != null) {
                                gb[c] += Math.signum(zv[i]) * gv[i];
                            }
                        }
                    }
                }
                if (gz != null) {
                    NdArray a = NdArray.zeros(g.dtype(), rows, cols);
                    a.copyFrom(gz);
                    sink.accept(0, a);
                }
                if (gb != null) {
                    NdArray a = NdArray.zeros(g.dtype(), cols);
                    a.copyFrom(gb);
                    sink.accept(1, a);
                }
            }
        });
    }
}
