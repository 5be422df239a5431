package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;

/** Per-channel sums of an [N, C, H, W] array over N, H and W, as three axis reductions (W, then H, then N). */
final class ChannelSums {
    private ChannelSums() {
    }

    /** out[c] ← Σ_{n,h,w} x[n, c, h, w]; out is [C]. */
    static void sum(Backend be, NdArray x, NdArray out) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2);
        try (NdArray rows = NdArray.zeros(x.dtype(), n, c, h); NdArray planes = NdArray.zeros(x.dtype(), n, c)) {
            be.reductions().sum(x, 3, rows);
            be.reductions().sum(rows, 2, planes);
            be.reductions().sum(planes, 0, out);
        }
    }

    /** A [1, C, 1, 1] view of a [C] vector, broadcastable against [N, C, H, W]. */
    static NdArray perChannel(NdArray v) {
        return v.unsqueeze(0).unsqueeze(2).unsqueeze(3);
    }
}
