package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Pooling over [N, C, H, W]: max pooling (backward routes each output's gradient to the pixel that won,
 * recorded as an index), average pooling (backward spreads it evenly over the window: the adjoint), and
 * global average pooling to [N, C] (∂L/∂x = g / (H·W) at every pixel).
 */
public final class Pool2dOp {
    private Pool2dOp() {
    }

    /**
     * Max pooling with window {@code g} ({@code torch.nn.functional.max_pool2d}).
     *
     * @param x the input [N, C, H, W]
     * @param g the window: kernel size, stride, padding, dilation
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, C, outH, outW]
     */
    public static Tensor maxPool(Tensor x, Conv2dGeometry g) {
        Checks.floating("max_pool2d", "x", Tensor.requireOpen("max_pool2d", "x", x).dtype());
        Checks.present("max_pool2d", "geometry", g);
        checkImage("max pooling", x);
        Backend be = x.backend();
        int n = x.shape().dim(0), c = x.shape().dim(1);
        int oh = g.outH(x.shape().dim(2)), ow = g.outW(x.shape().dim(3));
        NdArray out = NdArray.zeros(x.dtype(), n, c, oh, ow);
        NdArray indices = NdArray.zeros(Dtype.I32, n, c, oh, ow);
        try {
            be.conv().maxPool2d(x.data(), g, out, indices);
        } catch (RuntimeException e) {
            out.close();
            indices.close();
            throw e;
        }
        return Tensor.result(out, be, new Node(x) {
            private NdArray saved = indices;

            @Override
            public String name() {
                return "max_pool2d";
            }

            @Override
            protected void backward(Backend b, NdArray grad, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(grad.dtype(), x.shape());
                    b.conv().maxPool2dBackward(grad, saved, gx);
                    sink.accept(0, gx);
                }
            }

            @Override
            protected void release() {
                if (saved != null) {
                    saved.close();
                    saved = null;
                }
            }
        });
    }

    /**
     * Average pooling with window {@code g}; {@code countIncludePad} as PyTorch (its default is true).
     *
     * @param x the input [N, C, H, W]
     * @param g the window: kernel size, stride, padding, dilation
     * @param countIncludePad whether padding zeros count in each window's divisor
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, C, outH, outW]
     */
    public static Tensor avgPool(Tensor x, Conv2dGeometry g, boolean countIncludePad) {
        Checks.floating("avg_pool2d", "x", Tensor.requireOpen("avg_pool2d", "x", x).dtype());
        Checks.present("avg_pool2d", "geometry", g);
        checkImage("average pooling", x);
        Backend be = x.backend();
        int n = x.shape().dim(0), c = x.shape().dim(1);
        NdArray out = NdArray.zeros(x.dtype(), n, c, g.outH(x.shape().dim(2)), g.outW(x.shape().dim(3)));
        try {
            be.conv().avgPool2d(x.data(), g, countIncludePad, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return Tensor.result(out, be, new Node(x) {
            @Override
            public String name() {
                return "avg_pool2d";
            }

            @Override
            protected void backward(Backend b, NdArray grad, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(grad.dtype(), x.shape());
                    b.conv().avgPool2dBackward(grad, g, countIncludePad, gx);
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * Mean over H and W: [N, C, H, W] → [N, C] ({@code adaptive_avg_pool2d(x, 1)} flattened).
     *
     * @param x the input [N, C, H, W]
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, C]
     */
    public static Tensor globalAvgPool(Tensor x) {
        Checks.floating("global_avg_pool2d", "x", Tensor.requireOpen("global_avg_pool2d", "x", x).dtype());
        checkImage("global average pooling", x);
        Backend be = x.backend();
        int n = x.shape().dim(0), c = x.shape().dim(1), h = x.shape().dim(2), w = x.shape().dim(3);
        NdArray out = NdArray.zeros(x.dtype(), n, c);
        try (NdArray rows = NdArray.zeros(x.dtype(), n, c, h)) {
            be.reductions().mean(x.data(), 3, rows);
            be.reductions().mean(rows, 2, out);
        }
        return Tensor.result(out, be, new Node(x) {
            @Override
            public String name() {
                return "global_avg_pool";
            }

            @Override
            protected void backward(Backend b, NdArray grad, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(grad.dtype(), x.shape());
                    b.elementwise().binaryScalar(org.inertia.kernels.BinaryOp.DIV,
                            grad.unsqueeze(2).unsqueeze(3).broadcastTo(x.shape()), (double) h * w, gx);
                    sink.accept(0, gx);
                }
            }
        });
    }

    private static void checkImage(String op, Tensor x) {
        if (x.shape().rank() != 4) {
            throw new IllegalArgumentException(op + " needs x [N, C, H, W], got " + x.shape());
        }
    }
}
