package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;

/** The backward of NumPy broadcasting: sum a gradient over the dimensions an input was broadcast along. */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * Returns ∂L/∂input for an input of shape {@code target} that was broadcast to {@code g}'s shape: g
     * summed over the leading extra dimensions and over every dimension where target has size 1. Takes
     * over {@code g} (closing it if a new array is returned).
     */
    static NdArray reduceTo(Backend backend, NdArray g, Shape target) {
        NdArray cur = g;
        while (cur.rank() > target.rank()) {
            NdArray next = NdArray.zeros(cur.dtype(), cur.shape().without(0));
            backend.reductions().sum(cur, 0, next);
            cur.close();
            cur = next;
        }
        for (int axis = 0; axis < target.rank(); axis++) {
            if (target.dim(axis) == 1 && cur.dim(axis) != 1) {
                NdArray next = NdArray.zeros(cur.dtype(), cur.shape().with(axis, 1));
                backend.reductions().sum(cur, axis, next);
                cur.close();
                cur = next;
            }
        }
        return cur;
    }
}
