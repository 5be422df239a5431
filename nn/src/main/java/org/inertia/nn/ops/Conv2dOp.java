package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * 2-D convolution (cross-correlation, as {@code torch.nn.functional.conv2d}) of x [N, Cin, H, W] with
 * W [Cout, Cin, kH, kW] and optional bias [Cout], by im2col + GEMM. With columns X_n = unfold(x_n)
 * [Cin·kH·kW, L] (L = outH·outW) and W as a [Cout, K] matrix:
 *
 * <pre>
 *   y_n   = W·X_n + b            (one batched GEMM, W broadcast along the batch)
 *   ∂L/∂W = Σ_n G_n·X_nᵀ          (one GEMM per image, accumulating with β = 1)
 *   ∂L/∂x = fold(Wᵀ·G_n)          (one batched GEMM, then col2im)
 *   ∂L/∂b = Σ_{n, l} G_n
 * </pre>
 *
 * The columns are saved for backward (they are what ∂L/∂W needs) and freed when the graph is released.
 */
public final class Conv2dOp {
    private Conv2dOp() {
    }

    /**
     * Square stride, padding and dilation; {@code bias} may be null.
     *
     * @param x the input [N, Cin, H, W]
     * @param weight the filters [Cout, Cin, kH, kW]
     * @param bias the bias [Cout], or null
     * @param stride step of the window in both directions; >= 1
     * @param padding zeros added on each side of H and W; >= 0
     * @param dilation spacing between window taps; >= 1
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, Cout, outH, outW]
     * @throws IllegalArgumentException if shapes, dtypes or the geometry do not fit
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        Checks.floating("conv2d", "weight", Tensor.requireOpen("conv2d", "weight", weight).dtype());
        Shape ws = weight.shape();
        if (ws.rank() != 4) {
            throw new IllegalArgumentException("conv2d weight must be [Cout, Cin, kH, kW], got " + ws);
        }
        return apply(x, weight, bias, new Conv2dGeometry(ws.dim(2), ws.dim(3), stride, stride, padding, padding,
                dilation, dilation));
    }

    /**
     * Convolution with the window {@code g}, whose kernel size must match the weight's.
     *
     * @param x the input [N, Cin, H, W]
     * @param weight the filters [Cout, Cin, kH, kW]
     * @param bias the bias [Cout], or null
     * @param g the window: kernel size, stride, padding, dilation
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, Cout, outH, outW]
     * @throws IllegalArgumentException if shapes, dtypes or the geometry do not fit
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        Checks.floating("conv2d", "x", Tensor.requireOpen("conv2d", "x", x).dtype());
        Checks.floating("conv2d", "weight", Tensor.requireOpen("conv2d", "weight", weight).dtype());
        Checks.sameDtype("conv2d", "x", x.dtype(), "weight", weight.dtype());
        Checks.sameBackend("conv2d", "x", x.backend(), "weight", weight.backend());
        if (bias != null) {
            Checks.floating("conv2d", "bias", Tensor.requireOpen("conv2d", "bias", bias).dtype());
            Checks.sameDtype("conv2d", "x", x.dtype(), "bias", bias.dtype());
            Checks.sameBackend("conv2d", "x", x.backend(), "bias", bias.backend());
        }
        Checks.present("conv2d", "geometry", g);
        Shape xs = x.shape();
        Shape ws = weight.shape();
        if (xs.rank() != 4 || ws.rank() != 4 || xs.dim(1) != ws.dim(1) || ws.dim(2) != g.kernelH()
                || ws.dim(3) != g.kernelW()) {
            throw new IllegalArgumentException("conv2d needs x [N, Cin, H, W] and weight [Cout, Cin, kH, kW] matching "
                    + g + ", got x " + xs + " and weight " + ws);
        }
        int cout = ws.dim(0);
        if (bias != null && (bias.shape().rank() != 1 || bias.shape().dim(0) != cout)) {
            throw new IllegalArgumentException("conv2d bias must be [" + cout + "], got " + bias.shape()
                    + " (weight " + ws + ")");
        }
        int n = xs.dim(0);
        int outH = g.outH(xs.dim(2));
        int outW = g.outW(xs.dim(3));
        int k = ws.dim(1) * ws.dim(2) * ws.dim(3);
        int l = outH * outW;
        Backend be = x.backend();
        NdArray columns = NdArray.zeros(x.dtype(), n, k, l);
        NdArray y = NdArray.zeros(x.dtype(), n, cout, outH, outW);
        try {
            be.conv().im2col(x.data(), g, columns);
            NdArray w2 = matrix(weight.data(), cout, k);
            be.gemm().gemmBatched(false, false, 1, w2.unsqueeze(0).broadcastTo(Shape.of(n, cout, k)), columns, 0,
                    y.reshape(n, cout, l));
            if (bias != null) {
                NdArray y3 = y.reshape(n, cout, l);
                be.elementwise().binary(BinaryOp.ADD, y3, bias.data().unsqueeze(1), y3);
            }
            if (w2 != weight.data()) {
                w2.close();
            }
        } catch (RuntimeException e) {
            columns.close();
            y.close();
            throw e;
        }
        Node node = bias == null ? new Backward(g, columns, cout, k, x, weight)
                : new Backward(g, columns, cout, k, x, weight, bias);
        return Tensor.result(y, be, node);
    }

    /** A [rows, cols] matrix view of a contiguous array, or of a contiguous copy (the caller closes a copy). */
    private static NdArray matrix(NdArray a, int rows, int cols) {
        return (a.isContiguous() ? a : a.copy()).reshape(rows, cols);
    }

    private static final class Backward extends Node {
        private final Conv2dGeometry geometry;
        private final int cout;
        private final int k;
        private NdArray columns;

        Backward(Conv2dGeometry geometry, NdArray columns, int cout, int k, Tensor... inputs) {
            super(inputs);
            this.geometry = geometry;
            this.columns = columns;
            this.cout = cout;
            this.k = k;
        }

        @Override
        public String name() {
            return "conv2d";
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            NdArray x = inputs()[0].data();
            NdArray w = inputs()[1].data();
            int n = x.dim(0);
            int l = g.dim(2) * g.dim(3);
            NdArray gc = g.isContiguous() ? g : g.copy();
            NdArray g3 = gc.reshape(n, cout, l);
            try {
                if (sink.wants(0)) {
                    NdArray w2 = w.isContiguous() ? w : w.copy();
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    try (NdArray gcols = NdArray.zeros(g.dtype(), n, k, l)) {
                        be.gemm().gemmBatched(true, false, 1, w2.reshape(cout, k).unsqueeze(0).broadcastTo(Shape.of(n, cout, k)),
                                g3, 0, gcols);
                        be.conv().col2im(gcols, geometry, gx);
                    } finally {
                        if (w2 != w) {
                            w2.close();
                        }
                    }
                    sink.accept(0, gx);
                }
                if (sink.wants(1)) {
                    NdArray gw = NdArray.zeros(g.dtype(), w.shape());
                    NdArray gw2 = gw.reshape(cout, k);
                    for (int i = 0; i < n; i++) {
                        be.gemm().gemm(false, true, 1, g3.select(0, i), columns.select(0, i), i == 0 ? 0 : 1, gw2);
                    }
                    sink.accept(1, gw);
                }
                if (inputs().length == 3 && sink.wants(2)) {
                    NdArray gb = NdArray.zeros(g.dtype(), cout);
                    try (NdArray perImage = NdArray.zeros(g.dtype(), n, cout)) {
                        be.reductions().sum(g3, 2, perImage);
                        be.reductions().sum(perImage, 0, gb);
                    }
                    sink.accept(2, gb);
                }
            } finally {
                if (gc != g) {
                    gc.close();
                }
            }
        }

        @Override
        protected void release() {
            if (columns != null) {
                columns.close();
                columns = null;
            }
        }
    }
}
